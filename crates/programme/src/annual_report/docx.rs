//! The annual report as an editable Word document: a landscape table with the
//! Programme's columns, so the Commission can finish it in Word as it does today.

use std::io::Cursor;

use docx_rs::{
    Docx, PageMargin, PageOrientationType, Paragraph, Run, RunFonts, Shading, Table, TableCell,
    TableRow,
};

use super::{Lang, Line, ReportError, build, money};
use crate::model::Programme;
use crate::progress::ProgressActuals;

/// Column widths in twentieths of a point; they fill a landscape A4 page
/// inside one-centimetre margins.
const GRID: [usize; 15] = [
    1330, 1330, 1780, 800, 800, 1330, 800, 1780, 2000, 620, 620, 650, 560, 800, 1500,
];
const A4_LONG: u32 = 16838;
const A4_SHORT: u32 = 11906;
const MARGIN: i32 = 567;
const HEADER_FILL: &str = "D9E1F2";
const SECTION_FILL: &str = "FCE4D6";

pub fn annual_report_docx(
    programme: &Programme,
    actuals: &ProgressActuals,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let report = build(programme, actuals, lang);
    let mut rows = vec![TableRow::new(
        report
            .headers
            .iter()
            .map(|h| shaded(cell(h, true), HEADER_FILL))
            .collect(),
    )];
    for line in &report.lines {
        rows.push(match line {
            Line::Section(title) => TableRow::new(vec![shaded(
                cell(title, true).grid_span(GRID.len()),
                SECTION_FILL,
            )]),
            Line::Activity(activity) => {
                let (bgn, eur) = match activity.budget {
                    Some(amount) => (
                        money(amount.stotinki(), lang),
                        money(amount.eur_cents(), lang),
                    ),
                    None => (String::new(), String::new()),
                };
                let mut budgets = [bgn, eur].into_iter();
                let cells = activity
                    .cells()
                    .into_iter()
                    .map(|text| match text {
                        Some(text) => cell(&text, false),
                        None => cell(&budgets.next().unwrap_or_default(), false),
                    })
                    .collect();
                TableRow::new(cells)
            }
        });
    }
    rows.push(TableRow::new(vec![
        shaded(cell(report.total_label, true).grid_span(3), HEADER_FILL),
        cell(&money(report.total.stotinki(), lang), true),
        cell(&money(report.total.eur_cents(), lang), true),
        cell("", false).grid_span(GRID.len() - 5),
    ]));

    let arial = RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial");
    let docx = Docx::new()
        .page_size(A4_LONG, A4_SHORT)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN),
        )
        .default_fonts(arial)
        .default_size(16)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&report.title).bold().size(24)))
        .add_table(Table::new(rows).set_grid(GRID.to_vec()))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(report.rate_note)));
    let mut out = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// A cell with one paragraph per line of text.
fn cell(text: &str, bold: bool) -> TableCell {
    text.split('\n').fold(TableCell::new(), |cell, line| {
        let run = Run::new().add_text(line);
        cell.add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
    })
}

fn shaded(cell: TableCell, fill: &str) -> TableCell {
    cell.shading(Shading::new().fill(fill))
}
