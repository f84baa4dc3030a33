//! The caseload as a table file (CSV or XLSX), for people or for programs. People
//! get the file in their language: headings and values in words, dates as
//! dd.mm.yyyy, a UTF-8 byte-order mark so that Excel reads the Cyrillic, and the
//! language in the file name (`zakrila-cases-bg.csv`), so that the Bulgarian and
//! the English file are not saved over each other. Programs (the API) get stable
//! column names and vocabulary codes. Identity columns only for the identity
//! export, filled where the policy lets the caller see the identity.

use zakrila_domain::{
    case::{Country, ExploitationForm, RiskLevel, Sex, Stage, format_date, parse_date, sofia_date},
    policy::{Action, Resource},
    user::Locale,
};
use zakrila_store::{audit::AuditEntry, cases::CaseListItem, entity::case};

use crate::{App, AppError, Authed, access::held_case_resource};

/// The file format of a caseload export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub(crate) fn ext(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// What the cells hold: vocabulary codes and ISO dates for programs, or words and
/// Bulgarian dates in a person's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    Codes,
    Words(Locale),
}

/// An export file, ready to download.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// (code, Bulgarian heading, English heading) of each column.
const COLUMNS: [(&str, &str, &str); 13] = [
    ("code", "Код", "Code"),
    ("stage", "Етап", "Stage"),
    ("organisation", "Организация", "Organisation"),
    ("referred", "Насочен към нас", "Referred to us"),
    ("sex", "Пол", "Sex"),
    ("age_band", "Възраст", "Age"),
    ("citizenship", "Гражданство", "Citizenship"),
    ("child", "Дете", "Child"),
    ("forms", "Форми на експлоатация", "Forms of exploitation"),
    ("risk_level", "Риск", "Risk"),
    ("identified_on", "Идентифициран на", "Identified on"),
    (
        "reflection_ends",
        "Край на периода за размисъл",
        "Reflection period ends",
    ),
    ("updated_at", "Последна промяна", "Last changed"),
];
const IDENTITY_COLUMNS: [(&str, &str, &str); 5] = [
    ("given_name", "Собствено име", "Given name"),
    ("family_name", "Фамилия", "Family name"),
    ("birth_date", "Дата на раждане", "Date of birth"),
    ("personal_number", "Личен номер", "Personal number"),
    ("phone", "Телефон", "Phone"),
];

/// A CSV cell that a spreadsheet would run as a formula gets a leading apostrophe.
fn defuse(s: String) -> String {
    let risky = s.starts_with(['=', '@', '\t', '\r'])
        || (s.starts_with(['+', '-']) && s.chars().any(|c| c.is_alphabetic() || c == '('));
    if risky { format!("'{s}") } else { s }
}

fn csv(header: &[&str], rows: &[Vec<String>], bom: bool) -> Result<Vec<u8>, csv::Error> {
    let start = if bom {
        "\u{feff}".as_bytes().to_vec()
    } else {
        vec![]
    };
    let mut w = csv::Writer::from_writer(start);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r.iter().cloned().map(defuse))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

