//! The person's consent, recorded as an append-only history: the latest record of a
//! kind decides. Referral and data sharing check it before they happen.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::DomainError;

vocabulary! {
    pub enum ConsentKind in "consent_kind" {
        Assistance = "assistance", "подкрепа", "assistance";
        DataSharing = "data_sharing", "споделяне на данни", "data sharing";
        Referral = "referral", "насочване към друга организация", "referral to another organisation";
        PoliceContact = "police_contact", "контакт с полицията", "contact with the police";
    }
}

vocabulary! {
    pub enum ConsentState in "consent_state" {
        Given = "given", "дадено", "given";
        Withdrawn = "withdrawn", "оттеглено", "withdrawn";
    }
}

/// One act of giving or withdrawing consent. Records are never edited: a change of
/// mind is a new record, so the history shows what was allowed when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub kind: ConsentKind,
    pub state: ConsentState,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The user who recorded it.
    pub recorded_by: Uuid,
}

/// Whether consent of `kind` stands at `at`: the latest record of that kind made no
/// later than `at` must be `Given`. No record means no consent. Of two records with the
/// same time, the later one in `records` wins (the order they were stored in).
pub fn consent_allows(records: &[ConsentRecord], kind: ConsentKind, at: OffsetDateTime) -> bool {
    records
        .iter()
        .filter(|r| r.kind == kind && r.at <= at)
        .max_by_key(|r| r.at)
        .is_some_and(|r| r.state == ConsentState::Given)
}

/// The refusal a use case returns when the needed consent is missing. Overriding it
/// with a written reason is for the policy module to allow and the audit to record.
pub fn require_consent(
    records: &[ConsentRecord],
    kind: ConsentKind,
    at: OffsetDateTime,
) -> Result<(), DomainError> {
    if consent_allows(records, kind, at) {
        Ok(())
    } else {
        Err(DomainError::field("consent", "error-consent-missing"))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn record(kind: ConsentKind, state: ConsentState, at: OffsetDateTime) -> ConsentRecord {
        ConsentRecord {
            kind,
            state,
            at,
            recorded_by: Uuid::nil(),
        }
    }

    #[test]
    fn withdrawn_data_sharing_consent_blocks_sharing() {
        let records = [
            record(
                ConsentKind::DataSharing,
                ConsentState::Given,
                datetime!(2025-03-01 09:00 UTC),
            ),
            record(
                ConsentKind::DataSharing,
                ConsentState::Withdrawn,
                datetime!(2025-04-01 09:00 UTC),
            ),
        ];
        assert!(consent_allows(
            &records,
            ConsentKind::DataSharing,
            datetime!(2025-03-15 12:00 UTC)
        ));
        assert!(!consent_allows(
            &records,
            ConsentKind::DataSharing,
            datetime!(2025-04-02 12:00 UTC)
        ));
        assert_eq!(
            require_consent(
                &records,
                ConsentKind::DataSharing,
                datetime!(2025-04-02 12:00 UTC)
            ),
            Err(DomainError::field("consent", "error-consent-missing"))
        );
    }

    #[test]
    fn no_record_means_no_consent() {
        assert!(!consent_allows(
            &[],
            ConsentKind::Referral,
            datetime!(2025-03-01 09:00 UTC)
        ));
    }

    #[test]
    fn consent_to_one_thing_is_not_consent_to_another() {
        let records = [record(
            ConsentKind::Assistance,
            ConsentState::Given,
            datetime!(2025-03-01 09:00 UTC),
        )];
        assert!(consent_allows(
            &records,
            ConsentKind::Assistance,
            datetime!(2025-03-02 09:00 UTC)
        ));
        assert!(!consent_allows(
            &records,
            ConsentKind::PoliceContact,
            datetime!(2025-03-02 09:00 UTC)
        ));
    }

    #[test]
    fn consent_given_again_after_withdrawal_stands_whatever_the_storage_order() {
        let records = [
            record(
                ConsentKind::Referral,
                ConsentState::Given,
                datetime!(2025-05-01 09:00 UTC),
            ),
            record(
                ConsentKind::Referral,
                ConsentState::Withdrawn,
                datetime!(2025-04-01 09:00 UTC),
            ),
            record(
                ConsentKind::Referral,
                ConsentState::Given,
                datetime!(2025-03-01 09:00 UTC),
            ),
        ];
        assert!(consent_allows(
            &records,
            ConsentKind::Referral,
            datetime!(2025-05-02 09:00 UTC)
        ));
        assert!(!consent_allows(
            &records,
            ConsentKind::Referral,
            datetime!(2025-04-15 09:00 UTC)
        ));
        // Consent recorded later does not reach back to an earlier moment.
        assert!(!consent_allows(
            &records,
            ConsentKind::Referral,
            datetime!(2025-02-15 09:00 UTC)
        ));
    }

    #[test]
    fn of_two_records_at_the_same_moment_the_later_stored_wins() {
        let at = datetime!(2025-03-01 09:00 UTC);
        let records = [
            record(ConsentKind::Referral, ConsentState::Given, at),
            record(ConsentKind::Referral, ConsentState::Withdrawn, at),
        ];
        assert!(!consent_allows(&records, ConsentKind::Referral, at));
    }
}
