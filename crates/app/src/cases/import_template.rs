//! The blank import file: the header of every column in Bulgarian and English, and
//! (in the workbook) a second sheet listing the values each coded column takes.

use super::import_columns::{COLUMNS, header, values_of};
use crate::{AppError, case_rights::ExportFile};

/// The template as an XLSX workbook. Every column is formatted as text, so a
/// personal number or a record number keeps its leading zeros.
pub fn import_template_xlsx() -> Result<ExportFile, AppError> {
    build().map_err(|e| {
        tracing::error!(error = %e, "import template");
        AppError::Internal
    })
}

fn build() -> Result<ExportFile, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let text = Format::new().set_num_format("@");
    let sheet = wb.add_worksheet();
    sheet.set_name("Случаи - Cases")?;
    for (i, c) in COLUMNS.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, header(c), &bold)?;
        sheet.set_column_width(col, 22)?;
        sheet.set_column_format(col, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let values = wb.add_worksheet();
    values.set_name("Стойности - Values")?;
    for (i, h) in ["Колона / Column", "Код / Code", "Български", "English"]
        .iter()
        .enumerate()
    {
        values.write_string_with_format(0, i as u16, *h, &bold)?;
        values.set_column_width(i as u16, 34)?;
    }
    let mut row = 1;
    for c in COLUMNS {
        let Some(vs) = values_of(c.code) else {
            continue;
        };
        for (code, bg, en) in vs {
            values.write_string(row, 0, header(c))?;
            values.write_string(row, 1, code)?;
            values.write_string(row, 2, bg)?;
            values.write_string(row, 3, en)?;
            row += 1;
        }
    }
    Ok(ExportFile {
        body: wb.save_to_buffer()?,
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name: "zakrila-cases-import.xlsx".into(),
    })
}

/// The template as CSV: the header line only, with a byte-order mark so that
/// spreadsheets open the Cyrillic as UTF-8.
pub fn import_template_csv() -> ExportFile {
    let line = COLUMNS
        .iter()
        .map(|c| format!("\"{}\"", header(c)))
        .collect::<Vec<_>>()
        .join(",");
    ExportFile {
        body: format!("\u{FEFF}{line}\r\n").into_bytes(),
        content_type: "text/csv; charset=utf-8",
        file_name: "zakrila-cases-import.csv".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::import_file::read;

    #[test]
    fn the_templates_headers_are_read_back_as_every_column() {
        for file in [import_template_xlsx().unwrap(), import_template_csv()] {
            let grid = read(&file.body).unwrap();
            let codes: Vec<_> = grid
                .header
                .iter()
                .map(|h| super::super::import_columns::column_of(h).unwrap().code)
                .collect();
            assert_eq!(codes, COLUMNS.iter().map(|c| c.code).collect::<Vec<_>>());
        }
    }
}
