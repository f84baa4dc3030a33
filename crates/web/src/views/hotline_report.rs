//! `/signals/report`: the hotline's report for a year (activity 5.1.5), on screen
//! with a bar chart of the months, and as CSV (`/signals/report.csv`) and XLSX (`/signals/report.xlsx`). Counted by
//! `zakrila_app::hotline_report`; here only labelled.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use zakrila_app::hotline_report::{Count, HotlineReport, Spread};
use zakrila_domain::{
    case::ExploitationForm,
    signal::{CallerType, Channel, Location, Outcome, Urgency},
    user::Locale,
};

use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
    i18n, label,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    pub year: Option<i32>,
}

/// A labelled breakdown.
pub struct Table {
    pub title: String,
    pub rows: Vec<(String, u64)>,
}

/// One month's bar.
pub struct Bar {
    pub x: usize,
    pub y: u64,
    pub height: u64,
    pub label: String,
    pub count: u64,
}

#[derive(Template)]
#[template(path = "hotline_report.html")]
pub struct ReportPage {
    pub base: Base,
    pub year: i32,
    pub total: u64,
    pub tables: Vec<Table>,
    pub bars: Vec<Bar>,
    pub times: Vec<(String, String, String, u64)>,
}

fn year_bounds(year: i32) -> (i64, i64) {
    let start = |y: i32| {
        time::Date::from_calendar_date(y, time::Month::January, 1)
            .map(|d| d.midnight().assume_utc().unix_timestamp() * 1000)
            .unwrap_or(0)
    };
    (start(year), start(year + 1))
}

fn this_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

fn labelled(counts: &[Count], f: impl Fn(&str) -> String) -> Vec<(String, u64)> {
    counts.iter().map(|c| (f(&c.key), c.count)).collect()
}

fn tables(r: &HotlineReport, lang: Locale, orgs: &dyn Fn(&str) -> String) -> Vec<Table> {
    let t = |k: &str| i18n::t(lang, k);
    let l = lang.pick("bg", "en");
    vec![
        Table {
            title: t("signal-channel"),
            rows: labelled(&r.by_channel, |k| label!(Channel, k, lang)),
        },
        Table {
            title: t("signal-caller"),
            rows: labelled(&r.by_caller_type, |k| label!(CallerType, k, lang)),
        },
        Table {
            title: t("signal-forms"),
            rows: labelled(&r.by_form, |k| label!(ExploitationForm, k, lang)),
        },
        Table {
            title: t("signal-location"),
            rows: labelled(&r.by_location, |k| {
                Location::parse(k)
                    .map(|x| x.name(l).to_owned())
                    .unwrap_or_else(|_| t("report-unknown"))
            }),
        },
        Table {
            title: t("signal-urgency"),
            rows: labelled(&r.by_urgency, |k| label!(Urgency, k, lang)),
        },
        Table {
            title: t("signal-outcome"),
            rows: labelled(&r.by_outcome, |k| match Outcome::parse(k) {
                Ok(o) => lang.pick(o.label_bg(), o.label_en()).to_owned(),
                Err(_) => t("report-open"),
            }),
        },
        Table {
            title: t("report-referrals-by-institution"),
            rows: labelled(&r.referrals_by_institution, |k| orgs(k)),
        },
    ]
}

fn hours(m: Option<i64>, lang: Locale) -> String {
    m.map(|m| crate::format::number(m as f64 / 60.0, 1, lang))
        .unwrap_or_else(|| "—".to_owned())
}

fn times(r: &HotlineReport, lang: Locale) -> Vec<(String, String, String, u64)> {
    let row = |k: &str, s: &Spread| {
        (
            i18n::t(lang, k),
            hours(s.median_min, lang),
            hours(s.p90_min, lang),
            s.n,
        )
    };
    vec![
        row("report-to-triage", &r.to_triage),
        row("report-to-referral", &r.to_referral),
    ]
}

