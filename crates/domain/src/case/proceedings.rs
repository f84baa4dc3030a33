//! Criminal proceedings beside the case: their stage, the person's part as witness and
//! protection, and the claim for state compensation.

use serde::Serialize;
use time::Date;

use super::money::{Euro, Money};
use crate::DomainError;

vocabulary! {
    /// Stages of Bulgarian criminal procedure.
    pub enum ProceedingsStage in "proceedings_stage" {
        PreTrial = "pre_trial", "досъдебно производство", "pre-trial proceedings";
        FirstInstance = "first_instance", "първа инстанция", "first instance";
        Appeal = "appeal", "въззивно производство", "appeal";
        Cassation = "cassation", "касационно производство", "cassation";
        Concluded = "concluded", "приключило с влязъл в сила акт", "concluded with a final judgment";
        Terminated = "terminated", "прекратено", "terminated";
    }
}

vocabulary! {
    pub enum WitnessStatus in "witness_status" {
        NotWitness = "not_witness", "не е свидетел", "not a witness";
        Witness = "witness", "свидетел", "witness";
        /// Identity kept secret under Art. 123 of the Criminal Procedure Code.
        ProtectedWitness = "protected_witness", "защитен свидетел (с тайна самоличност)", "protected witness (secret identity)";
    }
}

vocabulary! {
    /// Measures under the Act on the Protection of Persons at Risk in Connection with
    /// Criminal Proceedings.
    pub enum ProtectionMeasure in "protection_measures" {
        PhysicalProtection = "physical_protection", "лична физическа охрана", "personal physical protection";
        PropertyProtection = "property_protection", "охрана на имущество", "protection of property";
        SafeAccommodation = "safe_accommodation", "настаняване на безопасно място", "accommodation in a safe place";
        Relocation = "relocation", "преместване на друго работно или учебно място", "move to another workplace or school";
        IdentityChange = "identity_change", "промяна на самоличността", "change of identity";
    }
}

/// The most the state pays under the Crime Victims Assistance and Financial
/// Compensation Act: 10 000 лв.
pub const COMPENSATION_CAP: Money = Money::from_leva(10_000);

/// The last day to apply for state compensation: one year after the judgment (or the
/// act ending the proceedings) entered into force. A period in years ends on the same
/// day of the month; from 29 February it ends on the last day of February.
pub fn compensation_deadline(final_act_date: Date) -> Date {
    let year = final_act_date.year() + 1;
    let month = final_act_date.month();
    let day = final_act_date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).expect("day clamped to the month's length")
}

/// An amount claimed, in the currency it was entered in: claims filed before the
/// euro were in lev and stay so; new ones are in euro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClaimAmount {
    Bgn(Money),
    Eur(Euro),
}

impl ClaimAmount {
    /// In euro (a lev amount converted at the fixed rate).
    pub fn eur(self) -> Euro {
        match self {
            ClaimAmount::Bgn(m) => m.to_eur(),
            ClaimAmount::Eur(e) => e,
        }
    }

    /// In lev (a euro amount converted at the fixed rate).
    pub fn bgn(self) -> Money {
        match self {
            ClaimAmount::Bgn(m) => m,
            ClaimAmount::Eur(e) => e.to_bgn(),
        }
    }

    /// `EUR` or `BGN`: the currency the amount was entered in.
    pub fn currency(self) -> &'static str {
        match self {
            ClaimAmount::Bgn(_) => "BGN",
            ClaimAmount::Eur(_) => "EUR",
        }
    }
}

impl From<Money> for ClaimAmount {
    fn from(m: Money) -> Self {
        ClaimAmount::Bgn(m)
    }
}

impl From<Euro> for ClaimAmount {
    fn from(e: Euro) -> Self {
        ClaimAmount::Eur(e)
    }
}

/// The cap in euro: 10 000 лв. at the fixed rate, rounded down to the cent so that
/// no amount in euro passes that would not in lev.
pub const COMPENSATION_CAP_EUR: Euro = Euro::from_cents(511_292);

/// A claim for state compensation, valid as filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompensationClaim {
    amount: ClaimAmount,
    filed_on: Date,
}

