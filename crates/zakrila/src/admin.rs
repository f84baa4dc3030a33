//! The administration subcommands: accounts, tokens, backup, audit check, key
//! rotation.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use zakrila_domain::{password::NewPassword, role::Role, user::Email};
use zakrila_store::sea_orm::{ConnectionTrait, Statement};
use zakrila_store::{
    Backend, Store, Vault, accounts::NewUser, audit_anchor::Anchor, vault::MasterKey,
};

use crate::{Failure, Startup, config::Settings};

/// Creates the data directory (and any missing parents) for its owner only: it
/// holds the master key file and the SQLite database.
fn data_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Opens the database named by the settings (creating the data directory and the
/// master key file on first use) and brings its schema up to date.
pub async fn open_store(s: &Settings) -> Result<Store, Startup> {
    data_dir(&s.data_dir).map_err(|e| {
        Startup(format!(
            "cannot create the data directory {}: {e}",
            s.data_dir.display()
        ))
    })?;
    let key = std::env::var("ZAKRILA_MASTER_KEY").ok();
    let vault = Vault::load(key.as_deref(), &s.data_dir)
        .map_err(|e| Startup(format!("master key: {e}")))?;
    let store = Store::open(&s.database_url, vault)
        .await
        .map_err(|e| match e {
            zakrila_store::StoreError::Vault(e) => Startup(format!("master key: {e}")),
            e => Startup(format!(
                "cannot reach the database: {}",
                one_line(&e.to_string())
            )),
        })?
        .with_documents(s.documents_store.clone());
    store.migrate().await.map_err(|e| {
        Startup(format!(
            "cannot migrate the database: {}",
            one_line(&e.to_string())
        ))
    })?;
    // Reference data and the admin account belong to the database, whichever command
    // meets it first; `serve` prints what it created, other commands do here.
    let first = store.first_start().await.map_err(|e| {
        Startup(format!(
            "cannot load the reference data: {}",
            one_line(&e.to_string())
        ))
    })?;
    if let Some(password) = &first.admin_password {
        crate::admin_password::announce(&s.data_dir, password)?;
    }
    Ok(store)
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_owned()
}

pub async fn user_add(
    store: &Store,
    email: &str,
    org: &str,
    role: &str,
    name: Option<String>,
    password: &str,
) -> Result<(), Failure> {
    let email = Email::parse(email)?;
    let role = Role::parse(role)?;
    let password = NewPassword::parse(password)?;
    let u = store
        .create_user(
            None,
            NewUser {
                display_name: name.unwrap_or_else(|| {
                    email
                        .as_str()
                        .split('@')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                }),
                email,
                org_slug: org.to_owned(),
                role,
                password,
                must_change_password: false,
            },
        )
        .await?;
    println!("created {} ({})", u.email, u.id);
    Ok(())
}

pub async fn user_list(store: &Store) -> Result<(), Failure> {
    let orgs = store.list_orgs().await?;
    println!(
        "{:<40} {:<12} {:<12} {:<9} totp",
        "email", "org", "role", "status"
    );
    for u in store.list_users(None).await? {
        let org = orgs
            .iter()
            .find(|o| o.id == u.org_id)
            .map(|o| o.slug.as_str())
            .unwrap_or("?");
        println!(
            "{:<40} {:<12} {:<12} {:<9} {}",
            u.email,
            org,
            u.role,
            u.status,
            if u.totp_enabled { "yes" } else { "no" }
        );
    }
    Ok(())
}

async fn user_id(store: &Store, email: &str) -> Result<String, Failure> {
    store
        .user_by_email(email)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| Failure::usage(format!("no account with the e-mail {email}")))
}

pub async fn user_disable(store: &Store, email: &str) -> Result<(), Failure> {
    store
        .disable_user(None, &user_id(store, email).await?)
        .await?;
    println!("disabled {email}");
    Ok(())
}

pub async fn user_reset_totp(store: &Store, email: &str) -> Result<(), Failure> {
    store
        .reset_totp(None, &user_id(store, email).await?)
        .await?;
    println!("second factor cleared for {email}; they enrol again at next sign-in");
    Ok(())
}

/// Parses `30m`, `1h`, `7d` into milliseconds.
pub fn parse_ttl(s: &str) -> Option<i64> {
    let (n, unit) = s.trim().split_at(s.trim().len().checked_sub(1)?);
    let n: i64 = n.parse().ok().filter(|n| *n > 0)?;
    let ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(ms)
}

pub async fn token_issue(
    store: &Store,
    email: &str,
    ttl: &str,
    label: &str,
) -> Result<(), Failure> {
    let ttl_ms = parse_ttl(ttl)
        .ok_or_else(|| Failure::usage(format!("bad --ttl {ttl:?}: use e.g. 30m, 1h, 7d")))?;
    let id = user_id(store, email).await?;
    let (_, token) = store.issue_token(None, &id, label, ttl_ms).await?;
    eprintln!("token for {email}, valid for {ttl}; it is shown only now:");
    println!("{token}");
    Ok(())
}

