//! Registering a case: the validated `NewCase` the store may save, parsed from what a
//! caseworker or the API submits. Every field is checked in one pass, so the form shows
//! all its mistakes at once.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::collect::Errors;
use super::country::Country;
use super::dates::parse_date;
use super::exploitation::Exploitation;
use super::language::Language;
use super::name::{PersonName, PhoneNumber};
use super::person::{AgeBand, BirthDate, Sex};
use super::personal_number::{PersonalNumber, PersonalNumberKind};
use super::raw::RawNewCase;
use super::stage::{self, Identification, Stage, TransitionContext};
use super::vocab::IdentificationKind;
use crate::DomainError;
use crate::org::OrgSlug;

/// Identity fields: the store encrypts every one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub given_name: Option<PersonName>,
    pub family_name: Option<PersonName>,
    pub birth_date: Option<BirthDate>,
    pub personal_number: Option<PersonalNumber>,
    pub phone: Option<PhoneNumber>,
}

/// The non-identifying profile, safe for lists and statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub sex: Sex,
    /// At registration, from the date of birth when known.
    pub age_band: Option<AgeBand>,
    pub citizenship: Option<Country>,
    pub languages: Vec<Language>,
    pub child: bool,
    pub unaccompanied: bool,
    pub disability: bool,
}

/// A case ready to be registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCase {
    pub identity: Identity,
    pub profile: Profile,
    pub stage: Stage,
    pub identification: Option<Identification>,
    /// Set when the case starts in the reflection period.
    pub reflection_ends: Option<Date>,
    pub exploitation: Exploitation,
}

impl NewCase {
    /// Validates a submission made at `now` (the caller's clock, in Bulgarian local time
    /// so "today" is the caseworker's today).
    pub fn parse(raw: RawNewCase, now: OffsetDateTime) -> Result<NewCase, Vec<DomainError>> {
        let today = now.date();
        let mut errors = Errors::default();
        let p = &raw.person;

        let given_name = errors.optional("given_name", &p.given_name, PersonName::parse);
        let family_name = errors.optional("family_name", &p.family_name, PersonName::parse);
        if p.given_name.as_deref().unwrap_or("").trim().is_empty()
            && p.family_name.as_deref().unwrap_or("").trim().is_empty()
        {
            errors.push(DomainError::field(
                "given_name",
                "error-person-name-missing",
            ));
        }
        let mut birth_date =
            errors.optional("birth_date", &p.birth_date, |s| BirthDate::parse(s, today));
        let kind = errors
            .optional(
                "personal_number_kind",
                &p.personal_number_kind,
                PersonalNumberKind::parse,
            )
            .unwrap_or(PersonalNumberKind::Egn);
        let personal_number = errors.optional("personal_number", &p.personal_number, |s| {
            PersonalNumber::parse(kind, s)
        });
        if let Some(number) = &personal_number {
            match birth_date {
                Some(b) => {
                    errors.take("personal_number", number.check_birth_date(b));
                }
                // An ЕГН carries the date of birth; use it when none was typed.
                None => {
                    birth_date = number
                        .birth_date()
                        .and_then(|d| errors.take("personal_number", BirthDate::new(d, today)));
                }
            }
        }
        let phone = errors.optional("phone", &p.phone, PhoneNumber::parse);

        let sex = errors
            .optional("sex", &p.sex, Sex::parse)
            .unwrap_or(Sex::Unknown);
        let citizenship = errors.optional("citizenship", &p.citizenship, Country::parse);
        let languages = errors.set("languages", &p.languages, Language::parse);
        let child_by_age = birth_date.map(|b| b.is_child_on(today));
        if p.child && child_by_age == Some(false) {
            errors.push(DomainError::field("child", "error-child-adult-birth-date"));
        }
        let child = p.child || child_by_age == Some(true);

        let identification = raw.identification.as_ref().and_then(|r| {
            let kind = errors.take(
                "identification_kind",
                IdentificationKind::parse(r.kind.trim()),
            );
            let by = errors.take("identification_by", OrgSlug::parse(r.by.trim()));
            let date = errors.take(
                "identification_date",
                parse_date(&r.date, "identification_date"),
            );
            if date.is_some_and(|d| d > today) {
                errors.push(DomainError::field(
                    "identification_date",
                    "error-date-future",
                ));
                return None;
            }
            Some(Identification {
                kind: kind?,
                by: by?,
                date: date?,
            })
        });

        let stage = errors
            .optional("stage", &raw.stage, Stage::parse)
            .unwrap_or(Stage::Signal);
        let mut reflection_ends = None;
        if !stage.is_initial() {
            errors.push(DomainError::field("stage", "error-stage-initial"));
        } else if raw.identification.is_none() || identification.is_some() {
            // Entry rules are judged only on a well-formed identification: a malformed
            // one has already been reported field by field.
            let ctx = TransitionContext {
                at: now,
                identification: identification.clone(),
                closure_reason: None,
                child,
                child_mechanism_engaged: false,
            };
            reflection_ends = errors.check(stage::check_entry(stage, &ctx)).flatten();
        }

        let exploitation = Exploitation::parse(&raw.exploitation, &mut errors);

        errors.finish(NewCase {
            identity: Identity {
                given_name,
                family_name,
                birth_date,
                personal_number,
                phone,
            },
            profile: Profile {
                sex,
                age_band: birth_date.map(|b| AgeBand::at(b, today)),
                citizenship,
                languages,
                child,
                unaccompanied: p.unaccompanied,
                disability: p.disability,
            },
            stage,
            identification,
            reflection_ends,
            exploitation,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const NOW: OffsetDateTime = datetime!(2025-06-15 10:00 +03:00);

    fn raw(json: &str) -> RawNewCase {
        serde_json::from_str(json).unwrap()
    }

    fn keys(r: Result<NewCase, Vec<DomainError>>) -> Vec<(Option<&'static str>, &'static str)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.key))
            .collect()
    }

