//! Progress reporting and its review: a lead institution's reporter saves a draft
//! and submits it; the Commission's coordinators approve or return it; lead and
//! partner reporters add notes. The page's form and the API's JSON carry the same
//! facts in different shapes; both become a `ProgressInput`, parsed here. Each step
//! asks the policy with the action the domain maps it to (`ReviewStep::action`).

use serde::Deserialize;
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    policy::Action,
    programme::{Period, PeriodKind, ReviewStep, SAVE_ACTION, ValueKind, parse_value},
};
use zakrila_programme::Unit;
use zakrila_store::programme::NewProgress;

use super::Report;
use crate::{App, AppError, Authed, Errors};

/// A report as an API client sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// The indicator's `id` from the activities list.
    pub indicator_id: String,
    /// `quarter`, `half` or `year`.
    pub period_kind: String,
    /// 1–4 for quarters, 1–2 for halves, 1 for the year.
    pub period_number: u8,
    /// The calendar year of the period; defaults to the programme's year.
    pub period_year: Option<i32>,
    /// The value reached, as a number or as text ("1 250", "12,5"). Required for numeric indicators.
    #[schema(value_type = Option<String>)]
    pub value: Option<serde_json::Value>,
    #[serde(default)]
    pub narrative: String,
    /// Links to evidence (https://…).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The version last read, when changing an existing draft or returned report.
    pub version: Option<i32>,
}

/// A report as the activity page's form sends it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub indicator: String,
    /// A period code, "2025-quarter-2" (see `period_code`).
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub narrative: String,
    /// One link a line.
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

/// Which period, as either shape names it.
#[derive(Debug, Clone)]
pub enum PeriodInput {
    Code(String),
    Parts {
        kind: String,
        number: u8,
        /// `None`: the programme's year.
        year: Option<i32>,
    },
}

/// The value, as either shape carries it.
#[derive(Debug, Clone)]
pub enum ValueInput {
    Json(Option<serde_json::Value>),
    Text(String),
}

/// A report to save, from the form or the API.
#[derive(Debug, Clone)]
pub struct ProgressInput {
    pub indicator_id: String,
    pub period: PeriodInput,
    pub value: ValueInput,
    pub narrative: String,
    pub evidence: Vec<String>,
    pub version: Option<i32>,
}

impl From<NewReport> for ProgressInput {
    fn from(n: NewReport) -> Self {
        ProgressInput {
            indicator_id: n.indicator_id,
            period: PeriodInput::Parts {
                kind: n.period_kind,
                number: n.period_number,
                year: n.period_year,
            },
            value: ValueInput::Json(n.value),
            narrative: n.narrative,
            evidence: n.evidence,
            version: n.version,
        }
    }
}

impl From<ReportForm> for ProgressInput {
    fn from(f: ReportForm) -> Self {
        ProgressInput {
            indicator_id: f.indicator,
            period: PeriodInput::Code(f.period),
            value: ValueInput::Text(f.value),
            narrative: f.narrative,
            evidence: f
                .evidence
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            version: f.version,
        }
    }
}

/// "2025-quarter-2": the year is part of the code, so a form left open from
/// another year is refused rather than filed under this one.
pub fn period_code(p: &Period) -> String {
    format!("{}-{}-{}", p.year, p.kind.as_str(), p.number)
}

fn parse_period(programme_year: i32, p: &PeriodInput) -> Result<Period, DomainError> {
    match p {
        PeriodInput::Parts { kind, number, year } => Period::new(
            programme_year,
            year.unwrap_or(programme_year),
            PeriodKind::parse(kind)?,
            *number,
        ),
        PeriodInput::Code(code) => {
            let bad = || DomainError::field("period", "error-progress-period");
            let mut parts = code.splitn(3, '-');
            let (Some(y), Some(kind), Some(n)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(bad());
            };
            let year: i32 = y.parse().map_err(|_| bad())?;
            let n: u8 = n.parse().map_err(|_| bad())?;
            Period::new(programme_year, year, PeriodKind::parse(kind)?, n)
        }
    }
}

fn parse_value_input(kind: ValueKind, v: &ValueInput) -> Result<Option<f64>, DomainError> {
    let not_a_number = || DomainError::field("value", "error-progress-value-number");
    match v {
        ValueInput::Text(s) | ValueInput::Json(Some(serde_json::Value::String(s))) => {
            parse_value(kind, s)
        }
        ValueInput::Json(None | Some(serde_json::Value::Null)) => parse_value(kind, ""),
        ValueInput::Json(Some(serde_json::Value::Number(n))) => match n.as_f64() {
            Some(v) if v >= 0.0 => Ok(Some(v)),
            _ => Err(not_a_number()),
        },
        ValueInput::Json(Some(_)) => Err(not_a_number()),
    }
}

/// A review step's details: the version read, and the comment a return needs.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The version last read; a stale one is refused with 409.
    pub version: Option<i32>,
    /// Required when returning a report.
    pub comment: Option<String>,
}

/// A note's text.
#[derive(Debug, Clone, Deserialize)]
pub struct NewNote {
    pub body: String,
}

/// A report after a step, with where it belongs.
#[derive(Debug, Clone)]
pub struct Filed {
    pub report: Report,
    pub year: i32,
    /// The activity's code.
    pub code: String,
}

impl Filed {
    /// The year and activity code, where a page goes back to.
    pub fn place(self) -> (i32, String) {
        (self.year, self.code)
    }
}

