//! A person's non-identifying profile values: sex, date of birth and age band.

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use super::dates::parse_date;
use crate::DomainError;

vocabulary! {
    /// Sex or gender as CTDC records it (its `gender` variable: Woman, Man,
    /// Trans/Transgender/NonConforming, or missing). `Unknown` is recorded explicitly so
    /// "not asked" and "did not say" are not confused with a forgotten field.
    pub enum Sex in "sex" {
        Female = "female", "жена", "female";
        Male = "male", "мъж", "male";
        /// CTDC's Trans/Transgender/NonConforming.
        Other = "other", "друг", "other";
        Unknown = "unknown", "неизвестен", "unknown";
    }
}

vocabulary! {
    /// CTDC's `ageBroad` bands: age at identification or registration. Statistics and
    /// exports use the band, never the date of birth.
    pub enum AgeBand in "age_band" {
        Age0To8 = "0-8", "0–8", "0–8";
        Age9To17 = "9-17", "9–17", "9–17";
        Age18To20 = "18-20", "18–20", "18–20";
        Age21To23 = "21-23", "21–23", "21–23";
        Age24To26 = "24-26", "24–26", "24–26";
        Age27To29 = "27-29", "27–29", "27–29";
        Age30To38 = "30-38", "30–38", "30–38";
        Age39To47 = "39-47", "39–47", "39–47";
        Age48Plus = "48+", "48+", "48+";
    }
}

impl AgeBand {
    pub fn from_age(years: u32) -> Self {
        match years {
            0..=8 => Self::Age0To8,
            9..=17 => Self::Age9To17,
            18..=20 => Self::Age18To20,
            21..=23 => Self::Age21To23,
            24..=26 => Self::Age24To26,
            27..=29 => Self::Age27To29,
            30..=38 => Self::Age30To38,
            39..=47 => Self::Age39To47,
            _ => Self::Age48Plus,
        }
    }

    /// The band of someone born on `birth` on the day `on`.
    pub fn at(birth: BirthDate, on: Date) -> Self {
        Self::from_age(birth.age_on(on))
    }

    pub fn is_child(self) -> bool {
        matches!(self, Self::Age0To8 | Self::Age9To17)
    }
}

/// A date of birth: not before 1900 and not in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BirthDate(Date);

impl BirthDate {
    const EARLIEST: Date = date!(1900 - 01 - 01);

    /// Parses an input `YYYY-MM-DD`, checked against `today` (the caller's clock, so the
    /// rule is testable).
    pub fn parse(s: &str, today: Date) -> Result<Self, DomainError> {
        let d = parse_date(s, "birth_date")
            .map_err(|_| DomainError::field("birth_date", "error-birth-date-format"))?;
        Self::new(d, today)
    }

    pub fn new(d: Date, today: Date) -> Result<Self, DomainError> {
        if d > today {
            return Err(DomainError::field("birth_date", "error-birth-date-future"));
        }
        Self::stored(d)
    }

    /// The check a stored value can still pass: the "not in the future" rule was applied
    /// when it was entered, and re-applying it would need a clock here.
    fn stored(d: Date) -> Result<Self, DomainError> {
        if d < Self::EARLIEST {
            return Err(DomainError::field(
                "birth_date",
                "error-birth-date-too-early",
            ));
        }
        Ok(Self(d))
    }

    pub fn date(self) -> Date {
        self.0
    }

    /// Completed years on `on` (0 before the birth date, which `new` rules out anyway).
    /// Someone born on 29 February comes of age on 1 March in common years.
    pub fn age_on(self, on: Date) -> u32 {
        let years = on.year() - self.0.year();
        let before_birthday =
            (u8::from(on.month()), on.day()) < (u8::from(self.0.month()), self.0.day());
        u32::try_from(years - i32::from(before_birthday)).unwrap_or(0)
    }

    /// Under 18 on `on`: the age that makes the person a child victim.
    pub fn is_child_on(self, on: Date) -> bool {
        self.age_on(on) < 18
    }
}

impl TryFrom<String> for BirthDate {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let d = parse_date(&s, "birth_date")
            .map_err(|_| DomainError::field("birth_date", "error-birth-date-format"))?;
        Self::stored(d)
    }
}

impl From<BirthDate> for String {
    fn from(b: BirthDate) -> String {
        let d = b.0;
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = date!(2025 - 06 - 15);

    #[test]
    fn a_birth_date_in_the_future_is_refused() {
        assert_eq!(
            BirthDate::parse("2025-06-16", TODAY),
            Err(DomainError::field("birth_date", "error-birth-date-future"))
        );
        assert!(BirthDate::parse("2025-06-15", TODAY).is_ok());
    }

    #[test]
    fn a_birth_date_before_1900_or_malformed_is_refused() {
        assert_eq!(
            BirthDate::parse("1899-12-31", TODAY),
            Err(DomainError::field(
                "birth_date",
                "error-birth-date-too-early"
            ))
        );
        assert_eq!(
            BirthDate::parse("15.06.2000", TODAY),
            Err(DomainError::field("birth_date", "error-birth-date-format"))
        );
    }

    #[test]
    fn age_counts_completed_years() {
        let b = BirthDate::parse("2007-06-16", TODAY).unwrap();
        assert_eq!(b.age_on(TODAY), 17);
        assert!(b.is_child_on(TODAY));
        assert_eq!(b.age_on(date!(2025 - 06 - 16)), 18);
        assert!(!b.is_child_on(date!(2025 - 06 - 16)));
        let leap = BirthDate::parse("2008-02-29", TODAY).unwrap();
        assert_eq!(leap.age_on(date!(2026 - 02 - 28)), 17);
        assert_eq!(leap.age_on(date!(2026 - 03 - 01)), 18);
    }

    #[test]
    fn age_bands_follow_the_ctdc_boundaries() {
        let cases = [
            (0, AgeBand::Age0To8),
            (8, AgeBand::Age0To8),
            (9, AgeBand::Age9To17),
            (17, AgeBand::Age9To17),
            (18, AgeBand::Age18To20),
            (23, AgeBand::Age21To23),
            (24, AgeBand::Age24To26),
            (29, AgeBand::Age27To29),
            (30, AgeBand::Age30To38),
            (47, AgeBand::Age39To47),
            (48, AgeBand::Age48Plus),
            (90, AgeBand::Age48Plus),
        ];
        for (age, band) in cases {
            assert_eq!(AgeBand::from_age(age), band, "{age}");
        }
        let b = BirthDate::parse("2000-01-01", TODAY).unwrap();
        assert_eq!(AgeBand::at(b, TODAY).as_str(), "24-26");
        assert!(AgeBand::Age9To17.is_child() && !AgeBand::Age18To20.is_child());
    }

    #[test]
    fn sex_uses_stable_strings() {
        assert_eq!(Sex::parse("female"), Ok(Sex::Female));
        assert_eq!(Sex::Male.label_bg(), "мъж");
        assert_eq!(
            Sex::parse("F"),
            Err(DomainError::field("sex", "error-unknown-value"))
        );
        assert_eq!(serde_json::to_string(&Sex::Unknown).unwrap(), "\"unknown\"");
    }

    #[test]
    fn stored_birth_dates_round_trip() {
        let b: BirthDate = serde_json::from_str("\"1990-05-04\"").unwrap();
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"1990-05-04\"");
        assert!(serde_json::from_str::<BirthDate>("\"1800-05-04\"").is_err());
    }
}
