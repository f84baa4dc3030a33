//! `zakrila stats`: the harmonised tables of a year, the shared exports with their
//! suppression report, and differentially private releases — the same operations
//! as the pages, run as the account named by `--as` (an analyst or a Commission
//! coordinator), under the same policy and audit.

use std::path::PathBuf;

use clap::Subcommand;
use zakrila_app::{
    App, AppError,
    stats::{ExportQuery, ReleaseInput, TableView, YearQuery, cell_label},
};
use zakrila_domain::user::Locale;
use zakrila_store::Store;
use zakrila_web::i18n::t;

use crate::Failure;

#[derive(Subcommand)]
pub enum StatsCmd {
    /// Print the harmonised tables of YEAR.
    Tables {
        #[arg(long)]
        year: Option<i32>,
        /// The account to act as (email).
        #[arg(long = "as")]
        as_user: String,
    },
    /// Write a shared export (ctdc or eurostat) with small cells suppressed and
    /// print the suppression report.
    Export {
        #[arg(long, default_value = "ctdc")]
        format: String,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value_t = 5)]
        k: u64,
        #[arg(long)]
        to: PathBuf,
        #[arg(long = "as")]
        as_user: String,
    },
    /// Publish a differentially private release spending EPSILON of YEAR's budget.
    Release {
        #[arg(long)]
        epsilon: String,
        /// Table codes; every table when none is given.
        #[arg(long, num_args = 0..)]
        tables: Vec<String>,
        #[arg(long)]
        year: i32,
        #[arg(long = "as")]
        as_user: String,
    },
}

fn failure(e: AppError) -> Failure {
    match e {
        AppError::Invalid(fs) => Failure::usage(
            fs.iter()
                .map(|f| format!("{} / {}", t(Locale::Bg, f.key), t(Locale::En, f.key)))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        AppError::Unauthorized => Failure::usage("no active account with that email"),
        AppError::Forbidden | AppError::NotFound => Failure::usage(
            "that account may not do this (analysts and Commission coordinators may)",
        ),
        other => Failure::found(other.to_string()),
    }
}

fn print_table(tv: &TableView) {
    println!("\n{} / {}", tv.title_bg, tv.title_en);
    for c in &tv.cells {
        let labels: Vec<String> = tv
            .dims
            .iter()
            .zip(&c.keys)
            .map(|(d, k)| cell_label(d, k, false))
            .collect();
        println!("  {:<60} {:>8}", labels.join(" · "), c.count);
    }
    println!("  {:<60} {:>8}", "total", tv.total);
}

pub async fn run(store: &Store, cmd: StatsCmd) -> Result<(), Failure> {
    let app = App::new(store.clone());
    match cmd {
        StatsCmd::Tables { year, as_user } => {
            let a = app.console_caller(&as_user).await.map_err(failure)?;
            let r = app
                .stats_tables(&a, YearQuery { year })
                .await
                .map_err(failure)?;
            println!("Year {} (counted per {})", r.year, r.unit);
            for tv in &r.tables {
                print_table(tv);
            }
        }
        StatsCmd::Export {
            format,
            year,
            k,
            to,
            as_user,
        } => {
            let a = app.console_caller(&as_user).await.map_err(failure)?;
            let e = app
                .stats_export(
                    &a,
                    ExportQuery {
                        format: Some(format),
                        year,
                        k: Some(k),
                    },
                )
                .await
                .map_err(failure)?;
            std::fs::write(&to, &e.csv)
                .map_err(|err| Failure::usage(format!("cannot write {}: {err}", to.display())))?;
            let r = &e.report;
            println!("Suppression report (k = {}):", r.k);
            if r.cells > 0 {
                println!(
                    "  cells: {}, shown as c (confidential): {}",
                    r.cells, r.cells_suppressed
                );
            } else {
                println!(
                    "  records: {} in, {} out, {} left out",
                    r.records_in, r.records_out, r.records_suppressed
                );
                for g in &r.generalised {
                    println!(
                        "  {} generalised to NULL in {} records",
                        g.column, g.records
                    );
                }
            }
            println!("Written to {}", to.display());
        }
        StatsCmd::Release {
            epsilon,
            tables,
            year,
            as_user,
        } => {
            let a = app.console_caller(&as_user).await.map_err(failure)?;
            let r = app
                .release_statistics(
                    &a,
                    ReleaseInput {
                        year,
                        epsilon,
                        tables,
                    },
                )
                .await
                .map_err(failure)?;
            println!(
                "Released {} for {} spending ε = {}",
                r.id, r.year, r.epsilon
            );
            for tv in &r.tables {
                print_table(tv);
            }
        }
    }
    Ok(())
}
