//! Staff accounts: the values a user account is made of.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// An e-mail address, lower-cased so that sign-in does not depend on case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// The longest address SMTP allows (RFC 5321 path limit).
    pub const MAX_LEN: usize = 254;

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_lowercase();
        let valid = s.len() <= Self::MAX_LEN
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            })
            && !s.chars().any(char::is_whitespace);
        if valid {
            Ok(Self(s))
        } else {
            Err(DomainError::field("email", "error-email"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        Self::parse(&s)
    }
}
impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

/// The interface language of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Bg,
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Bg => "bg",
            Locale::En => "en",
        }
    }
    /// Unknown values fall back to Bulgarian, the default language.
    pub fn from_tag(s: &str) -> Self {
        if s.trim().to_ascii_lowercase().starts_with("en") {
            Locale::En
        } else {
            Locale::Bg
        }
    }

    /// The Bulgarian or the English form of a label, whichever this language reads:
    /// the one place a bilingual label chooses, so views never branch on the locale.
    pub fn pick<T>(self, bg: T, en: T) -> T {
        match self {
            Locale::Bg => bg,
            Locale::En => en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" Maria@IOM.int ").unwrap().as_str(),
            "maria@iom.int"
        );
        for bad in [
            "",
            "maria",
            "maria@",
            "@iom.int",
            "maria@iom",
            "ma ria@iom.int",
            "a@b@c.d",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn locale_defaults_to_bulgarian() {
        assert_eq!(Locale::from_tag("en-GB"), Locale::En);
        assert_eq!(Locale::from_tag("de"), Locale::Bg);
    }
}
