//! The one integration-test binary of zakrila-programme: the 2025 Programme
//! (seed 003) through every importer and exporter.

#[path = "programme/annual_report.rs"]
mod annual_report;
#[path = "programme/csv_template.rs"]
mod csv_template;
#[path = "programme/iati.rs"]
mod iati;
#[path = "programme/next_year.rs"]
mod next_year;
#[path = "programme/robustness.rs"]
mod robustness;
#[path = "programme/seed.rs"]
mod seed;

use zakrila_programme::{Programme, ValidationReport, parse_tsv};

/// The 2025 Programme exactly as published (seed 003).
pub const SEED_2025: &str = include_str!("../data/programme-2025.txt");

/// A small organisation directory, as the domain crate's reference data would
/// answer: abbreviations and a few full names.
pub fn directory(mention: &str) -> Option<String> {
    let slug = match mention {
        "НКБТХ" => "nccthb",
        "МКБТХ" => "lccthb",
        "ДАЗД" => "sacp",
        "МОМ" | "Международна организация по миграция (МОМ)" => {
            "iom"
        }
        "ДАБ" => "sar",
        "МВР" => "mvr",
        "ГДБОП" | "ГД БОП" => "mvr-gdbop",
        "Гранична полиция" => "mvr-gdgp",
        "МОН" => "mon",
        "ВКС" => "vks",
        "МП" => "mp",
        "ИА ГИТ" => "gli",
        "ФАА" => "animus",
        "ЕОТ" | "Европейски орган по труда (ЕОТ)" => "ela",
        "МВнР" => "mfa",
        "МТСП" => "mlsp",
        "МЗ" => "mz",
        _ => return None,
    };
    Some(slug.to_string())
}

pub fn seed() -> (Programme, ValidationReport) {
    parse_tsv(SEED_2025, 2025, &directory).expect("seed 003 is a programme")
}
