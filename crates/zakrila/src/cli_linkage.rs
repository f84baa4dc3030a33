//! `zakrila linkage …`: encode records into CLKs and match two sets of CLKs, or
//! `run` the whole database's linkage (needs the store; the others need no database).
//!
//! Needs `zakrila-linkage`, `clap` (derive), `csv`, `indicatif` and `anyhow`.
//! Each organisation runs `encode` on its own decrypted export; only the CLK
//! files travel, and `match` sees nothing else.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use zakrila_linkage::{
    Clk, ClkSet, DEFAULT_THRESHOLD, Encoder, PersonRecord, Schema, Secret, find_candidates,
    greedy_solve, stream_candidates,
};

const SECRET_ENV: &str = "ZAKRILA_LINKAGE_SECRET";
/// Records encoded per progress-bar step.
const ENCODE_BATCH: usize = 4096;

#[derive(Debug, clap::Subcommand)]
pub enum LinkageCmd {
    /// Encode a CSV of records into CLKs (CSV `id,clk`, clkhash's base64).
    Encode {
        /// CSV with a header and an `id` column; with the built-in schema, the
        /// columns given_name, family_name, birth_date (YYYY-MM-DD), sex,
        /// birth_year, citizenship (any may be absent), otherwise one column
        /// per schema identifier.
        input: PathBuf,
        /// A clkhash v3 linkage schema; default: the built-in person schema.
        #[arg(long)]
        schema: Option<PathBuf>,
        /// File holding the linkage secret; default: $ZAKRILA_LINKAGE_SECRET.
        #[arg(long)]
        secret_file: Option<PathBuf>,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Find the pairs of records of two CLK files that are similar enough.
    Match {
        a: PathBuf,
        b: PathBuf,
        /// Dice similarity at or above which a pair is a candidate.
        #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
        threshold: f64,
        /// CSV `a_id,b_id,similarity`.
        #[arg(short, long)]
        output: PathBuf,
        /// Keep only a one-to-one greedy matching (holds all pairs in memory);
        /// without it, every candidate is streamed out in bounded memory.
        #[arg(long)]
        solve: bool,
    },
    /// Over the whole database: encode new or changed persons with the
    /// deployment's linkage secret, match every pair of organisations and queue
    /// the probable matches for a coordinator's review.
    Run,
}

impl LinkageCmd {
    /// `run` works on the database; the others on files only.
    pub fn needs_store(&self) -> bool {
        matches!(self, LinkageCmd::Run)
    }
}

pub fn run(cmd: LinkageCmd) -> anyhow::Result<()> {
    match cmd {
        LinkageCmd::Encode {
            input,
            schema,
            secret_file,
            output,
        } => encode(&input, schema.as_deref(), secret_file.as_deref(), &output),
        LinkageCmd::Match {
            a,
            b,
            threshold,
            output,
            solve,
        } => match_files(&a, &b, threshold, &output, solve),
        LinkageCmd::Run => bail!("`linkage run` needs the database"),
    }
}

/// Draws one progress bar per phase of a database run.
struct Bars(std::sync::Mutex<Option<ProgressBar>>);

impl zakrila_store::linkage::RunProgress for Bars {
    fn start(&self, phase: zakrila_store::linkage::Phase, len: u64) {
        let what = match phase {
            zakrila_store::linkage::Phase::Encode => "encoding",
            zakrila_store::linkage::Phase::Match => "org pairs",
        };
        if let (Ok(bar), Ok(mut slot)) = (progress(len, what), self.0.lock()) {
            *slot = Some(bar);
        }
    }
    fn advance(&self, n: u64) {
        if let Ok(slot) = self.0.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.inc(n);
        }
    }
    fn finish(&self, _phase: zakrila_store::linkage::Phase) {
        if let Ok(mut slot) = self.0.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish();
        }
    }
}

/// `zakrila linkage run`: the whole database, audited as a run without a user.
pub async fn run_store(store: &zakrila_store::Store) -> Result<(), crate::Failure> {
    let s = store
        .run_linkage(None, &Bars(std::sync::Mutex::new(None)))
        .await?;
    println!(
        "лица / persons: {}, кодирани / encoded: {}, организации / organisations: {}, \
         съвпадения / matches: {}, нови за преглед / queued for review: {}",
        s.persons, s.encoded, s.organisations, s.matches, s.queued
    );
    Ok(())
}

fn read_secret(file: Option<&Path>) -> anyhow::Result<Secret> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the secret from {}", path.display()))?,
        None => std::env::var(SECRET_ENV)
            .with_context(|| format!("no --secret-file and no ${SECRET_ENV}"))?,
    };
    let text = text.trim_end_matches(['\r', '\n']);
    if text.is_empty() {
        bail!("the linkage secret is empty");
    }
    Ok(Secret::from(text))
}

