//! The tamper-evident audit trail. Each event stores the hash of the one before it,
//! so altering, deleting or reordering any event breaks the chain from there on.
//!
//! The hash is an HMAC under a key derived from the master key ([`ChainKey`]), so
//! someone who can write to the database but does not hold the key cannot delete an
//! event and recompute the hashes after it. Events written before the key was
//! introduced keep their plain SHA-256 hashes; the sequence number where the keyed
//! chain starts is a setting sealed with the key (`KEYED_FROM`), so it cannot be
//! moved to pass a recomputed chain off as an old one. A removed tail is caught by
//! anchors kept outside the database (`audit_anchor.rs`).
//!
//! Appends happen inside the caller's transaction, so an action and its audit event
//! commit together or not at all. The first statement of an append bumps the single
//! `audit_head` row, which takes its row lock on PostgreSQL (SQLite has one writer
//! anyway): concurrent appends from several servers queue up instead of forking the
//! chain.

use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    StoreError, WriteTxn,
    entity::{audit_event, audit_head, setting},
    now_ms,
};

/// The setting holding `<first keyed seq>:<its HMAC>`; written by migration m0036
/// (the head at upgrade time plus one) and sealed at the first start after it.
pub const KEYED_FROM: &str = "audit.keyed_from";

/// The chain's HMAC key, derived once from the master key.
#[derive(Clone)]
pub struct ChainKey(Hmac<Sha256>);

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainKey(..)")
    }
}

impl ChainKey {
    pub fn new(vault: &crate::Vault) -> Self {
        Self(
            <Hmac<Sha256> as Mac>::new_from_slice(&vault.audit_chain_key())
                .expect("HMAC takes any key length"),
        )
    }

    fn mac(&self, label: &str, parts: &[&str]) -> String {
        let mut m = self.0.clone();
        m.update(label.as_bytes());
        for part in parts {
            m.update(&(part.len() as u64).to_be_bytes());
            m.update(part.as_bytes());
        }
        hex::encode(m.finalize().into_bytes())
    }

    /// The digest of a change: keyed, so a low-entropy change (which organisation
    /// received a referral) cannot be guessed from it offline.
    fn digest(&self, change: &str) -> String {
        self.mac("digest", &[change])
    }

    fn seal_keyed_from(&self, seq: i64) -> String {
        format!("{seq}:{}", self.mac("keyed-from", &[&seq.to_string()]))
    }
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One thing that happened. `change` is hashed into the digest, never stored, so it
/// may describe the change fully; it must still never hold identity data in clear
/// (a hash of a name can be guessed): describe identity changes by field names.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub actor: Option<Uuid>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub change: serde_json::Value,
}

impl<'a> AuditEntry<'a> {
    pub fn new(actor: Option<Uuid>, action: &'a str, entity: &'a str) -> Self {
        Self {
            actor,
            action,
            entity,
            entity_id: None,
            change: serde_json::Value::Null,
        }
    }
    pub fn id(mut self, id: impl ToString) -> Self {
        self.entity_id = Some(id.to_string());
        self
    }
    pub fn change(mut self, change: impl Serialize) -> Self {
        self.change = serde_json::to_value(change).unwrap_or(serde_json::Value::Null);
        self
    }
}

fn event_parts(e: &audit_event::Model) -> [String; 8] {
    [
        e.prev_hash.clone(),
        e.seq.to_string(),
        e.at.to_string(),
        e.actor_id.clone().unwrap_or_default(),
        e.action.clone(),
        e.entity.clone(),
        e.entity_id.clone().unwrap_or_default(),
        e.digest.clone(),
    ]
}

fn keyed_hash(key: &ChainKey, e: &audit_event::Model) -> String {
    let parts = event_parts(e);
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    key.mac("event", &refs)
}

