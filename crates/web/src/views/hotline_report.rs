//! `/signals/report`: the hotline's report for a year (activity 5.1.5), on screen
//! with a bar chart of the months, and as CSV (`/signals/report.csv`). Counted by
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

pub async fn csv(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<ReportQuery>,
) -> Result<Response, HttpError> {
    let year = q.year.unwrap_or_else(this_year);
    let (r, tables) = load(&state, &a, lang, year).await?;
    let mut out = String::from("\u{feff}");
    let head = [
        i18n::t(lang, "report-csv-breakdown"),
        i18n::t(lang, "report-csv-value"),
        i18n::t(lang, "report-csv-count"),
    ];
    out.push_str(&head.join(","));
    out.push('\n');
    let mut line = |a: &str, b: &str, c: &str| {
        out.push_str(&format!(
            "{},{},{}\n",
            csv_field(a),
            csv_field(b),
            csv_field(c)
        ));
    };
    let month = i18n::t(lang, "report-month");
    for c in &r.by_month {
        line(&month, &c.key, &c.count.to_string());
    }
    for t in &tables {
        for (k, n) in &t.rows {
            line(&t.title, k, &n.to_string());
        }
    }
    for (name, median, p90, n) in times(&r, lang) {
        line(&name, &i18n::t(lang, "report-median-hours"), &median);
        line(&name, &i18n::t(lang, "report-p90-hours"), &p90);
        line(&name, &i18n::t(lang, "report-csv-count"), &n.to_string());
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"hotline-{year}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        out,
    )
        .into_response())
}
