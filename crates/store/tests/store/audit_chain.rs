use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};
use zakrila_store::{
    audit::{self, AuditEntry, ChainBreak},
    audit_anchor::AnchorBreak,
    entity::audit_event::{self, Column::Seq},
};

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
    store.verify_audit().await.unwrap().unwrap()
}

#[tokio::test]
async fn an_intact_chain_verifies() {
    for (label, store, _db) in stores().await {
        let before = last_seq(&store).await;
        append_five(&store).await;
        assert_eq!(
            store.verify_audit().await.unwrap(),
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
            store.verify_audit().await.unwrap(),
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
            store.verify_audit().await.unwrap(),
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
            store.verify_audit().await.unwrap(),
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
            store.verify_audit().await.unwrap(),
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
            store.verify_audit().await.unwrap(),
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
            store.verify_audit().await.unwrap(),
            Ok(before + 80),
            "{label}"
        );
    }
}

async fn event(store: &zakrila_store::Store, seq: i64) -> audit_event::Model {
    audit_event::Entity::find()
        .filter(Seq.eq(seq))
        .all(&store.reads)
        .await
        .unwrap()
        .pop()
        .expect("the event")
}

/// Rewrites the chain from `from` on with the only hash someone without the key can
/// compute, giving the events after a removed one its place; moves the head along.
async fn recompute_without_the_key(store: &zakrila_store::Store, from: i64, remove: Option<i64>) {
    let prev = if from == 1 {
        audit::GENESIS.to_owned()
    } else {
        event(store, from - 1).await.hash
    };
    let rest = audit_event::Entity::find()
        .filter(Seq.gte(from))
        .order_by_asc(Seq)
        .all(&store.reads)
        .await
        .unwrap();
    exec(
        store,
        &format!("DELETE FROM audit_events WHERE seq >= {from}"),
    )
    .await;
    let mut prev = prev;
    let mut seq = from - 1;
    for mut e in rest {
        if Some(e.seq) == remove {
            continue;
        }
        seq += 1;
        e.seq = seq;
        e.prev_hash = prev;
        e.hash = audit::unkeyed_hash(&e);
        prev = e.hash.clone();
        audit_event::Entity::insert(audit_event::ActiveModel::from(e))
            .exec(&store.reads)
            .await
            .unwrap();
    }
    exec(
        store,
        &format!("UPDATE audit_head SET seq = {seq}, hash = '{prev}' WHERE id = 1"),
    )
    .await;
}

#[tokio::test]
async fn deleting_an_event_and_recomputing_the_chain_without_the_key_is_caught() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        let target = last_seq(&store).await - 2;
        recompute_without_the_key(&store, target, Some(target)).await;
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Err(ChainBreak::Altered(target)),
            "{label}"
        );
    }
}

#[tokio::test]
async fn moving_the_start_of_the_keyed_chain_is_caught() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        // Recompute everything as if it predated the key, and claim so.
        recompute_without_the_key(&store, 1, None).await;
        let past_the_end = store.audit_anchor().await.unwrap().seq + 1;
        exec(
            &store,
            &format!(
                "UPDATE settings SET value = '{past_the_end}' WHERE \"key\" = '{}'",
                audit::KEYED_FROM
            ),
        )
        .await;
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Err(ChainBreak::KeyedStart),
            "{label}"
        );
    }
}

/// A trail written before the key existed still verifies after the upgrade, and the
/// events after it are keyed.
#[tokio::test]
async fn a_chain_from_before_the_key_still_verifies() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        recompute_without_the_key(&store, 1, None).await;
        // What migration m0036 leaves on an upgraded database: the next sequence
        // number, not yet sealed.
        let next = store.audit_anchor().await.unwrap().seq + 1;
        exec(
            &store,
            &format!(
                "UPDATE settings SET value = '{next}' WHERE \"key\" = '{}'",
                audit::KEYED_FROM
            ),
        )
        .await;
        store.migrate().await.unwrap();
        append_five(&store).await;
        assert_eq!(store.verify_audit().await.unwrap(), Ok(next + 4), "{label}");
        // The new events cannot be recomputed without the key.
        recompute_without_the_key(&store, next + 2, Some(next + 2)).await;
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Err(ChainBreak::Altered(next + 2)),
            "{label}"
        );
    }
}

#[tokio::test]
async fn an_anchor_catches_a_removed_tail() {
    for (label, store, _db) in stores().await {
        append_five(&store).await;
        let anchor = store.audit_anchor().await.unwrap();
        assert_eq!(
            store.check_anchors(&[anchor.clone()]).await.unwrap(),
            Ok(())
        );
        // Remove the two newest events and move the head back to the one before.
        let keep = anchor.seq - 2;
        let kept = event(&store, keep).await;
        exec(
            &store,
            &format!("DELETE FROM audit_events WHERE seq > {keep}"),
        )
        .await;
        exec(
            &store,
            &format!(
                "UPDATE audit_head SET seq = {keep}, hash = '{}' WHERE id = 1",
                kept.hash
            ),
        )
        .await;
        // The shorter chain is intact on its own…
        assert_eq!(store.verify_audit().await.unwrap(), Ok(keep), "{label}");
        // …but no longer reaches the anchor.
        assert_eq!(
            store.check_anchors(&[anchor.clone()]).await.unwrap(),
            Err(AnchorBreak::Truncated {
                seq: anchor.seq,
                last: keep
            }),
            "{label}"
        );
    }
}

#[test]
fn anchor_lines_read_back() {
    use zakrila_store::audit_anchor::Anchor;
    let a = Anchor {
        seq: 42,
        hash: "ab12".into(),
    };
    let line = format!(
        "2026-12-06T01:00:00Z (06.12.2026 03:00 Sofia) {}",
        a.fields()
    );
    assert_eq!(Anchor::parse_line(&line), Some(a));
    assert_eq!(Anchor::parse_line("# a comment"), None);
}