/// The hash of events written before the chain was keyed: plain SHA-256, which
/// anyone can recompute — public so that a test can play that attacker.
pub fn unkeyed_hash(e: &audit_event::Model) -> String {
    let mut h = Sha256::new();
    for part in [
        e.prev_hash.as_str(),
        &e.seq.to_string(),
        &e.at.to_string(),
        e.actor_id.as_deref().unwrap_or(""),
        &e.action,
        &e.entity,
        e.entity_id.as_deref().unwrap_or(""),
        &e.digest,
    ] {
        // Length-prefix every part so that moving a boundary changes the hash.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Creates the chain's head row if it is missing (idempotent; safe when two servers
/// start together).
pub async fn init<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    audit_head::Entity::insert(audit_head::ActiveModel {
        id: Set(1),
        seq: Set(0),
        hash: Set(GENESIS.into()),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    Ok(())
}

/// Seals the start of the keyed chain the first time a server with the key starts
/// after migration m0036 recorded it.
pub async fn seal_keyed_from<C: ConnectionTrait>(db: &C, key: &ChainKey) -> Result<(), StoreError> {
    let Some(row) =
        crate::read::one_in(setting::Entity::find_by_id(KEYED_FROM.to_owned()), db).await?
    else {
        return Ok(());
    };
    if row.value.contains(':') {
        return Ok(());
    }
    let Ok(seq) = row.value.trim().parse::<i64>() else {
        return Ok(());
    };
    setting::Entity::update(setting::ActiveModel {
        key: Set(KEYED_FROM.into()),
        value: Set(key.seal_keyed_from(seq)),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Where the keyed chain starts, if its record is there and carries the key's seal.
async fn keyed_from<C: ConnectionTrait>(db: &C, key: &ChainKey) -> Result<Option<i64>, StoreError> {
    let row = crate::read::one_in(setting::Entity::find_by_id(KEYED_FROM.to_owned()), db).await?;
    Ok(row.and_then(|r| {
        let seq = r.value.split_once(':')?.0.parse::<i64>().ok()?;
        (key.seal_keyed_from(seq) == r.value).then_some(seq)
    }))
}

/// Appends one event to the chain. Call it inside the transaction that makes the
/// change.
pub async fn append(txn: &WriteTxn, entry: AuditEntry<'_>) -> Result<i64, StoreError> {
    let seqs = append_many(txn, vec![entry]).await?;
    seqs.first().copied().ok_or(StoreError::AuditHeadMissing)
}

/// Appends several events in one go: the head moves once by `entries.len()`, the
/// events go in one multi-row `INSERT`. Same chain as that many `append`s. Returns
/// the sequence numbers, in order.
pub async fn append_many(
    db: &WriteTxn,
    entries: Vec<AuditEntry<'_>>,
) -> Result<Vec<i64>, StoreError> {
    if entries.is_empty() {
        return Ok(vec![]);
    }
    let n = entries.len() as i64;
    // Take the head's lock first: the increment is the serialisation point. The
    // row comes back with the new sequence number and the previous event's hash
    // (`RETURNING`, on SQLite and PostgreSQL alike).
    let head = audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(n),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec_with_returning(db)
        .await?
        .pop()
        .ok_or(StoreError::AuditHeadMissing)?;
    let at = now_ms();
    let key = db.chain_key();
    let mut prev = head.hash;
    let mut events = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let mut event = audit_event::Model {
            seq: head.seq - n + 1 + i as i64,
            at,
            actor_id: entry.actor.map(|a| a.to_string()),
            action: entry.action.to_owned(),
            entity: entry.entity.to_owned(),
            entity_id: entry.entity_id,
            digest: key.digest(&entry.change.to_string()),
            prev_hash: prev,
            hash: String::new(),
        };
        event.hash = keyed_hash(key, &event);
        prev = event.hash.clone();
        events.push(event);
    }
    let seqs = events.iter().map(|e| e.seq).collect();
    audit_event::Entity::insert_many(events.into_iter().map(audit_event::ActiveModel::from))
        .exec(db)
        .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(prev))
        .filter(audit_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(seqs)
}

/// Why the chain is broken, at the first event where it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("audit event {0} is missing (deleted)")]
    Missing(i64),
    #[error(
        "audit event {0} does not follow the event before it (reordered or an earlier event was removed)"
    )]
    Unlinked(i64),
    #[error("audit event {0} was altered")]
    Altered(i64),
    #[error("the last {0} audit event(s) are missing (the chain was cut short)")]
    Truncated(i64),
    #[error(
        "the record of where the keyed chain starts is missing or altered (or the master key is not this deployment's)"
    )]
    KeyedStart,
}

