//! Hotline signals: recording (by an operator, or an anonymous tip), the queue,
//! triage, referral to institutions and their acknowledgement, closing with an
//! outcome, and opening a case from a signal in the same transaction. Free text is
//! encrypted with the vault; reading it is audited.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;
use uuid::Uuid;
use zakrila_domain::case::NewCase;

use crate::{
    Store, StoreError, WriteTxn,
    audit::{self, AuditEntry},
    cases::Registered,
    entity::{signal, signal_addition, signal_referral},
    new_id, now_ms,
    vault::FieldRef,
};

/// A signal as the caller built it (already validated); ids and times of the
/// workflow are the store's.
#[derive(Debug, Clone)]
pub struct NewSignal {
    pub received_at: i64,
    pub channel: String,
    pub caller_type: String,
    pub urgency: String,
    pub urgency_rank: i32,
    pub location: Option<String>,
    /// The municipality's code, within the region in `location`.
    pub municipality: Option<String>,
    pub forms: String,
    pub persons: Option<i32>,
    pub children: bool,
    pub summary: String,
    pub contact: Option<String>,
}

/// The decrypted free text of a signal, read under audit.
#[derive(Debug, Clone)]
pub struct SignalText {
    pub summary: String,
    pub contact: Option<String>,
    /// What was added later, oldest first: (when, text).
    pub additions: Vec<(i64, String)>,
    /// What was sent with each referral, by referral id.
    pub sent: Vec<(String, String)>,
}

fn at<'a>(table: &'a str, column: &'a str, row_id: &'a str) -> FieldRef<'a> {
    FieldRef {
        table,
        column,
        row_id,
    }
}

/// A signal's row locked for the transaction, so that two operators acting at once
/// are applied one after the other.
async fn locked(txn: &WriteTxn, id: &str) -> Result<signal::Model, StoreError> {
    signal::Entity::find_by_id(id.to_owned())
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)
}

impl Store {
    async fn insert_signal(
        &self,
        txn: &WriteTxn,
        key_id: u32,
        actor: Option<Uuid>,
        org_id: &str,
        s: NewSignal,
        receipt_hash: Option<String>,
    ) -> Result<signal::Model, StoreError> {
        let id = new_id();
        let m = signal::ActiveModel {
            summary: Set(self
                .vault
                .encrypt(key_id, at("signals", "summary", &id), &s.summary)),
            contact: Set(s.contact.map(|c| {
                self.vault
                    .encrypt(key_id, at("signals", "contact", &id), &c)
            })),
            id: Set(id.clone()),
            org_id: Set(org_id.to_owned()),
            received_at: Set(s.received_at),
            channel: Set(s.channel),
            caller_type: Set(s.caller_type),
            urgency: Set(s.urgency),
            urgency_rank: Set(s.urgency_rank),
            location: Set(s.location),
            municipality: Set(s.municipality),
            forms: Set(s.forms),
            persons: Set(s.persons),
            children: Set(s.children),
            status: Set("new".to_owned()),
            outcome: Set(None),
            duplicate_of: Set(None),
            case_id: Set(None),
            receipt_hash: Set(receipt_hash),
            taken_by: Set(None),
            triaged_at: Set(None),
            referred_at: Set(None),
            closed_at: Set(None),
            created_by: Set(actor.map(|a| a.to_string())),
            created_at: Set(now_ms()),
        }
        .insert(txn)
        .await?;
        Ok(m)
    }

