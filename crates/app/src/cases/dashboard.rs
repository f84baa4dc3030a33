//! The start page's lists for those who work with cases: referrals waiting for an
//! answer, reflection periods ending within a week, follow-ups due, overdue
//! services, hearings in the next two weeks and state compensation deadlines (one
//! year from the final act) within 60 days with no claim filed yet. Each list shows at most `DASHBOARD_ITEMS`, soonest or newest first,
//! with the full count where there are more, so the page stays the same size for
//! an organisation of any caseload.

use time::Duration;
use zakrila_domain::{
    case::{ReferralStatus, compensation_deadline},
    policy::{Action, Resource},
};

use super::now;
use crate::{App, AppError, Authed};

/// Items per list of the dashboard.
pub const DASHBOARD_ITEMS: usize = 20;
/// How far ahead the start page lists hearings.
pub const HEARING_DAYS: i64 = 14;
/// How far ahead the start page warns of a compensation deadline.
pub const COMPENSATION_WARNING_DAYS: i64 = 60;

/// One thing to act on: a case (by code) and what about it.
#[derive(Debug, Clone)]
pub struct DashboardItem {
    pub case_id: String,
    pub code: String,
    pub detail: DashboardDetail,
}

#[derive(Debug, Clone)]
pub enum DashboardDetail {
    /// A pending referral: its age in days. Its purpose may identify the person,
    /// so it is read in the inbox, where the read is audited.
    Referral { age_days: i64 },
    /// A referral the caller's organisation sent, still unanswered: to whom (its
    /// abbreviation) and its age in days.
    Sent { to: String, age_days: i64 },
    /// The day the reflection period ends.
    ReflectionEnds(String),
    /// The day a follow-up is due.
    FollowUpDue(String),
    /// A hearing: its day and time.
    Hearing { on: String, at: Option<String> },
    /// The last day to claim state compensation, no claim filed yet.
    CompensationDeadline(String),
    /// An overdue service: its name in Bulgarian and English, and due date.
    ServiceOverdue {
        name_bg: String,
        name_en: String,
        due: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// The caller works with cases (the lists below are theirs to act on).
    pub works_cases: bool,
    pub pending_referrals: Vec<DashboardItem>,
    /// All pending referrals, when more than shown.
    pub pending_total: u64,
    pub sent_referrals: Vec<DashboardItem>,
    /// All sent referrals still unanswered.
    pub sent_total: u64,
    pub reflection_ending: Vec<DashboardItem>,
    pub follow_ups_due: Vec<DashboardItem>,
    pub overdue_services: Vec<DashboardItem>,
    pub hearings: Vec<DashboardItem>,
    pub compensation_deadlines: Vec<DashboardItem>,
}

fn ymd(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

impl App {
    /// The caller's dashboard; empty lists for roles that do not work with cases.
    pub async fn dashboard(&self, a: &Authed) -> Result<Dashboard, AppError> {
        if !a.can(Action::ViewCase, &Resource::Org(a.actor.org_id)) {
            return Ok(Dashboard::default());
        }
        let today = now().date();
        let week = ymd(today + Duration::days(7));
        let now_ms = crate::now_ms();
        let (pending, pending_total) = self
            .store
            .referrals_to_page(
                &a.org.id,
                Some(ReferralStatus::Pending),
                0,
                DASHBOARD_ITEMS as u64,
            )
            .await?;
        let (sent, sent_total) = self
            .store
            .sent_pending_referrals(&a.org.id, DASHBOARD_ITEMS as u64)
            .await?;
        let ids: Vec<String> = pending
            .iter()
            .chain(&sent)
            .map(|r| r.case_id.clone())
            .collect();
        let codes = self.store.case_codes(&ids).await?;
        let orgs = if sent.is_empty() {
            vec![]
        } else {
            self.all_orgs().await?
        };
        let sent_referrals = sent
            .into_iter()
            .map(|r| DashboardItem {
                code: codes.get(&r.case_id).cloned().unwrap_or_default(),
                detail: DashboardDetail::Sent {
                    to: orgs
                        .iter()
                        .find(|o| o.id == r.to_org)
                        .map(|o| o.abbrev_bg.clone())
                        .unwrap_or_default(),
                    age_days: (now_ms - r.created_at) / 86_400_000,
                },
                case_id: r.case_id,
            })
            .collect();
        let pending_referrals = pending
            .into_iter()
            .map(|r| DashboardItem {
                code: codes.get(&r.case_id).cloned().unwrap_or_default(),
                detail: DashboardDetail::Referral {
                    age_days: (now_ms - r.created_at) / 86_400_000,
                },
                case_id: r.case_id,
            })
            .collect();
        let reflection_ending = self
            .store
            .reflection_ending(&a.org.id, &ymd(today), &week)
            .await?
            .into_iter()
            .take(DASHBOARD_ITEMS)
            .map(|c| DashboardItem {
                detail: DashboardDetail::ReflectionEnds(c.reflection_ends.unwrap_or_default()),
                case_id: c.id,
                code: c.code,
            })
            .collect();
        let follow_ups_due = self
            .store
            .follow_ups_due(&a.org.id, &week)
            .await?
            .into_iter()
            .take(DASHBOARD_ITEMS)
            .map(|(f, c)| DashboardItem {
                detail: DashboardDetail::FollowUpDue(f.due_on),
                case_id: c.id,
                code: c.code,
            })
            .collect();
        let overdue = self.store.overdue_services(&a.org.id, &ymd(today)).await?;
        let catalogue = if overdue.is_empty() {
            vec![]
        } else {
            self.store.list_services().await?
        };
        let overdue_services = overdue
            .into_iter()
            .take(DASHBOARD_ITEMS)
            .map(|(s, c)| DashboardItem {
                detail: {
                    let known = catalogue.iter().find(|k| k.code == s.service_code);
                    DashboardDetail::ServiceOverdue {
                        name_bg: known
                            .map_or_else(|| s.service_code.clone(), |k| k.name_bg.clone()),
                        name_en: known
                            .map_or_else(|| s.service_code.clone(), |k| k.name_en.clone()),
                        due: s.due_date.unwrap_or_default(),
                    }
                },
                case_id: c.id,
                code: c.code,
            })
            .collect();
        let hearings = self
            .store
            .upcoming_hearings(
                &a.org.id,
                &ymd(today),
                &ymd(today + Duration::days(HEARING_DAYS)),
            )
            .await?
            .into_iter()
            .take(DASHBOARD_ITEMS)
            .map(|(h, c)| DashboardItem {
                detail: DashboardDetail::Hearing {
                    on: h.on_date,
                    at: h.at_time,
                },
                case_id: c.id,
                code: c.code,
            })
            .collect();
        // Final acts whose anniversary falls in the window: a year back from each
        // end (a day wider for leap years), then the law's own rule decides.
        let until = today + Duration::days(COMPENSATION_WARNING_DAYS);
        let compensation_deadlines = self
            .store
            .unclaimed_final_acts(
                &a.org.id,
                &ymd(today - Duration::days(366)),
                &ymd(until - Duration::days(365)),
            )
            .await?
            .into_iter()
            .filter_map(|(p, c)| {
                let act =
                    zakrila_domain::case::parse_date(p.final_act_date.as_deref()?, "d").ok()?;
                let deadline = compensation_deadline(act);
                (today <= deadline && deadline <= until).then(|| DashboardItem {
                    detail: DashboardDetail::CompensationDeadline(ymd(deadline)),
                    case_id: c.id,
                    code: c.code,
                })
            })
            .take(DASHBOARD_ITEMS)
            .collect();
        Ok(Dashboard {
            hearings,
            compensation_deadlines,
            works_cases: true,
            pending_referrals,
            pending_total,
            sent_referrals,
            sent_total,
            reflection_ending,
            follow_ups_due,
            overdue_services,
        })
    }
}
