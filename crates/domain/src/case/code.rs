//! The pseudonymous case code, used wherever a person's name is not needed.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// `BG-2025-000123`: country, year of registration, a six-digit sequence within the
/// year. It names a case without naming the person, so it is what appears in lists,
/// URLs, exports and conversations between organisations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseCode(String);

impl CaseCode {
    /// The highest sequence number a year can hold in six digits.
    pub const MAX_SEQ: u32 = 999_999;

    /// Builds the code for the `seq`-th case of `year`. Years are four digits and
    /// sequences start at 1, as the store allocates them.
    pub fn new(year: i32, seq: u32) -> Result<Self, DomainError> {
        if !(1000..=9999).contains(&year) || !(1..=Self::MAX_SEQ).contains(&seq) {
            return Err(DomainError::field("code", "error-case-code"));
        }
        Ok(Self(format!("BG-{year}-{seq:06}")))
    }

    /// Accepts the canonical form only, after trimming and upper-casing, so that a code
    /// typed as `bg-2025-000123` in the search box still finds its case.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_ascii_uppercase();
        let err = || DomainError::field("code", "error-case-code");
        let rest = s.strip_prefix("BG-").ok_or_else(err)?;
        let (year, seq) = rest.split_once('-').ok_or_else(err)?;
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(seq, 6) {
            return Err(err());
        }
        Self::new(
            year.parse().map_err(|_| err())?,
            seq.parse().map_err(|_| err())?,
        )
    }

    pub fn year(&self) -> i32 {
        self.0[3..7]
            .parse()
            .expect("a CaseCode always holds a four-digit year")
    }

    pub fn seq(&self) -> u32 {
        self.0[8..]
            .parse()
            .expect("a CaseCode always holds a six-digit sequence")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CaseCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CaseCode> for String {
    fn from(c: CaseCode) -> String {
        c.0
    }
}

impl std::fmt::Display for CaseCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_123rd_case_of_2025_is_bg_2025_000123() {
        let code = CaseCode::new(2025, 123).unwrap();
        assert_eq!(code.as_str(), "BG-2025-000123");
        assert_eq!(code.year(), 2025);
        assert_eq!(code.seq(), 123);
    }

    #[test]
    fn a_code_typed_in_lower_case_with_spaces_is_understood() {
        assert_eq!(
            CaseCode::parse(" bg-2025-000123 ").unwrap().as_str(),
            "BG-2025-000123"
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "BG-2025-123",
            "BG-25-000123",
            "RO-2025-000123",
            "BG-2025-000000",
            "BG-2025-0001234",
            "BG-2025-00012a",
            "BG2025000123",
            "BG-+025-000123",
        ] {
            assert_eq!(
                CaseCode::parse(bad),
                Err(DomainError::field("code", "error-case-code")),
                "{bad}"
            );
        }
    }

    #[test]
    fn sequence_zero_and_overflow_are_refused() {
        assert!(CaseCode::new(2025, 0).is_err());
        assert!(CaseCode::new(2025, 1_000_000).is_err());
        assert!(CaseCode::new(999, 1).is_err());
    }

    #[test]
    fn serde_goes_through_parse() {
        let code: CaseCode = serde_json::from_str("\"BG-2026-000001\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"BG-2026-000001\"");
        assert!(serde_json::from_str::<CaseCode>("\"BG-2026-1\"").is_err());
    }
}
