//! The start page after signing in: what this role can do, and for those who work
//! with cases, what needs acting on soon — pending referrals, reflection periods
//! ending, overdue services.

use askama::Template;
use axum::{extract::State, response::Response};
use zakrila_domain::{
    case::ReferralStatus,
    policy::{Action, Resource},
};

use crate::{
    auth::PageUser,
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

pub struct Item {
    pub href: String,
    pub code: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub base: Base,
    pub role_help: String,
    pub works_cases: bool,
    pub pending_referrals: Vec<Item>,
    pub reflection_ending: Vec<Item>,
    pub overdue_services: Vec<Item>,
    pub follow_ups_due: Vec<Item>,
}

fn ymd(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

pub async fn home(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let base = Base::for_user(&a, lang, "home-title");
    let role_help = base.t(&format!("home-role-{}", a.user.role.as_str()));
    let works_cases = a.can(Action::ViewCase, &Resource::Org(a.actor.org_id));
    let (mut pending_referrals, mut reflection_ending, mut overdue_services, mut follow_ups_due) =
        (vec![], vec![], vec![], vec![]);
    if works_cases {
        let today = time::OffsetDateTime::now_utc().date();
        let now = zakrila_store::now_ms();
        let pending = state
            .store
            .referrals_to(&a.org.id, Some(ReferralStatus::Pending))
            .await?;
        let ids: Vec<String> = pending.iter().map(|r| r.case_id.clone()).collect();
        let codes = state.store.case_codes(&ids).await?;
        for r in pending {
            let code = codes.get(&r.case_id).cloned().unwrap_or_default();
            let days = (now - r.created_at) / 86_400_000;
            pending_referrals.push(Item {
                href: "/referrals".into(),
                code,
                detail: format!("{} · {} {}", r.purpose, days, base.t("days")),
            });
        }
        for c in state
            .store
            .reflection_ending(&a.org.id, &ymd(today + time::Duration::days(7)))
            .await?
        {
            reflection_ending.push(Item {
                href: format!("/cases/{}", c.id),
                code: c.code,
                detail: c.reflection_ends.unwrap_or_default(),
            });
        }
        for (f, c) in state
            .store
            .follow_ups_due(&a.org.id, &ymd(today + time::Duration::days(7)))
            .await?
        {
            follow_ups_due.push(Item {
                href: format!("/cases/{}", c.id),
                code: c.code,
                detail: crate::views::layout::date_bg(&f.due_on),
            });
        }
        for (s, c) in state.store.overdue_services(&a.org.id, &ymd(today)).await? {
            overdue_services.push(Item {
                href: format!("/cases/{}", c.id),
                code: c.code,
                detail: format!("{} · {}", s.service_code, s.due_date.unwrap_or_default()),
            });
        }
    }
    render(&HomePage {
        base,
        role_help,
        works_cases,
        pending_referrals,
        reflection_ending,
        overdue_services,
        follow_ups_due,
    })
}
