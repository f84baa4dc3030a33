//! The CSV template: the 2025 Programme written out and read back.

use zakrila_programme::{CSV_COLUMNS, Programme, parse_csv, write_csv_template};

use crate::{directory, seed};

fn csv_of(programme: &Programme) -> String {
    let mut out = Vec::new();
    write_csv_template(programme, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the template is UTF-8")
}

#[test]
fn the_programme_survives_a_round_trip_through_csv() {
    let (programme, _) = seed();
    let csv = csv_of(&programme);
    let (again, _) = parse_csv(csv.as_bytes(), 2025, &directory).expect("the template reads back");
    assert_eq!(again, programme);
}

#[test]
fn one_row_per_indicator_with_the_activity_repeated() {
    let (programme, _) = seed();
    let csv = csv_of(&programme);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_COLUMNS.to_vec()
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected: usize = programme
        .activities
        .iter()
        .map(|a| a.indicators.len().max(1))
        .sum();
    assert_eq!(rows.len(), expected);
    let column = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let rows_322: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[column("activity")] == "3.2.2")
        .collect();
    assert_eq!(rows_322.len(), 2);
    assert_eq!(
        &rows_322[1][column("activity_title")],
        &rows_322[0][column("activity_title")]
    );
    assert_eq!(&rows_322[0][column("target")], "120");
    assert!(rows_322[0][column("breakdowns")].contains("инспектори по труда | 0 | 30"));
    let row_411 = rows
        .iter()
        .find(|r| &r[column("activity")] == "4.1.1")
        .unwrap();
    assert_eq!(&row_411[column("budget_bgn")], "499080.00");
}

#[test]
fn the_report_of_a_csv_import_names_the_same_gaps() {
    let (programme, _) = seed();
    let (_, report) = parse_csv(csv_of(&programme).as_bytes(), 2025, &directory).unwrap();
    use zakrila_programme::IssueKind::*;
    for (kind, code) in [
        (MissingIndicator, "2.8.2"),
        (MissingBudget, "3.7.4"),
        (MissingDeadline, "3.7.4"),
        (NumberingSlip, "2.3.1"),
    ] {
        assert!(report.has(kind, code), "{kind:?} {code}");
    }
    assert_eq!(report.of_kind(MissingObjectiveTitle).count(), 1);
}
