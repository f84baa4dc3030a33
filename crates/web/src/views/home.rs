//! The start page after signing in: what this role can do, and the work waiting
//! for it (`App::home`): for those who work with cases, pending referrals,
//! reflection periods ending, overdue services and follow-ups due; for Commission
//! coordinators, reports awaiting review, institutions late and linkage
//! candidates; for reporters, their activities with the next report due; for
//! auditors, the latest identity reads and exports. Each list is short, with its
//! count and a link to the full list.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use zakrila_app::{
    cases::{DashboardDetail, DashboardItem},
    home::HOME_ITEMS,
};
use zakrila_domain::case::format_date;

use crate::{
    auth::{PageUser, ToLogin},
    error::HttpError,
    i18n,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, date, datetime},
        programme::standing_label,
        render,
    },
};

pub struct Item {
    pub href: String,
    pub code: String,
    pub detail: String,
}

/// A list of the start page: a heading with the count, a few items, and where the
/// whole list is.
pub struct Panel {
    pub id: &'static str,
    pub title: String,
    /// How many there are in all (the title says it); `None` for a list of the
    /// latest only.
    pub total: Option<usize>,
    pub items: Vec<Item>,
    /// The full list, offered when it holds more than is shown.
    pub more: Option<(String, String)>,
}

impl Panel {
    fn new(id: &'static str, title: String, total: Option<usize>, items: Vec<Item>) -> Self {
        Self {
            id,
            title,
            total,
            items,
            more: None,
        }
    }

