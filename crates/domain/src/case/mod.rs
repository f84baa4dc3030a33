//! Victim cases along the National Referral Mechanism: the values a caseworker
//! records about a person and their case, the vocabularies (aligned with the CTDC 2024
//! codebook), and the state machines of the case, its referrals and its services.
//!
//! Everything here is pure: no clock, no storage. Functions that depend on "now" take
//! the date or time as an argument, so the store and web layers decide what now is and
//! every rule is testable with fixed dates.
//!
//! # Error keys introduced here
//!
//! Each error is a [`DomainError`](crate::DomainError) carrying a Fluent key; none of
//! them repeats the rejected value, so no name, birth date or personal number can reach
//! a log or a page through an error. Format: `key = Bulgarian | English`.
//!
//! ```text
//! error-unknown-value = Непозната стойност. | Unknown value.
//! error-case-code = Невалиден код на случай (пример: BG-2025-000123). | Invalid case code (example: BG-2025-000123).
//! error-country-unknown = Непознат код на държава (ISO 3166-1, три букви). | Unknown country code (ISO 3166-1, three letters).
//! error-language-unknown = Непознат език. | Unknown language.
//! error-date-format = Датата трябва да е във формат ГГГГ-ММ-ДД. | The date must be in the format YYYY-MM-DD.
//! error-date-future = Датата не може да е в бъдещето. | The date cannot be in the future.
//! error-birth-date-format = Датата на раждане трябва да е във формат ГГГГ-ММ-ДД. | The date of birth must be in the format YYYY-MM-DD.
//! error-birth-date-future = Датата на раждане не може да е в бъдещето. | The date of birth cannot be in the future.
//! error-birth-date-too-early = Датата на раждане не може да е преди 1900 г. | The date of birth cannot be before 1900.
//! error-personal-number-format = Личният номер трябва да се състои от 10 цифри. | The personal number must be 10 digits.
//! error-personal-number-date = ЕГН съдържа невъзможна дата на раждане. | The ЕГН (personal number) holds an impossible date of birth.
//! error-personal-number-checksum = ЕГН е с грешна контролна цифра. | The ЕГН (personal number) has a wrong check digit.
//! error-personal-number-birth-date-mismatch = ЕГН не съответства на датата на раждане. | The ЕГН (personal number) does not match the date of birth.
//! error-person-name-empty = Името не може да е празно. | The name cannot be empty.
//! error-person-name-too-long = Името може да е най-много 100 знака. | The name can be at most 100 characters.
//! error-person-name-characters = Името може да съдържа само букви (кирилица или латиница), интервал, тире и апостроф. | The name may contain only letters (Cyrillic or Latin), spaces, hyphens and apostrophes.
//! error-person-name-mixed-scripts = Името смесва кирилица и латиница. | The name mixes Cyrillic and Latin letters.
//! error-person-name-missing = Въведете поне едно име. | Enter at least one name.
//! error-phone-format = Невалиден телефонен номер. | Invalid phone number.
//! error-child-adult-birth-date = Лицето е отбелязано като дете, а датата на раждане показва пълнолетие. | The person is marked as a child but the date of birth shows an adult.
//! error-exploitation-labour-sector-without-form = Отрасъл на трудова експлоатация без отбелязана трудова експлоатация. | A labour sector is given without labour exploitation being marked.
//! error-exploitation-sexual-type-without-form = Вид сексуална експлоатация без отбелязана сексуална експлоатация. | A type of sexual exploitation is given without sexual exploitation being marked.
//! error-stage-transition = Случаят не може да премине от текущия етап в избрания. | The case cannot move from its current stage to the one chosen.
//! error-stage-initial = Нов случай може да започне само от етап сигнал, идентифициран, период за размисъл или подкрепа. | A new case can only start at the signal, identified, reflection period or assistance stage.
//! error-stage-identification-missing = Първо впишете идентификацията (вид, от кого, дата). | Record the identification first (kind, by whom, date).
//! error-stage-formal-identification-required = Периодът за възстановяване и размисъл изисква официална идентификация с дата. | The recovery and reflection period requires a formal identification with its date.
//! error-stage-closure-reason-missing = Посочете причина за приключване на случая. | Give a reason for closing the case.
//! error-stage-child-mechanism-required = Завръщането на дете изисква задействан Координационен механизъм с ДАЗД. | The return of a child requires the coordination mechanism with the State Agency for Child Protection to be engaged.
//! error-consent-missing = Липсва необходимото съгласие на лицето. | The person's required consent is missing.
//! error-referral-transition = Насочването не може да премине в това състояние. | The referral cannot move to this status.
//! error-service-transition = Услугата не може да премине в това състояние. | The service cannot move to this status.
//! error-assessment-score = Оценката трябва да е от 0 до 3. | The score must be from 0 to 3.
//! error-assessment-duplicate-domain = Всяка област се оценява веднъж. | Each domain is scored once.
//! error-money-format = Невалидна сума (пример: 1 234,56). | Invalid amount (example: 1 234.56).
//! error-compensation-amount = Сумата на обезщетението трябва да е положителна. | The compensation amount must be positive.
//! error-compensation-over-cap = Държавното обезщетение е най-много 5 112,92 € (10 000,00 лв.). | State compensation is at most €5,112.92 (BGN 10,000.00).
//! error-erasure-done = Данните по случая вече са заличени. | The case's personal data have already been erased.
//! error-erasure-not-closed = Заличаване е възможно само за приключен случай. | Only a closed case can be erased.
//! error-erasure-legal-hold = Случаят не може да бъде заличен, докато има незавършено наказателно производство. | The case cannot be erased while criminal proceedings are open.
//! error-correction-empty = Посочете какво се поправя: лицето или експлоатацията. | Say what is corrected: the person or the exploitation.
//! error-correction-unchanged = Нищо не е променено. | Nothing was changed.
//! error-compensation-late = Молбата за обезщетение е подадена след едногодишния срок. | The compensation claim was filed after the one-year deadline.
//! ```

