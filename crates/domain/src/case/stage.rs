//! The stages of a case along the National Referral Mechanism, as a state machine.
//! Who may make a move is the policy module's business; this module says which moves
//! exist and what each one needs.

use time::{Date, Duration, OffsetDateTime};

use super::vocab::IdentificationKind;
use crate::DomainError;
use crate::org::OrgSlug;

vocabulary! {
    pub enum Stage in "stage" {
        Signal = "signal", "сигнал", "signal";
        Identified = "identified", "идентифициран", "identified";
        Reflection = "reflection",
            "период за възстановяване и размисъл", "recovery and reflection period";
        Assistance = "assistance", "подкрепа", "assistance";
        Return = "return", "безопасно завръщане", "safe return";
        Reintegration = "reintegration", "реинтеграция", "reintegration";
        Closed = "closed", "приключен", "closed";
    }
}

vocabulary! {
    /// Why a case was closed; required to close, kept for the annual statistics.
    pub enum ClosureReason in "closure_reason" {
        Reintegrated = "reintegrated",
            "успешна реинтеграция", "successfully reintegrated";
        AssistanceCompleted = "assistance_completed",
            "подкрепата е предоставена", "assistance completed";
        DeclinedAssistance = "declined_assistance",
            "лицето отказа подкрепа", "the person declined assistance";
        LostContact = "lost_contact", "изгубен контакт", "contact lost";
        NotAVictim = "not_a_victim",
            "не е установен трафик", "not a victim of trafficking";
        Transferred = "transferred",
            "прехвърлен към друга организация или държава", "transferred to another organisation or country";
        Deceased = "deceased", "починал(а)", "deceased";
        Other = "other", "друга причина", "other reason";
    }
}

/// Who identified the person, how and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identification {
    pub kind: IdentificationKind,
    pub by: OrgSlug,
    pub date: Date,
}

/// What a move needs to know about the case beyond its current stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionContext {
    /// When the move is made; every move is timestamped.
    pub at: OffsetDateTime,
    pub identification: Option<Identification>,
    pub closure_reason: Option<ClosureReason>,
    /// The person is (or is presumed to be) under 18.
    pub child: bool,
    /// The State Agency for Child Protection has been notified under the coordination
    /// mechanism for unaccompanied children and child victims returning from abroad.
    pub child_mechanism_engaged: bool,
}

/// A permitted move, with what it sets on the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Stage,
    pub to: Stage,
    pub at: OffsetDateTime,
    /// Set when entering the reflection period: the day it ends.
    pub reflection_ends: Option<Date>,
    pub closure_reason: Option<ClosureReason>,
    /// A closed case opened again.
    pub reopened: bool,
}

impl Stage {
    /// The allowed moves. Return is optional: a person assisted in Bulgaria goes from
    /// assistance straight to reintegration. Any open case can be closed (contact lost,
    /// assistance declined), and a closed case reopens into assistance, because a
    /// person who comes back needs help first and identification stands.
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Signal => &[Identified, Closed],
            Identified => &[Reflection, Assistance, Closed],
            Reflection => &[Assistance, Closed],
            Assistance => &[Return, Reintegration, Closed],
            Return => &[Reintegration, Closed],
            Reintegration => &[Closed],
            Closed => &[Assistance],
        }
    }

    pub fn can_move_to(self, to: Stage) -> bool {
        self.next().contains(&to)
    }

    /// Stages at which a newly registered case may start: a caseworker may register a
    /// person already identified and assisted elsewhere, but not one already returned
    /// or closed, whose history would then be missing.
    pub fn is_initial(self) -> bool {
        matches!(
            self,
            Stage::Signal | Stage::Identified | Stage::Reflection | Stage::Assistance
        )
    }
}

/// Art. 26 of the Combating Trafficking in Human Beings Act: 30 days of recovery and
/// reflection from formal identification. The end date is shown on the case and
/// drives the "reflection periods ending" list.
pub fn reflection_period_end(formal_identification_date: Date) -> Date {
    formal_identification_date + Duration::days(30)
}

/// A child victim's case follows the coordination mechanism with the State Agency for
/// Child Protection, which must be engaged before the child's return is organised.
pub fn requires_child_mechanism(child: bool) -> bool {
    child
}

/// Checks a move against the table and the rules of the stage it enters.
pub fn transition(
    from: Stage,
    to: Stage,
    ctx: &TransitionContext,
) -> Result<Transition, DomainError> {
    if !from.can_move_to(to) {
        return Err(DomainError::field("stage", "error-stage-transition"));
    }
    let reflection_ends = check_entry(to, ctx)?;
    Ok(Transition {
        from,
        to,
        at: ctx.at,
        reflection_ends,
        closure_reason: if to == Stage::Closed {
            ctx.closure_reason
        } else {
            None
        },
        reopened: from == Stage::Closed,
    })
}

