//! The `zakrila` command as an operator uses it: exit codes, messages, the audit
//! check, backups, tokens.

use std::process::{Command, Output};

fn zakrila(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args(args)
        .env("ZAKRILA_DATA_DIR", dir)
        .env_remove("ZAKRILA_DATABASE_URL")
        .env_remove("ZAKRILA_MASTER_KEY")
        .current_dir(dir)
        .output()
        .expect("run zakrila")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_malformed_config_names_the_bad_key_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("zakrila.toml"), "listn = \"0.0.0.0:80\"\n").unwrap();
    let out = zakrila(dir.path(), &["migrate"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("listn"), "{err}");
}

#[test]
fn an_unreachable_database_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = zakrila(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("cannot reach the database"), "{err}");
    assert_eq!(
        err.trim()
            .lines()
            .filter(|l| l.starts_with("zakrila:"))
            .count(),
        1,
        "{err}"
    );
}

#[test]
fn users_tokens_backup_and_the_audit_check() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zakrila(d, &["migrate"]).status.success());
    // A weak password is refused in both languages and creates nothing.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args([
            "user",
            "add",
            "--email",
            "maria@iom.int",
            "--org",
            "iom",
            "--role",
            "caseworker",
            "--password-stdin",
        ])
        .env("ZAKRILA_DATA_DIR", d)
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("12 знака") && text(&out.stderr).contains("12 characters"),
        "{}",
        text(&out.stderr)
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args([
            "user",
            "add",
            "--email",
            "maria@iom.int",
            "--org",
            "iom",
            "--role",
            "caseworker",
            "--password-stdin",
        ])
        .env("ZAKRILA_DATA_DIR", d)
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("зелена-липа-над-Витоша\n".as_bytes())
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    let list = text(&zakrila(d, &["user", "list"]).stdout);
    assert!(
        list.contains("maria@iom.int") && list.contains("caseworker"),
        "{list}"
    );

    let out = zakrila(
        d,
        &["token", "issue", "--email", "maria@iom.int", "--ttl", "1h"],
    );
    assert!(out.status.success());
    let token = text(&out.stdout).lines().last().unwrap().to_owned();
    assert!(token.starts_with("zk_") && token.len() > 40, "{token}");

    let backup = d.join("copy.sqlite");
    let out = zakrila(d, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::metadata(&backup).unwrap().len() > 0);

    let out = zakrila(d, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("intact"));

    // Tamper with one event: the check names it and fails.
    let conn = d.join("zakrila.sqlite");
    let status = Command::new("python3")
        .args(["-c", &format!("import sqlite3; c=sqlite3.connect('{}'); c.execute(\"UPDATE audit_events SET action='x' WHERE seq=2\"); c.commit()", conn.display())])
        .status();
    if status.map(|s| s.success()).unwrap_or(false) {
        let out = zakrila(d, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("audit event 2 was altered"),
            "{}",
            text(&out.stderr)
        );
    } else {
        panic!("python3 with sqlite3 is needed to tamper with the database in this test");
    }

    let out = zakrila(d, &["keys", "rotate"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("key generation 2"));
}

