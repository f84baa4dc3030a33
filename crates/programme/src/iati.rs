//! The Programme as an IATI 2.03 activity file: one `iati-activity` per
//! Programme activity, with its budget, institutions and results.
//!
//! Codelists used: OrganisationType 10 (government) for the Commission;
//! OrganisationRole 2 (accountable) for lead and 4 (implementing) for partner
//! institutions; ActivityStatus 2 (implementation); ActivityDateType 1 and 3
//! (planned start and end); BudgetType 1 (original) and BudgetStatus 1
//! (indicative, as the Programme calls its budgets); ResultType 1 (output);
//! IndicatorMeasure 1 (unit), 2 (percentage) and 5 (qualitative).

use std::io::{self, Write};

use time::{Date, Month};

use crate::indicator::{Indicator, Unit};
use crate::model::{Activity, Programme, roman};
use crate::progress::{ProgressActuals, achieved};
use crate::quantity::format_value;

pub const NCCTHB_NAME_BG: &str = "Национална комисия за борба с трафика на хора";
pub const NCCTHB_NAME_EN: &str = "National Commission for Combating Trafficking in Human Beings";

/// Dimension name under which "в т.ч." breakdowns are disaggregated.
const BREAKDOWN_DIMENSION: &str = "в т.ч.";

/// Writes the programme as IATI activities reported by `reporting_org_ref`
/// (the Commission's IATI organisation identifier); approved progress from
/// `actuals` becomes each indicator's actual values.
pub fn write_iati<W: Write>(
    programme: &Programme,
    actuals: &ProgressActuals,
    reporting_org_ref: &str,
    writer: W,
) -> io::Result<()> {
    let mut xml = Xml {
        out: writer,
        depth: 0,
    };
    xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    xml.open("iati-activities", &[("version", "2.03")])?;
    for activity in &programme.activities {
        write_activity(&mut xml, programme, activity, actuals, reporting_org_ref)?;
    }
    xml.close("iati-activities")?;
    xml.out.flush()
}

fn write_activity<W: Write>(
    xml: &mut Xml<W>,
    programme: &Programme,
    activity: &Activity,
    actuals: &ProgressActuals,
    reporting_org_ref: &str,
) -> io::Result<()> {
    let year = programme.year;
    let start = year_start(year);
    let due = activity.deadline.due_date(year).max(start);
    xml.open(
        "iati-activity",
        &[
            ("xml:lang", "bg"),
            ("default-currency", "BGN"),
            ("hierarchy", "1"),
        ],
    )?;
    let identifier = format!("{reporting_org_ref}-NP{year}-{}", activity.code);
    xml.text("iati-identifier", &[], &identifier)?;
    xml.open(
        "reporting-org",
        &[("ref", reporting_org_ref), ("type", "10")],
    )?;
    narratives(xml, NCCTHB_NAME_BG, Some(NCCTHB_NAME_EN))?;
    xml.close("reporting-org")?;

    xml.open("title", &[])?;
    narratives(xml, &activity.title, activity.title_en.as_deref())?;
    xml.close("title")?;
    xml.open("description", &[("type", "1")])?;
    narratives(xml, &context(programme, activity), None)?;
    xml.close("description")?;
    if !activity.expected_results.is_empty() {
        xml.open("description", &[("type", "2")])?;
        narratives(xml, &activity.expected_results, None)?;
        xml.close("description")?;
    }

    // Every activity needs a participating organisation; when the document
    // names no lead, the Commission answers for its programme.
    if activity.lead.is_empty() {
        participating(xml, "2", NCCTHB_NAME_BG)?;
    }
    for lead in &activity.lead {
        participating(xml, "2", &lead.mention)?;
    }
    for partner in &activity.partners {
        participating(xml, "4", &partner.mention)?;
    }

    xml.leaf("activity-status", &[("code", "2")])?;
    xml.leaf("activity-date", &[("type", "1"), ("iso-date", &iso(start))])?;
    xml.leaf("activity-date", &[("type", "3"), ("iso-date", &iso(due))])?;

    if let Some(amount) = activity.budget.amount {
        xml.open("budget", &[("type", "1"), ("status", "1")])?;
        xml.leaf("period-start", &[("iso-date", &iso(start))])?;
        xml.leaf("period-end", &[("iso-date", &iso(year_end(year)))])?;
        let value_date = iso(start);
        xml.text(
            "value",
            &[("currency", "BGN"), ("value-date", &value_date)],
            &amount.decimal(),
        )?;
        xml.close("budget")?;
    }

    if !activity.indicators.is_empty() {
        xml.open("result", &[("type", "1"), ("aggregation-status", "false")])?;
        xml.open("title", &[])?;
        let result_title = if activity.expected_results.is_empty() {
            &activity.title
        } else {
            &activity.expected_results
        };
        narratives(xml, result_title, None)?;
        xml.close("title")?;
        for (index, indicator) in activity.indicators.iter().enumerate() {
            let progress = actuals.get(&(activity.code.clone(), index));
            write_indicator(xml, year, (start, due), indicator, progress)?;
        }
        xml.close("result")?;
    }
    xml.close("iati-activity")
}