fn progress(len: u64, what: &str) -> anyhow::Result<ProgressBar> {
    let style = ProgressStyle::with_template(
        "{msg:>10} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta})",
    )?
    .progress_chars("=> ");
    Ok(ProgressBar::new(len)
        .with_style(style)
        .with_message(what.to_owned()))
}

fn encode(
    input: &Path,
    schema_path: Option<&Path>,
    secret_file: Option<&Path>,
    output: &Path,
) -> anyhow::Result<()> {
    let schema = match schema_path {
        Some(p) => Schema::from_json(&std::fs::read_to_string(p)?)
            .with_context(|| format!("loading {}", p.display()))?,
        None => Schema::zakrila_person_v1(),
    };
    let secret = read_secret(secret_file)?;
    let mut reader =
        csv::Reader::from_path(input).with_context(|| format!("opening {}", input.display()))?;
    let header = reader.headers()?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let id_col = column("id").context("the input has no `id` column")?;
    let built_in = schema_path.is_none();
    // Built-in schema: person columns, normalised by PersonRecord. Otherwise the
    // values go to the encoder as they are, one column per schema identifier.
    let columns: Vec<Option<usize>> = if built_in {
        [
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "birth_year",
            "citizenship",
        ]
        .iter()
        .map(|c| column(c))
        .collect()
    } else {
        schema
            .identifiers()
            .map(|id| column(id).with_context(|| format!("the input has no `{id}` column")))
            .map(|c| c.map(Some))
            .collect::<anyhow::Result<_>>()?
    };
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let encoder = Encoder::new(&schema, &secret);
    let mut out = csv::Writer::from_path(output)?;
    out.write_record(["id", "clk"])?;
    let bar = progress(rows.len() as u64, "encoding")?;
    for (batch_no, batch) in rows.chunks(ENCODE_BATCH).enumerate() {
        let records: Vec<Vec<String>> = batch
            .iter()
            .map(|row| {
                let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("").to_owned();
                let values: Vec<String> = columns.iter().map(|&c| get(c)).collect();
                if built_in {
                    person_record(&values).to_record().to_vec()
                } else {
                    values
                }
            })
            .collect();
        let clks = encoder
            .encode_all(&records)
            .map_err(|e| anyhow::anyhow!("in rows {}..: {e}", batch_no * ENCODE_BATCH + 1))?;
        for (row, clk) in batch.iter().zip(&clks) {
            out.write_record([row.get(id_col).unwrap_or(""), &clk.to_base64()])?;
        }
        bar.inc(batch.len() as u64);
    }
    out.flush()?;
    bar.finish();
    Ok(())
}

fn person_record(v: &[String]) -> PersonRecord {
    let some = |s: &String| (!s.trim().is_empty()).then(|| s.clone());
    PersonRecord {
        given_name: v[0].clone(),
        family_name: v[1].clone(),
        birth_date: some(&v[2]),
        sex: some(&v[3]),
        birth_year: v[4].trim().parse().ok(),
        citizenship: some(&v[5]),
    }
}

fn read_clks(path: &Path) -> anyhow::Result<(Vec<String>, ClkSet)> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let (mut ids, mut clks) = (Vec::new(), Vec::new());
    for row in reader.records() {
        let row = row?;
        let (Some(id), Some(clk)) = (row.get(0), row.get(1)) else {
            bail!("{}: expected `id,clk` rows", path.display());
        };
        ids.push(id.to_owned());
        clks.push(Clk::from_base64(clk).with_context(|| format!("{}: id {id}", path.display()))?);
    }
    Ok((ids, ClkSet::new(&clks)?))
}

fn match_files(
    a_path: &Path,
    b_path: &Path,
    threshold: f64,
    output: &Path,
    solve: bool,
) -> anyhow::Result<()> {
    let (a_ids, a) = read_clks(a_path)?;
    let (b_ids, b) = read_clks(b_path)?;
    let mut out = csv::Writer::from_path(output)?;
    out.write_record(["a_id", "b_id", "similarity"])?;
    let bar = progress(a.len() as u64, "matching")?;
    let mut write = |c: &zakrila_linkage::Candidate| {
        let similarity = c.similarity.to_string();
        out.write_record([&a_ids[c.a as usize], &b_ids[c.b as usize], &similarity])
    };
    if solve {
        let candidates = find_candidates(&a, &b, threshold)?;
        bar.set_position(a.len() as u64);
        for c in greedy_solve(&candidates) {
            write(&c)?;
        }
    } else {
        // Progress is per batch of rows of `a`: the sink sees each batch once.
        stream_candidates(&a, &b, threshold, |chunk| {
            for c in chunk {
                write(c)?;
            }
            if let Some(last) = chunk.last() {
                bar.set_position(u64::from(last.a) + 1);
            }
            Ok::<(), std::io::Error>(())
        })?;
    }
    out.flush()?;
    bar.finish();
    Ok(())
}