impl CompensationClaim {
    /// Refuses a claim above the cap or filed after the deadline. Without a final act
    /// yet the deadline has not started, so only the amount is checked.
    pub fn new(
        amount: impl Into<ClaimAmount>,
        filed_on: Date,
        final_act_date: Option<Date>,
    ) -> Result<Self, DomainError> {
        let amount = amount.into();
        let err = |key| DomainError::field("compensation", key);
        if amount.eur().cents() <= 0 {
            return Err(err("error-compensation-amount"));
        }
        let over = match amount {
            ClaimAmount::Bgn(m) => m > COMPENSATION_CAP,
            ClaimAmount::Eur(e) => e > COMPENSATION_CAP_EUR,
        };
        if over {
            return Err(err("error-compensation-over-cap"));
        }
        if final_act_date.is_some_and(|d| filed_on > compensation_deadline(d)) {
            return Err(err("error-compensation-late"));
        }
        Ok(Self { amount, filed_on })
    }

    pub fn amount(&self) -> ClaimAmount {
        self.amount
    }

    pub fn filed_on(&self) -> Date {
        self.filed_on
    }
}

vocabulary! {
    /// The decision on a claim for state compensation.
    pub enum CompensationOutcome in "compensation_outcome" {
        Awarded = "awarded", "присъдено", "awarded";
        Refused = "refused", "отказано", "refused";
    }
}

/// The decision on a compensation claim, in euro, and its payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompensationDecision {
    pub outcome: CompensationOutcome,
    pub decided_on: Date,
    pub awarded: Option<Euro>,
    pub paid: Option<Euro>,
    pub paid_on: Option<Date>,
}

impl CompensationDecision {
    /// An award has its amount; a refusal has none, nor a payment; a payment has its
    /// day, not before the decision, and is at most the amount awarded.
    pub fn new(
        outcome: CompensationOutcome,
        decided_on: Date,
        awarded: Option<Euro>,
        paid: Option<Euro>,
        paid_on: Option<Date>,
    ) -> Result<Self, DomainError> {
        let positive = |a: Option<Euro>| a.filter(|a| a.cents() > 0);
        let (awarded, paid) = (positive(awarded), positive(paid));
        match outcome {
            CompensationOutcome::Awarded if awarded.is_none() => {
                return Err(DomainError::field(
                    "compensation_awarded_eur",
                    "error-compensation-awarded-required",
                ));
            }
            CompensationOutcome::Refused if awarded.is_some() || paid.is_some() => {
                return Err(DomainError::field(
                    "compensation_awarded_eur",
                    "error-compensation-refused-amount",
                ));
            }
            _ => {}
        }
        if paid.is_some_and(|p| Some(p) > awarded) {
            return Err(DomainError::field(
                "compensation_paid_eur",
                "error-compensation-paid-over",
            ));
        }
        if paid.is_some() != paid_on.is_some() || paid_on.is_some_and(|d| d < decided_on) {
            return Err(DomainError::field(
                "compensation_paid_on",
                "error-compensation-paid-date",
            ));
        }
        Ok(Self {
            outcome,
            decided_on,
            awarded,
            paid,
            paid_on,
        })
    }
}

/// Proceedings in which the person takes part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proceedings {
    pub stage: ProceedingsStage,
    pub court: Option<String>,
    /// The court's case number, which identifies the person's case: kept in the
    /// vault. As input, `None` keeps the stored number and `Some("")` clears it.
    pub case_number: Option<String>,
    pub witness_status: WitnessStatus,
    pub protection_measures: Vec<ProtectionMeasure>,
    /// The day the judgment or the act ending the proceedings entered into force.
    pub final_act_date: Option<Date>,
    pub compensation: Option<CompensationClaim>,
    pub decision: Option<CompensationDecision>,
}

impl Proceedings {
    /// Open proceedings put a legal hold on the case: it cannot be erased or
    /// anonymised while evidence may still be needed.
    pub fn is_open(&self) -> bool {
        !matches!(
            self.stage,
            ProceedingsStage::Concluded | ProceedingsStage::Terminated
        )
    }

