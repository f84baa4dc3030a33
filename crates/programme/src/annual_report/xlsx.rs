//! The annual report as an Excel workbook: one sheet laid out like the
//! Programme's table, budgets as numbers so they can be summed.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};

use super::{Lang, Line, ReportError, build};
use crate::model::Programme;
use crate::progress::ProgressActuals;

const WIDTHS: [f64; 15] = [
    30.0, 30.0, 40.0, 13.0, 13.0, 30.0, 14.0, 40.0, 45.0, 10.0, 10.0, 11.0, 9.0, 18.0, 30.0,
];
const BUDGET_BGN: u16 = 3;
const BUDGET_EUR: u16 = 4;

pub fn annual_report_xlsx(
    programme: &Programme,
    actuals: &ProgressActuals,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let report = build(programme, actuals, lang);
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let header = border
        .clone()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2));
    let section = header.clone().set_background_color(Color::RGB(0xFCE4D6));
    let amount = border.clone().set_num_format("#,##0.00");
    let bold_amount = amount.clone().set_bold();

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(match lang {
        Lang::Bg => "Отчет",
        Lang::En => "Report",
    })?;
    sheet.set_landscape();
    for (col, width) in (0u16..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    let last_col = WIDTHS.len() as u16 - 1;
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        &report.title,
        &Format::new().set_bold().set_font_size(14),
    )?;
    for (col, text) in (0u16..).zip(report.headers) {
        sheet.write_string_with_format(2, col, text, &header)?;
    }
    sheet.set_freeze_panes(3, 0)?;

    let mut row = 3u32;
    for line in &report.lines {
        match line {
            Line::Section(title) => {
                sheet.merge_range(row, 0, row, last_col, title, &section)?;
            }
            Line::Activity(activity) => {
                for (col, cell) in (0u16..).zip(activity.cells()) {
                    if let Some(text) = cell {
                        sheet.write_string_with_format(row, col, text, &border)?;
                    }
                }
                match activity.budget {
                    Some(bgn) => {
                        sheet.write_number_with_format(
                            row,
                            BUDGET_BGN,
                            bgn.stotinki() as f64 / 100.0,
                            &amount,
                        )?;
                        sheet.write_number_with_format(
                            row,
                            BUDGET_EUR,
                            bgn.eur_cents() as f64 / 100.0,
                            &amount,
                        )?;
                    }
                    None => {
                        sheet.write_string_with_format(row, BUDGET_BGN, "", &border)?;
                        sheet.write_string_with_format(row, BUDGET_EUR, "", &border)?;
                    }
                }
            }
        }
        row += 1;
    }
    sheet.merge_range(row, 0, row, BUDGET_BGN - 1, report.total_label, &header)?;
    sheet.write_number_with_format(
        row,
        BUDGET_BGN,
        report.total.stotinki() as f64 / 100.0,
        &bold_amount,
    )?;
    sheet.write_number_with_format(
        row,
        BUDGET_EUR,
        report.total.eur_cents() as f64 / 100.0,
        &bold_amount,
    )?;
    sheet.write_string(row + 2, 0, report.rate_note)?;
    Ok(workbook.save_to_buffer()?)
}
