//! `zakrila cases`: bring an organisation's existing records in from a spreadsheet
//! (the same operation as the import page: every bad row reported with its line and
//! reason, then all rows or none), and write the blank template.

use std::path::PathBuf;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use zakrila_app::{
    App, AppError,
    cases::{
        IMPORT_COLUMNS, ImportInput, ImportOutcome, import_template_csv, import_template_xlsx,
    },
};
use zakrila_domain::user::Locale;
use zakrila_store::Store;
use zakrila_web::i18n::t;

use crate::Failure;

#[derive(Subcommand)]
pub enum CasesCmd {
    /// Import FILE (.xlsx or .csv, as the template) as cases of the organisation ORG.
    /// Nothing is stored if any row is bad; rows already imported are skipped.
    Import {
        file: PathBuf,
        /// The organisation's slug (e.g. iom).
        #[arg(long)]
        org: String,
        /// Check every row and report, storing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the blank import template (.xlsx with a sheet of values, or .csv).
    Template {
        #[arg(long, default_value = "zakrila-cases-import.xlsx")]
        to: PathBuf,
    },
}

fn both(key: &str) -> String {
    format!("{} / {}", t(Locale::Bg, key), t(Locale::En, key))
}

fn failure(e: AppError) -> Failure {
    match e {
        AppError::Invalid(fs) => Failure::usage(
            fs.iter()
                .map(|f| both(f.key))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        AppError::NotFound => Failure::usage("no organisation with that slug"),
        other => Failure::found(other.to_string()),
    }
}

fn report(o: &ImportOutcome) {
    for p in &o.problems {
        let column = p.column.as_deref().map_or(String::new(), |c| {
            IMPORT_COLUMNS
                .iter()
                .find(|col| col.code == c)
                .map_or_else(|| c.to_owned(), |col| format!("{} / {}", col.bg, col.en))
        });
        println!("line {:>6}  {column}: {}", p.line, both(p.key));
    }
}

pub async fn run(store: &Store, cmd: CasesCmd) -> Result<(), Failure> {
    match cmd {
        CasesCmd::Template { to } => {
            let is_csv = to
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let file = if is_csv {
                import_template_csv()
            } else {
                import_template_xlsx().map_err(failure)?
            };
            std::fs::write(&to, file.body)
                .map_err(|e| Failure::usage(format!("cannot write {}: {e}", to.display())))?;
            println!("template written to {}", to.display());
            Ok(())
        }
        CasesCmd::Import { file, org, dry_run } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
            let app = App::new(store.clone());
            let style = ProgressStyle::with_template(
                "{msg:>10} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta})",
            )
            .map_err(|e| Failure::found(e.to_string()))?
            .progress_chars("=> ");
            let bar = ProgressBar::new(0).with_style(style).with_message("import");
            let progress = |done: usize, total: usize| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            };
            let o = app
                .import_cases_console(&org, ImportInput { bytes, dry_run }, &progress)
                .await
                .map_err(failure)?;
            bar.finish_and_clear();
            report(&o);
            if !o.problems.is_empty() {
                return Err(Failure::found(format!(
                    "{} of {} rows have problems; nothing was stored",
                    o.bad_rows(),
                    o.rows
                )));
            }
            if o.dry_run {
                println!(
                    "dry run: {} rows fine, {} to import, {} already imported; nothing stored",
                    o.rows,
                    o.rows - o.already,
                    o.already
                );
            } else {
                println!(
                    "imported {} cases ({} – {}); {} already imported, skipped",
                    o.imported,
                    o.first_code.as_deref().unwrap_or("-"),
                    o.last_code.as_deref().unwrap_or("-"),
                    o.already
                );
            }
            Ok(())
        }
    }
}
