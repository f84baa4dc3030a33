//! Countries (citizenship, origin, transit, exploitation, return) as ISO 3166-1
//! alpha-3 codes, the form the CTDC codebook and Eurostat use.

use serde::{Deserialize, Serialize};

use super::countries::COUNTRIES;
use crate::DomainError;

/// A country in force under ISO 3166-1. Held as an index into the sorted table, so it is
/// `Copy` and orders by code; stored and exchanged as its alpha-3 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub struct Country(u8);

impl Country {
    /// Bulgaria, where every case of this system is registered.
    pub const BULGARIA: Country = Country::from_table("BGR");

    /// Accepts a three-letter code in either case, surrounding spaces ignored: codes
    /// come from forms and CSV imports as often as from the API.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let code = s.trim().to_ascii_uppercase();
        COUNTRIES
            .binary_search_by(|(c, _, _)| (*c).cmp(code.as_str()))
            .map(|i| Country(i as u8))
            .or_else(|_| {
                // A name picked or typed into the pages' country list.
                let name = s.trim().to_lowercase();
                COUNTRIES
                    .iter()
                    .position(|(_, bg, en)| bg.to_lowercase() == name || en.to_lowercase() == name)
                    .map(|i| Country(i as u8))
                    .ok_or(())
            })
            .map_err(|_| DomainError::field("country", "error-country-unknown"))
    }

    /// Every country, sorted by code (for pickers; the web layer sorts by label).
    pub fn all() -> impl Iterator<Item = Country> {
        (0..COUNTRIES.len()).map(|i| Country(i as u8))
    }

    pub fn code(self) -> &'static str {
        COUNTRIES[self.0 as usize].0
    }

    pub fn name_bg(self) -> &'static str {
        COUNTRIES[self.0 as usize].1
    }

    pub fn name_en(self) -> &'static str {
        COUNTRIES[self.0 as usize].2
    }

    /// Finds a code at compile time, so named constants cannot go stale silently.
    const fn from_table(code: &str) -> Country {
        let mut i = 0;
        while i < COUNTRIES.len() {
            if str_eq(COUNTRIES[i].0, code) {
                return Country(i as u8);
            }
            i += 1;
        }
        panic!("country code missing from the ISO table");
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl TryFrom<String> for Country {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Country> for &'static str {
    fn from(c: Country) -> &'static str {
        c.code()
    }
}

impl std::fmt::Display for Country {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_fits_the_index() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COUNTRIES.len() <= usize::from(u8::MAX) + 1);
        assert_eq!(COUNTRIES.len(), 249);
        for (code, bg, en) in COUNTRIES {
            assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(!bg.is_empty() && !en.is_empty(), "{code}");
        }
    }

    #[test]
    fn neighbours_and_frequent_destinations_are_named_in_both_languages() {
        let bgr = Country::parse("BGR").unwrap();
        assert_eq!(bgr, Country::BULGARIA);
        assert_eq!((bgr.name_bg(), bgr.name_en()), ("България", "Bulgaria"));
        let deu = Country::parse("deu").unwrap();
        assert_eq!((deu.name_bg(), deu.name_en()), ("Германия", "Germany"));
        assert_eq!(Country::parse(" grc ").unwrap().name_bg(), "Гърция");
        assert_eq!(Country::parse("UKR").unwrap().name_en(), "Ukraine");
    }

    #[test]
    fn unknown_and_two_letter_codes_are_refused() {
        for bad in ["", "BG", "XKX", "BGRR", "ZZZ", "БГР"] {
            assert_eq!(
                Country::parse(bad),
                Err(DomainError::field("country", "error-country-unknown")),
                "{bad}"
            );
        }
    }

    #[test]
    fn stored_as_the_code() {
        let c: Country = serde_json::from_str("\"ROU\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"ROU\"");
        assert!(serde_json::from_str::<Country>("\"ROM\"").is_err());
        assert_eq!(Country::all().count(), 249);
    }
}