impl App {
    /// The code of the activity a report is on, for a page that shows it again.
    pub async fn progress_report_activity(&self, a: &Authed, id: &str) -> Result<String, AppError> {
        a.require(
            Action::ViewProgramme,
            &zakrila_domain::policy::Resource::System,
        )?;
        let report = self
            .store
            .progress_report(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let year = self.store.programme_year_of_report(&report).await?;
        let l = self.load_programme(year).await?;
        let (act, ..) = l
            .stored
            .indicator(&report.indicator_id)
            .ok_or(AppError::NotFound)?;
        Ok(act.code.clone())
    }

    /// Saves a draft report (new, or over a draft or returned one): a reporter of a
    /// lead institution only. With `code`, the indicator must be that activity's.
    pub async fn save_progress(
        &self,
        a: &Authed,
        year: i32,
        code: Option<&str>,
        input: ProgressInput,
    ) -> Result<Filed, AppError> {
        let l = self.load_programme(year).await?;
        let found = l.stored.indicator(&input.indicator_id);
        let ids = match code {
            Some(code) => l.stored.activity(code).ok_or(AppError::NotFound)?.1,
            None => found.ok_or(AppError::NotFound)?.1,
        };
        a.require(SAVE_ACTION, &ids.resource())?;
        let (act, _, position) = found
            .filter(|(_, s, _)| s.id == ids.id)
            .ok_or(AppError::NotFound)?;
        let kind = if act.indicators[position].unit == Unit::Text {
            ValueKind::Text
        } else {
            ValueKind::Numeric
        };
        let mut errs = Errors::default();
        let period = errs.take(parse_period(year, &input.period));
        let value = errs.take(parse_value_input(kind, &input.value));
        errs.finish()?;
        let (Some(period), Some(value)) = (period, value) else {
            return Err(AppError::Internal);
        };
        let code = act.code.clone();
        let saved = self
            .store
            .save_progress(
                a.user_uuid(),
                &a.org.id,
                &l.stored,
                NewProgress {
                    indicator_id: input.indicator_id,
                    period,
                    value,
                    narrative: input.narrative.trim().to_owned(),
                    evidence: input.evidence,
                    expected_version: input.version,
                },
            )
            .await?;
        Ok(Filed {
            report: Report::from_row(saved, year)?,
            year,
            code,
        })
    }

    /// Moves a report along: submit (the reporter), approve or return (the
    /// Commission's coordinators).
    pub async fn review_progress(
        &self,
        a: &Authed,
        id: &str,
        step: ReviewStep,
        r: Review,
    ) -> Result<Filed, AppError> {
        let report = self
            .store
            .progress_report(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let year = self.store.programme_year_of_report(&report).await?;
        let stored = self
            .store
            .load_programme(year)
            .await?
            .ok_or(AppError::NotFound)?;
        let (act, ids, _) = stored
            .indicator(&report.indicator_id)
            .ok_or(AppError::NotFound)?;
        a.require(step.action(), &ids.resource())?;
        let saved = self
            .store
            .review_progress(a.user_uuid(), id, step, r.version, r.comment.as_deref())
            .await?;
        Ok(Filed {
            report: Report::from_row(saved, year)?,
            year,
            code: act.code.clone(),
        })
    }

    /// A lead's or partner's note on an activity.
    pub async fn add_progress_note(
        &self,
        a: &Authed,
        year: i32,
        code: &str,
        n: NewNote,
    ) -> Result<(), AppError> {
        let stored = self
            .store
            .load_programme(year)
            .await?
            .ok_or(AppError::NotFound)?;
        let (_, ids) = stored.activity(code).ok_or(AppError::NotFound)?;
        a.require(Action::AddProgressNote, &ids.resource())?;
        self.store
            .add_progress_note(a.user_uuid(), &a.org.id, &stored, &ids.id, &n.body)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_and_the_api_name_the_same_period() {
        let code = PeriodInput::Code("2025-half-1".into());
        let parts = PeriodInput::Parts {
            kind: "half".into(),
            number: 1,
            year: None,
        };
        let p = parse_period(2025, &code).unwrap();
        assert_eq!(p, parse_period(2025, &parts).unwrap());
        assert_eq!(period_code(&p), "2025-half-1");
        for bad in ["", "2025-half", "x-half-1", "2025-week-1"] {
            assert!(
                parse_period(2025, &PeriodInput::Code(bad.into())).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn values_read_alike_from_text_and_json() {
        use serde_json::json;
        let n = ValueKind::Numeric;
        assert_eq!(
            parse_value_input(n, &ValueInput::Text("1 250".into())),
            Ok(Some(1250.0))
        );
        assert_eq!(
            parse_value_input(n, &ValueInput::Json(Some(json!("1 250")))),
            Ok(Some(1250.0))
        );
        assert_eq!(
            parse_value_input(n, &ValueInput::Json(Some(json!(12.5)))),
            Ok(Some(12.5))
        );
        for bad in [json!(-1), json!(true), json!([1])] {
            assert_eq!(
                parse_value_input(n, &ValueInput::Json(Some(bad)))
                    .unwrap_err()
                    .key,
                "error-progress-value-number"
            );
        }
        assert_eq!(
            parse_value_input(ValueKind::Text, &ValueInput::Json(None)),
            Ok(None)
        );
    }

    #[test]
    fn form_evidence_is_one_link_a_line() {
        let f = ReportForm {
            evidence: " https://a.bg \n\nhttps://b.bg\n".into(),
            ..Default::default()
        };
        assert_eq!(
            ProgressInput::from(f).evidence,
            vec!["https://a.bg".to_owned(), "https://b.bg".to_owned()]
        );
    }
}
