//! Settings: command-line flags win over environment variables, which win over the
//! optional `zakrila.toml`, which wins over the defaults. A bad file names the bad
//! key and the process exits with status 2.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The optional configuration file. Unknown keys are an error, so a typo is caught.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    /// How many reverse proxies append to `X-Forwarded-For` (0: none).
    pub trusted_proxies: Option<usize>,
    /// Sign-in attempts per minute over the whole system.
    pub signin_per_minute: Option<i32>,
    pub log_format: Option<String>,
    /// Name searches one user may run per 10 minutes (default 30).
    pub name_searches_per_10_minutes: Option<i32>,
    /// Most cases in one export with identities (default 500).
    pub identity_export_max_rows: Option<u64>,
    /// A file outside the database's directory the server appends an audit anchor
    /// line to (the chain's head), so a removed tail of the trail can be caught.
    pub audit_anchor_file: Option<PathBuf>,
    /// Minutes between anchor lines (default 60).
    pub audit_anchor_minutes: Option<u64>,
    /// The organisation (slug) whose signal queue receives anonymous tips.
    pub tip_desk: Option<String>,
    /// Largest document attached to a case, in MB (default 20).
    pub document_max_mb: Option<u64>,
    /// Where documents' encrypted content is kept: `dir` (the data directory's
    /// `documents/`) or `database`. Default: `dir` on SQLite, `database` otherwise.
    pub documents_store: Option<DocumentsStore>,
}

/// The values of `documents_store`; any other is refused with the file.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DocumentsStore {
    Dir,
    Database,
}

pub fn load_file(explicit: Option<&Path>) -> Result<FileConfig, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from("zakrila.toml");
            if !p.exists() {
                return Ok(FileConfig::default());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))
}

/// Settings after merging every source.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: String,
    pub public_url: Option<String>,
    pub trusted_proxies: usize,
    pub signin_per_minute: Option<i32>,
    pub json_logs: bool,
    pub limits: zakrila_app::Limits,
    pub audit_anchor_file: Option<PathBuf>,
    pub audit_anchor_minutes: u64,
    pub tip_desk: Option<String>,
    pub documents_store: zakrila_store::documents::DocumentStorage,
}

pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
}

impl Settings {
    pub fn resolve(o: Overrides, file: FileConfig) -> Self {
        let data_dir = o
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./zakrila-data"));
        let database_url = o.database_url.or(file.database_url).unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("zakrila.sqlite").display()
            )
        });
        Settings {
            listen: o
                .listen
                .or(file.listen)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            public_url: std::env::var("ZAKRILA_PUBLIC_URL").ok().or(file.public_url),
            trusted_proxies: std::env::var("ZAKRILA_TRUSTED_PROXIES")
                .ok()
                .and_then(|v| v.parse().ok())
                .or(file.trusted_proxies)
                .unwrap_or(0),
            signin_per_minute: std::env::var("ZAKRILA_SIGNIN_PER_MINUTE")
                .ok()
                .and_then(|v| v.parse().ok())
                .or(file.signin_per_minute),
            limits: zakrila_app::Limits {
                name_searches_per_10_minutes: std::env::var("ZAKRILA_NAME_SEARCHES_PER_10_MINUTES")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .or(file.name_searches_per_10_minutes)
                    .unwrap_or(zakrila_app::NAME_SEARCHES_PER_10_MINUTES),
                identity_export_max_rows: std::env::var("ZAKRILA_IDENTITY_EXPORT_MAX_ROWS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .or(file.identity_export_max_rows)
                    .unwrap_or(zakrila_app::IDENTITY_EXPORT_MAX_ROWS),
                document_max_bytes: std::env::var("ZAKRILA_DOCUMENT_MAX_MB")
                    .ok()
                    .and_then(|v| v.parse::<u64>().ok())
                    .or(file.document_max_mb)
                    .map_or(zakrila_app::DOCUMENT_MAX_BYTES, |mb| {
                        mb.max(1).saturating_mul(1024 * 1024)
                    }),
            },
            documents_store: documents_store(
                match std::env::var("ZAKRILA_DOCUMENTS_STORE").ok().as_deref() {
                    Some("dir") => Some(DocumentsStore::Dir),
                    Some("database") => Some(DocumentsStore::Database),
                    _ => file.documents_store,
                },
                &data_dir,
                &database_url,
            ),
            tip_desk: std::env::var("ZAKRILA_TIP_DESK")
                .ok()
                .or(file.tip_desk.clone()),
            json_logs: std::env::var("ZAKRILA_LOG_FORMAT")
                .ok()
                .or(file.log_format)
                .is_some_and(|f| f == "json"),
            audit_anchor_file: std::env::var("ZAKRILA_AUDIT_ANCHOR_FILE")
                .ok()
                .map(PathBuf::from)
                .or(file.audit_anchor_file),
            audit_anchor_minutes: std::env::var("ZAKRILA_AUDIT_ANCHOR_MINUTES")
                .ok()
                .and_then(|v| v.parse().ok())
                .or(file.audit_anchor_minutes)
                .unwrap_or(60)
                .max(1),
            data_dir,
            database_url,
        }
    }
}

/// Where documents go: `dir` in the data directory, `database` in the database,
/// unset the default for the database.
fn documents_store(
    choice: Option<DocumentsStore>,
    data_dir: &Path,
    database_url: &str,
) -> zakrila_store::documents::DocumentStorage {
    use zakrila_store::documents::DocumentStorage;
    match choice {
        Some(DocumentsStore::Dir) => DocumentStorage::Dir(data_dir.join("documents")),
        Some(DocumentsStore::Database) => DocumentStorage::Database,
        _ if database_url.starts_with("sqlite") => DocumentStorage::Dir(data_dir.join("documents")),
        _ => DocumentStorage::Database,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let err = toml::from_str::<FileConfig>("listn = \"0.0.0.0:80\"").unwrap_err();
        assert!(err.message().contains("listn"), "{}", err.message());
    }

    #[test]
    fn flags_win_over_the_file() {
        let file = FileConfig {
            listen: Some("0.0.0.0:9000".into()),
            data_dir: Some("/srv/z".into()),
            ..Default::default()
        };
        let s = Settings::resolve(
            Overrides {
                data_dir: None,
                database_url: None,
                listen: Some("127.0.0.1:1".into()),
            },
            file,
        );
        assert_eq!(s.listen, "127.0.0.1:1");
        assert_eq!(s.data_dir, PathBuf::from("/srv/z"));
        assert!(s.database_url.starts_with("sqlite:///srv/z/zakrila.sqlite"));
    }
}