fn write_indicator<W: Write>(
    xml: &mut Xml<W>,
    year: i32,
    (start, due): (Date, Date),
    indicator: &Indicator,
    progress: Option<&crate::progress::IndicatorProgress>,
) -> io::Result<()> {
    let measure = match indicator.unit {
        Unit::Count => "1",
        Unit::Percent => "2",
        Unit::Text => "5",
    };
    xml.open("indicator", &[("measure", measure), ("ascending", "true")])?;
    xml.open("title", &[])?;
    narratives(xml, &indicator.name, None)?;
    xml.close("title")?;

    // The current column is written while the programme is drafted, in the
    // year before it, unless the document names the year.
    let baseline_year = indicator
        .baseline_year
        .unwrap_or(year - 1)
        .max(1)
        .to_string();
    if let Some(baseline) = indicator.baseline {
        let value = format_value(baseline);
        xml.leaf("baseline", &[("year", &baseline_year), ("value", &value)])?;
    }
    for part in &indicator.breakdowns {
        if let Some(baseline) = part.baseline {
            let value = format_value(baseline);
            xml.open("baseline", &[("year", &baseline_year), ("value", &value)])?;
            xml.leaf(
                "dimension",
                &[("name", BREAKDOWN_DIMENSION), ("value", &part.name)],
            )?;
            xml.close("baseline")?;
        }
    }

    let periods = progress.map(|p| p.periods.as_slice()).unwrap_or_default();
    xml.open("period", &[])?;
    xml.leaf("period-start", &[("iso-date", &iso(start))])?;
    xml.leaf("period-end", &[("iso-date", &iso(due))])?;
    if let Some(target) = indicator.target {
        xml.leaf("target", &[("value", &format_value(target))])?;
    }
    for part in &indicator.breakdowns {
        if let Some(target) = part.target {
            xml.open("target", &[("value", &format_value(target))])?;
            xml.leaf(
                "dimension",
                &[("name", BREAKDOWN_DIMENSION), ("value", &part.name)],
            )?;
            xml.close("target")?;
        }
    }
    if let Some(total) = progress.and_then(|p| achieved(&p.periods, p.accumulation)) {
        xml.leaf("actual", &[("value", &format_value(total))])?;
    }
    xml.close("period")?;

    // Each approved reporting period, unless it is the whole span above.
    for period in periods.iter().filter(|p| (p.start, p.end) != (start, due)) {
        xml.open("period", &[])?;
        xml.leaf("period-start", &[("iso-date", &iso(period.start))])?;
        xml.leaf("period-end", &[("iso-date", &iso(period.end))])?;
        xml.leaf("actual", &[("value", &format_value(period.value))])?;
        xml.close("period")?;
    }
    xml.close("indicator")
}

/// Where the activity sits in the Programme, and how it is funded: the IATI
/// general description.
fn context(programme: &Programme, activity: &Activity) -> String {
    let mut lines = Vec::new();
    if let Some(section) = programme.section(activity.section) {
        lines.push(format!(
            "Раздел {} „{}“",
            roman(section.number),
            section.title
        ));
    }
    if let Some(objective) = activity
        .strategic_objective
        .as_deref()
        .and_then(|code| programme.strategic_objective(code))
    {
        lines.push(
            format!("Стратегическа цел {} {}", objective.code, objective.title)
                .trim_end()
                .to_string(),
        );
    }
    if let Some(operational) = &activity.operational_objective {
        lines.push(format!("Оперативна цел: {operational}"));
    }
    lines.push(format!("Дейност {}", activity.code));
    if !activity.budget.source.is_empty() {
        lines.push(format!("Финансиране: {}", activity.budget.source));
    }
    lines.join("\n")
}

fn participating<W: Write>(xml: &mut Xml<W>, role: &str, name: &str) -> io::Result<()> {
    xml.open("participating-org", &[("role", role)])?;
    narratives(xml, name, None)?;
    xml.close("participating-org")
}

fn narratives<W: Write>(xml: &mut Xml<W>, bg: &str, en: Option<&str>) -> io::Result<()> {
    xml.text("narrative", &[("xml:lang", "bg")], bg)?;
    if let Some(en) = en.filter(|en| !en.is_empty()) {
        xml.text("narrative", &[("xml:lang", "en")], en)?;
    }
    Ok(())
}

fn year_start(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

fn year_end(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// A minimal indenting XML writer: the export needs nothing more.
struct Xml<W> {
    out: W,
    depth: usize,
}

impl<W: Write> Xml<W> {
    fn raw(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{:indent$}{line}", "", indent = self.depth * 2)
    }

    fn start_tag(name: &str, attrs: &[(&str, &str)]) -> String {
        let mut tag = format!("<{name}");
        for (key, value) in attrs {
            tag.push_str(&format!(" {key}=\"{}\"", escape(value)));
        }
        tag
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.raw(&format!("{}>", Self::start_tag(name, attrs)))?;
        self.depth += 1;
        Ok(())
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.raw(&format!("</{name}>"))
    }

    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.raw(&format!("{}/>", Self::start_tag(name, attrs)))
    }

    fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        let tag = Self::start_tag(name, attrs);
        self.raw(&format!("{tag}>{}</{name}>", escape(text)))
    }
}

/// Escapes markup and drops the control characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("A & B <\"x\"> \u{b}'"),
            "A &amp; B &lt;&quot;x&quot;&gt; &apos;"
        );
        assert_eq!(escape("ред\nнов"), "ред\nнов");
    }
}
