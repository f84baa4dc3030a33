//! The annual report opened as the Commission would: unzip the XLSX and DOCX
//! and look for the cells.

use std::io::{Cursor, Read};

use zakrila_programme::{Lang, annual_report_docx, annual_report_xlsx};

use crate::iati::actuals;
use crate::seed;

/// The text of one part of an Office file.
fn part(file: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(file)).expect("an Office file is a zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} is missing"))
        .read_to_string(&mut text)
        .expect("the part is UTF-8");
    text
}

#[test]
fn the_xlsx_has_the_programmes_table_with_results_and_euro() {
    let (programme, _) = seed();
    let file = annual_report_xlsx(&programme, &actuals(), Lang::Bg).unwrap();
    let strings = part(&file, "xl/sharedStrings.xml");
    let sheet = part(&file, "xl/worksheets/sheet1.xml");
    for text in [
        "Годишен отчет за изпълнението",
        "Постигнато",
        "Бюджет, EUR",
        "РАЗДЕЛ IV „ЗАЩИТА, ВЪЗСТАНОВЯВАНЕ И РЕИНТЕГРАЦИЯ НА ЖЕРТВИТЕ НА ТРАФИК НА ХОРА“",
        "1.2.2 Провеждане на международна конференция",
        "· Брой участници",
        "1,95583",
    ] {
        assert!(strings.contains(text), "missing {text}");
    }
    // 4.1.1's 499 080 leva and their euro value are numbers in the sheet;
    // 1.2.2's participants: 135 of 150 (90 %).
    assert!(sheet.contains("<v>499080</v>"));
    assert!(sheet.contains("<v>255175.55</v>"));
    assert!(
        strings.contains("1\n150") && strings.contains("—\n135") && strings.contains("—\n90 %")
    );
}

#[test]
fn the_docx_is_a_landscape_table_in_either_language() {
    let (programme, _) = seed();
    let bulgarian = part(
        &annual_report_docx(&programme, &actuals(), Lang::Bg).unwrap(),
        "word/document.xml",
    );
    for text in [
        "Стратегическа цел",
        "499 080,00",
        "255 175,55",
        "РАЗДЕЛ VII",
        "3.2.2 Специализирани обучения",
        "Деметра",
    ] {
        assert!(bulgarian.contains(text), "missing {text}");
    }
    assert!(bulgarian.contains("w:orient=\"landscape\""));
    let english = part(
        &annual_report_docx(&programme, &actuals(), Lang::En).unwrap(),
        "word/document.xml",
    );
    for text in [
        "Annual implementation report 2025",
        "Strategic objective",
        "499,080.00",
        "December 2025",
        "Ongoing",
    ] {
        assert!(english.contains(text), "missing {text}");
    }
}
