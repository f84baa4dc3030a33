//! The CTDC 2024 export: one row per victim with exactly the 27 columns of the
//! Global Synthetic Data Codebook (version 2, February 2024, section 5), in its order
//! and with its value spellings, made k-anonymous over the quasi-identifiers
//! (gender, ageBroad, citizenship, CountryOfExploitation).
//!
//! The mapping from Zakrila's vocabulary to the codebook lives here and only here.
//! The domain's `ctdc_variable` names follow the codebook's detailed descriptions;
//! where those differ from its list of variables (variable 14 is listed as
//! `meansWithholdDocs` and described as `meansWithholdDocuments`), the list — the
//! columns of the published CSV — wins.

use std::collections::HashMap;

use serde::Serialize;
use zakrila_domain::case::{
    AgeBand, LabourSector, MeansOfControl, RecruiterRelation, Sex, SexualExploitationType,
    TraffickingDuration,
};

use crate::csv;
use crate::record::VictimRecord;

/// The codebook's columns, in its order.
pub const COLUMNS: [&str; 27] = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
];

/// The quasi-identifiers, in the order they are generalised away when rare.
pub const QUASI_IDENTIFIERS: [&str; 4] =
    ["ageBroad", "citizenship", "CountryOfExploitation", "gender"];

/// The codebook's `gender` values; `None` is its NULL (written blank).
pub fn gender(sex: Sex) -> Option<&'static str> {
    match sex {
        Sex::Female => Some("Woman"),
        Sex::Male => Some("Man"),
        Sex::Other => Some("Trans/Transgender/NonConforming"),
        Sex::Unknown => None,
    }
}

/// The codebook's `ageBroad` values, spelt with its em dash.
pub fn age_broad(band: AgeBand) -> &'static str {
    match band {
        AgeBand::Age0To8 => "0\u{2014}8",
        AgeBand::Age9To17 => "9\u{2014}17",
        AgeBand::Age18To20 => "18\u{2014}20",
        AgeBand::Age21To23 => "21\u{2014}23",
        AgeBand::Age24To26 => "24\u{2014}26",
        AgeBand::Age27To29 => "27\u{2014}29",
        AgeBand::Age30To38 => "30\u{2014}38",
        AgeBand::Age39To47 => "39\u{2014}47",
        AgeBand::Age48Plus => "48+",
    }
}

/// The codebook's `traffickMonths` values.
pub fn traffick_months(d: TraffickingDuration) -> &'static str {
    match d {
        TraffickingDuration::UpToOneYear => "0\u{2014}12 (0-1 yr)",
        TraffickingDuration::OneToTwoYears => "13\u{2014}24 (1-2 yrs)",
        TraffickingDuration::OverTwoYears => "25+ (2+ yrs)",
    }
}

/// The codebook column a means of control is flagged in.
pub fn means_column(m: MeansOfControl) -> &'static str {
    match m {
        MeansOfControl::WithholdDocuments => "meansWithholdDocs",
        other => other.ctdc_variable(),
    }
}

/// One exported row: a value (or blank, the codebook's NULL) per column.
pub type Row = [String; 27];

/// The row of one victim record, before suppression.
pub fn row(v: &VictimRecord) -> Row {
    let mut r: Row = Default::default();
    let mut set = |col: &str, val: &str| {
        let i = COLUMNS
            .iter()
            .position(|c| *c == col)
            .expect("a codebook column");
        r[i] = val.to_owned();
    };
    set("yearOfRegistration", &v.year.to_string());
    set("gender", gender(v.sex).unwrap_or(""));
    set("ageBroad", v.age_band.map_or("", age_broad));
    set("citizenship", v.citizenship.map_or("", |c| c.code()));
    set(
        "CountryOfExploitation",
        v.exploitation_country.map_or("", |c| c.code()),
    );
    set("traffickMonths", v.duration.map_or("", traffick_months));
    for m in &v.means_of_control {
        set(means_column(*m), "1");
    }
    for f in &v.forms {
        set(f.ctdc_variable(), "1");
    }
    for s in &v.labour_sectors {
        if let Some(col) = LabourSector::ctdc_variable(*s) {
            set(col, "1");
        }
    }
    for s in &v.sexual_types {
        if let Some(col) = SexualExploitationType::ctdc_variable(*s) {
            set(col, "1");
        }
    }
    for rel in &v.recruiter_relations {
        set(RecruiterRelation::ctdc_variable(*rel), "1");
    }
    r
}

/// What k-anonymisation cost: how many records had which column generalised (to the
/// codebook's NULL) and how many had to be left out, so the loss is visible.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub k: u64,
    pub records_in: u64,
    pub records_out: u64,
    pub records_suppressed: u64,
    /// Records generalised per quasi-identifier column, in the order tried.
    pub generalised: Vec<(String, u64)>,
}

