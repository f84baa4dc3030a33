//! The coarse groups the Eurostat tables break down by, and the words each code of
//! every table dimension is read as.

use zakrila_domain::case::{AgeBand, Country, ExploitationForm, LegalStatus, Sex};

/// The other 26 member states of the European Union (ISO 3166-1 alpha-3).
const EU_OTHER: [&str; 26] = [
    "AUT", "BEL", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN",
    "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE",
];

/// Eurostat's citizenship groups, seen from Bulgaria.
pub fn citizenship_group(c: Option<Country>) -> &'static str {
    match c {
        None => "unknown",
        Some(c) if c == Country::BULGARIA => "national",
        Some(c) if EU_OTHER.contains(&c.code()) => "eu",
        Some(_) => "non_eu",
    }
}

/// Eurostat's age groups: children and adults.
pub fn age_group(band: Option<AgeBand>, is_child: bool) -> &'static str {
    match band {
        Some(b) if b.is_child() => "child",
        Some(_) => "adult",
        // The presumption of minority: a person of unknown age presumed a child.
        None if is_child => "child",
        None => "unknown",
    }
}

/// The words for `code` of dimension `dim` in Bulgarian (`bg`) or English.
pub fn label(dim: &str, code: &str, bg: bool) -> String {
    let pick = |b: &'static str, e: &'static str| if bg { b } else { e }.to_owned();
    let fixed = match (dim, code) {
        (_, "yes") => Some(pick("да", "yes")),
        (_, "no") => Some(pick("не", "no")),
        ("citizenship", "national") => Some(pick("български граждани", "nationals")),
        ("citizenship", "eu") => Some(pick("граждани на други държави от ЕС", "other EU citizens")),
        ("citizenship", "non_eu") => Some(pick("граждани на трети държави", "non-EU citizens")),
        ("citizenship", "unknown") | ("age", "unknown") => Some(pick("неизвестно", "unknown")),
        ("age", "child") => Some(pick("деца (под 18)", "children (under 18)")),
        ("age", "adult") => Some(pick("възрастни (18+)", "adults (18+)")),
        _ => None,
    };
    if let Some(f) = fixed {
        return f;
    }
    let vocab = match dim {
        "sex" => Sex::parse(code).ok().map(|v| (v.label_bg(), v.label_en())),
        "form" => ExploitationForm::parse(code)
            .ok()
            .map(|v| (v.label_bg(), v.label_en())),
        "legal_status" => LegalStatus::parse(code)
            .ok()
            .map(|v| (v.label_bg(), v.label_en())),
        "age_band" => AgeBand::parse(code)
            .ok()
            .map(|v| (v.label_bg(), v.label_en())),
        _ => None,
    };
    match vocab {
        Some((b, e)) => pick(b, e),
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizenship_groups_seen_from_bulgaria() {
        let c = |s| Some(Country::parse(s).unwrap());
        assert_eq!(citizenship_group(c("BGR")), "national");
        assert_eq!(citizenship_group(c("ROU")), "eu");
        assert_eq!(citizenship_group(c("DEU")), "eu");
        assert_eq!(citizenship_group(c("UKR")), "non_eu");
        assert_eq!(citizenship_group(c("TUR")), "non_eu");
        assert_eq!(citizenship_group(None), "unknown");
        for code in EU_OTHER {
            assert!(Country::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn age_groups_keep_the_presumption_of_minority() {
        assert_eq!(age_group(Some(AgeBand::Age9To17), false), "child");
        assert_eq!(age_group(Some(AgeBand::Age18To20), false), "adult");
        assert_eq!(age_group(None, true), "child");
        assert_eq!(age_group(None, false), "unknown");
    }

    #[test]
    fn every_code_reads_as_words() {
        assert_eq!(label("sex", "female", true), "жена");
        assert_eq!(label("form", "labour", false), "labour exploitation");
        assert_eq!(label("citizenship", "eu", false), "other EU citizens");
        assert_eq!(label("legal_status", "convicted", true), "осъден");
    }
}