/// The rules for entering `to`, shared by moves and by registering a case at `to`.
/// Returns the end of the reflection period when entering it.
pub(super) fn check_entry(to: Stage, ctx: &TransitionContext) -> Result<Option<Date>, DomainError> {
    match to {
        Stage::Identified if ctx.identification.is_none() => Err(DomainError::field(
            "identification",
            "error-stage-identification-missing",
        )),
        Stage::Reflection => match &ctx.identification {
            Some(Identification {
                kind: IdentificationKind::Formal,
                date,
                ..
            }) => Ok(Some(reflection_period_end(*date))),
            _ => Err(DomainError::field(
                "identification",
                "error-stage-formal-identification-required",
            )),
        },
        Stage::Return if requires_child_mechanism(ctx.child) && !ctx.child_mechanism_engaged => {
            Err(DomainError::field(
                "child_mechanism",
                "error-stage-child-mechanism-required",
            ))
        }
        Stage::Closed if ctx.closure_reason.is_none() => Err(DomainError::field(
            "closure_reason",
            "error-stage-closure-reason-missing",
        )),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn ctx() -> TransitionContext {
        TransitionContext {
            at: datetime!(2025-03-02 10:00 UTC),
            identification: None,
            closure_reason: None,
            child: false,
            child_mechanism_engaged: false,
        }
    }

    fn identified(kind: IdentificationKind) -> TransitionContext {
        TransitionContext {
            identification: Some(Identification {
                kind,
                by: OrgSlug::parse("iom").unwrap(),
                date: date!(2025 - 03 - 01),
            }),
            ..ctx()
        }
    }

    fn key(r: Result<Transition, DomainError>) -> &'static str {
        r.unwrap_err().key
    }

    #[test]
    fn a_case_formally_identified_on_1_march_2025_has_its_reflection_period_end_on_31_march() {
        assert_eq!(
            reflection_period_end(date!(2025 - 03 - 01)),
            date!(2025 - 03 - 31)
        );
        let t = transition(
            Stage::Identified,
            Stage::Reflection,
            &identified(IdentificationKind::Formal),
        )
        .unwrap();
        assert_eq!(t.reflection_ends, Some(date!(2025 - 03 - 31)));
        assert_eq!(t.at, datetime!(2025-03-02 10:00 UTC));
    }

    #[test]
    fn the_reflection_period_needs_a_formal_identification() {
        let informal = identified(IdentificationKind::Informal);
        assert_eq!(
            key(transition(Stage::Identified, Stage::Reflection, &informal)),
            "error-stage-formal-identification-required"
        );
        // An informally identified person is still assisted.
        assert!(transition(Stage::Identified, Stage::Assistance, &informal).is_ok());
    }

    #[test]
    fn a_signal_becomes_identified_only_with_an_identification_recorded() {
        assert_eq!(
            key(transition(Stage::Signal, Stage::Identified, &ctx())),
            "error-stage-identification-missing"
        );
        assert!(
            transition(
                Stage::Signal,
                Stage::Identified,
                &identified(IdentificationKind::Informal)
            )
            .is_ok()
        );
    }

    #[test]
    fn stages_cannot_be_skipped_or_walked_back() {
        let c = identified(IdentificationKind::Formal);
        for (from, to) in [
            (Stage::Signal, Stage::Assistance),
            (Stage::Signal, Stage::Reintegration),
            (Stage::Reintegration, Stage::Assistance),
            (Stage::Assistance, Stage::Identified),
            (Stage::Closed, Stage::Signal),
            (Stage::Assistance, Stage::Assistance),
        ] {
            assert_eq!(
                key(transition(from, to, &c)),
                "error-stage-transition",
                "{from} → {to}"
            );
        }
    }

    #[test]
    fn return_is_optional() {
        assert!(transition(Stage::Assistance, Stage::Reintegration, &ctx()).is_ok());
        assert!(transition(Stage::Assistance, Stage::Return, &ctx()).is_ok());
        assert!(transition(Stage::Return, Stage::Reintegration, &ctx()).is_ok());
    }

    #[test]
    fn closing_needs_a_reason_and_records_it() {
        assert_eq!(
            key(transition(Stage::Reintegration, Stage::Closed, &ctx())),
            "error-stage-closure-reason-missing"
        );
        let c = TransitionContext {
            closure_reason: Some(ClosureReason::Reintegrated),
            ..ctx()
        };
        let t = transition(Stage::Reintegration, Stage::Closed, &c).unwrap();
        assert_eq!(t.closure_reason, Some(ClosureReason::Reintegrated));
        assert!(!t.reopened);
    }

    #[test]
    fn a_closed_case_reopens_into_assistance() {
        let c = TransitionContext {
            closure_reason: Some(ClosureReason::LostContact),
            ..ctx()
        };
        let t = transition(Stage::Closed, Stage::Assistance, &c).unwrap();
        assert!(t.reopened);
        assert_eq!(t.closure_reason, None);
    }

    #[test]
    fn a_child_returns_only_through_the_coordination_mechanism() {
        let child = TransitionContext {
            child: true,
            ..ctx()
        };
        assert!(requires_child_mechanism(child.child));
        assert_eq!(
            key(transition(Stage::Assistance, Stage::Return, &child)),
            "error-stage-child-mechanism-required"
        );
        let engaged = TransitionContext {
            child_mechanism_engaged: true,
            ..child
        };
        assert!(transition(Stage::Assistance, Stage::Return, &engaged).is_ok());
        assert!(!requires_child_mechanism(false));
    }

    #[test]
    fn every_open_stage_can_be_closed_and_new_cases_start_early() {
        for s in Stage::ALL.iter().filter(|s| **s != Stage::Closed) {
            assert!(s.can_move_to(Stage::Closed), "{s}");
        }
        assert!(Stage::Signal.is_initial() && Stage::Assistance.is_initial());
        assert!(!Stage::Return.is_initial() && !Stage::Closed.is_initial());
    }
}