fn qi_key(r: &Row) -> [String; 4] {
    QUASI_IDENTIFIERS.map(|col| {
        let i = COLUMNS
            .iter()
            .position(|c| *c == col)
            .expect("a codebook column");
        r[i].clone()
    })
}

fn rare(rows: &[Row], k: u64) -> Vec<bool> {
    let mut counts: HashMap<[String; 4], u64> = HashMap::new();
    for r in rows {
        *counts.entry(qi_key(r)).or_default() += 1;
    }
    rows.iter().map(|r| counts[&qi_key(r)] < k).collect()
}

/// Makes the rows k-anonymous over the quasi-identifiers: a record whose
/// combination occurs fewer than `k` times has its age band blanked, then (if still
/// rare) its citizenship, then its country of exploitation, then its gender; a
/// record still rare after all four is left out. Blanking is the only generalisation
/// that keeps every value a codebook spelling (the codebook has no broader bands).
pub fn anonymise(mut rows: Vec<Row>, k: u64) -> (Vec<Row>, Suppression) {
    let mut report = Suppression {
        k,
        records_in: rows.len() as u64,
        ..Default::default()
    };
    for col in QUASI_IDENTIFIERS {
        let i = COLUMNS
            .iter()
            .position(|c| *c == col)
            .expect("a codebook column");
        let mut changed = 0;
        let flags = rare(&rows, k);
        for (r, is_rare) in rows.iter_mut().zip(flags) {
            if is_rare && !r[i].is_empty() {
                r[i].clear();
                changed += 1;
            }
        }
        report.generalised.push((col.to_owned(), changed));
    }
    let keep = rare(&rows, k);
    let rows: Vec<Row> = rows
        .into_iter()
        .zip(keep)
        .filter(|(_, is_rare)| !is_rare)
        .map(|(r, _)| r)
        .collect();
    report.records_out = rows.len() as u64;
    report.records_suppressed = report.records_in - report.records_out;
    (rows, report)
}

/// The CTDC CSV of the victims of `year`, k-anonymous, with its suppression report.
pub fn export(year: i32, victims: &[VictimRecord], k: u64) -> (String, Suppression) {
    let rows: Vec<Row> = victims.iter().filter(|v| v.year == year).map(row).collect();
    let (rows, report) = anonymise(rows, k);
    let mut out = String::new();
    csv::line(&mut out, COLUMNS);
    for r in &rows {
        csv::line(&mut out, r.iter().map(String::as_str));
    }
    (out, report)
}

#[cfg(test)]
mod tests {
    use zakrila_domain::case::{Country, ExploitationForm};

    use super::*;

    /// The column list of the codebook shipped in the repository's reference folder,
    /// copied here so the crate stays free of I/O.
    const CODEBOOK_LIST: &str = "1 yearOfRegistration 2 gender 3 ageBroad 4 citizenship \
        5 CountryOfExploitation 6 traffickMonths 7 meansDebtBondageEarnings 8 meansThreats \
        9 meansAbusePsyPhySex 10 meansFalsePromises 11 meansDrugsAlcohol \
        12 meansDenyBasicNeeds 13 meansExcessiveWorkHours 14 meansWithholdDocs \
        15 isForcedLabour 16 isSexualExploit 17 isOtherExploit 18 typeOfLabourAgriculture \
        19 typeOfLabourConstruction 20 typeOfLabourDomesticWork 21 typeOfLabourHospitality \
        22 typeOfSexProstitution 23 typeOfSexPornography 24 recruiterRelationIntimatePartner \
        25 recruiterRelationFriend 26 recruiterRelationFamily 27 recruiterRelationOther";

    #[test]
    fn columns_are_the_codebooks_in_its_order() {
        let listed: Vec<&str> = CODEBOOK_LIST
            .split_whitespace()
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        assert_eq!(listed, COLUMNS);
    }