    /// Whether a claim can still be filed on `today`: no claim yet, and either no final
    /// act (the term has not started) or the deadline not passed.
    pub fn compensation_still_possible(&self, today: Date) -> bool {
        self.compensation.is_none()
            && self
                .final_act_date
                .is_none_or(|d| today <= compensation_deadline(d))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn key(r: Result<CompensationClaim, DomainError>) -> &'static str {
        r.unwrap_err().key
    }

    #[test]
    fn compensation_is_capped_at_10_000_leva() {
        let filed = date!(2025 - 05 - 01);
        assert!(CompensationClaim::new(Money::from_leva(10_000), filed, None).is_ok());
        assert_eq!(
            key(CompensationClaim::new(
                Money::from_stotinki(1_000_001),
                filed,
                None
            )),
            "error-compensation-over-cap"
        );
        assert_eq!(
            key(CompensationClaim::new(Money::default(), filed, None)),
            "error-compensation-amount"
        );
    }

    #[test]
    fn a_claim_filed_more_than_a_year_after_the_judgment_is_late() {
        let judgment = Some(date!(2024 - 05 - 01));
        let amount = Money::from_leva(3_000);
        assert!(CompensationClaim::new(amount, date!(2025 - 05 - 01), judgment).is_ok());
        assert_eq!(
            key(CompensationClaim::new(
                amount,
                date!(2025 - 05 - 02),
                judgment
            )),
            "error-compensation-late"
        );
    }

    #[test]
    fn a_year_from_29_february_ends_on_28_february() {
        assert_eq!(
            compensation_deadline(date!(2024 - 02 - 29)),
            date!(2025 - 02 - 28)
        );
        assert_eq!(
            compensation_deadline(date!(2025 - 03 - 31)),
            date!(2026 - 03 - 31)
        );
    }

    fn proceedings(stage: ProceedingsStage, final_act_date: Option<Date>) -> Proceedings {
        Proceedings {
            stage,
            court: Some("Софийски градски съд".into()),
            case_number: Some("НОХД 1234/2024".into()),
            witness_status: WitnessStatus::ProtectedWitness,
            protection_measures: vec![ProtectionMeasure::PhysicalProtection],
            final_act_date,
            compensation: None,
            decision: None,
        }
    }

    #[test]
    fn a_compensation_decision_holds_together() {
        let on = date!(2025 - 03 - 01);
        let eur = |c| Some(Euro::from_cents(c));
        use CompensationOutcome::*;
        assert!(
            CompensationDecision::new(Awarded, on, eur(500_000), eur(200_000), Some(on)).is_ok()
        );
        assert!(CompensationDecision::new(Refused, on, None, None, None).is_ok());
        assert!(CompensationDecision::new(Awarded, on, None, None, None).is_err());
        assert!(CompensationDecision::new(Refused, on, eur(100), None, None).is_err());
        assert!(CompensationDecision::new(Awarded, on, eur(100), eur(101), Some(on)).is_err());
        assert!(CompensationDecision::new(Awarded, on, eur(100), eur(100), None).is_err());
        let before = date!(2025 - 02 - 28);
        assert!(CompensationDecision::new(Awarded, on, eur(100), eur(100), Some(before)).is_err());
    }

    #[test]
    fn open_proceedings_hold_the_case() {
        assert!(proceedings(ProceedingsStage::PreTrial, None).is_open());
        assert!(proceedings(ProceedingsStage::Appeal, None).is_open());
        assert!(!proceedings(ProceedingsStage::Concluded, Some(date!(2024 - 05 - 01))).is_open());
    }

    #[test]
    fn the_compensation_window_closes_a_year_after_the_final_act() {
        let p = proceedings(ProceedingsStage::Concluded, Some(date!(2024 - 05 - 01)));
        assert!(p.compensation_still_possible(date!(2025 - 05 - 01)));
        assert!(!p.compensation_still_possible(date!(2025 - 05 - 02)));
        assert!(
            proceedings(ProceedingsStage::FirstInstance, None)
                .compensation_still_possible(date!(2030 - 01 - 01))
        );
    }
}
