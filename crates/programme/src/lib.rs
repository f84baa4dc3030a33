//! The National Programme for Prevention and Counteraction of Trafficking in
//! Human Beings and Protection of Victims: its model, the importers with their
//! validation report, progress arithmetic and the exports.
//!
//! No storage and no HTTP live here: the store persists [`Programme`], the web
//! layer calls the importers and exporters. Institution names are linked to the
//! organisation directory through an injected [`Matcher`].

mod annual_report;
mod budget;
mod checks;
mod deadline;
mod iati;
mod import_csv;
mod import_tsv;
mod indicator;
mod institution;
mod model;
mod next_year;
mod progress;
mod quantity;
mod validation;

pub use annual_report::{Lang, ReportError, annual_report_docx, annual_report_xlsx};
pub use budget::{BGN_PER_EUR, Bgn, Budget};
pub use deadline::Deadline;
pub use iati::{NCCTHB_NAME_BG, NCCTHB_NAME_EN, write_iati};
pub use import_csv::{CSV_COLUMNS, parse_csv, write_csv_template};
pub use import_tsv::parse_tsv;
pub use indicator::{Breakdown, Indicator, Unit};
pub use institution::{Institution, Matcher};
pub use model::{Activity, OperationalObjective, Programme, Section, StrategicObjective, roman};
pub use next_year::{ActivityChange, ChangedField, Comparison, compare, copy_forward};
pub use progress::{
    AT_RISK_LAG, Accumulation, Achievement, IndicatorProgress, PeriodValue, ProgressActuals,
    Status, achieved, achievement, status,
};
pub use validation::{ImportError, Issue, IssueKind, ValidationReport};
