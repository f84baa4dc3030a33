//! The start page after signing in: what this role can do, and for those who work
//! with cases, what needs acting on soon — pending referrals, reflection periods
//! ending, overdue services, follow-ups due — a bounded list each
//! (`App::dashboard`).

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use zakrila_app::cases::{DashboardDetail, DashboardItem};

use crate::{
    auth::{PageUser, ToLogin},
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, date},
        render,
    },
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
    /// All pending referrals (the list shows the newest few).
    pub pending_total: u64,
    pub reflection_ending: Vec<Item>,
    pub overdue_services: Vec<Item>,
    pub follow_ups_due: Vec<Item>,
}

pub async fn home(
    State(state): State<AppState>,
    user: Result<PageUser, ToLogin>,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let a = match user {
        Ok(PageUser(a)) => a,
        Err(to) if to.signed_out() => return Ok(crate::views::signin::landing(lang)),
        Err(to) => return Ok(to.into_response()),
    };
    let base = Base::for_user(&a, lang, "home-title");
    let role_help = base.t(&format!("home-role-{}", a.actor.role.as_str()));
    let d = state.app.dashboard(&a).await?;
    let items = |list: Vec<DashboardItem>| -> Vec<Item> {
        list.into_iter()
            .map(|i| {
                let (href, detail) = match i.detail {
                    DashboardDetail::Referral { purpose, age_days } => (
                        "/referrals".to_owned(),
                        format!("{purpose} · {age_days} {}", base.t("days")),
                    ),
                    DashboardDetail::ReflectionEnds(on) => (format!("/cases/{}", i.case_id), on),
                    DashboardDetail::FollowUpDue(on) => {
                        (format!("/cases/{}", i.case_id), date(&on))
                    }
                    DashboardDetail::ServiceOverdue { service, due } => (
                        format!("/cases/{}", i.case_id),
                        format!("{service} · {due}"),
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
    render(&HomePage {
        role_help,
        works_cases: d.works_cases,
        pending_referrals: items(d.pending_referrals),
        pending_total: d.pending_total,
        reflection_ending: items(d.reflection_ending),
        overdue_services: items(d.overdue_services),
        follow_ups_due: items(d.follow_ups_due),
        base,
    })
}
