//! What every page shares: language, title, the signed-in user and the navigation
//! their role may use.

use askama::Template;
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};

use crate::{auth::Authed, i18n};

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
}

pub struct Base {
    pub lang: Locale,
    pub title: String,
    /// "Name · Organisation · role", when signed in.
    pub who: Option<String>,
    pub nav: Vec<NavItem>,
}

impl Base {
    pub fn anonymous(lang: Locale, title: String) -> Self {
        Self {
            lang,
            title,
            who: None,
            nav: vec![],
        }
    }

    pub fn for_user(a: &Authed, lang: Locale, title_key: &str) -> Self {
        let t = |k: &str| i18n::t(lang, k);
        let mut nav = vec![NavItem {
            href: "/",
            label: t("nav-home"),
        }];
        let own_org = Resource::Org(a.actor.org_id);
        if a.can(Action::ViewCase, &own_org) {
            nav.push(NavItem {
                href: "/cases",
                label: t("nav-cases"),
            });
            nav.push(NavItem {
                href: "/referrals",
                label: t("nav-referrals"),
            });
        }
        if a.can(Action::ViewUsers, &own_org) {
            nav.push(NavItem {
                href: "/admin/users",
                label: t("nav-users"),
            });
        }
        if a.can(Action::ViewProgramme, &Resource::System) {
            nav.push(NavItem {
                href: "/programme",
                label: t("nav-programme"),
            });
        }
        nav.push(NavItem {
            href: "/organisations",
            label: t("nav-organisations"),
        });
        if a.can(Action::ReviewLinkage, &Resource::System) {
            nav.push(NavItem {
                href: "/linkage",
                label: t("nav-linkage"),
            });
        }
        if a.can(Action::ViewAudit, &Resource::System) {
            nav.push(NavItem {
                href: "/audit",
                label: t("nav-audit"),
            });
        }
        nav.push(NavItem {
            href: "/account",
            label: t("nav-account"),
        });
        nav.push(NavItem {
            href: "/api/docs",
            label: t("nav-api"),
        });
        let org_name = if lang == Locale::En {
            &a.org.name_en
        } else {
            &a.org.name_bg
        };
        let who = format!(
            "{} · {} · {}",
            a.user.display_name,
            org_name,
            t(&format!("role-{}", a.user.role.as_str()))
        );
        Self {
            lang,
            title: t(title_key),
            who: Some(who),
            nav,
        }
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    /// The language the switch offers.
    pub fn other_lang(&self) -> (&'static str, &'static str) {
        match self.lang {
            Locale::Bg => ("en", "English"),
            Locale::En => ("bg", "Български"),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub base: Base,
    pub status: u16,
    pub details: Vec<String>,
}

/// Formats UTC milliseconds as dd.mm.yyyy HH:MM (UTC), the Bulgarian convention.
pub fn datetime(ms: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000) else {
        return String::new();
    };
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        t.day(),
        t.month() as u8,
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// A stored `YYYY-MM-DD` date as dd.mm.yyyy, the Bulgarian convention; anything
/// else is shown as it is.
pub fn date_bg(ymd: &str) -> String {
    match ymd.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}.{m}.{y}"),
        _ => ymd.to_owned(),
    }
}

/// An amount recorded in leva (in stotinki), shown in euro with the lev amount
/// beside it: "€127.82 (250,00 лв.)". Bulgaria's fixed rate, 1 EUR = 1.95583 BGN,
/// is applied in integers by `Money::to_eur`. Every page shows money through this.
pub fn money(stotinki: i64) -> String {
    let m = zakrila_domain::case::Money::from_stotinki(stotinki);
    format!("{} ({m})", m.to_eur())
}
