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
        // Importing is rare: the caseload page links to it; in the menu only for
        // those (admins) who import without working with the caseload.
        if a.can(Action::ImportCases, &own_org) && !a.can(Action::ViewCase, &own_org) {
            nav.push(NavItem {
                href: "/cases/import",
                label: t("nav-import"),
            });
        }
        if a.can(Action::ManageServiceCatalogue, &own_org) {
            nav.push(NavItem {
                href: "/service-catalogue",
                label: t("nav-services"),
            });
        }
        if a.can(Action::ViewSignal, &own_org) {
            nav.push(NavItem {
                href: "/signals",
                label: t("nav-signals"),
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
        if a.can(Action::ViewOutreach, &own_org) {
            nav.push(NavItem {
                href: "/outreach",
                label: t("nav-outreach"),
            });
        }
        if a.can(Action::ViewProjects, &Resource::System) {
            nav.push(NavItem {
                href: "/projects",
                label: t("nav-projects"),
            });
        }
        if a.can(Action::ViewShelters, &Resource::System) {
            nav.push(NavItem {
                href: "/shelters",
                label: t("nav-shelters"),
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
        if a.can(Action::ViewInternalStats, &Resource::System) {
            nav.push(NavItem {
                href: "/stats",
                label: t("nav-stats"),
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
        let org_name = lang.pick(&a.org.name_bg, &a.org.name_en);
        let who = format!(
            "{} · {} · {}",
            a.user.display_name,
            org_name,
            t(&format!("role-{}", a.actor.role.as_str()))
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

    /// The flash message left by the action that redirected here, translated.
    pub fn flash(&self) -> Option<String> {
        crate::flash::current()
            .filter(|k| i18n::has(self.lang, k))
            .map(|k| i18n::t(self.lang, &k))
    }

    /// This page's path, for the language switch to come back to.
    pub fn here(&self) -> String {
        crate::flash::current_path()
    }

    /// Server limits, for the `maxlength` of the fields they apply to.
    pub fn max_name(&self) -> usize {
        zakrila_domain::case::PersonName::MAX_CHARS
    }

    pub fn max_email(&self) -> usize {
        zakrila_domain::user::Email::MAX_LEN
    }

    pub fn max_password(&self) -> usize {
        zakrila_domain::password::MAX_LEN
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

/// Formats UTC milliseconds as dd.mm.yyyy HH:MM in Sofia time, the Bulgarian
/// convention. Every page shows a moment through this.
pub fn datetime(ms: i64) -> String {
    let Ok(utc) = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000) else {
        return String::new();
    };
    let t = utc.to_offset(zakrila_domain::case::sofia_offset(utc));
    format!(
        "{} {:02}:{:02}",
        zakrila_domain::case::format_date(t.date()),
        t.hour(),
        t.minute()
    )
}

/// The time of day HH:MM in Sofia time of UTC milliseconds.
pub fn time_of_day(ms: i64) -> String {
    let Ok(utc) = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000) else {
        return String::new();
    };
    let t = utc.to_offset(zakrila_domain::case::sofia_offset(utc));
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// A stored `YYYY-MM-DD` date as dd.mm.yyyy, the Bulgarian convention; anything
/// else is shown as it is. Every page shows a calendar date through this.
pub fn date(ymd: &str) -> String {
    match zakrila_domain::case::parse_date(ymd, "date") {
        Ok(d) => zakrila_domain::case::format_date(d),
        Err(_) => ymd.to_owned(),
    }
}

/// An amount recorded in leva (in stotinki) as a Bulgarian page shows it:
/// "127,82 € (250,00 лв.)". Pages in either language use `format::money_bgn`.
pub fn money(stotinki: i64) -> String {
    crate::format::money_bgn(stotinki, Locale::Bg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_shown_in_sofia_time() {
        // 2026-01-15 10:00 UTC: winter, +2.
        assert_eq!(datetime(1_768_471_200_000), "15.01.2026 12:00");
        // 2026-07-15 10:00 UTC: summer, +3.
        assert_eq!(datetime(1_784_109_600_000), "15.07.2026 13:00");
        // 2026-03-29 00:59 UTC is still winter; 01:00 UTC is summer.
        assert_eq!(datetime(1_774_745_940_000), "29.03.2026 02:59");
        assert_eq!(datetime(1_774_746_000_000), "29.03.2026 04:00");
    }

    #[test]
    fn dates_and_money_read_the_bulgarian_way() {
        assert_eq!(date("2026-03-09"), "09.03.2026");
        assert_eq!(date("someday"), "someday");
        assert_eq!(money(25_000), "127,82 € (250,00 лв.)");
    }
}
