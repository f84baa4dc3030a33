//! The Programme's files: the annual report (XLSX, DOCX), the IATI export, the
//! CSV template, and the coordinators' import and copy to a new year. Imports
//! take the table pasted as text (copying the Programme's table out of Word gives
//! exactly the tab-separated form seed 003 has) or the CSV template's contents.

use serde::Deserialize;
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};
use zakrila_programme::{
    Issue, Lang as ReportLang, annual_report_docx, annual_report_xlsx, parse_csv, parse_tsv,
    write_csv_template, write_iati,
};
use zakrila_store::{
    StoreError,
    programme::{CONFLICT_EXISTS, directory_matcher},
};

use super::actuals_of;
use crate::{App, AppError, Authed};

/// The Commission's identifier in IATI files.
pub const NCCTHB_IATI_REF: &str = "BG-GOV-NCCTHB";

/// The years an import may name.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    AnnualReportXlsx,
    AnnualReportDocx,
    Iati,
    CsvTemplate,
}

/// The language a download asks for (`?lang=en`); otherwise the page's.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FileQuery {
    #[serde(default)]
    pub lang: Option<String>,
}

impl FileQuery {
    pub fn locale(&self, page: Locale) -> Locale {
        match self.lang.as_deref() {
            Some("en") => Locale::En,
            Some("bg") => Locale::Bg,
            _ => page,
        }
    }
}

/// A file to download.
#[derive(Debug, Clone)]
pub struct File {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub name: String,
}

fn internal<E: std::fmt::Display>(e: E) -> AppError {
    tracing::error!(error = %e, "writing a programme file failed");
    AppError::Internal
}

/// The import form, shown again as typed when something is wrong.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    pub year: String,
    /// `tsv` (pasted from Word) or `csv` (the template).
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub content: String,
    /// The checkbox confirming that an existing year is replaced.
    #[serde(default)]
    pub replace: Option<String>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportCounts {
    pub year: i32,
    pub sections: usize,
    pub activities: usize,
    pub issues: usize,
}

#[derive(Debug, Clone)]
pub enum ImportOutcome {
    Imported {
        counts: ImportCounts,
        issues: Vec<Issue>,
    },
    /// The year has a programme; the coordinator must confirm replacing it.
    Exists { year: i32, issues: Vec<Issue> },
    /// The text is not a Programme table; the reason, in English.
    Unreadable(String),
}

/// Next year's Programme from this year's structure.
#[derive(Debug, Clone, Deserialize)]
pub struct CopyForm {
    pub from: i32,
    pub to: i32,
    #[serde(default)]
    pub replace: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyOutcome {
    Copied {
        year: i32,
    },
    /// The target year has a programme; the coordinator must confirm replacing it.
    Exists {
        year: i32,
    },
}

impl App {
    /// One of a year's files.
    pub async fn programme_file(
        &self,
        a: &Authed,
        year: i32,
        kind: FileKind,
        lang: Locale,
    ) -> Result<File, AppError> {
        a.require(Action::ViewProgramme, &Resource::System)?;
        let l = self.load_programme(year).await?;
        let p = &l.stored.programme;
        let code = lang.as_str();
        let lang = match lang {
            Locale::En => ReportLang::En,
            Locale::Bg => ReportLang::Bg,
        };
        let mut bytes = vec![];
        let (content_type, name) = match kind {
            FileKind::AnnualReportXlsx => {
                bytes = annual_report_xlsx(p, &actuals_of(&l), lang).map_err(internal)?;
                (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    format!("zakrila-report-{year}-{code}.xlsx"),
                )
            }
            FileKind::AnnualReportDocx => {
                bytes = annual_report_docx(p, &actuals_of(&l), lang).map_err(internal)?;
                (
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    format!("zakrila-report-{year}-{code}.docx"),
                )
            }
            FileKind::Iati => {
                write_iati(p, &actuals_of(&l), NCCTHB_IATI_REF, &mut bytes).map_err(internal)?;
                (
                    "application/xml; charset=utf-8",
                    format!("programme-{year}-iati.xml"),
                )
            }
            FileKind::CsvTemplate => {
                write_csv_template(p, &mut bytes).map_err(internal)?;
                ("text/csv; charset=utf-8", format!("programme-{year}.csv"))
            }
        };
        Ok(File {
            bytes,
            content_type,
            name,
        })
    }

    /// The Programme's open data for the public site: a year's IATI 2.03 file with
    /// its approved progress only, which the IATI registry can point at. Not found
    /// when the year has no programme or nothing approved yet, so that an empty
    /// file is never published. It names no person, only activities and counts.
    pub async fn open_iati(&self, year: i32) -> Result<File, AppError> {
        if !YEARS.contains(&year) {
            return Err(AppError::NotFound);
        }
        let l = self.load_programme(year).await?;
        let actuals = actuals_of(&l);
        if actuals.is_empty() {
            return Err(AppError::NotFound);
        }
        let mut bytes = vec![];
        write_iati(&l.stored.programme, &actuals, NCCTHB_IATI_REF, &mut bytes).map_err(internal)?;
        Ok(File {
            bytes,
            content_type: "application/xml; charset=utf-8",
            name: format!("{year}.xml"),
        })
    }

    /// The years a coordinator may copy from (the import page).
    pub async fn programme_import_years(&self, a: &Authed) -> Result<Vec<i32>, AppError> {
        a.require(Action::ManageProgramme, &Resource::System)?;
        Ok(self.store.programme_years().await?)
    }

    /// Imports a year's Programme from pasted text or the CSV template.
    pub async fn import_programme(
        &self,
        a: &Authed,
        f: &ImportForm,
    ) -> Result<ImportOutcome, AppError> {
        a.require(Action::ManageProgramme, &Resource::System)?;
        let year = f
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| YEARS.contains(y))
            .ok_or(AppError::invalid("error-programme-year", Some("year")))?;
        let csv = f.format == "csv";
        let parsed = if csv {
            parse_csv(f.content.as_bytes(), year, &directory_matcher)
        } else {
            parse_tsv(&f.content, year, &directory_matcher)
        };
        let (programme, report) = match parsed {
            Ok(v) => v,
            Err(e) => return Ok(ImportOutcome::Unreadable(e.to_string())),
        };
        let issues = report.issues.clone();
        match self
            .store
            .import_programme(
                Some(a.user_uuid()),
                &programme,
                &report,
                if csv { "csv" } else { "tsv" },
                f.replace.is_some(),
            )
            .await
        {
            Ok(s) => Ok(ImportOutcome::Imported {
                counts: ImportCounts {
                    year: s.year,
                    sections: s.sections,
                    activities: s.activities,
                    issues: s.issues,
                },
                issues,
            }),
            Err(StoreError::Conflict(CONFLICT_EXISTS)) => {
                Ok(ImportOutcome::Exists { year, issues })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Next year's Programme from this year's structure, values cleared.
    pub async fn copy_programme(&self, a: &Authed, f: &CopyForm) -> Result<CopyOutcome, AppError> {
        a.require(Action::ManageProgramme, &Resource::System)?;
        match self
            .store
            .copy_programme(Some(a.user_uuid()), f.from, f.to, f.replace.is_some())
            .await
        {
            Ok(_) => Ok(CopyOutcome::Copied { year: f.to }),
            Err(StoreError::Conflict(CONFLICT_EXISTS)) => Ok(CopyOutcome::Exists { year: f.to }),
            Err(e) => Err(e.into()),
        }
    }
}