#[test]
fn an_anchor_catches_a_removed_tail() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zakrila(d, &["migrate"]).status.success());
    // Something in the trail to cut: an account's creation.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args([
            "user",
            "add",
            "--email",
            "ana@iom.int",
            "--org",
            "iom",
            "--role",
            "analyst",
            "--password-stdin",
        ])
        .env("ZAKRILA_DATA_DIR", d)
        .env_remove("ZAKRILA_DATABASE_URL")
        .env_remove("ZAKRILA_MASTER_KEY")
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("бяла-мечка-край-Рила-2025\n".as_bytes())
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());

    let anchors = d.join("anchors.log");
    let out = zakrila(
        d,
        &["audit", "anchor", "--append", anchors.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    assert!(
        line.contains("seq=") && line.contains("hash=") && line.contains("Sofia"),
        "{line}"
    );
    assert_eq!(
        std::fs::read_to_string(&anchors).unwrap().trim(),
        line.trim()
    );

    let out = zakrila(
        d,
        &["audit", "verify", "--anchor", anchors.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Cut the newest event and move the head back: the chain alone still holds…
    let conn = d.join("zakrila.sqlite");
    let status = Command::new("python3")
        .args(["-c", &format!(
            "import sqlite3; c=sqlite3.connect('{}'); \
             c.execute('DELETE FROM audit_events WHERE seq=(SELECT MAX(seq) FROM audit_events)'); \
             c.execute('UPDATE audit_head SET seq=(SELECT MAX(seq) FROM audit_events), hash=(SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)'); \
             c.commit()",
            conn.display()
        )])
        .status()
        .expect("python3 with sqlite3 is needed to tamper with the database in this test");
    assert!(status.success());
    let out = zakrila(d, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // …but not against the anchor.
    let out = zakrila(
        d,
        &["audit", "verify", "--anchor", anchors.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("newest events were removed"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn the_data_dir_and_database_are_the_owners_only_and_a_shared_key_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("srv").join("zakrila");
    let out = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args(["migrate"])
        .env("ZAKRILA_DATA_DIR", &data)
        .env_remove("ZAKRILA_DATABASE_URL")
        .env_remove("ZAKRILA_MASTER_KEY")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for f in ["zakrila.sqlite", "zakrila.sqlite-wal", "master.key"] {
        let p = data.join(f);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{f}");
        }
    }
    assert!(data.join("zakrila.sqlite").exists());

    let backup = dir.path().join("copy.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args(["backup", "--to", backup.to_str().unwrap()])
        .env("ZAKRILA_DATA_DIR", &data)
        .env_remove("ZAKRILA_DATABASE_URL")
        .env_remove("ZAKRILA_MASTER_KEY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&backup), 0o600);

    let key = data.join("master.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args(["migrate"])
        .env("ZAKRILA_DATA_DIR", &data)
        .env_remove("ZAKRILA_DATABASE_URL")
        .env_remove("ZAKRILA_MASTER_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("chmod 600"),
        "{}",
        text(&out.stderr)
    );
}

fn add_caseworker(d: &std::path::Path, email: &str) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args([
            "user",
            "add",
            "--email",
            email,
            "--org",
            "iom",
            "--role",
            "caseworker",
            "--password-stdin",
        ])
        .env("ZAKRILA_DATA_DIR", d)
        .env_remove("ZAKRILA_MASTER_KEY")
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("зелена-липа-над-Витоша\n".as_bytes())
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
}

#[test]
fn a_token_for_a_role_that_sees_identities_lives_at_most_seven_days() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zakrila(d, &["migrate"]).status.success());
    add_caseworker(d, "maria@iom.int");
    let out = zakrila(
        d,
        &["token", "issue", "--email", "maria@iom.int", "--ttl", "8d"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stdout).trim().is_empty(), "no token printed");
    let out = zakrila(
        d,
        &["token", "issue", "--email", "maria@iom.int", "--ttl", "7d"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).trim().starts_with("zk_"));
}

#[cfg(unix)]
#[test]
fn a_new_master_key_file_replaces_the_old_key_and_the_chain_still_verifies() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zakrila(d, &["migrate"]).status.success());
    add_caseworker(d, "maria@iom.int");
    let old = std::fs::read_to_string(d.join("master.key")).unwrap();

    let new_key = d.join("new.key");
    std::fs::write(&new_key, "ab".repeat(32)).unwrap();
    std::fs::set_permissions(&new_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = zakrila(
        d,
        &[
            "keys",
            "rotate",
            "--new-master-key-file",
            new_key.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a key file others can read is refused"
    );
    assert!(
        text(&out.stderr).contains("chmod 600"),
        "{}",
        text(&out.stderr)
    );

    std::fs::set_permissions(&new_key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = zakrila(
        d,
        &[
            "keys",
            "rotate",
            "--new-master-key-file",
            new_key.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("key generation 2"),
        "{}",
        text(&out.stdout)
    );
    let now = std::fs::read_to_string(d.join("master.key")).unwrap();
    assert_eq!(
        now.trim(),
        "ab".repeat(32),
        "the new key is the key file now"
    );
    assert_ne!(now.trim(), old.trim());
    let mode = std::fs::metadata(d.join("master.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let out = zakrila(d, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("intact"));
    assert!(text(&zakrila(d, &["user", "list"]).stdout).contains("maria@iom.int"));

    // The old key alone is refused.
    let out = Command::new(env!("CARGO_BIN_EXE_zakrila"))
        .args(["audit", "verify"])
        .env("ZAKRILA_DATA_DIR", d)
        .env("ZAKRILA_MASTER_KEY", old.trim())
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("does not open this database"),
        "{}",
        text(&out.stderr)
    );
}
