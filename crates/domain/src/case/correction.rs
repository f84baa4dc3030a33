//! Correcting a registered case (the person's right to rectification): the person's
//! identity and profile, and the exploitation record, each replaced as a whole
//! section, with the reason for the change. The reason is a closed vocabulary, not
//! free text, so the record of corrections can never itself hold a name.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::collect::Errors;
use super::exploitation::Exploitation;
use super::new_case::{Identity, NewCase, Profile};
use super::raw::{RawExploitation, RawNewCase, RawPerson};
use crate::DomainError;

vocabulary! {
    /// Why a case was corrected.
    pub enum CorrectionReason in "reason" {
        Typo = "typo", "Правописна грешка", "Spelling mistake";
        DocumentChecked = "document_checked", "Проверено по документ", "Checked against a document";
        PersonRequest = "person_request", "Искане на лицето (право на коригиране)", "The person's request (right to rectification)";
        NewInformation = "new_information", "Нова информация", "New information";
        EntryError = "entry_error", "Грешка при въвеждане", "Data entry error";
    }
}

/// A correction as it arrives. A section left out stays as it is; a section sent
/// replaces the stored one whole (a field left empty in it becomes unknown).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    /// The version read; a different current version is a conflict (409).
    pub version: i32,
    /// typo, document_checked, person_request, new_information or entry_error.
    pub reason: String,
    #[serde(default)]
    pub person: Option<RawPerson>,
    #[serde(default)]
    pub exploitation: Option<RawExploitation>,
}

/// A checked correction, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub reason: CorrectionReason,
    /// The identity and profile that replace the stored ones.
    pub person: Option<(Identity, Profile)>,
    pub exploitation: Option<Exploitation>,
}

impl Correction {
    /// Checks a correction made at `now`, with the rules of a registration; every
    /// error at once.
    pub fn parse(raw: &RawCorrection, now: OffsetDateTime) -> Result<Correction, Vec<DomainError>> {
        let mut errors = Errors::default();
        let reason = errors.take("reason", CorrectionReason::parse(raw.reason.trim()));
        if raw.person.is_none() && raw.exploitation.is_none() {
            errors.push(DomainError::field("person", "error-correction-empty"));
        }
        let exploitation = raw
            .exploitation
            .as_ref()
            .map(|e| Exploitation::parse(e, &mut errors));
        let person = match &raw.person {
            None => None,
            Some(p) => {
                let whole = RawNewCase {
                    person: p.clone(),
                    ..RawNewCase::default()
                };
                match NewCase::parse(whole, now) {
                    Ok(n) => Some((n.identity, n.profile)),
                    Err(es) => {
                        for e in es {
                            errors.push(e);
                        }
                        None
                    }
                }
            }
        };
        let reason = reason.unwrap_or(CorrectionReason::Typo);
        errors.finish(Correction {
            reason,
            person,
            exploitation,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2025-06-15 10:00 +03:00);

    fn raw(json: &str) -> RawCorrection {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_corrected_name_is_checked_as_at_registration() {
        let c = Correction::parse(
            &raw(r#"{"version":1,"reason":"typo","person":{"given_name":"Мария"}}"#),
            NOW,
        )
        .unwrap();
        assert_eq!(c.reason, CorrectionReason::Typo);
        let (identity, _) = c.person.unwrap();
        assert_eq!(identity.given_name.unwrap().as_str(), "Мария");
        assert!(c.exploitation.is_none());
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let errs = Correction::parse(
            &raw(r#"{"version":1,"reason":"whim","person":{"given_name":"M4ria"},"exploitation":{"labour_sectors":["agriculture"]}}"#),
            NOW,
        )
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert!(fields.contains(&Some("reason")));
        assert!(fields.contains(&Some("given_name")));
        assert!(fields.contains(&Some("labour_sectors")));
    }

    #[test]
    fn a_correction_must_change_something() {
        let errs = Correction::parse(&raw(r#"{"version":1,"reason":"typo"}"#), NOW).unwrap_err();
        assert_eq!(errs[0].key, "error-correction-empty");
    }
}
