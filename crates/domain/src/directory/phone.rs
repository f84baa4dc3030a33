//! Telephone numbers as Bulgarian directories write them (`02 93 94 777`,
//! `0800 20 100`, `+359 2 807 80 50`, `116 111`), with a label saying what the line
//! is ("national hotline, free").

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A telephone number: digits with spaces, hyphens, dots or brackets between them,
/// an optional leading `+`; 3 to 15 digits. Kept as written, for reading aloud.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        let body = s.strip_prefix('+').unwrap_or(s);
        let digits = body.chars().filter(char::is_ascii_digit).count();
        let ok = (3..=15).contains(&digits)
            && body
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '(')
            && body
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'));
        if ok {
            Ok(Self(s.split_whitespace().collect::<Vec<_>>().join(" ")))
        } else {
            Err(DomainError::field("phones", "error-contact-phone"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `tel:` form a phone dials: national numbers (leading 0) get Bulgaria's
    /// +359; short numbers (112, 116 111) stay as they are.
    pub fn tel(&self) -> String {
        let plus = self.0.starts_with('+');
        let digits: String = self.0.chars().filter(char::is_ascii_digit).collect();
        if plus {
            format!("+{digits}")
        } else if let Some(rest) = digits.strip_prefix("00") {
            format!("+{rest}")
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("+359{rest}")
        } else {
            digits
        }
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        Self::parse(&s)
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> String {
        p.0
    }
}

/// A phone of an organisation with what it is for, in both languages. A hotline is
/// listed first on the public home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub number: PhoneNumber,
    pub label_bg: String,
    pub label_en: String,
    #[serde(default)]
    pub hotline: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written_in_bulgaria_parse_and_dial() {
        let p = |s: &str| PhoneNumber::parse(s).unwrap();
        assert_eq!(p("02 93 94 777").tel(), "+35929394777");
        assert_eq!(p("+359 (2) 93-94-733").tel(), "+35929394733");
        assert_eq!(p("0800 20 100").tel(), "+35980020100");
        assert_eq!(p("116 111").tel(), "116111");
        assert_eq!(p("112").tel(), "112");
        assert_eq!(p("  0700  17 670 ").as_str(), "0700 17 670");
        for bad in [
            "",
            "12",
            "call 112",
            "+",
            "02 93 94 777 ext",
            "1234567890123456",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
    }
}
