//! When a person's data may be erased (anonymised): only once the case is closed, and
//! never while criminal proceedings are open — the legal hold keeps the evidence.

use super::{proceedings::Proceedings, stage::Stage};
use crate::DomainError;

/// Refuses erasure of a case that is not closed, has open proceedings, or was
/// already erased.
pub fn may_erase(
    stage: Stage,
    proceedings: &[Proceedings],
    already_erased: bool,
) -> Result<(), DomainError> {
    if already_erased {
        return Err(DomainError::new("error-erasure-done"));
    }
    if stage != Stage::Closed {
        return Err(DomainError::new("error-erasure-not-closed"));
    }
    if proceedings.iter().any(Proceedings::is_open) {
        return Err(DomainError::new("error-erasure-legal-hold"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{ProceedingsStage, WitnessStatus};

    fn proceedings(stage: ProceedingsStage) -> Proceedings {
        Proceedings {
            stage,
            court: None,
            case_number: None,
            witness_status: WitnessStatus::Witness,
            protection_measures: vec![],
            final_act_date: None,
            compensation: None,
            decision: None,
        }
    }

    #[test]
    fn only_a_closed_case_without_open_proceedings_is_erased() {
        let key = |r: Result<(), DomainError>| r.unwrap_err().key;
        assert_eq!(
            key(may_erase(Stage::Assistance, &[], false)),
            "error-erasure-not-closed"
        );
        assert_eq!(
            key(may_erase(
                Stage::Closed,
                &[proceedings(ProceedingsStage::Appeal)],
                false
            )),
            "error-erasure-legal-hold"
        );
        assert_eq!(
            key(may_erase(Stage::Closed, &[], true)),
            "error-erasure-done"
        );
        assert!(
            may_erase(
                Stage::Closed,
                &[proceedings(ProceedingsStage::Concluded)],
                false
            )
            .is_ok()
        );
    }
}
