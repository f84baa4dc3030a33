//! `zakrila programme`: import a year's National Programme from its table (TSV,
//! as seed 003) or the CSV template, printing the validation report; copy a
//! programme forward to a new year.

use std::path::PathBuf;

use clap::Subcommand;
use zakrila_store::{
    Store, StoreError,
    programme::{CONFLICT_EXISTS, ImportSummary, directory_matcher},
};

use crate::Failure;

#[derive(Subcommand)]
pub enum ProgrammeCmd {
    /// Import FILE as the programme of YEAR: .csv is the CSV template, anything
    /// else the programme's tab-separated table. Prints every problem found.
    Import {
        file: PathBuf,
        #[arg(long)]
        year: i32,
        /// Replace the year's programme if one exists (its progress reports are deleted).
        #[arg(long)]
        replace: bool,
    },
    /// Copy a programme's structure to a new year, clearing values.
    Copy {
        #[arg(long)]
        from: i32,
        #[arg(long)]
        to: i32,
        #[arg(long)]
        replace: bool,
    },
}

fn summary(s: &ImportSummary) {
    let verb = if s.replaced { "Replaced" } else { "Imported" };
    println!(
        "{verb} the {} programme: {} sections, {} activities, {} indicators, {} validation issues.",
        s.year, s.sections, s.activities, s.indicators, s.issues
    );
}

fn exists(year: i32) -> Failure {
    Failure::usage(format!(
        "програма за {year} г. вече съществува — потвърдете замяната с --replace / a programme for {year} already exists — confirm with --replace"
    ))
}

pub async fn run(store: &Store, cmd: ProgrammeCmd) -> Result<(), Failure> {
    match cmd {
        ProgrammeCmd::Import {
            file,
            year,
            replace,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
            let is_csv = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let parsed = if is_csv {
                zakrila_programme::parse_csv(text.as_bytes(), year, &directory_matcher)
            } else {
                zakrila_programme::parse_tsv(&text, year, &directory_matcher)
            };
            let (programme, report) =
                parsed.map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
            println!("Validation report: {} issue(s)", report.issues.len());
            for issue in &report.issues {
                let code = issue.activity.as_deref().unwrap_or("-");
                println!("  {code:<8} {}", issue.message_bg);
                println!("  {:<8} {}", "", issue.message_en);
            }
            let unmatched = report.unmatched_institutions();
            if !unmatched.is_empty() {
                println!(
                    "Institutions not matched to the directory: {}",
                    unmatched.join("; ")
                );
            }
            match store
                .import_programme(
                    None,
                    &programme,
                    &report,
                    if is_csv { "csv" } else { "tsv" },
                    replace,
                )
                .await
            {
                Ok(s) => Ok(summary(&s)),
                Err(StoreError::Conflict(CONFLICT_EXISTS)) => Err(exists(year)),
                Err(e) => Err(e.into()),
            }
        }
        ProgrammeCmd::Copy { from, to, replace } => match store
            .copy_programme(None, from, to, replace)
            .await
        {
            Ok(s) => Ok(summary(&s)),
            Err(StoreError::Conflict(CONFLICT_EXISTS)) => Err(exists(to)),
            Err(StoreError::NotFound) => Err(Failure::usage(format!("no programme for {from}"))),
            Err(e) => Err(e.into()),
        },
    }
}
