//! Languages a person speaks, so interpreters and materials can be arranged.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Languages met in Bulgaria's counter-trafficking work: the victims' own languages
/// (Bulgarian, Romani, Turkish and those of the refugee centres' residents) and those of
/// the countries of exploitation. Codes are BCP 47 primary subtags: ISO 639-1 where one
/// exists, ISO 639-3 otherwise (Romani has no two-letter code). A curated list rather
/// than all of ISO 639, because each entry needs a Bulgarian name a caseworker
/// recognises; add entries here as the caseload needs them. Sorted by code.
const LANGUAGES: [(&str, &str, &str); 46] = [
    ("am", "амхарски", "Amharic"),
    ("ar", "арабски", "Arabic"),
    ("az", "азербайджански", "Azerbaijani"),
    ("bg", "български", "Bulgarian"),
    ("bn", "бенгалски", "Bengali"),
    ("ckb", "кюрдски (сорани)", "Kurdish (Sorani)"),
    ("cs", "чешки", "Czech"),
    ("da", "датски", "Danish"),
    ("de", "немски", "German"),
    ("el", "гръцки", "Greek"),
    ("en", "английски", "English"),
    ("es", "испански", "Spanish"),
    ("fa", "персийски (фарси, дари)", "Persian (Farsi, Dari)"),
    ("fr", "френски", "French"),
    ("ha", "хауса", "Hausa"),
    ("hi", "хинди", "Hindi"),
    ("hu", "унгарски", "Hungarian"),
    ("hy", "арменски", "Armenian"),
    ("it", "италиански", "Italian"),
    ("ka", "грузински", "Georgian"),
    ("kk", "казахски", "Kazakh"),
    ("kmr", "кюрдски (курманджи)", "Kurdish (Kurmanji)"),
    ("ky", "киргизки", "Kyrgyz"),
    ("mk", "македонски", "Macedonian"),
    ("nl", "нидерландски", "Dutch"),
    ("no", "норвежки", "Norwegian"),
    ("pa", "пенджабски", "Punjabi"),
    ("pl", "полски", "Polish"),
    ("ps", "пущу", "Pashto"),
    ("pt", "португалски", "Portuguese"),
    ("ro", "румънски", "Romanian"),
    ("rom", "ромски", "Romani"),
    ("ru", "руски", "Russian"),
    ("sk", "словашки", "Slovak"),
    ("so", "сомалийски", "Somali"),
    ("sq", "албански", "Albanian"),
    ("sr", "сръбски", "Serbian"),
    ("sv", "шведски", "Swedish"),
    ("tg", "таджикски", "Tajik"),
    ("ti", "тигриня", "Tigrinya"),
    ("tk", "туркменски", "Turkmen"),
    ("tr", "турски", "Turkish"),
    ("uk", "украински", "Ukrainian"),
    ("ur", "урду", "Urdu"),
    ("uz", "узбекски", "Uzbek"),
    ("vi", "виетнамски", "Vietnamese"),
];

/// A language from the table above; stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub struct Language(u8);

impl Language {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let code = s.trim().to_ascii_lowercase();
        LANGUAGES
            .binary_search_by(|(c, _, _)| (*c).cmp(code.as_str()))
            .map(|i| Language(i as u8))
            .map_err(|_| DomainError::field("languages", "error-language-unknown"))
    }

    pub fn all() -> impl Iterator<Item = Language> {
        (0..LANGUAGES.len()).map(|i| Language(i as u8))
    }

    pub fn code(self) -> &'static str {
        LANGUAGES[self.0 as usize].0
    }

    pub fn name_bg(self) -> &'static str {
        LANGUAGES[self.0 as usize].1
    }

    pub fn name_en(self) -> &'static str {
        LANGUAGES[self.0 as usize].2
    }
}

impl TryFrom<String> for Language {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Language> for &'static str {
    fn from(l: Language) -> &'static str {
        l.code()
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_unique() {
        assert!(LANGUAGES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(Language::all().count(), LANGUAGES.len());
    }

    #[test]
    fn romani_and_bulgarian_are_known() {
        let rom = Language::parse("rom").unwrap();
        assert_eq!((rom.name_bg(), rom.name_en()), ("ромски", "Romani"));
        assert_eq!(Language::parse("BG").unwrap().name_bg(), "български");
    }

    #[test]
    fn unknown_codes_are_refused() {
        for bad in ["", "xx", "bul", "english"] {
            assert_eq!(
                Language::parse(bad),
                Err(DomainError::field("languages", "error-language-unknown"))
            );
        }
    }

    #[test]
    fn stored_as_the_code() {
        let l: Language = serde_json::from_str("\"tr\"").unwrap();
        assert_eq!(serde_json::to_string(&l).unwrap(), "\"tr\"");
    }
}
