//! Password rules (OWASP ASVS level 2): at least 12 characters, at most 128, and
//! not one of the passwords attackers try first. Hashing is the store's job; here
//! we only decide what may become a password.

use crate::DomainError;

static COMMON: &str = include_str!("../data/common-passwords.txt");

/// A password a user chose that passed the rules. Deliberately neither `Debug`
/// with contents nor `Display`, so it cannot end up in a log line.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

impl NewPassword {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let len = s.chars().count();
        if len < MIN_LEN {
            return Err(DomainError::field("password", "error-password-short"));
        }
        if len > MAX_LEN {
            return Err(DomainError::field("password", "error-password-long"));
        }
        if is_common(s) {
            return Err(DomainError::field("password", "error-password-common"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn is_common(s: &str) -> bool {
    let lower = s.to_lowercase();
    COMMON
        .lines()
        .filter(|l| !l.starts_with('#'))
        .any(|l| l == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            NewPassword::parse("kratka-1").unwrap_err().key,
            "error-password-short"
        );
        // Eleven Cyrillic letters are eleven characters, not 22 bytes.
        assert!(NewPassword::parse("абвгдежзийк").is_err());
        assert!(NewPassword::parse("абвгдежзийкл").is_ok());
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(
            NewPassword::parse("Password1234").unwrap_err().key,
            "error-password-common"
        );
        assert_eq!(
            NewPassword::parse("парола123456").unwrap_err().key,
            "error-password-common"
        );
    }

    #[test]
    fn a_long_unusual_passphrase_is_accepted() {
        assert!(NewPassword::parse("зелена-липа-над-Витоша").is_ok());
    }

    #[test]
    fn debug_does_not_show_the_password() {
        let p = NewPassword::parse("зелена-липа-над-Витоша").unwrap();
        assert!(!format!("{p:?}").contains("липа"));
    }
}
