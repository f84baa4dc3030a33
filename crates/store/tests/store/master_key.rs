//! Rotating the master key: every value re-encrypted under the new key, readable
//! throughout, resumable; the old key alone opens nothing afterwards; the audit
//! chain and the name search carry on (derived keys outlive the rotation).

use std::ops::ControlFlow;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use zakrila_domain::case::{NewCase, RawNewCase};
use zakrila_store::{
    Store, Vault,
    cases::CaseFilter,
    vault::{FieldRef, MasterKey},
};

use crate::stores;

const OLD: [u8; 32] = [42; 32];
const NEW: [u8; 32] = [43; 32];

async fn register(store: &Store, org: &str, given: &str, family: &str) -> String {
    let org = store.org_by_slug(org).await.unwrap().unwrap();
    let raw: RawNewCase = serde_json::from_value(json!({
        "person": {"given_name": given, "family_name": family, "birth_date": "1998-04-12",
                   "phone": "+359888123456", "sex": "female", "citizenship": "BGR"},
        "exploitation": {"forms": ["sexual"]}
    }))
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let new = NewCase::parse(raw, now).unwrap();
    store
        .register_case(uuid::Uuid::now_v7(), &org.id, new, now)
        .await
        .unwrap()
        .case
        .id
}

async fn names(store: &Store, case_id: &str) -> (Option<String>, Option<String>, Option<String>) {
    let c = store.case_by_id(case_id).await.unwrap().unwrap();
    let i = store
        .read_identity(uuid::Uuid::now_v7(), &c, "test")
        .await
        .unwrap();
    (i.given_name, i.family_name, i.phone)
}

async fn stored_family_name(store: &Store, case_id: &str) -> (String, String) {
    let c = store.case_by_id(case_id).await.unwrap().unwrap();
    let p = store.person_of(&c).await.unwrap();
    (p.id, p.family_name.unwrap())
}

