use sea_orm::{ConnectionTrait, Statement};
use zakrila_store::audit::{self, AuditEntry, ChainBreak};

use crate::stores;

async fn append_five(store: &zakrila_store::Store) {
    for i in 0..5 {
        let txn = store.begin_write().await.unwrap();
        audit::append(&txn, AuditEntry::new(None, "test.event", "thing").id(i))
            .await
            .unwrap();
        txn.commit().await.unwrap();
    }
}

async fn exec(store: &zakrila_store::Store, sql: &str) {
    store
        .reads
        .execute_raw(Statement::from_string(
            store.reads.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap();
}

/// The first start appends events itself; the scenario's events come after them.
async fn last_seq(store: &zakrila_store::Store) -> i64 {
    audit::verify(&store.reads).await.unwrap().unwrap()
}

#[tokio::test]
async fn an_intact_chain_verifies() {
    for (label, store, _db) in stores().await {
        let before = last_seq(&store).await;
        append_five(&store).await;
        assert_eq!(
            audit::verify(&store.reads).await.unwrap(),
            Ok(before + 5),
            "{label}"
        );
    }
}

#[tokio::test]
async fn an_altered_event_is_named() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        let target = last_seq(&store).await - 2;
        exec(
            &store,
            &format!("UPDATE audit_events SET action = 'case.view' WHERE seq = {target}"),
        )
        .await;
        assert_eq!(
            audit::verify(&store.reads).await.unwrap(),
            Err(ChainBreak::Altered(target)),
            "{label}"
        );
    }
}

#[tokio::test]
async fn a_deleted_event_is_named() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        let target = last_seq(&store).await - 2;
        exec(
            &store,
            &format!("DELETE FROM audit_events WHERE seq = {target}"),
        )
        .await;
        assert_eq!(
            audit::verify(&store.reads).await.unwrap(),
            Err(ChainBreak::Missing(target)),
            "{label}"
        );
    }
}

#[tokio::test]
async fn deleting_the_newest_events_is_noticed() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        let last = last_seq(&store).await;
        exec(
            &store,
            &format!("DELETE FROM audit_events WHERE seq >= {}", last - 1),
        )
        .await;
        assert_eq!(
            audit::verify(&store.reads).await.unwrap(),
            Err(ChainBreak::Truncated(2)),
            "{label}"
        );
    }
}

#[tokio::test]
async fn reordered_events_are_noticed() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        let b = last_seq(&store).await - 1;
        let a = b - 1;
        // Swap two events' positions, keeping the sequence numbers contiguous.
        exec(
            &store,
            &format!("UPDATE audit_events SET seq = -1 WHERE seq = {a}"),
        )
        .await;
        exec(
            &store,
            &format!("UPDATE audit_events SET seq = {a} WHERE seq = {b}"),
        )
        .await;
        exec(
            &store,
            &format!("UPDATE audit_events SET seq = {b} WHERE seq = -1"),
        )
        .await;
        assert_eq!(
            audit::verify(&store.reads).await.unwrap(),
            Err(ChainBreak::Unlinked(a)),
            "{label}"
        );
    }
}

#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    for (label, store, _db) in stores().await {
        let before = last_seq(&store).await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                for j in 0..5 {
                    let txn = s.begin_write().await.unwrap();
                    audit::append(
                        &txn,
                        AuditEntry::new(None, "test.concurrent", "thing").id(i * 10 + j),
                    )
                    .await
                    .unwrap();
                    txn.commit().await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            audit::verify(&store.reads).await.unwrap(),
            Ok(before + 40),
            "{label}"
        );
    }
}

/// A commit on SQLite's writer is synced before it returns, so a power cut cannot
/// take audit events of identities already shown.
#[tokio::test]
async fn the_sqlite_writer_syncs_every_commit() {
    for (label, store, _db) in stores().await {
        if store.backend != zakrila_store::Backend::Sqlite {
            continue;
        }
        let row = store
            .writer
            .query_one_raw(Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA synchronous".to_owned(),
            ))
            .await
            .unwrap()
            .unwrap();
        let level: i64 = row.try_get_by_index(0).unwrap();
        assert_eq!(level, 2, "{label}: synchronous = FULL");
    }
}

/// Guardian reads (identity reads of a child's case) racing other audited writes
/// leave one intact chain: every append is inside a transaction on the writer.
#[tokio::test]
async fn guardian_reads_beside_other_writes_keep_one_chain() {
    use time::macros::datetime;
    use zakrila_domain::case::{NewCase, RawNewCase};
    for (label, store, _db) in stores().await {
        let iom = store.org_by_slug("iom").await.unwrap().unwrap();
        let admin = store
            .user_by_email(zakrila_store::bootstrap::ADMIN_EMAIL)
            .await
            .unwrap()
            .unwrap();
        let actor = uuid::Uuid::parse_str(&admin.id).unwrap();
        let raw: RawNewCase = serde_json::from_str(
            r#"{"person": {"given_name": "Иван", "family_name": "Петров",
                "birth_date": "2012-02-03", "sex": "male", "citizenship": "BGR"}}"#,
        )
        .unwrap();
        let now = datetime!(2025-06-15 10:00 +03:00);
        let reg = store
            .register_case(actor, &iom.id, NewCase::parse(raw, now).unwrap(), now)
            .await
            .unwrap();
        let child = store
            .save_child(
                actor,
                &reg.case.id,
                None,
                zakrila_store::cases::ChildRecord {
                    guardian: Some("Мария Петрова".into()),
                    mechanism_engaged: false,
                    mechanism_date: None,
                },
            )
            .await
            .unwrap();
        let before = last_seq(&store).await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            let s = store.clone();
            let child = child.clone();
            tasks.push(tokio::spawn(async move {
                for j in 0..5 {
                    let g = s.read_guardian(actor, &child, "test").await.unwrap();
                    assert_eq!(g.as_deref(), Some("Мария Петрова"));
                    let txn = s.begin_write().await.unwrap();
                    audit::append(
                        &txn,
                        AuditEntry::new(None, "test.concurrent", "thing").id(i * 10 + j),
                    )
                    .await
                    .unwrap();
                    txn.commit().await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            audit::verify(&store.reads).await.unwrap(),
            Ok(before + 80),
            "{label}"
        );
    }
}