    #[test]
    fn every_vocabulary_value_maps_to_a_codebook_column_or_spelling() {
        assert_eq!(gender(Sex::Female), Some("Woman"));
        assert_eq!(gender(Sex::Male), Some("Man"));
        assert_eq!(gender(Sex::Other), Some("Trans/Transgender/NonConforming"));
        assert_eq!(gender(Sex::Unknown), None);
        let bands: Vec<&str> = AgeBand::ALL.iter().map(|b| age_broad(*b)).collect();
        assert_eq!(
            bands,
            [
                "0—8", "9—17", "18—20", "21—23", "24—26", "27—29", "30—38", "39—47", "48+"
            ]
        );
        let months: Vec<&str> = TraffickingDuration::ALL
            .iter()
            .map(|d| traffick_months(*d))
            .collect();
        assert_eq!(months, ["0—12 (0-1 yr)", "13—24 (1-2 yrs)", "25+ (2+ yrs)"]);
        for m in MeansOfControl::ALL {
            assert!(COLUMNS.contains(&means_column(*m)), "{m:?}");
        }
        assert_eq!(
            means_column(MeansOfControl::WithholdDocuments),
            "meansWithholdDocs"
        );
        for f in ExploitationForm::ALL {
            assert!(COLUMNS.contains(&f.ctdc_variable()), "{f:?}");
        }
        for s in LabourSector::ALL {
            assert!(s.ctdc_variable().is_none_or(|c| COLUMNS.contains(&c)));
        }
        for s in SexualExploitationType::ALL {
            assert!(s.ctdc_variable().is_none_or(|c| COLUMNS.contains(&c)));
        }
        for r in RecruiterRelation::ALL {
            assert!(COLUMNS.contains(&r.ctdc_variable()));
        }
    }

    #[test]
    fn a_row_flags_what_happened_with_1_and_leaves_the_rest_null() {
        let mut v = VictimRecord::new(2025, Sex::Female);
        v.age_band = Some(AgeBand::Age18To20);
        v.citizenship = Some(Country::BULGARIA);
        v.exploitation_country = Country::parse("DEU").ok();
        v.duration = Some(TraffickingDuration::OneToTwoYears);
        v.forms = vec![ExploitationForm::Sexual, ExploitationForm::Begging];
        v.means_of_control = vec![MeansOfControl::WithholdDocuments];
        v.sexual_types = vec![SexualExploitationType::Prostitution];
        v.recruiter_relations = vec![RecruiterRelation::IntimatePartner];
        let r = row(&v);
        let get = |c: &str| r[COLUMNS.iter().position(|x| *x == c).unwrap()].as_str();
        assert_eq!(get("yearOfRegistration"), "2025");
        assert_eq!(get("gender"), "Woman");
        assert_eq!(get("ageBroad"), "18—20");
        assert_eq!(get("citizenship"), "BGR");
        assert_eq!(get("CountryOfExploitation"), "DEU");
        assert_eq!(get("traffickMonths"), "13—24 (1-2 yrs)");
        assert_eq!(get("meansWithholdDocs"), "1");
        assert_eq!(get("meansThreats"), "");
        assert_eq!(get("isSexualExploit"), "1");
        assert_eq!(get("isForcedLabour"), "1");
        assert_eq!(get("isOtherExploit"), "");
        assert_eq!(get("typeOfSexProstitution"), "1");
        assert_eq!(get("recruiterRelationIntimatePartner"), "1");
    }

    fn person(sex: Sex, band: AgeBand, cit: &str) -> VictimRecord {
        let mut v = VictimRecord::new(2025, sex);
        v.age_band = Some(band);
        v.citizenship = Country::parse(cit).ok();
        v
    }

    #[test]
    fn no_exported_combination_occurs_fewer_than_k_times_and_the_report_adds_up() {
        let mut vs = Vec::new();
        for _ in 0..6 {
            vs.push(person(Sex::Female, AgeBand::Age18To20, "BGR"));
        }
        // Three women of other ages: rare alone, common once age is blanked with
        // two more women of unknown age.
        vs.push(person(Sex::Female, AgeBand::Age30To38, "BGR"));
        vs.push(person(Sex::Female, AgeBand::Age39To47, "BGR"));
        vs.push(person(Sex::Female, AgeBand::Age48Plus, "BGR"));
        let mut unknown_age = VictimRecord::new(2025, Sex::Female);
        unknown_age.citizenship = Some(Country::BULGARIA);
        vs.push(unknown_age.clone());
        vs.push(unknown_age);
        // One man from Nepal: unique whatever is blanked but his gender… and then
        // still alone: left out.
        vs.push(person(Sex::Male, AgeBand::Age24To26, "NPL"));
        let (csv, report) = export(2025, &vs, 5);
        assert_eq!(report.records_in, 12);
        assert_eq!(report.records_suppressed, 1);
        assert_eq!(report.records_out, 11);
        assert_eq!(report.generalised[0], ("ageBroad".to_owned(), 4));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 11);
        let mut counts: HashMap<Vec<&str>, u64> = HashMap::new();
        for l in &lines[1..] {
            let f: Vec<&str> = l.split(',').collect();
            *counts.entry(vec![f[1], f[2], f[3], f[4]]).or_default() += 1;
        }
        assert!(counts.values().all(|n| *n >= 5), "{counts:?}");
        assert!(!csv.contains("NPL"));
    }
}
