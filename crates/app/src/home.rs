//! The start page's work, by what the caller may do: those who work with cases get
//! their deadlines and referrals (`App::dashboard`); Commission coordinators the
//! reports awaiting their review, the institutions late with their reports and the
//! linkage candidates; reporters their institution's activities with the next
//! report due; auditors the latest identity reads and exports. Each part is there
//! because the policy allows the action it leads to, and each list is short, with
//! its count and a link to the full list.

use std::collections::{HashMap, HashSet};

use time::Date;
use zakrila_domain::{
    policy::{Action, Resource},
    programme::{EXPECTED_PERIOD, Period, ReportStatus, SAVE_ACTION},
};
use zakrila_store::{
    audit::{self, AuditQuery},
    entity::audit_event,
    linkage::LinkStatus,
    programme::period_of,
};

use crate::{
    App, AppError, Authed, Org,
    cases::Dashboard,
    programme::{
        Standing,
        standing::{self, completeness},
    },
};

/// Items per list of the start page.
pub const HOME_ITEMS: usize = 10;

/// Pending linkage candidates counted at most; more show as "at least".
pub const LINKAGE_COUNT_LIMIT: u64 = 200;

/// An activity with reports waiting for the Commission.
#[derive(Debug, Clone)]
pub struct AwaitingReview {
    pub code: String,
    pub title: String,
    pub title_en: Option<String>,
    pub reports: usize,
}

/// A lead institution that has not sent every report expected by now.
#[derive(Debug, Clone)]
pub struct LateInstitution {
    pub org: Org,
    pub expected: usize,
    pub received: usize,
}

/// A coordinator's review work on a Programme year.
#[derive(Debug, Clone)]
pub struct ReviewWork {
    pub year: i32,
    /// The first `HOME_ITEMS` activities with reports awaiting review.
    pub awaiting: Vec<AwaitingReview>,
    /// Reports awaiting review in all.
    pub awaiting_reports: usize,
    /// Activities with reports awaiting review in all.
    pub awaiting_activities: usize,
    /// The institutions furthest behind, first `HOME_ITEMS`.
    pub late: Vec<LateInstitution>,
    pub late_total: usize,
}

/// An activity the caller's institution leads.
#[derive(Debug, Clone)]
pub struct LedActivity {
    pub code: String,
    pub title: String,
    pub title_en: Option<String>,
    pub standing: Standing,
    /// The day the first report not yet sent is due; `None` when all expected
    /// reports of the year are in.
    pub next_due: Option<Date>,
}

/// A reporter's activities in a Programme year.
#[derive(Debug, Clone)]
pub struct ReportingWork {
    pub year: i32,
    /// Soonest next report first, the first `HOME_ITEMS`.
    pub activities: Vec<LedActivity>,
    pub total: usize,
}

/// One audited event for the auditor's start page.
#[derive(Debug, Clone)]
pub struct AuditedEvent {
    pub at: i64,
    pub action: String,
    /// The acting user's name, when the event has one.
    pub who: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditWork {
    pub identity_reads: Vec<AuditedEvent>,
    pub exports: Vec<AuditedEvent>,
}

/// Everything the caller's start page shows; a part is `None` when the caller's
/// role has no such work.
#[derive(Debug, Clone, Default)]
pub struct Home {
    pub cases: Dashboard,
    pub review: Option<ReviewWork>,
    /// Pending linkage candidates, counted up to `LINKAGE_COUNT_LIMIT`.
    pub linkage_pending: Option<usize>,
    pub reporting: Option<ReportingWork>,
    pub audit: Option<AuditWork>,
    /// The caller's own notices not yet dismissed.
    pub notices: Vec<crate::notices::Notice>,
    /// For hotline operators: immediate-danger signals nobody has taken yet.
    pub danger_signals: Option<Vec<crate::signals::SignalOut>>,
}

/// The first half-year of `year` ended or current whose report the institution
/// has not sent for the activity, and its due day.
fn next_due(sent_halves: &HashSet<u8>, year: i32) -> Option<Date> {
    (1..=EXPECTED_PERIOD.count())
        .filter_map(|n| Period::new(year, year, EXPECTED_PERIOD, n).ok())
        .find(|h| !sent_halves.contains(&h.number))
        .map(|h| h.due())
}

impl App {
    /// The caller's start page.
    pub async fn home(&self, a: &Authed) -> Result<Home, AppError> {
        let mut home = Home {
            cases: self.dashboard(a).await?,
            notices: self.notices(a).await?,
            ..Home::default()
        };
        let reviews = a.can(Action::ApproveProgress, &Resource::System);
        // Whether the caller could report on an activity its institution leads.
        let reports = a.can(
            SAVE_ACTION,
            &Resource::Activity {
                leads: vec![a.actor.org_id],
                partners: vec![],
            },
        );
        if reviews || reports {
            if let Some(&year) = self.store.programme_years().await?.first() {
                let l = self.load_programme(year).await?;
                if reviews {
                    home.review = Some(self.review_work(&l, year).await?);
                }
                if reports {
                    home.reporting = Some(reporting_work(a, &l, year));
                }
            }
        }
        if a.can(Action::ReviewLinkage, &Resource::System) {
            let pending = self
                .store
                .linkage_candidates(LinkStatus::Pending, LINKAGE_COUNT_LIMIT)
                .await?;
            home.linkage_pending = Some(pending.len());
        }
        if a.can(Action::ViewAudit, &Resource::System) {
            home.audit = Some(self.audit_work().await?);
        }
        if a.can(Action::ViewSignal, &Resource::Org(a.actor.org_id)) {
            home.danger_signals = Some(self.untaken_danger(a).await?);
        }
        Ok(home)
    }

