//! One activity: what the Programme says, its indicators with progress, the
//! reports with their review, partners' notes, and the forms each role may use
//! (their actions are in `reporting`).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use zakrila_domain::{
    DomainError,
    policy::{Action, Resource},
    programme::{Period, PeriodKind, ReportStatus},
    user::Locale,
};
use zakrila_programme::Accumulation;
use zakrila_store::programme::period_of;

use super::{
    load,
    standing::{self, number, percent, today},
    standing_label,
};
use crate::{
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render,
    },
};

pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub achieved: String,
    pub percent: String,
    pub accumulation: String,
}

pub struct ReportView {
    pub id: String,
    pub indicator_id: String,
    pub period_code: String,
    pub indicator: String,
    pub period: String,
    pub value: String,
    pub narrative: String,
    pub evidence: Vec<String>,
    pub status: String,
    pub status_label: String,
    pub comment: Option<String>,
    pub org: String,
    pub updated: String,
    pub submitted: String,
    pub version: i32,
    pub editable: bool,
    pub reviewable: bool,
    /// The value as the edit form shows it.
    pub value_input: String,
    pub evidence_input: String,
}

pub struct NoteView {
    pub org: String,
    pub body: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "programme_activity.html")]
pub struct ActivityPage {
    pub base: Base,
    pub year: i32,
    pub code: String,
    pub title: String,
    pub objective: String,
    pub operational: String,
    pub budget: String,
    pub funding: String,
    pub deadline: String,
    pub expected: String,
    pub lead: String,
    pub partners: String,
    pub percent: String,
    pub standing: String,
    pub indicators: Vec<IndicatorRow>,
    pub reports: Vec<ReportView>,
    pub notes: Vec<NoteView>,
    pub periods: Vec<(String, String)>,
    pub issues: Vec<String>,
    pub can_report: bool,
    pub can_note: bool,
    pub errors: Vec<String>,
    pub form: ReportForm,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub narrative: String,
    #[serde(default)]
    pub evidence: String,
    /// Present when editing an existing report.
    #[serde(default)]
    pub version: Option<i32>,
}

impl ReportForm {
    pub fn indicator_is(&self, id: &str) -> bool {
        self.indicator == id
    }
    pub fn period_is(&self, code: &str) -> bool {
        self.period == code
    }
}

/// "2025-quarter-2": the year is part of the code, so a form left open from
/// another year is refused rather than filed under this one.
fn period_code(p: &Period) -> String {
    format!("{}-{}-{}", p.year, p.kind.as_str(), p.number)
}

