//! Identity values typed by hand: names and phone numbers.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A given or family name in Cyrillic or Latin script (diacritics included: Turkish,
/// Romanian and Vietnamese names are Latin too). Letters plus space, hyphen and
/// apostrophe; 1–100 characters after trimming; runs of spaces collapse to one.
///
/// One name is in one script: a Latin letter inside a Cyrillic name ("Иvanova") is
/// almost always a look-alike typed on the wrong keyboard, and it would make the name
/// invisible to search and to the duplicate check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

#[derive(PartialEq)]
enum Script {
    Cyrillic,
    Latin,
}

fn script(c: char) -> Option<Script> {
    match c {
        '\u{0400}'..='\u{052F}' if c.is_alphabetic() => Some(Script::Cyrillic),
        'A'..='Z' | 'a'..='z' => Some(Script::Latin),
        // Latin-1 letters, Latin Extended-A/B and Latin Extended Additional; the
        // alphabetic test drops × and ÷, which sit inside the Latin-1 block.
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' if c.is_alphabetic() => {
            Some(Script::Latin)
        }
        _ => None,
    }
}

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let err = |key| DomainError::field("name", key);
        let name = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(err("error-person-name-empty"));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(err("error-person-name-too-long"));
        }
        let mut seen: Option<Script> = None;
        for c in name.chars() {
            match script(c) {
                Some(s) if seen.as_ref().is_some_and(|seen| *seen != s) => {
                    return Err(err("error-person-name-mixed-scripts"));
                }
                Some(s) => seen = Some(s),
                None if matches!(c, ' ' | '-' | '\'' | '’') => {}
                None => return Err(err("error-person-name-characters")),
            }
        }
        // Punctuation alone ("-", "'") is not a name.
        if seen.is_none() {
            return Err(err("error-person-name-characters"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> String {
        n.0
    }
}

/// A phone number, kept as `+` and digits only so the blind index matches however it
/// was typed. A leading `00` becomes `+`; 6 to 15 digits (E.164 allows 15).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let err = || DomainError::field("phone", "error-phone-format");
        let s = s.trim();
        let (plus, rest) = match s.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => match s.strip_prefix("00") {
                Some(rest) => (true, rest),
                None => (false, s),
            },
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '(' | ')' | '/' | '.' => {}
                _ => return Err(err()),
            }
        }
        if !(6..=15).contains(&digits.len()) {
            return Err(err());
        }
        Ok(Self(if plus { format!("+{digits}") } else { digits }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(r: Result<PersonName, DomainError>) -> &'static str {
        r.unwrap_err().key
    }

    #[test]
    fn names_in_either_script_are_accepted_and_tidied() {
        assert_eq!(PersonName::parse("  Иванова ").unwrap().as_str(), "Иванова");
        assert_eq!(
            PersonName::parse("Анна-Мария").unwrap().as_str(),
            "Анна-Мария"
        );
        assert_eq!(PersonName::parse("O'Brien").unwrap().as_str(), "O'Brien");
        assert_eq!(
            PersonName::parse("Şahin  Öztürk").unwrap().as_str(),
            "Şahin Öztürk"
        );
        assert_eq!(PersonName::parse("Nguyễn").unwrap().as_str(), "Nguyễn");
        assert_eq!(
            PersonName::parse("Д’Артанян").unwrap().as_str(),
            "Д’Артанян"
        );
    }

    #[test]
    fn empty_long_and_odd_names_are_refused() {
        assert_eq!(key(PersonName::parse("   ")), "error-person-name-empty");
        assert_eq!(
            key(PersonName::parse(&"а".repeat(101))),
            "error-person-name-too-long"
        );
        assert!(PersonName::parse(&"а".repeat(100)).is_ok());
        assert_eq!(
            key(PersonName::parse("Ivan2")),
            "error-person-name-characters"
        );
        assert_eq!(
            key(PersonName::parse("Ivan.")),
            "error-person-name-characters"
        );
        assert_eq!(key(PersonName::parse("-")), "error-person-name-characters");
        assert_eq!(
            key(PersonName::parse("Ivan × Petrov")),
            "error-person-name-characters"
        );
        assert_eq!(
            key(PersonName::parse("محمد")),
            "error-person-name-characters"
        );
    }

    #[test]
    fn a_name_mixing_cyrillic_and_latin_look_alikes_is_refused() {
        assert_eq!(
            key(PersonName::parse("Иvanova")),
            "error-person-name-mixed-scripts"
        );
        // "Ивaнова" with a Latin "a".
        assert_eq!(
            key(PersonName::parse("Ив\u{0061}нова")),
            "error-person-name-mixed-scripts"
        );
    }

    #[test]
    fn phone_numbers_are_normalised() {
        assert_eq!(
            PhoneNumber::parse("+359 88 123 4567").unwrap().as_str(),
            "+359881234567"
        );
        assert_eq!(
            PhoneNumber::parse("00359-88-123-4567").unwrap().as_str(),
            "+359881234567"
        );
        assert_eq!(
            PhoneNumber::parse("02 93 94 777").unwrap().as_str(),
            "029394777"
        );
        for bad in ["", "12345", "+359 88 abc", "+1234567890123456"] {
            assert_eq!(
                PhoneNumber::parse(bad),
                Err(DomainError::field("phone", "error-phone-format"))
            );
        }
    }
}
