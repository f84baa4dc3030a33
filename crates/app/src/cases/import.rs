//! Bringing in an organisation's existing records from a spreadsheet (XLSX or CSV):
//! every row checked as a registration is (`NewCase::parse`), every bad row reported
//! with its line and reason, and only a file without a bad row written — all of it,
//! in one transaction, or nothing. A dry run checks and counts without writing. A
//! row whose record number the organisation already has is skipped, so importing the
//! same file twice creates each case once.
//!
//! The page and the command line share this operation; the command line runs it as
//! the console (whoever holds the database and its key, as `zakrila generate` does),
//! naming the organisation.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    case::NewCase,
    policy::{Action, Resource},
};
use zakrila_store::cases::ImportRow;

use super::import_columns::{RECORD_NUMBER, column_of, column_of_field, raw_of};
use super::import_file::{self, Grid};
use crate::{App, AppError, Authed};

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 200_000;

/// What is wrong with one row (or, on line 1, with the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportProblem {
    /// The row's number in the spreadsheet; the header is line 1.
    pub line: u32,
    /// The column's field code (see the template), or the header as written when
    /// the column is not one the import knows.
    pub column: Option<String>,
    /// The reason, as a message key (both languages have it).
    pub key: &'static str,
}

/// The result of a dry run or an import.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ImportOutcome {
    pub dry_run: bool,
    /// Data rows read (blank rows are not counted).
    pub rows: usize,
    /// Every problem found; when there is any, nothing was written.
    pub problems: Vec<ImportProblem>,
    /// Cases created (none on a dry run or when there are problems).
    pub imported: usize,
    /// Rows whose record number the organisation already has on a case: skipped.
    pub already: usize,
    pub first_code: Option<String>,
    pub last_code: Option<String>,
}

impl ImportOutcome {
    /// How many distinct lines have problems.
    pub fn bad_rows(&self) -> usize {
        let mut lines: Vec<u32> = self.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        lines.len()
    }
}

/// A file to import, as uploaded.
#[derive(Debug, Clone, Default)]
pub struct ImportInput {
    pub bytes: Vec<u8>,
    pub dry_run: bool,
}

/// A file's rows checked: the registrations and the problems.
struct Checked {
    rows: Vec<ImportRow>,
    problems: Vec<ImportProblem>,
    count: usize,
}

fn problem(line: u32, column: Option<&str>, key: &'static str) -> ImportProblem {
    ImportProblem {
        line,
        column: column.map(str::to_owned),
        key,
    }
}

/// Checks every row of `grid` as a registration made at `now`.
fn check(grid: Grid, now: time::OffsetDateTime) -> Result<Checked, AppError> {
    let mut problems = vec![];
    let mut columns: Vec<Option<&'static str>> = vec![];
    for h in &grid.header {
        let code = if h.trim().is_empty() {
            None
        } else if let Some(c) = column_of(h) {
            if columns.contains(&Some(c.code)) {
                problems.push(problem(1, Some(c.code), "error-import-column-repeated"));
            }
            Some(c.code)
        } else {
            problems.push(problem(1, Some(h.trim()), "error-import-unknown-column"));
            None
        };
        columns.push(code);
    }
    if !columns.contains(&Some(RECORD_NUMBER)) {
        problems.push(problem(
            1,
            Some(RECORD_NUMBER),
            "error-import-no-record-number",
        ));
    }
    if grid.rows.len() > MAX_ROWS {
        return Err(DomainError::field("file", "error-import-too-many-rows").into());
    }
    let mut rows = Vec::with_capacity(grid.rows.len());
    let mut seen: HashSet<String> = HashSet::new();
    let mut count = 0;
    for (line, cells) in &grid.rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        count += 1;
        if cells.len() > columns.len() && cells[columns.len()..].iter().any(|c| !c.is_empty()) {
            problems.push(problem(*line, None, "error-import-cell-without-column"));
        }
        let named: Vec<(&'static str, &str)> = columns
            .iter()
            .zip(cells)
            .filter_map(|(code, cell)| code.map(|c| (c, cell.as_str())))
            .collect();
        let (record, raw) = match raw_of(&named) {
            Ok(r) => r,
            Err(errs) => {
                for (col, key) in errs {
                    problems.push(problem(*line, Some(col), key));
                }
                continue;
            }
        };
        if !seen.insert(record.clone()) {
            problems.push(problem(
                *line,
                Some(RECORD_NUMBER),
                "error-import-record-number-repeated",
            ));
            continue;
        }
        match NewCase::parse(raw, now) {
            Ok(new) => rows.push(ImportRow {
                external_ref: record,
                new,
            }),
            Err(errs) => {
                for e in errs {
                    let col = e.field.and_then(column_of_field).map(|c| c.code);
                    problems.push(problem(*line, col, e.key));
                }
            }
        }
    }
    Ok(Checked {
        rows,
        problems,
        count,
    })
}

impl App {
    /// Checks a file of existing records and, unless it is a dry run or any row is
    /// bad, registers them all as cases of the actor's organisation.
    pub async fn import_cases(
        &self,
        a: &Authed,
        input: ImportInput,
    ) -> Result<ImportOutcome, AppError> {
        a.require(Action::ImportCases, &Resource::Org(a.actor.org_id))?;
        self.run_import(Some(a.user_uuid()), &a.org.id, input, &|_, _| {})
            .await
    }

    /// The same import run from the server's command line for the organisation
    /// `org_slug`, reporting progress as `progress(written, to_write)`.
    pub async fn import_cases_console(
        &self,
        org_slug: &str,
        input: ImportInput,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> Result<ImportOutcome, AppError> {
        let org = self
            .store
            .org_by_slug(org_slug)
            .await?
            .ok_or(AppError::NotFound)?;
        self.run_import(None, &org.id, input, progress).await
    }

    async fn run_import(
        &self,
        actor: Option<Uuid>,
        org_id: &str,
        input: ImportInput,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> Result<ImportOutcome, AppError> {
        let source = if input.bytes.starts_with(b"PK") {
            "xlsx"
        } else {
            "csv"
        };
        let now = super::now();
        let ImportInput { bytes, dry_run } = input;
        // Reading and checking a large file is seconds of CPU: off the async workers.
        let checked = tokio::task::spawn_blocking(move || -> Result<Checked, AppError> {
            check(import_file::read(&bytes)?, now)
        })
        .await
        .map_err(|_| AppError::Internal)??;
        let mut out = ImportOutcome {
            dry_run,
            rows: checked.count,
            problems: checked.problems,
            ..ImportOutcome::default()
        };
        if out.rows == 0 && out.problems.is_empty() {
            return Err(DomainError::field("file", "error-import-file-empty").into());
        }
        if !out.problems.is_empty() {
            return Ok(out);
        }
        if dry_run {
            let refs: Vec<&str> = checked
                .rows
                .iter()
                .map(|r| r.external_ref.as_str())
                .collect();
            out.already = self.store.count_existing_refs(org_id, &refs).await?;
            return Ok(out);
        }
        let r = self
            .store
            .import_cases(actor, org_id, source, checked.rows, progress)
            .await?;
        out.imported = r.imported;
        out.already = r.already;
        out.first_code = r.first_code;
        out.last_code = r.last_code;
        Ok(out)
    }
}