pub fn parse_period(programme_year: i32, code: &str) -> Result<Period, DomainError> {
    let bad = || DomainError::field("period", "error-progress-period");
    let mut parts = code.splitn(3, '-');
    let (Some(y), Some(kind), Some(n)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let year: i32 = y.parse().map_err(|_| bad())?;
    let n: u8 = n.parse().map_err(|_| bad())?;
    Period::new(programme_year, year, PeriodKind::parse(kind)?, n)
}

pub fn period_label(base: &Base, p: &Period) -> String {
    match p.kind {
        PeriodKind::Quarter => format!("{} {} {}", base.t("programme-quarter"), p.number, p.year),
        PeriodKind::Half => format!("{} {} {}", base.t("programme-half"), p.number, p.year),
        PeriodKind::Year => format!("{} {}", base.t("programme-whole-year"), p.year),
    }
}

pub(super) async fn page(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    year: i32,
    code: &str,
    errors: Vec<String>,
    form: ReportForm,
) -> Result<ActivityPage, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let loaded = load(state, year).await?;
    let (act, ids) = loaded.stored.activity(code).ok_or(AppError::NotFound)?;
    let index = loaded
        .stored
        .activities
        .iter()
        .position(|s| s.id == ids.id)
        .unwrap_or(0);
    let standings = standing::activities(&loaded.stored, &loaded.actuals, &loaded.reports, today());
    let st = &standings[index];
    let base = Base::for_user(a, lang, "programme-activity-title");
    let en = lang == Locale::En;
    let resource = ids.resource();
    let can_report = a.can(Action::ReportProgress, &resource);
    let can_approve = a.can(Action::ApproveProgress, &resource);
    let num = |v: Option<f64>| v.map(|v| number(v, lang)).unwrap_or_else(|| "—".into());
    let indicators = act
        .indicators
        .iter()
        .zip(&ids.indicators)
        .zip(&st.indicators)
        .map(|((ind, sid), ach)| IndicatorRow {
            id: sid.id.clone(),
            name: ind.name.clone(),
            unit: base.t(&format!("programme-unit-{}", ind.unit.code())),
            baseline: match ind.baseline_year {
                Some(y) => format!("{} ({y})", num(ind.baseline)),
                None => num(ind.baseline),
            },
            target: num(ind.target),
            achieved: num(ach.achieved),
            percent: percent(ach.percent_of_target),
            accumulation: base.t(match sid.accumulation {
                Accumulation::Cumulative => "programme-cumulative",
                Accumulation::PerPeriod => "programme-per-period",
            }),
        })
        .collect();
    let indicator_name = |id: &str| {
        act.indicators
            .iter()
            .zip(&ids.indicators)
            .find(|(_, s)| s.id == id)
            .map(|(i, _)| i.name.clone())
            .unwrap_or_default()
    };
    let org_abbrev = |id: &str| {
        loaded
            .orgs
            .get(id)
            .map(|o| o.abbrev_bg.clone())
            .unwrap_or_default()
    };
    let reports = loaded
        .reports
        .iter()
        .filter(|r| r.activity_id == ids.id)
        .map(|r| {
            let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
            let value = r.value_milli.map(|v| v as f64 / 1000.0);
            ReportView {
                id: r.id.clone(),
                indicator_id: r.indicator_id.clone(),
                period_code: period_of(r, year)
                    .map(|p| period_code(&p))
                    .unwrap_or_default(),
                indicator: indicator_name(&r.indicator_id),
                period: period_of(r, year)
                    .map(|p| period_label(&base, &p))
                    .unwrap_or_default(),
                value: num(value),
                value_input: value.map(|v| number(v, lang)).unwrap_or_default(),
                narrative: r.narrative.clone(),
                evidence: r.evidence.lines().map(str::to_owned).collect(),
                evidence_input: r.evidence.clone(),
                status_label: base.t(&format!("programme-report-{}", status.as_str())),
                status: status.as_str().to_owned(),
                comment: r.coordinator_comment.clone(),
                org: org_abbrev(&r.org_id),
                updated: datetime(r.updated_at),
                submitted: r.submitted_at.map(datetime).unwrap_or_default(),
                version: r.version,
                editable: can_report && status.check_edit().is_ok(),
                reviewable: can_approve && status == ReportStatus::Submitted,
            }
        })
        .collect();
    let notes = state
        .store
        .progress_notes(&ids.id)
        .await?
        .into_iter()
        .map(|n| NoteView {
            org: org_abbrev(&n.org_id),
            body: n.body,
            at: datetime(n.created_at),
        })
        .collect();
    let institutions = |list: &[zakrila_programme::Institution]| {
        list.iter()
            .map(|i| i.mention.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let objective = act
        .strategic_objective
        .as_deref()
        .map(|c| {
            let title = loaded
                .stored
                .programme
                .strategic_objective(c)
                .map(|o| o.title.as_str())
                .unwrap_or("");
            format!("{c} {title}")
        })
        .unwrap_or_default();
    Ok(ActivityPage {
        year,
        code: act.code.clone(),
        title: if en {
            act.title_en.clone().unwrap_or_else(|| act.title.clone())
        } else {
            act.title.clone()
        },
        objective,
        operational: act.operational_objective.clone().unwrap_or_default(),
        budget: act
            .budget
            .amount
            .map(|b| {
                format!(
                    "{b} {} ({},{:02} EUR)",
                    if en { "BGN" } else { "лв." },
                    group(b.eur_cents() / 100),
                    b.eur_cents() % 100
                )
            })
            .unwrap_or_else(|| "—".into()),
        funding: act.budget.source.clone(),
        deadline: act.deadline.describe(en),
        expected: act.expected_results.clone(),
        lead: institutions(&act.lead),
        partners: institutions(&act.partners),
        percent: percent(st.percent),
        standing: standing_label(&base, st.standing),
        indicators,
        reports,
        notes,
        periods: Period::all_in(year)
            .iter()
            .map(|p| (period_code(p), period_label(&base, p)))
            .collect(),
        issues: loaded
            .stored
            .report
            .for_activity(code)
            .map(|i| {
                if en {
                    i.message_en.clone()
                } else {
                    i.message_bg.clone()
                }
            })
            .collect(),
        can_report,
        can_note: a.can(Action::AddProgressNote, &resource),
        errors,
        form,
        base,
    })
}

fn group(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, code)): Path<(i32, String)>,
) -> Result<Response, HttpError> {
    render(&page(&state, &a, lang, year, &code, vec![], ReportForm::default()).await?)
}