/// Walks the whole chain in pages. `Ok(n)` when all `n` events are intact. Events
/// from the keyed start on must carry the HMAC under `key`; the ones before it,
/// written before the chain was keyed, their plain SHA-256.
pub async fn verify<C: ConnectionTrait>(
    db: &C,
    key: &ChainKey,
) -> Result<Result<i64, ChainBreak>, StoreError> {
    const PAGE: u64 = 5000;
    let Some(keyed_from) = keyed_from(db, key).await? else {
        return Ok(Err(ChainBreak::KeyedStart));
    };
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_owned();
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let done = (page.len() as u64) < PAGE;
        for e in page {
            if e.seq != expected_seq {
                return Ok(Err(ChainBreak::Missing(expected_seq)));
            }
            if e.prev_hash != prev {
                return Ok(Err(ChainBreak::Unlinked(e.seq)));
            }
            let hash = if e.seq >= keyed_from {
                keyed_hash(key, &e)
            } else {
                unkeyed_hash(&e)
            };
            if hash != e.hash {
                return Ok(Err(ChainBreak::Altered(e.seq)));
            }
            prev = e.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let head = crate::read::one_in(audit_head::Entity::find_by_id(1), db)
        .await?
        .ok_or(StoreError::AuditHeadMissing)?;
    let last = expected_seq - 1;
    if head.seq != last || head.hash != prev {
        return Ok(Err(ChainBreak::Truncated(head.seq - last)));
    }
    Ok(Ok(last))
}

/// A filter over the trail for the admin and auditor pages.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    pub actor: Option<Uuid>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action_prefix: Option<String>,
    pub before_seq: Option<i64>,
    /// Only events about this organisation: done by its users, or on its
    /// organisation record, its users, its cases, or referrals it sent or received.
    pub about_org: Option<String>,
}

fn about_org(org: &str) -> Condition {
    use crate::entity::{case, referral, user};
    let users = || {
        Query::select()
            .column(user::Column::Id)
            .from(user::Entity)
            .and_where(user::Column::OrgId.eq(org))
            .to_owned()
    };
    let on = |entity: &str| audit_event::Column::Entity.eq(entity);
    Condition::any()
        .add(audit_event::Column::ActorId.in_subquery(users()))
        .add(
            Condition::all()
                .add(on("organisation"))
                .add(audit_event::Column::EntityId.eq(org)),
        )
        .add(
            Condition::all()
                .add(on("user"))
                .add(audit_event::Column::EntityId.in_subquery(users())),
        )
        .add(
            Condition::all().add(on("case")).add(
                audit_event::Column::EntityId.in_subquery(
                    Query::select()
                        .column(case::Column::Id)
                        .from(case::Entity)
                        .and_where(case::Column::OrgId.eq(org))
                        .to_owned(),
                ),
            ),
        )
        .add(
            Condition::all().add(on("referral")).add(
                audit_event::Column::EntityId.in_subquery(
                    Query::select()
                        .column(referral::Column::Id)
                        .from(referral::Entity)
                        .cond_where(
                            Condition::any()
                                .add(referral::Column::FromOrg.eq(org))
                                .add(referral::Column::ToOrg.eq(org)),
                        )
                        .to_owned(),
                ),
            ),
        )
}

/// A case's trail for its timeline, newest first: the events on the case and on its
/// referrals (whose events name the referral, not the case), in one statement.
pub async fn of_case<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
    referral_ids: &[String],
    limit: u64,
) -> Result<Vec<audit_event::Model>, StoreError> {
    let mut cond = sea_orm::Condition::any().add(
        sea_orm::Condition::all()
            .add(audit_event::Column::Entity.eq("case"))
            .add(audit_event::Column::EntityId.eq(case_id)),
    );
    if !referral_ids.is_empty() {
        cond = cond.add(
            sea_orm::Condition::all()
                .add(audit_event::Column::Entity.eq("referral"))
                .add(audit_event::Column::EntityId.is_in(referral_ids.iter().cloned())),
        );
    }
    Ok(audit_event::Entity::find()
        .filter(cond)
        .order_by_desc(audit_event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    q: &AuditQuery,
    limit: u64,
) -> Result<Vec<audit_event::Model>, StoreError> {
    let mut s = audit_event::Entity::find().order_by_desc(audit_event::Column::Seq);
    if let Some(a) = q.actor {
        s = s.filter(audit_event::Column::ActorId.eq(a.to_string()));
    }
    if let Some(e) = &q.entity {
        s = s.filter(audit_event::Column::Entity.eq(e.clone()));
    }
    if let Some(id) = &q.entity_id {
        s = s.filter(audit_event::Column::EntityId.eq(id.clone()));
    }
    if let Some(p) = &q.action_prefix {
        s = s.filter(audit_event::Column::Action.like(format!("{p}%")));
    }
    if let Some(b) = q.before_seq {
        s = s.filter(audit_event::Column::Seq.lt(b));
    }
    if let Some(org) = &q.about_org {
        s = s.filter(about_org(org));
    }
    Ok(s.limit(limit).all(db).await?)
}