    /// Records a signal an operator took, audited.
    pub async fn record_signal(
        &self,
        actor: Uuid,
        org_id: &str,
        s: NewSignal,
    ) -> Result<signal::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let m = self
            .insert_signal(&txn, key_id, Some(actor), org_id, s, None)
            .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "signal.record", "signal")
                .id(&m.id)
                .change(serde_json::json!({"channel": m.channel, "urgency": m.urgency})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Records an anonymous tip for the tip desk `org_id`; only the receipt's keyed
    /// hash is kept, and nothing about the sender's connection.
    pub async fn record_tip(
        &self,
        org_id: &str,
        s: NewSignal,
        receipt: &str,
    ) -> Result<signal::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let hash = self.receipt_hash(receipt);
        let txn = self.begin_write().await?;
        let m = self
            .insert_signal(&txn, key_id, None, org_id, s, Some(hash))
            .await?;
        audit::append(
            &txn,
            AuditEntry::new(None, "tip.receive", "signal").id(&m.id),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// The keyed hash a receipt code (normalised) is found by.
    pub fn receipt_hash(&self, receipt: &str) -> String {
        self.vault.blind_index("tip_receipt", receipt)
    }

    /// Adds information to the tip whose receipt is `receipt`; `false` (nothing
    /// stored) when no tip has it.
    pub async fn add_to_tip(&self, receipt: &str, text: &str) -> Result<bool, StoreError> {
        let hash = self.receipt_hash(receipt);
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let Some(s) = signal::Entity::find()
            .filter(signal::Column::ReceiptHash.eq(hash))
            .one(&txn)
            .await?
        else {
            txn.rollback().await?;
            return Ok(false);
        };
        let id = new_id();
        signal_addition::ActiveModel {
            text: Set(self
                .vault
                .encrypt(key_id, at("signal_additions", "text", &id), text)),
            id: Set(id),
            signal_id: Set(s.id.clone()),
            added_at: Set(now_ms()),
        }
        .insert(&txn)
        .await?;
        audit::append(&txn, AuditEntry::new(None, "tip.add", "signal").id(&s.id)).await?;
        txn.commit().await?;
        Ok(true)
    }

    pub async fn signal_by_id(&self, id: &str) -> Result<Option<signal::Model>, StoreError> {
        Ok(self
            .read_one(signal::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    /// The signal a case was opened from.
    pub async fn signal_of_case(&self, case_id: &str) -> Result<Option<signal::Model>, StoreError> {
        Ok(self
            .read_one(signal::Entity::find().filter(signal::Column::CaseId.eq(case_id)))
            .await?)
    }

    pub async fn signal_referrals(
        &self,
        signal_id: &str,
    ) -> Result<Vec<signal_referral::Model>, StoreError> {
        Ok(signal_referral::Entity::find()
            .filter(signal_referral::Column::SignalId.eq(signal_id))
            .order_by_asc(signal_referral::Column::SentAt)
            .all(&self.reads)
            .await?)
    }

    /// The queue of `org_id`: open signals first, by urgency, oldest first; then
    /// the latest closed ones. At most `limit`.
    pub async fn signal_queue(
        &self,
        org_id: &str,
        limit: u64,
    ) -> Result<Vec<signal::Model>, StoreError> {
        let open = signal::Entity::find()
            .filter(signal::Column::OrgId.eq(org_id))
            .filter(signal::Column::Status.ne("closed"))
            .order_by_asc(signal::Column::UrgencyRank)
            .order_by_asc(signal::Column::ReceivedAt)
            .limit(limit)
            .all(&self.reads)
            .await?;
        let rest = limit.saturating_sub(open.len() as u64);
        let closed = signal::Entity::find()
            .filter(signal::Column::OrgId.eq(org_id))
            .filter(signal::Column::Status.eq("closed"))
            .order_by_desc(signal::Column::ClosedAt)
            .limit(rest)
            .all(&self.reads)
            .await?;
        Ok(open.into_iter().chain(closed).collect())
    }

    /// Immediate-danger signals of `org_id` nobody has taken yet, oldest first.
    pub async fn untaken_danger(&self, org_id: &str) -> Result<Vec<signal::Model>, StoreError> {
        Ok(signal::Entity::find()
            .filter(signal::Column::OrgId.eq(org_id))
            .filter(signal::Column::Status.eq("new"))
            .filter(signal::Column::UrgencyRank.eq(0))
            .order_by_asc(signal::Column::ReceivedAt)
            .limit(50)
            .all(&self.reads)
            .await?)
    }

    /// Signals referred to `org_id`, newest referral first, with the referral.
    pub async fn signals_referred_to(
        &self,
        org_id: &str,
        limit: u64,
    ) -> Result<Vec<(signal_referral::Model, signal::Model)>, StoreError> {
        let refs = signal_referral::Entity::find()
            .filter(signal_referral::Column::ToOrgId.eq(org_id))
            .order_by_desc(signal_referral::Column::SentAt)
            .limit(limit)
            .all(&self.reads)
            .await?;
        let ids: Vec<String> = refs.iter().map(|r| r.signal_id.clone()).collect();
        let signals = signal::Entity::find()
            .filter(signal::Column::Id.is_in(ids))
            .all(&self.reads)
            .await?;
        Ok(refs
            .into_iter()
            .filter_map(|r| {
                let s = signals.iter().find(|s| s.id == r.signal_id)?.clone();
                Some((r, s))
            })
            .collect())
    }

    /// Decrypts a signal's free text and records the read in the audit trail
    /// before returning it.
    pub async fn read_signal_text(
        &self,
        actor: Uuid,
        s: &signal::Model,
        referrals: &[signal_referral::Model],
    ) -> Result<SignalText, StoreError> {
        let additions = signal_addition::Entity::find()
            .filter(signal_addition::Column::SignalId.eq(&s.id))
            .order_by_asc(signal_addition::Column::AddedAt)
            .all(&self.reads)
            .await?;
        let v = &self.vault;
        let out = SignalText {
            summary: v.decrypt(at("signals", "summary", &s.id), &s.summary)?,
            contact: s
                .contact
                .as_ref()
                .map(|c| v.decrypt(at("signals", "contact", &s.id), c))
                .transpose()?,
            additions: additions
                .iter()
                .map(|a| {
                    Ok((
                        a.added_at,
                        v.decrypt(at("signal_additions", "text", &a.id), &a.text)?,
                    ))
                })
                .collect::<Result<_, StoreError>>()?,
            sent: referrals
                .iter()
                .map(|r| {
                    Ok((
                        r.id.clone(),
                        v.decrypt(at("signal_referrals", "sent", &r.id), &r.sent)?,
                    ))
                })
                .collect::<Result<_, StoreError>>()?,
        };
        self.record(AuditEntry::new(Some(actor), "signal.read", "signal").id(&s.id))
            .await?;
        Ok(out)
    }

    /// Takes a new signal: confirms its urgency and records who took it.
    pub async fn triage_signal(
        &self,
        actor: Uuid,
        id: &str,
        urgency: (&str, i32),
    ) -> Result<signal::Model, StoreError> {
        let txn = self.begin_write().await?;
        let s = locked(&txn, id).await?;
        if s.status != "new" {
            return Err(StoreError::Conflict("signal already triaged"));
        }
        let mut am: signal::ActiveModel = s.into();
        am.status = Set("triaged".to_owned());
        am.urgency = Set(urgency.0.to_owned());
        am.urgency_rank = Set(urgency.1);
        am.taken_by = Set(Some(actor.to_string()));
        am.triaged_at = Set(Some(now_ms()));
        let m = am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "signal.triage", "signal")
                .id(id)
                .change(serde_json::json!({"urgency": m.urgency})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Refers a signal to institutions (organisation ids) with what was sent.
    pub async fn refer_signal(
        &self,
        actor: Uuid,
        id: &str,
        to: &[String],
        sent: &str,
    ) -> Result<signal::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let now = now_ms();
        let txn = self.begin_write().await?;
        let s = locked(&txn, id).await?;
        if s.status == "closed" {
            return Err(StoreError::Conflict("signal closed"));
        }
        for org in to {
            let rid = new_id();
            signal_referral::ActiveModel {
                sent: Set(self
                    .vault
                    .encrypt(key_id, at("signal_referrals", "sent", &rid), sent)),
                id: Set(rid),
                signal_id: Set(id.to_owned()),
                to_org_id: Set(org.clone()),
                sent_at: Set(now),
                sent_by: Set(actor.to_string()),
                acknowledged_at: Set(None),
                acknowledged_by: Set(None),
            }
            .insert(&txn)
            .await?;
        }
        let first = s.referred_at.is_none();
        let untaken = s.taken_by.is_none();
        let mut am: signal::ActiveModel = s.into();
        am.status = Set("referred".to_owned());
        if first {
            am.referred_at = Set(Some(now));
        }
        if untaken {
            am.taken_by = Set(Some(actor.to_string()));
            am.triaged_at = Set(Some(now));
        }
        let m = am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "signal.refer", "signal")
                .id(id)
                .change(serde_json::json!({"to": to})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// The receiving organisation acknowledges the referrals addressed to it.
    pub async fn acknowledge_signal(
        &self,
        actor: Uuid,
        id: &str,
        org_id: &str,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let txn = self.begin_write().await?;
        let refs = signal_referral::Entity::find()
            .filter(signal_referral::Column::SignalId.eq(id))
            .filter(signal_referral::Column::ToOrgId.eq(org_id))
            .filter(signal_referral::Column::AcknowledgedAt.is_null())
            .all(&txn)
            .await?;
        for r in refs {
            let mut am: signal_referral::ActiveModel = r.into();
            am.acknowledged_at = Set(Some(now));
            am.acknowledged_by = Set(Some(actor.to_string()));
            am.update(&txn).await?;
        }
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "signal.acknowledge", "signal").id(id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Closes an open signal with its outcome (and, for a duplicate, the signal it
    /// repeats).
    pub async fn close_signal(
        &self,
        actor: Uuid,
        id: &str,
        outcome: &str,
        duplicate_of: Option<String>,
    ) -> Result<signal::Model, StoreError> {
        let txn = self.begin_write().await?;
        let s = locked(&txn, id).await?;
        if s.status == "closed" {
            return Err(StoreError::Conflict("signal closed"));
        }
        let m = close(&txn, actor, s, outcome, duplicate_of, None).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Marks a signal as a duplicate of `of`: closes it with outcome "duplicate"
    /// and the link, audited as such. `of` must still be there and must not lead
    /// back to the signal.
    pub async fn mark_duplicate(
        &self,
        actor: Uuid,
        id: &str,
        of: &str,
    ) -> Result<signal::Model, StoreError> {
        let txn = self.begin_write().await?;
        let s = locked(&txn, id).await?;
        if s.status == "closed" {
            return Err(StoreError::Conflict("signal closed"));
        }
        let original = crate::read::one_in(signal::Entity::find_by_id(of.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if original.duplicate_of.as_deref() == Some(id) {
            return Err(StoreError::Conflict("signals would repeat each other"));
        }
        let m = close(&txn, actor, s, "duplicate", Some(of.to_owned()), None).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "signal.duplicate", "signal")
                .id(id)
                .change(serde_json::json!({"of": of})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// The signals marked as duplicates of `id`, oldest first.
    pub async fn duplicates_of(&self, id: &str) -> Result<Vec<signal::Model>, StoreError> {
        Ok(signal::Entity::find()
            .filter(signal::Column::DuplicateOf.eq(id))
            .order_by_asc(signal::Column::ReceivedAt)
            .limit(100)
            .all(&self.reads)
            .await?)
    }

    /// Registers a case from a signal and closes the signal with "case opened",
    /// in one transaction; the signal keeps the case's id.
    pub async fn open_case_from_signal(
        &self,
        actor: Uuid,
        id: &str,
        new: NewCase,
        now: OffsetDateTime,
    ) -> Result<Registered, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let s = locked(&txn, id).await?;
        if s.case_id.is_some() || s.status == "closed" {
            return Err(StoreError::Conflict("signal closed"));
        }
        let org = s.org_id.clone();
        let r = self
            .register_case_in(&txn, key_id, actor, &org, new, now)
            .await?;
        close(&txn, actor, s, "case_opened", None, Some(r.case.id.clone())).await?;
        txn.commit().await?;
        Ok(r)
    }

    /// Signals of `org_id` received in `[from, to)` (ms), without their free text,
    /// and their referrals as (signal, organisation) pairs: what the hotline report
    /// counts. Two queries whatever the number of signals.
    pub async fn signals_between(
        &self,
        org_id: &str,
        from: i64,
        to: i64,
    ) -> Result<(Vec<ReportRow>, Vec<(String, String)>), StoreError> {
        use signal::Column as C;
        let in_period = || {
            signal::Entity::find().filter(
                Condition::all()
                    .add(C::OrgId.eq(org_id))
                    .add(C::ReceivedAt.gte(from))
                    .add(C::ReceivedAt.lt(to)),
            )
        };
        let signals = in_period()
            .select_only()
            .columns([
                C::ReceivedAt,
                C::Channel,
                C::CallerType,
                C::Urgency,
                C::Location,
                C::Forms,
                C::Outcome,
                C::TriagedAt,
                C::ReferredAt,
            ])
            .into_model::<ReportRow>()
            .all(&self.reads)
            .await?;
        let referrals =
            signal_referral::Entity::find()
                .select_only()
                .columns([
                    signal_referral::Column::SignalId,
                    signal_referral::Column::ToOrgId,
                ])
                .filter(signal_referral::Column::SignalId.in_subquery(
                    sea_orm::QueryTrait::into_query(in_period().select_only().column(C::Id)),
                ))
                .into_tuple::<(String, String)>()
                .all(&self.reads)
                .await?;
        Ok((signals, referrals))
    }
}

/// What the hotline report reads of a signal: its codes and times, no free text.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct ReportRow {
    pub received_at: i64,
    pub channel: String,
    pub caller_type: String,
    pub urgency: String,
    pub location: Option<String>,
    pub forms: String,
    pub outcome: Option<String>,
    pub triaged_at: Option<i64>,
    pub referred_at: Option<i64>,
}

async fn close(
    txn: &WriteTxn,
    actor: Uuid,
    s: signal::Model,
    outcome: &str,
    duplicate_of: Option<String>,
    case_id: Option<String>,
) -> Result<signal::Model, StoreError> {
    let now = now_ms();
    let id = s.id.clone();
    let untaken = s.taken_by.is_none();
    let mut am: signal::ActiveModel = s.into();
    am.status = Set("closed".to_owned());
    am.outcome = Set(Some(outcome.to_owned()));
    am.duplicate_of = Set(duplicate_of);
    am.closed_at = Set(Some(now));
    if untaken {
        am.taken_by = Set(Some(actor.to_string()));
        am.triaged_at = Set(Some(now));
    }
    if case_id.is_some() {
        am.case_id = Set(case_id);
    }
    let m = am.update(txn).await?;
    audit::append(
        txn,
        AuditEntry::new(Some(actor), "signal.close", "signal")
            .id(&id)
            .change(serde_json::json!({"outcome": outcome, "case": m.case_id})),
    )
    .await?;
    Ok(m)
}

/// How long a tip sender's address hash is kept.
const ADDRESS_KEPT_MS: i64 = 24 * 60 * 60 * 1000;

impl Store {
    /// Counts a tip from `addr` against at most `max` per `window_ms` (at most a
    /// day). The address is kept only as a keyed hash, and hashes older than a day
    /// are deleted here, so none outlives 24 hours by more than the next tip.
    pub async fn count_tip_from(
        &self,
        addr: &str,
        max: i32,
        window_ms: i64,
    ) -> Result<crate::throttle::Attempt, StoreError> {
        use crate::entity::throttle;
        throttle::Entity::delete_many()
            .filter(throttle::Column::Key.starts_with("tip:"))
            .filter(throttle::Column::WindowStart.lt(now_ms() - ADDRESS_KEPT_MS))
            .exec(&self.writer)
            .await?;
        let key = format!("tip:{}", self.vault.blind_index("tip_address", addr));
        self.begin_attempt_per(&key, max, window_ms.min(ADDRESS_KEPT_MS))
            .await
    }
}

/// A generated signal with its history already decided (demo and benchmark data).
#[derive(Debug, Clone)]
pub struct GeneratedSignal {
    pub new: NewSignal,
    pub status: String,
    pub outcome: Option<String>,
    pub triaged_at: Option<i64>,
    pub referred_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// Organisation ids it was referred to (at `referred_at`), and whether each
    /// acknowledged.
    pub referred_to: Vec<(String, bool)>,
}

impl Store {
    /// Writes generated signals of `org_id` in one transaction, with one audit
    /// event for the whole batch.
    pub async fn insert_generated_signals(
        &self,
        org_id: &str,
        signals: Vec<GeneratedSignal>,
    ) -> Result<usize, StoreError> {
        let key_id = self.current_key_id().await?;
        let n = signals.len();
        let txn = self.begin_write().await?;
        for g in signals {
            let mut m: signal::ActiveModel = self
                .insert_signal(&txn, key_id, None, org_id, g.new, None)
                .await?
                .into();
            let id = match &m.id {
                sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => id.clone(),
                _ => continue,
            };
            for (to, acknowledged) in &g.referred_to {
                let rid = new_id();
                let at_ms = g.referred_at.unwrap_or_else(now_ms);
                signal_referral::ActiveModel {
                    sent: Set(self.vault.encrypt(
                        key_id,
                        at("signal_referrals", "sent", &rid),
                        "Резюме на сигнала и контакт на горещата линия",
                    )),
                    id: Set(rid),
                    signal_id: Set(id.clone()),
                    to_org_id: Set(to.clone()),
                    sent_at: Set(at_ms),
                    sent_by: Set("generated".to_owned()),
                    acknowledged_at: Set(acknowledged.then_some(at_ms + 3_600_000)),
                    acknowledged_by: Set(None),
                }
                .insert(&txn)
                .await?;
            }
            m.status = Set(g.status);
            m.outcome = Set(g.outcome);
            m.triaged_at = Set(g.triaged_at);
            m.referred_at = Set(g.referred_at);
            m.closed_at = Set(g.closed_at);
            if g.triaged_at.is_some() {
                m.taken_by = Set(Some("generated".to_owned()));
            }
            m.update(&txn).await?;
        }
        audit::append(
            &txn,
            AuditEntry::new(None, "signal.generate", "signal")
                .change(serde_json::json!({"signals": n})),
        )
        .await?;
        txn.commit().await?;
        Ok(n)
    }
}
