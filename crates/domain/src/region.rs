//! Bulgaria's 28 regions (области), by their ISO 3166-2:BG code. One list for every
//! module that places something in the country: where a hotline signal happened,
//! which organisations serve a region, where an outreach event was held.

use serde::{Deserialize, Serialize};

/// A region of Bulgaria. `parse` accepts only the 28 ISO 3166-2:BG codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Region(&'static RegionInfo);

/// A region's code and names.
#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionInfo {
    pub code: &'static str,
    pub bg: &'static str,
    pub en: &'static str,
}

/// The regions in the order of their codes.
pub static REGIONS: [RegionInfo; 28] = [
    RegionInfo {
        code: "BG-01",
        bg: "Благоевград",
        en: "Blagoevgrad",
    },
    RegionInfo {
        code: "BG-02",
        bg: "Бургас",
        en: "Burgas",
    },
    RegionInfo {
        code: "BG-03",
        bg: "Варна",
        en: "Varna",
    },
    RegionInfo {
        code: "BG-04",
        bg: "Велико Търново",
        en: "Veliko Tarnovo",
    },
    RegionInfo {
        code: "BG-05",
        bg: "Видин",
        en: "Vidin",
    },
    RegionInfo {
        code: "BG-06",
        bg: "Враца",
        en: "Vratsa",
    },
    RegionInfo {
        code: "BG-07",
        bg: "Габрово",
        en: "Gabrovo",
    },
    RegionInfo {
        code: "BG-08",
        bg: "Добрич",
        en: "Dobrich",
    },
    RegionInfo {
        code: "BG-09",
        bg: "Кърджали",
        en: "Kardzhali",
    },
    RegionInfo {
        code: "BG-10",
        bg: "Кюстендил",
        en: "Kyustendil",
    },
    RegionInfo {
        code: "BG-11",
        bg: "Ловеч",
        en: "Lovech",
    },
    RegionInfo {
        code: "BG-12",
        bg: "Монтана",
        en: "Montana",
    },
    RegionInfo {
        code: "BG-13",
        bg: "Пазарджик",
        en: "Pazardzhik",
    },
    RegionInfo {
        code: "BG-14",
        bg: "Перник",
        en: "Pernik",
    },
    RegionInfo {
        code: "BG-15",
        bg: "Плевен",
        en: "Pleven",
    },
    RegionInfo {
        code: "BG-16",
        bg: "Пловдив",
        en: "Plovdiv",
    },
    RegionInfo {
        code: "BG-17",
        bg: "Разград",
        en: "Razgrad",
    },
    RegionInfo {
        code: "BG-18",
        bg: "Русе",
        en: "Ruse",
    },
    RegionInfo {
        code: "BG-19",
        bg: "Силистра",
        en: "Silistra",
    },
    RegionInfo {
        code: "BG-20",
        bg: "Сливен",
        en: "Sliven",
    },
    RegionInfo {
        code: "BG-21",
        bg: "Смолян",
        en: "Smolyan",
    },
    RegionInfo {
        code: "BG-22",
        bg: "София (столица)",
        en: "Sofia City",
    },
    RegionInfo {
        code: "BG-23",
        bg: "София (област)",
        en: "Sofia Province",
    },
    RegionInfo {
        code: "BG-24",
        bg: "Стара Загора",
        en: "Stara Zagora",
    },
    RegionInfo {
        code: "BG-25",
        bg: "Търговище",
        en: "Targovishte",
    },
    RegionInfo {
        code: "BG-26",
        bg: "Хасково",
        en: "Haskovo",
    },
    RegionInfo {
        code: "BG-27",
        bg: "Шумен",
        en: "Shumen",
    },
    RegionInfo {
        code: "BG-28",
        bg: "Ямбол",
        en: "Yambol",
    },
];

impl Region {
    /// The region with this ISO code, e.g. `BG-22`.
    pub fn parse(code: &str) -> Option<Self> {
        REGIONS.iter().find(|r| r.code == code.trim()).map(Region)
    }

    pub fn all() -> impl Iterator<Item = Region> {
        REGIONS.iter().map(Region)
    }

    pub fn code(self) -> &'static str {
        self.0.code
    }

    /// The region's name in Bulgarian (`bg`) or English (anything else).
    pub fn name(self, lang: &str) -> &'static str {
        if lang == "bg" { self.0.bg } else { self.0.en }
    }
}

impl TryFrom<String> for Region {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Region::parse(&s).ok_or_else(|| format!("unknown region {s}"))
    }
}

impl From<Region> for String {
    fn from(r: Region) -> String {
        r.code().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_to_itself_and_nothing_else_does() {
        for (i, r) in Region::all().enumerate() {
            assert_eq!(r.code(), format!("BG-{:02}", i + 1));
            assert_eq!(Region::parse(r.code()), Some(r));
        }
        assert_eq!(Region::parse("BG-29"), None);
        assert_eq!(Region::parse("BG-00"), None);
        assert_eq!(Region::parse("София"), None);
        assert_eq!(
            Region::parse("BG-22").unwrap().name("bg"),
            "София (столица)"
        );
    }
}