/// Declares a closed vocabulary: an enum with a stable snake_case string form (what is
/// stored and exchanged), Bulgarian and English labels, and parsing as the only way in.
/// One macro keeps the string, the labels and serde from drifting apart.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $field:literal {
            $($(#[$vmeta:meta])* $variant:ident = $s:literal, $bg:literal, $en:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "&'static str")]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable string stored in the database and exchanged in the API.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $s,)+ }
            }

            pub const fn label_bg(self) -> &'static str {
                match self { $(Self::$variant => $bg,)+ }
            }

            pub const fn label_en(self) -> &'static str {
                match self { $(Self::$variant => $en,)+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::DomainError> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or($crate::DomainError::field($field, "error-unknown-value"))
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::DomainError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str {
                v.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mod assessment;
mod child;
mod code;
mod collect;
mod consent;
mod correction;
mod countries;
mod country;
mod dates;
mod erasure;
mod exploitation;
mod language;
mod money;
mod name;
mod new_case;
mod offender;
mod person;
mod personal_number;
mod proceedings;
mod raw;
mod referral;
mod reintegration;
mod return_trip;
mod service;
mod stage;
mod vocab;

pub use assessment::{Assessment, AssessmentDomain, AssessmentItem, NeedScore, RiskLevel};
pub use child::ProposalStatus;
pub use code::CaseCode;
pub use consent::{ConsentKind, ConsentRecord, ConsentState, consent_allows, require_consent};
pub use correction::{Correction, CorrectionReason, RawCorrection};
pub use country::Country;
pub use dates::{format_date, parse_date, sofia_date, sofia_offset};
pub use erasure::may_erase;
pub use exploitation::Exploitation;
pub use language::Language;
pub use money::{Euro, Money};
pub use name::{PersonName, PhoneNumber};
pub use new_case::{Identity, NewCase, Profile};
pub use offender::{LegalStatus, Offender, OffenderRole};
pub use person::{AgeBand, BirthDate, Sex};
pub use personal_number::{PersonalNumber, PersonalNumberKind};
pub use proceedings::{
    COMPENSATION_CAP, COMPENSATION_CAP_EUR, ClaimAmount, CompensationClaim, CompensationDecision,
    CompensationOutcome, Proceedings, ProceedingsStage, ProtectionMeasure, WitnessStatus,
    compensation_deadline,
};
pub use raw::{RawExploitation, RawIdentification, RawNewCase, RawPerson};
pub use referral::{
    DeclineReason, ReferralAction, ReferralStatus, grants_access, purpose_shown_to_receiver,
};
pub use reintegration::{FollowUpOutcome, GoalStatus};
pub use return_trip::{Escort, Transport, TravelDocument};
pub use service::{ServiceStatus, is_overdue};
pub use stage::{
    ClosureReason, Identification, Stage, Transition, TransitionContext, reflection_period_end,
    requires_child_mechanism, transition,
};
pub use vocab::{
    ExploitationForm, IdentificationKind, LabourSector, MeansOfControl, RecruiterRelation,
    RecruitmentType, SexualExploitationType, TraffickingDuration,
};
