//! Zakrila's person fields, prepared for the built-in schema
//! (`schemas/zakrila-person-v1.json`), and the blocking keys derived from them.
//!
//! Names are normalised and transliterated before encoding, so "Иванова" and
//! "IVANOVA" give the same tokens; a third name column holds both names sorted,
//! so that a record with given and family name swapped still agrees on it.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zakrila_domain::translit::normalise_name;

use crate::encode::Secret;

/// The identifying and non-identifying fields of a person that linkage uses.
/// Names may be in any script; every field may be missing (empty / `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonRecord {
    pub given_name: String,
    pub family_name: String,
    /// ISO 8601 date, `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Free text; only its normalised first letter is used (f, m, …).
    pub sex: Option<String>,
    pub birth_year: Option<i32>,
    /// ISO 3166-1 alpha-3 code.
    pub citizenship: Option<String>,
}

/// Column identifiers of the built-in schema, in record order.
pub const PERSON_COLUMNS: [&str; 7] = [
    "given_name",
    "family_name",
    "names_sorted",
    "birth_date",
    "sex",
    "birth_year",
    "citizenship",
];

impl PersonRecord {
    /// The record in the built-in schema's column order, normalised. Missing
    /// values become "", the schema's missing-value sentinel.
    pub fn to_record(&self) -> [String; 7] {
        let given = normalise_name(&self.given_name);
        let family = normalise_name(&self.family_name);
        let mut names: Vec<&str> = given.split(' ').chain(family.split(' ')).collect();
        names.retain(|n| !n.is_empty());
        names.sort_unstable();
        let names_sorted = names.join(" ");
        let birth_year = self
            .birth_year
            .or_else(|| self.birth_date.as_deref()?.get(..4)?.parse().ok());
        [
            given,
            family,
            names_sorted,
            self.birth_date
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_owned(),
            self.sex
                .as_deref()
                .and_then(|s| normalise_name(s).chars().next())
                .map(String::from)
                .unwrap_or_default(),
            birth_year.map(|y| y.to_string()).unwrap_or_default(),
            self.citizenship
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_ascii_uppercase(),
        ]
    }

    /// Blocking keys: the birth year and a phonetic code of each name, each as
    /// a keyed hash so that the matcher learns only which records share a key.
    /// Two records are compared when they share at least one key; a record
    /// without any key gets none and is compared with nothing.
    pub fn block_keys(&self, secret: &Secret) -> Vec<u64> {
        let record = self.to_record();
        let mut plain: Vec<String> = record[2]
            .split(' ')
            .filter(|n| !n.is_empty())
            .map(|n| format!("name:{}", phonetic_key(n)))
            .collect();
        if !record[5].is_empty() {
            plain.push(format!("year:{}", record[5]));
        }
        plain.sort_unstable();
        plain.dedup();
        let mac = Hmac::<Sha256>::new_from_slice(&secret.blocking_key())
            .expect("HMAC takes any key length");
        plain
            .iter()
            .map(|p| {
                let mut m = mac.clone();
                m.update(p.as_bytes());
                let digest = m.finalize().into_bytes();
                u64::from_be_bytes(digest[..8].try_into().expect("digest has 32 bytes"))
            })
            .collect()
    }
}

/// American Soundex of a normalised Latin name ("shterev" → "S361"): it
/// forgives the vowel and doubled-consonant variants that transliteration and
/// typing produce. It keeps the first letter, so Jordanov and Yordanov differ;
/// the birth-year key still brings such a pair together.
pub fn phonetic_key(name: &str) -> String {
    let code = |c: char| match c {
        'b' | 'f' | 'p' | 'v' => Some('1'),
        'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => Some('2'),
        'd' | 't' => Some('3'),
        'l' => Some('4'),
        'm' | 'n' => Some('5'),
        'r' => Some('6'),
        _ => None,
    };
    let mut letters = name.chars().filter(char::is_ascii_alphabetic);
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut out = String::from(first.to_ascii_uppercase());
    let mut last = code(first);
    for c in letters {
        let d = code(c);
        if let Some(digit) = d
            && d != last
        {
            out.push(digit);
            if out.len() == 4 {
                break;
            }
        }
        // h and w do not separate equal codes; vowels do.
        if !matches!(c, 'h' | 'w') {
            last = d;
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_is_normalised() {
        let p = PersonRecord {
            given_name: "Мария".into(),
            family_name: "Иванова-Петрова".into(),
            birth_date: Some("1990-02-01".into()),
            sex: Some("Female".into()),
            birth_year: None,
            citizenship: Some("bgr".into()),
        };
        assert_eq!(
            p.to_record(),
            [
                "maria",
                "ivanova petrova",
                "ivanova maria petrova",
                "1990-02-01",
                "f",
                "1990",
                "BGR"
            ]
        );
        let missing = PersonRecord::default().to_record();
        assert!(missing.iter().all(String::is_empty));
    }

    #[test]
    fn soundex() {
        assert_eq!(phonetic_key("shterev"), "S361");
        assert_eq!(phonetic_key("ashcraft"), "A261");
        assert_eq!(phonetic_key("tymczak"), "T522");
        assert_eq!(phonetic_key("ivanova"), phonetic_key("ivanovva"));
        assert_eq!(phonetic_key(""), "");
    }

    #[test]
    fn swapped_names_share_blocks() {
        let secret = Secret::from("s");
        let a = PersonRecord {
            given_name: "Maria".into(),
            family_name: "Ivanova".into(),
            ..Default::default()
        };
        let b = PersonRecord {
            given_name: "ИВАНОВА".into(),
            family_name: "Мариа".into(),
            ..Default::default()
        };
        assert_eq!(a.block_keys(&secret), b.block_keys(&secret));
        assert!(PersonRecord::default().block_keys(&secret).is_empty());
    }
}