async fn load(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    year: i32,
) -> Result<(HotlineReport, Vec<Table>), HttpError> {
    let (from, to) = year_bounds(year);
    let r = state.app.hotline_report(a, from, to).await?;
    let dir = state.app.organisations(a).await?;
    let org = |id: &str| {
        dir.orgs
            .iter()
            .find(|o| o.org.id == id)
            .map(|o| o.org.name(lang).to_owned())
            .unwrap_or_default()
    };
    let t = tables(&r, lang, &org);
    Ok((r, t))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<ReportQuery>,
) -> Result<Response, HttpError> {
    let year = q.year.unwrap_or_else(this_year);
    let (r, tables) = load(&state, &a, lang, year).await?;
    let max = r.by_month.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    let bars = (1..=12)
        .map(|m| {
            let key = format!("{year}-{m:02}");
            let count = r
                .by_month
                .iter()
                .find(|c| c.key == key)
                .map_or(0, |c| c.count);
            let height = count * 160 / max;
            Bar {
                x: (m - 1) * 50,
                y: 170 - height,
                height,
                label: format!("{m:02}"),
                count,
            }
        })
        .collect();
    render(&ReportPage {
        base: Base::for_user(&a, lang, "report-title"),
        year,
        total: r.total,
        times: times(&r, lang),
        tables,
        bars,
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// One line of the downloads: the breakdown, the value counted and its figure.
struct Line {
    breakdown: String,
    value: String,
    figure: Figure,
}

enum Figure {
    Count(u64),
    Minutes(Option<i64>),
}

impl Figure {
    fn text(&self, lang: Locale) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Minutes(m) => hours(*m, lang),
        }
    }
}

/// The lines the CSV and the XLSX share, so the two files always agree.
fn lines(r: &HotlineReport, tables: &[Table], lang: Locale) -> Vec<Line> {
    let mut out = Vec::new();
    let month = i18n::t(lang, "report-month");
    for c in &r.by_month {
        out.push(Line {
            breakdown: month.clone(),
            value: c.key.clone(),
            figure: Figure::Count(c.count),
        });
    }
    for t in tables {
        for (k, n) in &t.rows {
            out.push(Line {
                breakdown: t.title.clone(),
                value: k.clone(),
                figure: Figure::Count(*n),
            });
        }
    }
    for (key, s) in [
        ("report-to-triage", &r.to_triage),
        ("report-to-referral", &r.to_referral),
    ] {
        let name = i18n::t(lang, key);
        for (value, figure) in [
            ("report-median-hours", Figure::Minutes(s.median_min)),
            ("report-p90-hours", Figure::Minutes(s.p90_min)),
            ("report-csv-count", Figure::Count(s.n)),
        ] {
            out.push(Line {
                breakdown: name.clone(),
                value: i18n::t(lang, value),
                figure,
            });
        }
    }
    out
}

fn head(lang: Locale) -> [String; 3] {
    [
        i18n::t(lang, "report-csv-breakdown"),
        i18n::t(lang, "report-csv-value"),
        i18n::t(lang, "report-csv-count"),
    ]
}

fn download(content_type: &str, file_name: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

pub async fn csv(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<ReportQuery>,
) -> Result<Response, HttpError> {
    let year = q.year.unwrap_or_else(this_year);
    let (r, tables) = load(&state, &a, lang, year).await?;
    let mut out = String::from("\u{feff}");
    out.push_str(&head(lang).join(","));
    out.push('\n');
    for l in lines(&r, &tables, lang) {
        out.push_str(&format!(
            "{},{},{}\n",
            csv_field(&l.breakdown),
            csv_field(&l.value),
            csv_field(&l.figure.text(lang))
        ));
    }
    Ok(download(
        "text/csv; charset=utf-8",
        format!("zakrila-hotline-{year}-{}.csv", lang.as_str()),
        out.into_bytes(),
    ))
}

fn xlsx(lang: Locale, lines: &[Line]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = wb.add_worksheet();
    for (col, h) in head(lang).iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, h, &bold)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &l.breakdown)?;
        sheet.write_string(row, 1, &l.value)?;
        // Figures as numbers, so a spreadsheet can sum and chart them.
        match l.figure {
            Figure::Count(n) => {
                sheet.write_number(row, 2, n as f64)?;
            }
            Figure::Minutes(Some(m)) => {
                sheet.write_number(row, 2, (m as f64 / 6.0).round() / 10.0)?;
            }
            Figure::Minutes(None) => {}
        }
    }
    sheet.autofit();
    wb.save_to_buffer()
}

pub async fn xlsx_file(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<ReportQuery>,
) -> Result<Response, HttpError> {
    let year = q.year.unwrap_or_else(this_year);
    let (r, tables) = load(&state, &a, lang, year).await?;
    let body = xlsx(lang, &lines(&r, &tables, lang)).map_err(|e| {
        tracing::error!(error = %e, "hotline report xlsx failed");
        HttpError(zakrila_app::AppError::Internal)
    })?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("zakrila-hotline-{year}-{}.xlsx", lang.as_str()),
        body,
    ))
}
