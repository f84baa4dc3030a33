//! Reading an import file into a grid of text cells with their line numbers: an
//! XLSX workbook (its first sheet) or a CSV file (comma or semicolon separated, as
//! spreadsheets save it; UTF-8, or Windows-1251 as older Bulgarian Excel saves it).
//! The kind is told by content, never by the file's name.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use zakrila_domain::DomainError;

/// The cells of a file: the header row and the data rows, each with the line (row
/// number, from 1) a person sees in their spreadsheet.
#[derive(Debug, Default)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Whether the bytes are a ZIP container (as every XLSX file is).
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

pub fn read(bytes: &[u8]) -> Result<Grid, DomainError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DomainError::field("file", "error-import-file-empty"));
    }
    if is_zip(bytes) {
        xlsx(bytes)
    } else {
        csv(bytes)
    }
}

fn unreadable() -> DomainError {
    DomainError::field("file", "error-import-file-unreadable")
}

/// Spreadsheet days since 1899-12-30 (the 1900 date system) as `YYYY-MM-DD`.
fn serial_date(days: f64) -> Option<String> {
    let epoch = time::macros::date!(1899 - 12 - 30);
    let d = epoch.checked_add(time::Duration::days(days.floor() as i64))?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        d.year(),
        d.month() as u8,
        d.day()
    ))
}

/// A cell as the text a person typed: whole numbers without ".0" (record and
/// personal numbers are often stored as numbers), dates as `YYYY-MM-DD`.
fn text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        Data::DateTime(d) => serial_date(d.as_f64()).unwrap_or_default(),
    }
}

fn xlsx(bytes: &[u8]) -> Result<Grid, DomainError> {
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(unreadable)?
        .map_err(|_| unreadable())?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    let first_col = range.start().map_or(0, |(_, c)| c) as usize;
    let mut grid = Grid::default();
    for (i, row) in range.rows().enumerate() {
        // Columns left of the used range are empty; keep positions as the sheet has them.
        let mut cells = vec![String::new(); first_col];
        cells.extend(row.iter().map(text));
        let line = first_row + i as u32 + 1;
        if grid.header.is_empty() && i == 0 {
            grid.header = cells;
        } else {
            grid.rows.push((line, cells));
        }
    }
    Ok(grid)
}

fn csv(bytes: &[u8]) -> Result<Grid, DomainError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1251.decode(bytes).0,
    };
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // The reader's position of a record can be that of the blank lines before it:
    // the line is counted from the record's first byte that is not a line break.
    let bytes = text.as_bytes();
    let breaks: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |mut at: usize| {
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        breaks.partition_point(|&b| b < at) as u32 + 1
    };
    let mut grid = Grid::default();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|_| unreadable())?;
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_owned()).collect();
        let line = rec
            .position()
            .map_or(i as u32 + 1, |p| line_at(p.byte() as usize));
        if i == 0 {
            grid.header = cells;
        } else {
            grid.rows.push((line, cells));
        }
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolon_csv_with_a_bom_keeps_line_numbers() {
        let g = read("\u{FEFF}a;b\n1;2\n\n3;4\n".as_bytes()).unwrap();
        assert_eq!(g.header, ["a", "b"]);
        assert_eq!(g.rows[0], (2, vec!["1".into(), "2".into()]));
        assert_eq!(g.rows[1].0, 4);
    }

    #[test]
    fn windows_1251_is_read() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Име,Б\nМария,x\n");
        let g = read(&bytes).unwrap();
        assert_eq!(g.header[0], "Име");
        assert_eq!(g.rows[0].1[0], "Мария");
    }

    #[test]
    fn spreadsheet_dates_and_whole_numbers_read_as_typed() {
        assert_eq!(serial_date(36526.0).as_deref(), Some("2000-01-01"));
        assert_eq!(text(&Data::Float(1234.0)), "1234");
    }
}
