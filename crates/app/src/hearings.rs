//! Hearing dates of criminal proceedings: recorded on the case (the person is a
//! witness or a party; someone goes with them), listed under the proceedings and on
//! the caseworker's start page with the compensation deadlines approaching.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{DomainError, case::parse_date, policy::Action};
use zakrila_store::{cases::NewHearing, entity::case_hearing};

use crate::{App, AppError, Authed, Errors};

/// A hearing as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HearingOut {
    pub id: String,
    pub proceedings_id: String,
    /// `YYYY-MM-DD`.
    pub on: String,
    /// `HH:MM`, Sofia time.
    pub at: Option<String>,
    pub note: Option<String>,
}

impl From<case_hearing::Model> for HearingOut {
    fn from(m: case_hearing::Model) -> Self {
        HearingOut {
            id: m.id,
            proceedings_id: m.proceedings_id,
            on: m.on_date,
            at: m.at_time,
            note: m.note,
        }
    }
}

/// A hearing to record: page and API post the same.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HearingBody {
    /// `YYYY-MM-DD`.
    pub on: String,
    /// `HH:MM`.
    #[serde(default)]
    pub at: Option<String>,
    /// Court room, who goes with the person… (no names).
    #[serde(default)]
    pub note: Option<String>,
}

const NOTE_MAX: usize = 500;

/// `HH:MM` on a 24-hour clock.
fn time_of_day(s: &str) -> Result<String, DomainError> {
    let bad = || DomainError::field("at", "error-time-format");
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u8, u8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(format!("{h:02}:{m:02}"))
}

impl HearingBody {
    fn parse(&self) -> Result<NewHearing, AppError> {
        let mut e = Errors::default();
        let on = e.take(parse_date(&self.on, "on"));
        let filled = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let at = filled(&self.at).and_then(|s| e.take(time_of_day(&s)));
        let note = filled(&self.note);
        e.check(
            note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX),
            "note",
            "error-text-too-long",
        );
        e.finish()?;
        let on = on.ok_or(AppError::Internal)?;
        Ok(NewHearing {
            on_date: format!("{:04}-{:02}-{:02}", on.year(), on.month() as u8, on.day()),
            at_time: at,
            note,
        })
    }
}

impl App {
    /// Records a hearing of the case's proceedings `proceedings_id`.
    pub async fn add_hearing(
        &self,
        a: &Authed,
        id: &str,
        proceedings_id: &str,
        b: HearingBody,
    ) -> Result<HearingOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let h = b.parse()?;
        Ok(self
            .store
            .add_hearing(a.user_uuid(), &c.id, proceedings_id, h)
            .await?
            .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_are_checked_and_padded() {
        assert_eq!(time_of_day("9:5").unwrap(), "09:05");
        assert!(time_of_day("24:00").is_err());
        assert!(time_of_day("noon").is_err());
    }
}