async fn found(store: &Store, org: &str, q: &str) -> u64 {
    let org = store.org_by_slug(org).await.unwrap().unwrap();
    store
        .search_cases(
            &org.id,
            &CaseFilter {
                q: Some(q.into()),
                page: 0,
                per_page: 20,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .total
}

async fn count(store: &Store, sql: &str) -> i64 {
    let row = store
        .reads
        .query_one_raw(Statement::from_string(
            store.reads.get_database_backend(),
            sql,
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn a_new_master_key_re_encrypts_everything_and_the_old_one_opens_nothing() {
    for (label, store, db) in stores().await {
        let mut cases = vec![];
        for (g, f) in [
            ("Мария", "Иванова"),
            ("Елена", "Петрова"),
            ("Анна", "Стоянова"),
        ] {
            cases.push((register(&store, "iom", g, f).await, g, f));
        }
        let before: Vec<_> = {
            let mut v = vec![];
            for (id, ..) in &cases {
                v.push(names(&store, id).await);
            }
            v
        };

        // Interrupted after its first batch: values are under both keys now, and
        // every one still reads back.
        let mut batches = 0;
        let stopped = store
            .rotate_master(MasterKey::from_bytes(NEW), |_| {
                batches += 1;
                ControlFlow::Break(())
            })
            .await
            .unwrap();
        assert!(stopped.is_none(), "{label}: stopped after one batch");
        assert!(
            count(
                &store,
                "SELECT COUNT(*) FROM persons WHERE phone NOT LIKE 'k2:%'"
            )
            .await
                > 0,
            "{label}: some values wait for the rest of the walk"
        );
        for ((id, ..), was) in cases.iter().zip(&before) {
            assert_eq!(
                &names(&store, id).await,
                was,
                "{label}: readable mid-rotation"
            );
        }
        // A case registered meanwhile is written under the new key.
        let during = register(&store, "iom", "Ива", "Колева").await;
        assert!(
            stored_family_name(&store, &during)
                .await
                .1
                .starts_with("k2:"),
            "{label}"
        );

        // Resumed by a process that starts afresh with both keys.
        let resumed = Store::open(&db.url, {
            let v = Vault::from_bytes(OLD);
            v.add_master(MasterKey::from_bytes(NEW));
            v
        })
        .await
        .unwrap();
        let (id, n) = resumed
            .rotate_master(MasterKey::from_bytes(NEW), |_| ControlFlow::Continue(()))
            .await
            .unwrap()
            .expect("runs to the end");
        assert_eq!(id, 2, "{label}");
        assert!(n > 0, "{label}: the rest was re-encrypted on resuming");
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM persons WHERE family_name NOT LIKE 'k2:%' OR phone NOT LIKE 'k2:%'").await,
            0,
            "{label}: nothing left under the old key"
        );

        // The old key alone: the server refuses to start, and no value decrypts.
        let err = Store::open(&db.url, Vault::from_bytes(OLD))
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("does not open this database"),
            "{label}: {err}"
        );
        let (pid, stored) = stored_family_name(&store, &cases[0].0).await;
        let at = FieldRef {
            table: "persons",
            column: "family_name",
            row_id: &pid,
        };
        assert!(
            Vault::from_bytes(OLD).decrypt(at, &stored).is_err(),
            "{label}"
        );

        // The new key alone: everything reads back equal, the chain verifies, the
        // name search finds the cases, new cases register.
        let fresh = Store::open(&db.url, Vault::from_bytes(NEW)).await.unwrap();
        fresh.migrate().await.unwrap();
        for ((id, ..), was) in cases.iter().zip(&before) {
            assert_eq!(
                &names(&fresh, id).await,
                was,
                "{label}: equal after rotation"
            );
        }
        assert_eq!(
            names(&fresh, &during).await.1.as_deref(),
            Some("Колева"),
            "{label}"
        );
        assert!(
            matches!(fresh.verify_audit().await.unwrap(), Ok(n) if n > 0),
            "{label}: the audit chain verifies after rotation"
        );
        assert_eq!(found(&fresh, "iom", "Ivanova").await, 1, "{label}");
        assert_eq!(found(&fresh, "iom", "Колева").await, 1, "{label}");
        register(&fresh, "iom", "Нова", "Иванова").await;
        assert_eq!(found(&fresh, "iom", "Иванова").await, 2, "{label}");
        assert!(
            matches!(fresh.verify_audit().await.unwrap(), Ok(_)),
            "{label}"
        );
    }
}

#[tokio::test]
async fn a_second_rotation_to_another_key_waits_for_the_first() {
    for (label, store, _db) in stores().await {
        register(&store, "iom", "Мария", "Иванова").await;
        store
            .rotate_master(MasterKey::from_bytes(NEW), |_| ControlFlow::Break(()))
            .await
            .unwrap();
        let err = store
            .rotate_master(MasterKey::from_bytes([44; 32]), |_| {
                ControlFlow::Continue(())
            })
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("another master key"),
            "{label}: {err}"
        );
        assert!(store.rotate_keys(|_| {}).await.is_err(), "{label}");
    }
}

#[tokio::test]
async fn the_same_name_in_two_organisations_gives_different_tokens() {
    for (label, store, _db) in stores().await {
        let a = register(&store, "iom", "Мария", "Иванова").await;
        let b = register(&store, "a21", "Мария", "Иванова").await;
        let tokens = |case_id: String| {
            let store = store.clone();
            async move {
                let (pid, _) = stored_family_name(&store, &case_id).await;
                let rows = store
                    .reads
                    .query_all_raw(Statement::from_string(
                        store.reads.get_database_backend(),
                        format!(
                            "SELECT token FROM person_name_tokens WHERE person_id = '{pid}' ORDER BY token"
                        ),
                    ))
                    .await
                    .unwrap();
                rows.iter()
                    .map(|r| r.try_get_by_index::<String>(0).unwrap())
                    .collect::<Vec<_>>()
            }
        };
        let (ta, tb) = (tokens(a).await, tokens(b).await);
        assert_eq!((ta.len(), tb.len()), (2, 2), "{label}");
        assert!(
            ta.iter().all(|t| !tb.contains(t)),
            "{label}: no token in common"
        );
        assert_eq!(
            count(&store, "SELECT COUNT(DISTINCT dup_index) FROM persons").await,
            2,
            "{label}: the duplicate index differs too"
        );
        assert_eq!(found(&store, "iom", "Иванова").await, 1, "{label}");
        assert_eq!(found(&store, "a21", "Ivanova").await, 1, "{label}");
    }
}

#[tokio::test]
async fn the_first_start_after_the_upgrade_rebuilds_the_name_indexes_per_organisation() {
    for (label, store, _db) in stores().await {
        let case = register(&store, "iom", "Мария", "Иванова").await;
        // As an older version left them: tokens under one deployment-wide key.
        let (pid, _) = stored_family_name(&store, &case).await;
        let legacy = store.vault.blind_index("person_name", "ivanova");
        for sql in [
            format!(
                "UPDATE person_name_tokens SET token = '{legacy}' WHERE person_id = '{pid}' AND token IN (SELECT MIN(token) FROM person_name_tokens WHERE person_id = '{pid}')"
            ),
            "DELETE FROM caseload_tokens".to_owned(),
            "UPDATE persons SET dup_index = 'old'".to_owned(),
            "INSERT INTO settings (\"key\", value) VALUES ('name_index.rebuild_after', '')"
                .to_owned(),
        ] {
            store
                .reads
                .execute_raw(Statement::from_string(
                    store.reads.get_database_backend(),
                    sql,
                ))
                .await
                .unwrap();
        }
        assert_eq!(
            found(&store, "iom", "Иванова").await,
            0,
            "{label}: not found before"
        );
        store.migrate().await.unwrap();
        assert_eq!(found(&store, "iom", "Иванова").await, 1, "{label}");
        assert_eq!(found(&store, "iom", "Maria Ivanova").await, 1, "{label}");
        assert_eq!(
            count(
                &store,
                &format!("SELECT COUNT(*) FROM person_name_tokens WHERE token = '{legacy}'")
            )
            .await,
            0,
            "{label}"
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM persons WHERE dup_index = 'old'"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM settings WHERE \"key\" = 'name_index.rebuild_after'"
            )
            .await,
            0,
            "{label}: done"
        );
    }
}