    #[test]
    fn the_api_minimum_registers_a_signal() {
        let c = NewCase::parse(
            raw(
                r#"{"person": {"given_name": "Мария", "family_name": "Иванова",
                "birth_date": "2001-02-03", "sex": "female", "citizenship": "BGR"}}"#,
            ),
            NOW,
        )
        .unwrap();
        assert_eq!(c.stage, Stage::Signal);
        assert_eq!(c.identity.family_name.unwrap().as_str(), "Иванова");
        assert_eq!(c.profile.sex, Sex::Female);
        assert_eq!(c.profile.citizenship, Some(Country::BULGARIA));
        assert_eq!(c.profile.age_band, Some(AgeBand::Age24To26));
        assert!(!c.profile.child);
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let r = NewCase::parse(
            raw(
                r#"{"person": {"given_name": "Мария", "birth_date": "2030-01-01",
                "sex": "f", "citizenship": "XXX", "languages": ["bg", "zz"]},
                "exploitation": {"forms": ["labour"], "exploitation_countries": ["DEU", "QQQ"]}}"#,
            ),
            NOW,
        );
        assert_eq!(
            keys(r),
            vec![
                (Some("birth_date"), "error-birth-date-future"),
                (Some("sex"), "error-unknown-value"),
                (Some("citizenship"), "error-country-unknown"),
                (Some("languages"), "error-language-unknown"),
                (Some("exploitation_countries"), "error-country-unknown"),
            ]
        );
    }

    #[test]
    fn at_least_one_name_is_required() {
        assert_eq!(
            keys(NewCase::parse(
                raw(r#"{"person": {"given_name": "  ", "sex": "male"}}"#),
                NOW
            )),
            vec![(Some("given_name"), "error-person-name-missing")]
        );
        assert!(NewCase::parse(raw(r#"{"person": {"family_name": "Popescu"}}"#), NOW).is_ok());
    }

    #[test]
    fn a_misspelt_field_is_refused_not_dropped() {
        assert!(
            serde_json::from_str::<RawNewCase>(r#"{"person": {"givenname": "Мария"}}"#).is_err()
        );
    }

    #[test]
    fn a_child_is_recognised_from_the_birth_date_or_presumed() {
        let c = NewCase::parse(
            raw(r#"{"person": {"given_name": "Ана", "birth_date": "2010-01-01"}}"#),
            NOW,
        );
        assert!(c.unwrap().profile.child);
        let presumed = NewCase::parse(
            raw(r#"{"person": {"given_name": "Ана", "child": true}}"#),
            NOW,
        );
        assert!(presumed.unwrap().profile.child);
        assert_eq!(
            keys(NewCase::parse(
                raw(
                    r#"{"person": {"given_name": "Ана", "birth_date": "1990-01-01", "child": true}}"#
                ),
                NOW
            )),
            vec![(Some("child"), "error-child-adult-birth-date")]
        );
    }

    #[test]
    fn an_egn_gives_the_birth_date_or_must_agree_with_it() {
        let c = NewCase::parse(
            raw(r#"{"person": {"given_name": "Ана", "personal_number": "9005041230"}}"#),
            NOW,
        )
        .unwrap();
        assert_eq!(
            c.identity.birth_date.map(BirthDate::date),
            Some(date!(1990 - 05 - 04))
        );
        assert_eq!(c.profile.age_band, Some(AgeBand::Age30To38));
        assert_eq!(
            keys(NewCase::parse(
                raw(
                    r#"{"person": {"given_name": "Ана", "personal_number": "9005041230",
                    "birth_date": "1990-05-05"}}"#
                ),
                NOW
            )),
            vec![(
                Some("personal_number"),
                "error-personal-number-birth-date-mismatch"
            )]
        );
        let lnch = NewCase::parse(
            raw(
                r#"{"person": {"given_name": "Ali", "personal_number": "1001234567",
                "personal_number_kind": "lnch"}}"#,
            ),
            NOW,
        );
        assert_eq!(
            lnch.unwrap().identity.personal_number.unwrap().kind(),
            PersonalNumberKind::Lnch
        );
    }

    #[test]
    fn a_case_starting_in_reflection_needs_formal_identification_and_gets_its_end_date() {
        let informal = r#"{"person": {"given_name": "Ана"}, "stage": "reflection",
            "identification": {"kind": "informal", "by": "iom", "date": "2025-03-01"}}"#;
        assert_eq!(
            keys(NewCase::parse(raw(informal), NOW)),
            vec![(
                Some("identification"),
                "error-stage-formal-identification-required"
            )]
        );
        let c = NewCase::parse(raw(&informal.replace("informal", "formal")), NOW).unwrap();
        assert_eq!(c.reflection_ends, Some(date!(2025 - 03 - 31)));
        assert_eq!(c.identification.unwrap().kind, IdentificationKind::Formal);
    }

    #[test]
    fn bad_identification_and_late_stages_are_refused() {
        let r = raw(r#"{"person": {"given_name": "Ана"}, "stage": "identified",
            "identification": {"kind": "formal", "by": "iom", "date": "2025-07-01"}}"#);
        assert_eq!(
            keys(NewCase::parse(r, NOW)),
            vec![(Some("identification_date"), "error-date-future")]
        );
        let r = raw(r#"{"person": {"given_name": "Ана"}, "stage": "closed"}"#);
        assert_eq!(
            keys(NewCase::parse(r, NOW)),
            vec![(Some("stage"), "error-stage-initial")]
        );
        let r = raw(r#"{"person": {"given_name": "Ана"}, "stage": "identified"}"#);
        assert_eq!(
            keys(NewCase::parse(r, NOW)),
            vec![(Some("identification"), "error-stage-identification-missing")]
        );
    }
}
