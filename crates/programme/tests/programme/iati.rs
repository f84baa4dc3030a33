//! The IATI export of the 2025 Programme, checked against the IATI 2.03 XSD
//! with xmllint (Debian's libxml2-utils; `.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use time::{Date, Month};
use zakrila_programme::{
    Accumulation, IndicatorProgress, PeriodValue, ProgressActuals, write_iati,
};

use crate::seed;

const NCCTHB_REF: &str = "BG-GOV-NCCTHB";

fn day(month: Month, day: u8) -> Date {
    Date::from_calendar_date(2025, month, day).unwrap()
}

/// Approved progress for two indicators: 1.2.2's participants reported per
/// half-year, 2.3.1's children enrolled as a running total.
pub fn actuals() -> ProgressActuals {
    let mut actuals = ProgressActuals::new();
    actuals.insert(
        ("1.2.2".into(), 1),
        IndicatorProgress {
            accumulation: Accumulation::PerPeriod,
            periods: vec![
                PeriodValue {
                    start: day(Month::January, 1),
                    end: day(Month::June, 30),
                    value: 40.0,
                },
                PeriodValue {
                    start: day(Month::July, 1),
                    end: day(Month::December, 31),
                    value: 95.0,
                },
            ],
        },
    );
    actuals.insert(
        ("2.3.1".into(), 0),
        IndicatorProgress {
            accumulation: Accumulation::Cumulative,
            periods: vec![PeriodValue {
                start: day(Month::January, 1),
                end: day(Month::June, 30),
                value: 9950.0,
            }],
        },
    );
    actuals
}

fn export() -> String {
    let (programme, _) = seed();
    let mut out = Vec::new();
    write_iati(&programme, &actuals(), NCCTHB_REF, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the export is UTF-8")
}

/// Runs xmllint against the schema; a missing xmllint fails the test.
fn validate(xml: &str) -> Result<(), String> {
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/iati/iati-activities-schema.xsd");
    // Tests run in parallel: each check gets a file of its own.
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = format!("zakrila-iati-{}-{n}.xml", std::process::id());
    let file: PathBuf = std::env::temp_dir().join(name);
    std::fs::write(&file, xml).expect("writing the export to a temporary file");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let output = output.unwrap_or_else(|e| {
        panic!("xmllint is needed to check the IATI export (apt-get install libxml2-utils): {e}")
    });
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn the_export_validates_against_the_iati_2_03_schema() {
    let xml = export();
    if let Err(errors) = validate(&xml) {
        panic!("the IATI export does not validate:\n{errors}");
    }
}

#[test]
fn the_schema_check_rejects_an_invalid_file() {
    // Well-formed, but the schema requires the version attribute.
    let broken = export().replacen(" version=\"2.03\"", "", 1);
    assert!(validate(&broken).is_err());
}

#[test]
fn every_activity_is_exported_with_its_budget_results_and_institutions() {
    let xml = export();
    assert_eq!(xml.matches("<iati-activity ").count(), 79);
    assert!(xml.contains("<iati-identifier>BG-GOV-NCCTHB-NP2025-4.1.1</iati-identifier>"));
    assert!(xml.contains("<value currency=\"BGN\" value-date=\"2025-01-01\">499080.00</value>"));
    assert_eq!(xml.matches("<budget ").count(), 3);
    // 1.2.2's participants: target 150, actual 40 + 95 over the year and per half-year.
    assert!(xml.contains("<target value=\"150\"/>"));
    assert!(xml.contains("<actual value=\"135\"/>"));
    assert!(xml.contains("<actual value=\"95\"/>"));
    // 2.3.1: a cumulative value is reported as it stands, not added up.
    assert!(xml.contains("<baseline year=\"2024\" value=\"9905\"/>"));
    assert!(xml.contains("<actual value=\"9950\"/>"));
    // 3.2.2's breakdown of the 120 trained.
    assert!(xml.contains("<dimension name=\"в т.ч.\" value=\"инспектори по труда\"/>"));
    // 6.1.1 is a percentage, 2.8.2 has no result at all.
    assert!(xml.contains("<indicator measure=\"2\" ascending=\"true\">"));
    let start = xml.find("NP2025-2.8.2<").unwrap();
    let end = start + xml[start..].find("</iati-activity>").unwrap();
    assert!(!xml[start..end].contains("<result"));
    assert!(xml[start..end].contains("<participating-org role=\"2\">"));
    assert!(xml.contains("<narrative xml:lang=\"bg\">Деметра</narrative>"));
}
