//! One activity: what the Programme says, its indicators with progress, the
//! reports with their review, partners' notes, and the forms the caller may use —
//! all from `App::programme_activity` (the actions are in `reporting`).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use zakrila_app::programme::reporting::{ReportForm, period_code};
use zakrila_domain::{
    programme::{Period, PeriodKind},
    user::Locale,
};
use zakrila_programme::Accumulation;

use super::{input_number, number, percent, standing_label};
use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
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
    pub submittable: bool,
    pub approvable: bool,
    pub returnable: bool,
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

pub fn period_label(base: &Base, p: &Period) -> String {
    let per_year = match p.kind {
        PeriodKind::Quarter => 4,
        PeriodKind::Half => 2,
        PeriodKind::Year => 1,
    };
    crate::format::period(p.year, per_year, p.number, base.lang)
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
    let v = state.app.programme_activity(a, year, code).await?;
    let act = &v.activity;
    let ids = &v.ids;
    let st = &v.standing;
    let base = Base::for_user(a, lang, "programme-activity-title");
    let en = lang == Locale::En;
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
    let reports = v
        .reports
        .iter()
        .map(|e| {
            let r = &e.report;
            ReportView {
                id: r.id.clone(),
                indicator_id: r.indicator_id.clone(),
                period_code: r.period.as_ref().map(period_code).unwrap_or_default(),
                indicator: indicator_name(&r.indicator_id),
                period: r
                    .period
                    .as_ref()
                    .map(|p| period_label(&base, p))
                    .unwrap_or_default(),
                value: num(r.value),
                value_input: r.value.map(|v| input_number(v, lang)).unwrap_or_default(),
                narrative: r.narrative.clone(),
                evidence: r.evidence.clone(),
                evidence_input: r.evidence.join("\n"),
                status_label: base.t(&format!("programme-report-{}", r.status.as_str())),
                status: r.status.as_str().to_owned(),
                comment: r.coordinator_comment.clone(),
                org: v.abbrev(&r.org_id),
                updated: datetime(r.updated_at),
                submitted: r.submitted_at.map(datetime).unwrap_or_default(),
                version: r.version,
                editable: e.can_edit,
                submittable: e.can_submit,
                approvable: e.can_approve,
                returnable: e.can_return,
            }
        })
        .collect();
    let notes = v
        .notes
        .iter()
        .map(|n| NoteView {
            org: v.abbrev(&n.org_id),
            body: n.body.clone(),
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
        .map(|c| format!("{c} {}", v.objective_title.as_deref().unwrap_or("")))
        .unwrap_or_default();
    Ok(ActivityPage {
        year,
        code: act.code.clone(),
        title: lang
            .pick(&act.title, act.title_en.as_ref().unwrap_or(&act.title))
            .clone(),
        objective,
        operational: act.operational_objective.clone().unwrap_or_default(),
        budget: act
            .budget
            .amount
            .map(|b| crate::format::money_bgn(b.stotinki(), lang))
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
        issues: v
            .issues
            .iter()
            .map(|i| lang.pick(&i.message_bg, &i.message_en).clone())
            .collect(),
        can_report: v.can_report,
        can_note: v.can_note,
        errors,
        form,
        base,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, code)): Path<(i32, String)>,
) -> Result<Response, HttpError> {
    render(&page(&state, &a, lang, year, &code, vec![], ReportForm::default()).await?)
}