fn xlsx(
    sheet_name: &str,
    header: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (col, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            // Strings, never formulas: a value typed by a person is data.
            sheet.write_string(r as u32 + 1, col as u16, v)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    wb.save_to_buffer()
}

impl Cells {
    fn heading(self, (code, bg, en): (&'static str, &'static str, &'static str)) -> &'static str {
        match self {
            Cells::Codes => code,
            Cells::Words(l) => l.pick(bg, en),
        }
    }

    fn yes_no(self, v: bool) -> String {
        match self {
            Cells::Codes => v.to_string(),
            Cells::Words(l) => l
                .pick(if v { "да" } else { "не" }, if v { "yes" } else { "no" })
                .into(),
        }
    }

    /// A stored `YYYY-MM-DD` date: dd.mm.yyyy for people.
    fn date(self, ymd: Option<&str>) -> String {
        let ymd = ymd.unwrap_or_default();
        match (self, parse_date(ymd, "date")) {
            (Cells::Words(_), Ok(d)) => format_date(d),
            _ => ymd.to_owned(),
        }
    }

    /// A moment in UTC milliseconds as the day it was in Sofia.
    fn day_of(self, ms: i64) -> String {
        sofia_date(ms)
            .map(|d| match self {
                Cells::Codes => d.to_string(),
                Cells::Words(_) => format_date(d),
            })
            .unwrap_or_default()
    }
}

/// The label of a stored vocabulary code in `cells`' language; codes as they are.
macro_rules! cell {
    ($cells:expr, $t:ty, $code:expr) => {
        match $cells {
            Cells::Codes => $code.to_owned(),
            Cells::Words(l) => <$t>::parse($code)
                .map(|v| l.pick(v.label_bg(), v.label_en()).to_owned())
                .unwrap_or_else(|_| $code.to_owned()),
        }
    };
}

impl App {
    /// The caseload as a table file, without identities. Audited. Identities leave
    /// only through [`App::export_identities`]: asking for them here is refused.
    pub async fn export_caseload(
        &self,
        a: &Authed,
        format: ExportFormat,
        cells: Cells,
        with_identity: bool,
    ) -> Result<ExportFile, AppError> {
        a.require(Action::ExportCases, &Resource::Org(a.actor.org_id))?;
        if with_identity {
            return Err(AppError::invalid(
                "error-identity-export-get",
                Some("identity"),
            ));
        }
        let items = self.caseload_items(a, None, None, None).await?;
        let (file, rows, _) = self.table_file(a, &items, format, cells, false).await?;
        let change = serde_json::json!({
            "format": format.ext(), "rows": rows, "identity": false, "identity_rows": 0,
        });
        let entry = AuditEntry::new(Some(a.user_uuid()), "case.export", "caseload")
            .id(&a.org.id)
            .change(change);
        self.store.record(entry).await?;
        Ok(file)
    }

    /// `items` as a table file, with identity columns when `with_identity`, filled
    /// where the policy lets the caller see the identity (each such read audited).
    /// Also answers the number of rows and of identities read.
    pub(crate) async fn table_file(
        &self,
        a: &Authed,
        items: &[CaseListItem],
        format: ExportFormat,
        cells: Cells,
        with_identity: bool,
    ) -> Result<(ExportFile, usize, usize), AppError> {
        let orgs = self.store.list_orgs().await?;
        let visible: Vec<case::Model> = items
            .iter()
            // Every listed case is in the caller's caseload: no query per case.
            .filter(|i| {
                with_identity && a.can(Action::ViewIdentity, &held_case_resource(a, &i.case))
            })
            .map(|i| i.case.clone())
            .collect();
        let identities = self
            .store
            .read_identities(a.user_uuid(), &visible, "export")
            .await?;
        let mut header: Vec<&str> = COLUMNS.iter().map(|c| cells.heading(*c)).collect();
        if with_identity {
            header.extend(IDENTITY_COLUMNS.iter().map(|c| cells.heading(*c)));
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                let (c, p) = (&i.case, i.person.as_ref());
                let org = orgs.iter().find(|o| o.id == c.org_id);
                let citizenship = p.and_then(|p| p.citizenship.as_deref()).unwrap_or_default();
                let forms = c.forms.split(',').filter(|f| !f.is_empty());
                let mut row = vec![
                    c.code.clone(),
                    cell!(cells, Stage, c.stage.as_str()),
                    match cells {
                        Cells::Codes => org.map(|o| o.slug.clone()),
                        Cells::Words(l) => org.map(|o| l.pick(&o.name_bg, &o.name_en).clone()),
                    }
                    .unwrap_or_default(),
                    cells.yes_no(i.referred),
                    p.map(|p| cell!(cells, Sex, p.sex.as_str()))
                        .unwrap_or_default(),
                    p.and_then(|p| p.age_band.clone()).unwrap_or_default(),
                    match (cells, Country::parse(citizenship)) {
                        (Cells::Words(l), Ok(country)) => {
                            l.pick(country.name_bg(), country.name_en()).to_owned()
                        }
                        _ => citizenship.to_owned(),
                    },
                    p.map(|p| cells.yes_no(p.is_child)).unwrap_or_default(),
                    forms
                        .map(|f| cell!(cells, ExploitationForm, f))
                        .collect::<Vec<_>>()
                        .join("; "),
                    c.risk_level
                        .as_deref()
                        .map(|r| cell!(cells, RiskLevel, r))
                        .unwrap_or_default(),
                    cells.date(c.identified_on.as_deref()),
                    cells.date(c.reflection_ends.as_deref()),
                    cells.day_of(c.updated_at),
                ];
                if with_identity {
                    let id = visible
                        .iter()
                        .position(|v| v.id == c.id)
                        .map(|i| identities[i].clone())
                        .unwrap_or_default();
                    row.extend([
                        id.given_name.unwrap_or_default(),
                        id.family_name.unwrap_or_default(),
                        cells.date(id.birth_date.as_deref()),
                        id.personal_number.unwrap_or_default(),
                        id.phone.unwrap_or_default(),
                    ]);
                }
                row
            })
            .collect();
        let words = matches!(cells, Cells::Words(_));
        let (body, content_type) = match format {
            ExportFormat::Csv => (
                csv(&header, &rows, words).map_err(|_| AppError::Internal)?,
                "text/csv; charset=utf-8",
            ),
            ExportFormat::Xlsx => (
                xlsx(cells.heading(("cases", "Случаи", "Cases")), &header, &rows).map_err(|e| {
                    tracing::error!(error = %e, "xlsx export failed");
                    AppError::Internal
                })?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        };
        let ext = format.ext();
        let file_name = match cells {
            Cells::Codes => format!("zakrila-cases.{ext}"),
            Cells::Words(l) => format!("zakrila-cases-{}.{ext}", l.as_str()),
        };
        let file = ExportFile {
            body,
            content_type,
            file_name,
        };
        Ok((file, rows.len(), visible.len()))
    }
}
