//! `zakrila`: the server and the tools to run it. Exit status 2 means the command
//! could not start (bad configuration, unreachable database); 1 means it ran and
//! found a problem (e.g. a broken audit chain).

mod admin;
mod admin_password;
mod cases_cmd;
mod cli_linkage;
mod config;
mod generate;
mod programme_cmd;
mod serve;
mod stats_cmd;

use std::{io::Read, path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "zakrila",
    version,
    about = "Закрила — информационна система за борба с трафика на хора / Zakrila — counter-trafficking information system"
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

/// Settings every subcommand takes.
#[derive(Args, Clone)]
struct Common {
    /// Directory for the SQLite database, the master key file and backups.
    #[arg(long, global = true, env = "ZAKRILA_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL: sqlite://FILE?mode=rwc or postgres://USER@HOST/DB. Default: SQLite in the data directory.
    #[arg(
        long,
        global = true,
        env = "ZAKRILA_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Configuration file (default: ./zakrila.toml when present).
    #[arg(long, global = true, env = "ZAKRILA_CONFIG")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (runs migrations first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "ZAKRILA_LISTEN")]
        listen: Option<String>,
        /// Also create demo users and fictional demo records.
        #[arg(long)]
        demo: bool,
        /// Which pages to serve: `public` (the "where to get help" site only, for
        /// the internet), `staff` (the case system only, for an internal network)
        /// or `all`.
        #[arg(long, env = "ZAKRILA_SURFACE", default_value = "all",
              value_parser = ["public", "staff", "all"])]
        surface: String,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Copy the live SQLite database to FILE, consistently.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Check the audit trail's hash chain.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Encryption keys.
    #[command(subcommand)]
    Keys(KeysCmd),
    /// Privacy-preserving record linkage: on files (CLKs compatible with clkhash), or `run` over the whole database.
    #[command(subcommand)]
    Linkage(cli_linkage::LinkageCmd),
    /// Fill the database with N realistic, fictional cases (benchmarks, demos).
    Generate {
        /// How many cases.
        #[arg(long, default_value_t = 0)]
        cases: usize,
        /// How many hotline signals (of the demo hotline, A21).
        #[arg(long, default_value_t = 0)]
        signals: usize,
        /// The same seed gives the same persons and cases.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Organisation slugs that own and receive the cases (default: iom, a21, animus, dignita, sacp, open-doors, demetra, sos-families).
        #[arg(long, num_args = 1..)]
        org: Vec<String>,
    },
    /// The National Programme: import a year, copy it forward.
    #[command(subcommand)]
    Programme(programme_cmd::ProgrammeCmd),
    /// National statistics: harmonised tables, shared exports, private releases.
    #[command(subcommand)]
    Stats(stats_cmd::StatsCmd),
    /// Cases: import an organisation's existing records from a spreadsheet.
    #[command(subcommand)]
    Cases(cases_cmd::CasesCmd),
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// Organisation slug (e.g. iom).
        #[arg(long)]
        org: String,
        /// admin, coordinator, caseworker, hotline, mobile, reporter, analyst or auditor.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Disable an account and end its sessions.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Clear an account's second factor; the user enrols again at next sign-in.
    ResetTotp {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum TokenCmd {
    /// Issue a bearer token; it is printed as the last line.
    Issue {
        #[arg(long)]
        email: String,
        /// Lifetime: e.g. 30m, 1h, 7d.
        #[arg(long, default_value = "1h")]
        ttl: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Exit 0 if the chain is intact; otherwise name the first bad event and exit 1.
    Verify {
        /// A file of anchor lines (from `audit anchor`): the chain must still reach
        /// every one of them, so a removed tail is caught.
        #[arg(long)]
        anchor: Option<PathBuf>,
    },
    /// Print the chain's head (sequence number and hash) as one line with the time.
    Anchor {
        /// Also append the line to this file (keep it outside the database's
        /// directory: a write-once log, a remote mount).
        #[arg(long)]
        append: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum KeysCmd {
    /// Start a new key generation and re-encrypt every identity field under it;
    /// with a new master key file, re-encrypt everything under that key (run it
    /// again with the same file to resume an interrupted rotation).
    Rotate {
        /// A file holding the new master key (64 hex digits, mode 0600).
        #[arg(long)]
        new_master_key_file: Option<PathBuf>,
    },
}

/// An error that stops the command before it could do its work: exit 2.
pub struct Startup(pub String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let file = match config::load_file(cli.common.config.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("zakrila: configuration: {e}");
            return ExitCode::from(2);
        }
    };
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.clone(),
        _ => None,
    };
    let settings = config::Settings::resolve(
        config::Overrides {
            data_dir: cli.common.data_dir.clone(),
            database_url: cli.common.database_url.clone(),
            listen,
        },
        file,
    );
    serve::init_logging(settings.json_logs);
    // Linkage on files needs no database.
    let command = match cli.command {
        Command::Linkage(cmd) if !cmd.needs_store() => {
            return match cli_linkage::run(cmd) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("zakrila: {e:#}");
                    ExitCode::from(2)
                }
            };
        }
        other => other,
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("zakrila: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    rt.block_on(run(command, settings))
}

async fn run(cmd: Command, s: config::Settings) -> ExitCode {
    let store = match admin::open_store(&s).await {
        Ok(store) => store,
        Err(Startup(msg)) => {
            eprintln!("zakrila: {msg}");
            return ExitCode::from(2);
        }
    };
    let result = match cmd {
        Command::Serve { demo, surface, .. } => {
            let surface = zakrila_web::Surface::parse(&surface).unwrap_or_default();
            serve::serve(store, &s, demo, surface).await
        }
        Command::Migrate => Ok(println!("migrations applied")),
        Command::User(UserCmd::Add {
            email,
            org,
            role,
            name,
            ..
        }) => {
            let mut password = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut password) {
                eprintln!("zakrila: cannot read the password from standard input: {e}");
                return ExitCode::from(2);
            }
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            admin::user_add(&store, &email, &org, &role, name, &password).await
        }
        Command::User(UserCmd::List) => admin::user_list(&store).await,
        Command::User(UserCmd::Disable { email }) => admin::user_disable(&store, &email).await,
        Command::User(UserCmd::ResetTotp { email }) => admin::user_reset_totp(&store, &email).await,
        Command::Token(TokenCmd::Issue { email, ttl, label }) => {
            admin::token_issue(&store, &email, &ttl, &label).await
        }
        Command::Backup { to } => admin::backup(&store, &to).await,
        Command::Audit(AuditCmd::Verify { anchor }) => {
            admin::audit_verify(&store, anchor.as_deref()).await
        }
        Command::Audit(AuditCmd::Anchor { append }) => {
            admin::audit_anchor(&store, append.as_deref()).await
        }
        Command::Keys(KeysCmd::Rotate {
            new_master_key_file: None,
        }) => admin::keys_rotate(&store).await,
        Command::Keys(KeysCmd::Rotate {
            new_master_key_file: Some(file),
        }) => admin::keys_rotate_master(&store, &s.data_dir, &file).await,
        Command::Generate {
            cases,
            signals,
            seed,
            org,
        } => generate::cli(&store, cases, signals, seed, &org).await,
        Command::Programme(cmd) => programme_cmd::run(&store, cmd).await,
        Command::Stats(cmd) => stats_cmd::run(&store, cmd).await,
        Command::Cases(cmd) => cases_cmd::run(&store, cmd).await,
        Command::Linkage(_) => cli_linkage::run_store(&store).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zakrila: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// A command's failure, with the exit status it maps to.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    /// 1: the command ran and found a problem; 2: bad input or environment.
    pub code: u8,
}

impl Failure {
    pub fn usage(m: impl Into<String>) -> Self {
        Self {
            message: m.into(),
            code: 2,
        }
    }
    pub fn found(m: impl Into<String>) -> Self {
        Self {
            message: m.into(),
            code: 1,
        }
    }
    fn exit_code(&self) -> u8 {
        self.code
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<zakrila_store::StoreError> for Failure {
    fn from(e: zakrila_store::StoreError) -> Self {
        match e {
            zakrila_store::StoreError::Domain(d) => {
                use zakrila_domain::user::Locale;
                use zakrila_web::i18n::t;
                Failure::usage(format!(
                    "{} / {}",
                    t(Locale::Bg, d.key),
                    t(Locale::En, d.key)
                ))
            }
            other => Failure::found(other.to_string()),
        }
    }
}

impl From<zakrila_domain::DomainError> for Failure {
    fn from(d: zakrila_domain::DomainError) -> Self {
        zakrila_store::StoreError::Domain(d).into()
    }
}
