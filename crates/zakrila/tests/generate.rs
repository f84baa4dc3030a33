//! `zakrila generate` end to end: the command fills a fresh database (SQLite, and
//! PostgreSQL when `ZAKRILA_TEST_DATABASE_URL` is set) with valid cases that the
//! store can decrypt and find by name in either script.

#[path = "server/crash.rs"]
mod crash;

use std::process::Command;

use uuid::Uuid;
use zakrila_domain::{case::PersonName, translit};
use zakrila_store::{
    Store, Vault,
    cases::CaseFilter,
    entity::{case, consent, referral},
    sea_orm::{EntityTrait, PaginatorTrait},
    testing::fresh_databases,
};

#[tokio::test(flavor = "multi_thread")]
async fn generate_200_cases_gives_valid_data_found_by_name_in_either_script() {
    for db in fresh_databases().await {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_zakrila"))
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "--database-url",
                &db.url,
                "generate",
                "--cases",
                "200",
                "--seed",
                "7",
            ])
            .env_remove("ZAKRILA_MASTER_KEY")
            .env_remove("ZAKRILA_CONFIG")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            db.label,
            String::from_utf8_lossy(&out.stderr)
        );
        let store = Store::open(&db.url, Vault::load(None, dir.path()).unwrap())
            .await
            .unwrap();

        assert_eq!(
            case::Entity::find().count(&store.reads).await.unwrap(),
            200,
            "{}",
            db.label
        );
        assert!(referral::Entity::find().count(&store.reads).await.unwrap() > 0);
        assert!(consent::Entity::find().count(&store.reads).await.unwrap() > 100);
        assert!(
            matches!(store.verify_audit().await.unwrap(), Ok(_)),
            "the audit chain holds"
        );

        let cases = case::Entity::find().all(&store.reads).await.unwrap();
        let (mut cyrillic, mut latin, mut children) = (0, 0, 0);
        for c in &cases {
            let p = store.person_of(c).await.unwrap();
            children += usize::from(p.is_child);
            let id = store.read_identity(Uuid::nil(), c, "test").await.unwrap();
            let family = id
                .family_name
                .expect("every generated person has a family name");
            PersonName::parse(&family).expect("a valid name");
            if family.is_ascii() || translit::to_latin(&family) == family {
                latin += 1;
                continue;
            }
            cyrillic += 1;
            if cyrillic > 5 {
                continue;
            }
            // Written in Cyrillic, found by its Latin transliteration.
            let q = translit::to_latin(&family);
            let filter = CaseFilter {
                q: Some(q.clone()),
                per_page: 200,
                ..Default::default()
            };
            let found = store.search_cases(&c.org_id, &filter).await.unwrap();
            assert!(
                found.items.iter().any(|i| i.case_id == c.id),
                "{}: {} not found by its Latin spelling",
                db.label,
                c.code
            );
        }
        assert!(
            cyrillic > 50 && latin > 5,
            "both scripts: {cyrillic} Cyrillic, {latin} Latin"
        );
        assert!(children > 5, "some children: {children}");

        // Every organisation's caseload is its own cases plus those referred to it and
        // accepted — the list reads a projection the generator writes directly, so
        // check it against the rows it mirrors.
        let referrals = referral::Entity::find().all(&store.reads).await.unwrap();
        let mut orgs: Vec<&str> = cases.iter().map(|c| c.org_id.as_str()).collect();
        orgs.sort();
        orgs.dedup();
        for org in orgs {
            let mut expected: Vec<&case::Model> = cases
                .iter()
                .filter(|c| {
                    c.org_id == org
                        || referrals
                            .iter()
                            .any(|r| r.case_id == c.id && r.to_org == org && r.status == "accepted")
                })
                .collect();
            expected.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
            let page = store
                .search_cases(
                    org,
                    &CaseFilter {
                        per_page: 200,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            assert_eq!(page.total as usize, expected.len(), "{}", db.label);
            assert!(!page.total_capped, "{}", db.label);
            assert_eq!(
                page.items.iter().map(|i| &i.case_id).collect::<Vec<_>>(),
                expected.iter().map(|c| &c.id).collect::<Vec<_>>(),
                "{}: {org}'s caseload, latest change first",
                db.label
            );
            // Each row shows the case as it is (the generator writes the rows itself).
            for (row, c) in page.items.iter().zip(&expected) {
                let p = store.person_of(c).await.unwrap();
                assert_eq!(
                    (
                        &row.code,
                        &row.stage,
                        &row.forms,
                        &row.risk_level,
                        row.version
                    ),
                    (&c.code, &c.stage, &c.forms, &c.risk_level, c.version),
                    "{}: {org}'s row of {}",
                    db.label,
                    c.code
                );
                assert_eq!(
                    (&row.owner_org_id, &row.sex, &row.citizenship, row.is_child),
                    (&c.org_id, &p.sex, &p.citizenship, p.is_child),
                    "{}: {org}'s row of {}",
                    db.label,
                    c.code
                );
            }
        }
    }
}

/// The README's first command: `serve --demo` on a fresh database starts, answers,
/// and the database then holds the demo cases, signals and shelters.
#[tokio::test(flavor = "multi_thread")]
async fn serve_demo_on_a_fresh_database_starts_with_demo_data() {
    use zakrila_store::entity::{place, signal};
    for db in fresh_databases().await {
        let dir = tempfile::tempdir().unwrap();
        let port = crash::free_port();
        let mut child = crash::zakrila(dir.path(), &db.url)
            .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let ready = format!("http://127.0.0.1:{port}/readyz");
        let mut up = false;
        for _ in 0..1200 {
            if reqwest::get(&ready)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                up = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        assert!(
            up,
            "{}: serve --demo did not become ready: {}",
            db.label,
            String::from_utf8_lossy(&out.stderr)
        );
        let store = Store::open(&db.url, Vault::load(None, dir.path()).unwrap())
            .await
            .unwrap();
        assert!(case::Entity::find().count(&store.reads).await.unwrap() > 0);
        assert!(signal::Entity::find().count(&store.reads).await.unwrap() > 0);
        assert!(place::Entity::find().count(&store.reads).await.unwrap() > 0);
    }
}
