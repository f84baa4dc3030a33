//! Crash safety: `zakrila serve` is killed with SIGKILL while caseworkers register
//! cases and read identities concurrently, then started again, several rounds. Every
//! write the server acknowledged must be there after the restart with its identity
//! intact, the audit chain must verify, and SQLite must pass its integrity check.
//! `ZAKRILA_CRASH_ROUNDS` sets the rounds (default 5; the long form runs 100).

use std::{
    io::Write,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};
use zakrila_store::{
    sea_orm::{ConnectionTrait, Statement},
    testing::fresh_databases,
};

const PASSWORD: &str = "crash-test-password-2025!";

pub(crate) fn zakrila(dir: &std::path::Path, url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zakrila"));
    c.arg("--data-dir")
        .arg(dir)
        .args(["--database-url", url])
        .env_remove("ZAKRILA_MASTER_KEY")
        .env_remove("ZAKRILA_CONFIG")
        .current_dir(dir);
    c
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(dir: &std::path::Path, url: &str, port: u16) -> Child {
    let mut child = zakrila(dir, url)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = format!("http://127.0.0.1:{port}/readyz");
    for _ in 0..600 {
        if reqwest::get(&ready)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return child;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server exited at start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

/// A name no other registration uses, in Cyrillic words (names hold no digits).
fn name(round: usize, worker: usize, n: usize) -> String {
    let digits = [
        "нула",
        "едно",
        "две",
        "три",
        "четири",
        "пет",
        "шест",
        "седем",
        "осем",
        "девет",
    ];
    let n: Vec<&str> = n
        .to_string()
        .bytes()
        .map(|b| digits[(b - b'0') as usize])
        .collect();
    format!(
        "{}-{}-{}",
        digits[round % 10],
        digits[worker % 10],
        n.join("-")
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_sigkill_and_the_audit_chain_verifies() {
    let rounds: usize = std::env::var("ZAKRILA_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    for db in fresh_databases().await {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(
            zakrila(d, &db.url)
                .arg("migrate")
                .status()
                .unwrap()
                .success()
        );
        let mut add = zakrila(d, &db.url)
            .args([
                "user",
                "add",
                "--email",
                "cw@iom.int",
                "--org",
                "iom",
                "--role",
                "caseworker",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        assert!(add.wait().unwrap().success(), "{}", db.label);
        let out = zakrila(d, &db.url)
            .args([
                "token",
                "issue",
                "--email",
                "cw@iom.int",
                "--ttl",
                "1d",
                "--label",
                "crash",
            ])
            .output()
            .unwrap();
        let token = String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .lines()
            .last()
            .unwrap()
            .to_owned();

        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        // (case id, given name) of every registration the server answered 201.
        let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        for round in 0..rounds {
            let mut server = start(d, &db.url, port).await;
            let mut workers = vec![];
            for w in 0..6 {
                let (client, base, token, acked) =
                    (client.clone(), base.clone(), token.clone(), acked.clone());
                workers.push(tokio::spawn(async move {
                    for n in 0.. {
                        let given = name(round, w, n);
                        let r = client
                            .post(format!("{base}/api/v1/cases"))
                            .bearer_auth(&token)
                            .json(&json!({"person": {"given_name": given, "family_name": "Краш"}}))
                            .send()
                            .await;
                        let Ok(r) = r else { return };
                        if r.status() != reqwest::StatusCode::CREATED {
                            eprintln!(
                                "registration answered {}: {}",
                                r.status(),
                                r.text().await.unwrap_or_default()
                            );
                            return;
                        }
                        let Ok(v) = r.json::<Value>().await else {
                            return;
                        };
                        let id = v["id"].as_str().unwrap().to_owned();
                        acked.lock().unwrap().push((id.clone(), given));
                        // An audited identity read beside the writes.
                        let _ = client
                            .get(format!("{base}/api/v1/cases/{id}/identity"))
                            .bearer_auth(&token)
                            .send()
                            .await;
                    }
                }));
            }
            tokio::time::sleep(Duration::from_millis(300 + 97 * (round as u64 % 7))).await;
            server.kill().unwrap(); // SIGKILL
            server.wait().unwrap();
            for w in workers {
                let _ = w.await;
            }
        }
        let acked = acked.lock().unwrap().clone();
        assert!(
            acked.len() >= rounds,
            "{}: only {} writes acknowledged",
            db.label,
            acked.len()
        );

        // After the last crash: every acknowledged case is there, identity intact.
        let mut server = start(d, &db.url, port).await;
        for (id, given) in &acked {
            let r = client
                .get(format!("{base}/api/v1/cases/{id}/identity"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                reqwest::StatusCode::OK,
                "{}: case {id} lost",
                db.label
            );
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["given_name"], given.as_str(), "{}: case {id}", db.label);
        }
        server.kill().unwrap();
        server.wait().unwrap();

        let out = zakrila(d, &db.url)
            .args(["audit", "verify"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: audit verify after {rounds} crashes: {}{}",
            db.label,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if db.label == "sqlite" {
            let store =
                zakrila_store::Store::open(&db.url, zakrila_store::Vault::load(None, d).unwrap())
                    .await
                    .unwrap();
            let row = store
                .reads
                .query_one_raw(Statement::from_string(
                    store.reads.get_database_backend(),
                    "PRAGMA integrity_check",
                ))
                .await
                .unwrap()
                .unwrap();
            let ok: String = row.try_get_by_index(0).unwrap();
            assert_eq!(ok, "ok", "sqlite integrity_check");
        }
        eprintln!(
            "{}: {} acknowledged writes over {rounds} SIGKILLs, all there",
            db.label,
            acked.len()
        );
    }
}