    async fn review_work(
        &self,
        l: &crate::programme::Loaded,
        year: i32,
    ) -> Result<ReviewWork, AppError> {
        let standings = standing::activities(l, standing::today());
        let mut awaiting: Vec<AwaitingReview> = l
            .stored
            .programme
            .activities
            .iter()
            .zip(&standings)
            .filter(|(_, s)| s.awaiting_review > 0)
            .map(|(act, s)| AwaitingReview {
                code: act.code.clone(),
                title: act.title.clone(),
                title_en: act.title_en.clone(),
                reports: s.awaiting_review,
            })
            .collect();
        let awaiting_reports = awaiting.iter().map(|x| x.reports).sum();
        let awaiting_activities = awaiting.len();
        awaiting.truncate(HOME_ITEMS);
        let orgs: HashMap<String, Org> = self
            .all_orgs()
            .await?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
        let mut late: Vec<LateInstitution> = completeness(l, standing::today())
            .into_iter()
            .filter(|(_, c)| c.received < c.expected)
            .filter_map(|(id, c)| {
                Some(LateInstitution {
                    org: orgs.get(&id)?.clone(),
                    expected: c.expected,
                    received: c.received,
                })
            })
            .collect();
        late.sort_by(|x, y| {
            (y.expected - y.received)
                .cmp(&(x.expected - x.received))
                .then_with(|| x.org.abbrev_bg.cmp(&y.org.abbrev_bg))
        });
        let late_total = late.len();
        late.truncate(HOME_ITEMS);
        Ok(ReviewWork {
            year,
            awaiting,
            awaiting_reports,
            awaiting_activities,
            late,
            late_total,
        })
    }

    async fn audit_work(&self) -> Result<AuditWork, AppError> {
        let recent = |prefix: &str| AuditQuery {
            action_prefix: Some(prefix.to_owned()),
            ..AuditQuery::default()
        };
        let reads = audit::list(
            &self.store.reads,
            &recent("case.identity_read"),
            HOME_ITEMS as u64,
        )
        .await?;
        let mut exports =
            audit::list(&self.store.reads, &recent("case.export"), HOME_ITEMS as u64).await?;
        exports.extend(
            audit::list(
                &self.store.reads,
                &recent("audit.export"),
                HOME_ITEMS as u64,
            )
            .await?,
        );
        exports.sort_by_key(|e| std::cmp::Reverse(e.seq));
        exports.truncate(HOME_ITEMS);
        let mut names: HashMap<String, String> = HashMap::new();
        for id in reads
            .iter()
            .chain(&exports)
            .filter_map(|e| e.actor_id.clone())
        {
            if !names.contains_key(&id) {
                if let Some(u) = self.store.user_by_id(&id).await? {
                    names.insert(id, u.display_name);
                }
            }
        }
        let event = |e: audit_event::Model| AuditedEvent {
            at: e.at,
            who: e.actor_id.as_ref().and_then(|id| names.get(id).cloned()),
            action: e.action,
        };
        Ok(AuditWork {
            identity_reads: reads.into_iter().map(event).collect(),
            exports: exports.into_iter().map(event).collect(),
        })
    }
}

fn reporting_work(a: &Authed, l: &crate::programme::Loaded, year: i32) -> ReportingWork {
    let standings = standing::activities(l, standing::today());
    let mut sent: HashMap<&str, HashSet<u8>> = HashMap::new();
    for r in l.reports.iter().filter(|r| r.org_id == a.org.id) {
        if r.status == ReportStatus::Draft.as_str() {
            continue;
        }
        let Some(p) = period_of(r, year) else {
            continue;
        };
        // A report counts for the half-year its period ends in.
        let half = (1..=EXPECTED_PERIOD.count())
            .filter_map(|n| Period::new(year, year, EXPECTED_PERIOD, n).ok())
            .find(|h| h.start() <= p.end() && p.end() <= h.end());
        if let Some(h) = half {
            sent.entry(r.activity_id.as_str())
                .or_default()
                .insert(h.number);
        }
    }
    let none = HashSet::new();
    let mut activities: Vec<LedActivity> = l
        .stored
        .programme
        .activities
        .iter()
        .zip(&l.stored.activities)
        .zip(&standings)
        .filter(|((_, ids), _)| a.can(SAVE_ACTION, &ids.resource()))
        .map(|((act, ids), s)| LedActivity {
            code: act.code.clone(),
            title: act.title.clone(),
            title_en: act.title_en.clone(),
            standing: s.standing,
            next_due: next_due(sent.get(ids.id.as_str()).unwrap_or(&none), year),
        })
        .collect();
    activities.sort_by_key(|x| (x.next_due.is_none(), x.next_due));
    let total = activities.len();
    activities.truncate(HOME_ITEMS);
    ReportingWork {
        year,
        activities,
        total,
    }
}
