//! Bulgarian personal numbers: ЕГН for citizens, ЛНЧ for foreigners.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::person::{BirthDate, Sex};
use crate::DomainError;

vocabulary! {
    pub enum PersonalNumberKind in "personal_number_kind" {
        /// Единен граждански номер, of Bulgarian citizens.
        Egn = "egn", "ЕГН", "personal number (EGN)";
        /// Личен номер на чужденец, of foreigners residing in Bulgaria.
        Lnch = "lnch", "ЛНЧ", "foreigner's number (LNCH)";
    }
}

/// An ЕГН or ЛНЧ. An ЕГН is checked fully (its date and check digit), because a typo
/// in it would wrongly link or split two persons' records. An ЛНЧ is accepted as ten
/// digits: refusing a foreign victim's registration over a number we cannot verify
/// costs more than a typo does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "number", rename_all = "snake_case")]
pub enum PersonalNumber {
    Egn(#[serde(deserialize_with = "egn")] String),
    Lnch(#[serde(deserialize_with = "lnch")] String),
}

const EGN_WEIGHTS: [u32; 9] = [2, 4, 8, 5, 10, 9, 7, 3, 6];

impl PersonalNumber {
    /// Spaces are dropped: people write the number in groups.
    pub fn parse(kind: PersonalNumberKind, s: &str) -> Result<Self, DomainError> {
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("error-personal-number-format"));
        }
        match kind {
            PersonalNumberKind::Egn => {
                egn_birth_date(&digits)?;
                let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
                let sum: u32 = d.iter().zip(EGN_WEIGHTS).map(|(a, w)| a * w).sum();
                if sum % 11 % 10 != d[9] {
                    return Err(err("error-personal-number-checksum"));
                }
                Ok(Self::Egn(digits))
            }
            PersonalNumberKind::Lnch => Ok(Self::Lnch(digits)),
        }
    }

    pub fn kind(&self) -> PersonalNumberKind {
        match self {
            Self::Egn(_) => PersonalNumberKind::Egn,
            Self::Lnch(_) => PersonalNumberKind::Lnch,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Egn(s) | Self::Lnch(s) => s,
        }
    }

    /// The date of birth an ЕГН encodes; `None` for an ЛНЧ, which encodes none.
    pub fn birth_date(&self) -> Option<Date> {
        match self {
            Self::Egn(s) => egn_birth_date(s).ok(),
            Self::Lnch(_) => None,
        }
    }

    /// The sex an ЕГН encodes (its ninth digit: even for men, odd for women).
    pub fn sex(&self) -> Option<Sex> {
        match self {
            Self::Egn(s) => Some(if (s.as_bytes()[8] - b'0').is_multiple_of(2) {
                Sex::Male
            } else {
                Sex::Female
            }),
            Self::Lnch(_) => None,
        }
    }

    /// Refuses an ЕГН whose encoded date differs from the date of birth entered: one of
    /// the two is mistyped, and the caseworker is the one who can tell which.
    pub fn check_birth_date(&self, birth: BirthDate) -> Result<(), DomainError> {
        match self.birth_date() {
            Some(d) if d != birth.date() => Err(err("error-personal-number-birth-date-mismatch")),
            _ => Ok(()),
        }
    }
}

/// Digits 1–6 are YYMMDD; 20 is added to the month for births in the 1800s and 40 for
/// births from 2000 on.
fn egn_birth_date(digits: &str) -> Result<Date, DomainError> {
    let n = |r: std::ops::Range<usize>| digits[r].parse::<i32>().expect("checked digits");
    let (yy, mm, dd) = (n(0..2), n(2..4), n(4..6));
    let (century, month) = match mm {
        1..=12 => (1900, mm),
        21..=32 => (1800, mm - 20),
        41..=52 => (2000, mm - 40),
        _ => return Err(err("error-personal-number-date")),
    };
    let month = Month::try_from(month as u8).expect("month range checked above");
    Date::from_calendar_date(century + yy, month, dd as u8)
        .map_err(|_| err("error-personal-number-date"))
}

fn err(key: &'static str) -> DomainError {
    DomainError::field("personal_number", key)
}

fn egn<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    stored(d, PersonalNumberKind::Egn)
}

fn lnch<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    stored(d, PersonalNumberKind::Lnch)
}

/// Deserialising re-validates, so a stored number takes the same way in as a typed one.
fn stored<'de, D: serde::Deserializer<'de>>(
    d: D,
    kind: PersonalNumberKind,
) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    PersonalNumber::parse(kind, &s)
        .map(|p| p.as_str().to_owned())
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    // Fictional numbers with valid check digits.
    const EGN_1990: &str = "9005041230"; // 04.05.1990
    const EGN_2003: &str = "0342153014"; // 15.02.2003

    #[test]
    fn a_valid_egn_gives_its_birth_date_and_sex() {
        let p = PersonalNumber::parse(PersonalNumberKind::Egn, EGN_1990).unwrap();
        assert_eq!(p.birth_date(), Some(date!(1990 - 05 - 04)));
        assert_eq!(p.sex(), Some(Sex::Female));
        let p = PersonalNumber::parse(PersonalNumberKind::Egn, "03 42 15 30 14").unwrap();
        assert_eq!(p.as_str(), EGN_2003);
        assert_eq!(p.birth_date(), Some(date!(2003 - 02 - 15)));
    }

    #[test]
    fn an_egn_with_a_wrong_checksum_is_refused() {
        assert_eq!(
            PersonalNumber::parse(PersonalNumberKind::Egn, "9005041231"),
            Err(err("error-personal-number-checksum"))
        );
    }

    #[test]
    fn an_egn_with_an_impossible_date_is_refused() {
        for bad in ["9013011234", "9002301234", "9060011234"] {
            assert_eq!(
                PersonalNumber::parse(PersonalNumberKind::Egn, bad),
                Err(err("error-personal-number-date")),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_lnch_is_any_ten_digits() {
        let p = PersonalNumber::parse(PersonalNumberKind::Lnch, "1001234567").unwrap();
        assert_eq!(p.kind(), PersonalNumberKind::Lnch);
        assert_eq!(p.birth_date(), None);
        for bad in ["123456789", "12345678901", "12345abcde", ""] {
            assert_eq!(
                PersonalNumber::parse(PersonalNumberKind::Lnch, bad),
                Err(err("error-personal-number-format"))
            );
        }
    }

    #[test]
    fn an_egn_must_match_the_birth_date_entered() {
        let p = PersonalNumber::parse(PersonalNumberKind::Egn, EGN_1990).unwrap();
        let today = date!(2025 - 01 - 01);
        assert!(
            p.check_birth_date(BirthDate::new(date!(1990 - 05 - 04), today).unwrap())
                .is_ok()
        );
        assert_eq!(
            p.check_birth_date(BirthDate::new(date!(1990 - 04 - 05), today).unwrap()),
            Err(err("error-personal-number-birth-date-mismatch"))
        );
    }

    #[test]
    fn stored_numbers_are_revalidated() {
        let p = PersonalNumber::parse(PersonalNumberKind::Egn, EGN_1990).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"kind":"egn","number":"9005041230"}"#);
        assert_eq!(serde_json::from_str::<PersonalNumber>(&json).unwrap(), p);
        assert!(
            serde_json::from_str::<PersonalNumber>(r#"{"kind":"egn","number":"9005041231"}"#)
                .is_err()
        );
    }
}