/// SQLite: `VACUUM INTO` writes a consistent copy while the server keeps running.
/// PostgreSQL: use pg_dump (see the README).
pub async fn backup(store: &Store, to: &Path) -> Result<(), Failure> {
    if store.backend != Backend::Sqlite {
        return Err(Failure::usage(
            "backup --to works on SQLite; for PostgreSQL use pg_dump (see the README)",
        ));
    }
    if to.exists() {
        return Err(Failure::usage(format!(
            "{} exists; choose a new file",
            to.display()
        )));
    }
    let path = to
        .to_str()
        .ok_or_else(|| Failure::usage("the backup path must be valid UTF-8"))?;
    let sql = format!("VACUUM INTO '{}'", path.replace('\'', "''"));
    store
        .reads
        .execute_raw(Statement::from_string(
            store.reads.get_database_backend(),
            sql,
        ))
        .await
        .map_err(|e| Failure::found(format!("backup failed: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Failure::found(format!("{}: {e}", to.display())))?;
    }
    println!(
        "backup written to {} (identity fields stay encrypted; keep the master key separately)",
        to.display()
    );
    Ok(())
}

pub async fn audit_verify(store: &Store, anchors: Option<&Path>) -> Result<(), Failure> {
    let n = match store.verify_audit().await? {
        Ok(n) => n,
        Err(brk) => return Err(Failure::found(format!("audit chain broken: {brk}"))),
    };
    if let Some(path) = anchors {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        let anchors: Vec<Anchor> = text.lines().filter_map(Anchor::parse_line).collect();
        if anchors.is_empty() {
            return Err(Failure::usage(format!(
                "{}: no anchor lines (seq=… hash=…)",
                path.display()
            )));
        }
        if let Err(brk) = store.check_anchors(&anchors).await? {
            return Err(Failure::found(format!("audit chain broken: {brk}")));
        }
        println!(
            "audit chain intact: {n} events, reaching all {} anchors",
            anchors.len()
        );
    } else {
        println!("audit chain intact: {n} events");
    }
    Ok(())
}

/// One anchor line: the time in UTC and in Sofia, then the head.
pub fn anchor_line(anchor: &Anchor) -> String {
    let ms = zakrila_store::now_ms();
    let utc = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z ({} Sofia) {}",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        zakrila_web::views::layout::datetime(ms),
        anchor.fields()
    )
}

/// Appends a line to the anchor file, creating it, and syncs it to disk.
pub fn append_anchor(path: &Path, line: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(f, "{line}")?;
    f.sync_all()
}

pub async fn audit_anchor(store: &Store, append: Option<&Path>) -> Result<(), Failure> {
    let line = anchor_line(&store.audit_anchor().await?);
    if let Some(path) = append {
        append_anchor(path, &line)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    println!("{line}");
    Ok(())
}

pub async fn keys_rotate(store: &Store) -> Result<(), Failure> {
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} re-encrypted {pos} values")
            .expect("valid template"),
    );
    let (id, n) = store.rotate_keys(|done| bar.set_position(done)).await?;
    bar.finish_and_clear();
    println!("now encrypting with key generation {id}; re-encrypted {n} values");
    Ok(())
}

/// Re-encrypts everything under the master key in `file`. The key goes first to
/// `master.key.next` in the data directory, where this host's running servers find
/// it as soon as a value needs it; at the end it replaces `master.key`.
pub async fn keys_rotate_master(
    store: &Store,
    data_dir: &Path,
    file: &Path,
) -> Result<(), Failure> {
    let new = MasterKey::from_file(file)
        .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
    let fp = new.fingerprint();
    zakrila_store::vault::install_next_key(data_dir, &new)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} re-encrypted {pos} values")
            .expect("valid template"),
    );
    let done = store
        .rotate_master(new, |done| {
            bar.set_position(done);
            std::ops::ControlFlow::Continue(())
        })
        .await?;
    bar.finish_and_clear();
    let Some((id, n)) = done else {
        return Err(Failure::usage(
            "the rotation stopped; run the command again to resume",
        ));
    };
    if std::env::var_os("ZAKRILA_MASTER_KEY").is_some() {
        println!(
            "now encrypting under master key {fp} (key generation {id}); re-encrypted {n} values. \
             Set ZAKRILA_MASTER_KEY to the new key, restart the servers, then delete {}",
            data_dir.join(zakrila_store::vault::NEXT_KEY_FILE).display()
        );
    } else {
        zakrila_store::vault::promote_next_key(data_dir)
            .map_err(|e| Failure::usage(format!("cannot install the new key file: {e}")))?;
        println!(
            "now encrypting under master key {fp} (key generation {id}); re-encrypted {n} values. \
             {} holds the new key; the old key is no longer needed: destroy its copies",
            data_dir.join("master.key").display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn ttl_units() {
        assert_eq!(super::parse_ttl("1h"), Some(3_600_000));
        assert_eq!(super::parse_ttl("30m"), Some(1_800_000));
        assert_eq!(super::parse_ttl("7d"), Some(604_800_000));
        assert_eq!(super::parse_ttl("0h"), None);
        assert_eq!(super::parse_ttl("1y"), None);
        assert_eq!(super::parse_ttl(""), None);
    }
}