    /// Offers the full list when the panel shows only part of it.
    fn more(mut self, href: String, label: String) -> Self {
        if self.total.is_some_and(|n| n > self.items.len()) {
            self.more = Some((href, label));
        }
        self
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub base: Base,
    pub role_help: String,
    pub works_cases: bool,
    pub pending_referrals: Vec<Item>,
    /// All pending referrals (the list shows the newest few).
    pub pending_total: u64,
    pub sent_referrals: Vec<Item>,
    pub sent_total: u64,
    pub reflection_ending: Vec<Item>,
    pub overdue_services: Vec<Item>,
    pub follow_ups_due: Vec<Item>,
    pub hearings: Vec<Item>,
    pub compensation_deadlines: Vec<Item>,
    /// The other roles' work, each a panel.
    pub panels: Vec<Panel>,
    /// The caller's notices: (id, text), each with a dismiss button.
    pub notices: Vec<(String, String)>,
}

pub async fn home(
    State(state): State<AppState>,
    user: Result<PageUser, ToLogin>,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let a = match user {
        Ok(PageUser(a)) => a,
        // A visitor meets the public site; a staff-only server offers sign-in.
        Err(to) if to.signed_out() && state.cfg.surface == crate::state::Surface::Staff => {
            return Ok(crate::views::signin::landing(lang));
        }
        Err(to) if to.signed_out() => return crate::views::help::visitor_home(&state, lang).await,
        Err(to) => return Ok(to.into_response()),
    };
    let base = Base::for_user(&a, lang, "home-title");
    let role_help = base.t(&format!("home-role-{}", a.actor.role.as_str()));
    let h = state.app.home(&a).await?;
    let t = |k: &str| i18n::t(lang, k);
    let items = |list: Vec<DashboardItem>| -> Vec<Item> {
        list.into_iter()
            .map(|i| {
                let (href, detail) = match i.detail {
                    DashboardDetail::Referral { age_days } => (
                        "/referrals".to_owned(),
                        i18n::t_count(lang, "days-count", age_days),
                    ),
                    DashboardDetail::Sent { to, age_days } => (
                        format!("/cases/{}", i.case_id),
                        format!("{to} · {}", i18n::t_count(lang, "days-count", age_days)),
                    ),
                    DashboardDetail::ReflectionEnds(on) => {
                        (format!("/cases/{}", i.case_id), date(&on))
                    }
                    DashboardDetail::FollowUpDue(on) => {
                        (format!("/cases/{}", i.case_id), date(&on))
                    }
                    DashboardDetail::Hearing { on, at } => (
                        format!("/cases/{}#proceedings", i.case_id),
                        match at {
                            Some(at) => format!("{} {at}", date(&on)),
                            None => date(&on),
                        },
                    ),
                    DashboardDetail::CompensationDeadline(on) => {
                        (format!("/cases/{}#proceedings", i.case_id), date(&on))
                    }
                    DashboardDetail::ServiceOverdue {
                        name_bg,
                        name_en,
                        due,
                    } => (
                        format!("/cases/{}", i.case_id),
                        format!("{} · {}", lang.pick(&name_bg, &name_en), date(&due)),
                    ),
                };
                Item {
                    href,
                    code: i.code,
                    detail,
                }
            })
            .collect()
    };
    let title =
        |bg: &str, en: &Option<String>| lang.pick(bg, en.as_deref().unwrap_or(bg)).to_owned();
    let mut panels = vec![];
    if let Some(signals) = &h.danger_signals {
        let items: Vec<Item> = signals
            .iter()
            .take(zakrila_app::home::HOME_ITEMS)
            .map(|s| {
                let r = crate::views::signals::row(s, lang);
                Item {
                    href: format!("/signals/{}", s.id),
                    code: r.received,
                    detail: [r.location, r.forms]
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                }
            })
            .collect();
        panels.push(
            Panel::new(
                "home-signals-danger",
                t("home-signals-danger"),
                Some(signals.len()),
                items,
            )
            .more("/signals".to_owned(), t("home-signals-all")),
        );
    }
    if let Some(r) = h.review {
        let year = r.year;
        let awaiting = r
            .awaiting
            .iter()
            .map(|x| Item {
                href: format!("/programme/{year}/activities/{}", x.code),
                code: x.code.clone(),
                detail: format!(
                    "{} · {}",
                    title(&x.title, &x.title_en),
                    i18n::t_count(lang, "home-reports-count", x.reports as i64)
                ),
            })
            .collect();
        panels.push(
            Panel::new(
                "home-awaiting-review",
                i18n::t_count(lang, "home-awaiting-review", r.awaiting_reports as i64),
                Some(r.awaiting_activities),
                awaiting,
            )
            .more(format!("/programme/{year}"), t("home-programme-all")),
        );
        let late = r
            .late
            .iter()
            .map(|x| Item {
                href: format!("/programme/{year}?org={}", x.org.slug),
                code: x.org.abbrev_bg.clone(),
                detail: i18n::t_args(
                    lang,
                    "home-late-received",
                    &[
                        ("received", x.received.to_string()),
                        ("expected", x.expected.to_string()),
                    ],
                ),
            })
            .collect();
        panels.push(
            Panel::new(
                "home-late",
                i18n::t_count(lang, "home-late", r.late_total as i64),
                Some(r.late_total),
                late,
            )
            .more(
                format!("/programme/{year}/institutions"),
                t("home-institutions-all"),
            ),
        );
    }
    if let Some(n) = h.linkage_pending {
        let mut p = Panel::new(
            "home-linkage",
            i18n::t_count(lang, "home-linkage", n as i64),
            Some(n),
            vec![],
        );
        p.more = Some(("/linkage".to_owned(), t("home-linkage-review")));
        panels.push(p);
    }
    if let Some(r) = h.reporting {
        let year = r.year;
        let rows = r
            .activities
            .iter()
            .map(|x| Item {
                href: format!("/programme/{year}/activities/{}", x.code),
                code: x.code.clone(),
                detail: format!(
                    "{} · {} · {}",
                    title(&x.title, &x.title_en),
                    standing_label(&base, x.standing),
                    match x.next_due {
                        Some(d) =>
                            i18n::t_args(lang, "home-next-report", &[("date", format_date(d))],),
                        None => t("home-reports-in"),
                    }
                ),
            })
            .collect();
        panels.push(
            Panel::new(
                "home-activities",
                i18n::t_count(lang, "home-activities", r.total as i64),
                Some(r.total),
                rows,
            )
            .more(
                format!("/programme/{year}?org={}", a.org.slug),
                t("home-activities-all"),
            ),
        );
    }
    if let Some(au) = h.audit {
        let events = |list: Vec<zakrila_app::home::AuditedEvent>| -> Vec<Item> {
            list.into_iter()
                .map(|e| Item {
                    href: format!("/audit?action={}", e.action),
                    code: datetime(e.at),
                    detail: e.who.unwrap_or_else(|| "—".into()),
                })
                .collect()
        };
        let reads = events(au.identity_reads);
        let mut p = Panel::new("home-identity-reads", t("home-identity-reads"), None, reads);
        p.more = Some((
            "/audit?action=case.identity_read".to_owned(),
            t("home-audit-all"),
        ));
        panels.push(p);
        let exports = events(au.exports);
        let mut p = Panel::new("home-exports", t("home-exports"), None, exports);
        p.more = Some(("/audit?action=case.export".to_owned(), t("home-audit-all")));
        panels.push(p);
    }
    debug_assert!(panels.iter().all(|p| p.items.len() <= HOME_ITEMS));
    let notices = h
        .notices
        .into_iter()
        .map(|n| {
            let text = i18n::t_args(
                lang,
                "notice-identity-account",
                &[
                    ("actor", n.actor.unwrap_or_else(|| "zakrila".into())),
                    ("email", n.email),
                    ("role", t(&format!("role-{}", n.role))),
                    ("date", datetime(n.at)),
                ],
            );
            (n.id, text)
        })
        .collect();
    let d = h.cases;
    render(&HomePage {
        notices,
        role_help,
        works_cases: d.works_cases,
        pending_referrals: items(d.pending_referrals),
        pending_total: d.pending_total,
        sent_referrals: items(d.sent_referrals),
        sent_total: d.sent_total,
        reflection_ending: items(d.reflection_ending),
        overdue_services: items(d.overdue_services),
        follow_ups_due: items(d.follow_ups_due),
        hearings: items(d.hearings),
        compensation_deadlines: items(d.compensation_deadlines),
        panels,
        base,
    })
}

/// Dismisses one of the caller's notices, back to the start page.
pub async fn dismiss_notice(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, HttpError> {
    state.app.dismiss_notice(&a, &id).await?;
    Ok(axum::response::Redirect::to("/").into_response())
}
