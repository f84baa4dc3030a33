//! Bulk registration of many cases at once, for generated (synthetic) data: a million
//! cases for benchmarks and for the statistics and linkage work, a dozen for a demo.
//!
//! The rows are the ones `register_case`, `move_stage`, `record_consent`,
//! `create_referral` and `add_service` would write, checked by the same domain rules
//! (stage machine, consent before referral), but written the fast way:
//!
//! * [`Store::prepare_bulk`] encrypts identities and computes blind indexes on every
//!   core (rayon), with keys derived once per batch ([`Sealer`]). It is synchronous, so
//!   a caller can prepare batch k+1 on other threads while batch k is being written.
//! * [`Store::insert_bulk`] writes a prepared batch in ONE transaction with multi-row
//!   `INSERT`s, allocates the batch's case codes as a block from each year's counter,
//!   and appends ONE audit event (`case.generate`, with counts only) for the batch.

use rayon::prelude::*;
use sea_orm::{ConnectionTrait, DbBackend, Value};
use time::Date;
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    case::{
        CaseCode, ClosureReason, ConsentKind, ConsentRecord, ConsentState, DeclineReason, NewCase,
        ReferralStatus, RiskLevel, ServiceStatus, Stage, TransitionContext, require_consent,
        transition,
    },
};

use super::{IDENTITY_COLUMNS, bulk_rows::insert_rows, date_str, person_ref};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, case_service, consent, person, person_token, referral, stage_change},
    vault::Sealer,
};

/// One generated case with its history. Times are milliseconds since the epoch.
#[derive(Debug, Clone)]
pub struct BulkCase {
    /// The owning organisation's id.
    pub org_id: String,
    pub new: NewCase,
    /// When it was registered; its year is the year of the case code.
    pub registered_at: i64,
    /// Moves after registration, in order; each is checked by the stage machine.
    pub moves: Vec<BulkMove>,
    pub child_mechanism: bool,
    pub risk_level: Option<RiskLevel>,
    pub consents: Vec<(ConsentKind, ConsentState, i64)>,
    pub services: Vec<BulkService>,
    pub referrals: Vec<BulkReferral>,
    /// The organisation's own record number (an imported case), else `None`.
    pub external_ref: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BulkMove {
    pub to: Stage,
    pub at: i64,
    pub closure_reason: Option<ClosureReason>,
}

#[derive(Debug, Clone)]
pub struct BulkService {
    pub service_code: String,
    /// The providing organisation's id.
    pub provider_org: String,
    pub status: ServiceStatus,
    pub start_date: Option<Date>,
    pub due_date: Option<Date>,
    pub end_date: Option<Date>,
    pub cost_stotinki: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct BulkReferral {
    /// The receiving organisation's id.
    pub to_org: String,
    pub purpose: String,
    pub service_code: Option<String>,
    pub status: ReferralStatus,
    pub decline_reason: Option<DeclineReason>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A batch ready to write: every row, identity already encrypted.
#[derive(Debug, Default)]
pub struct PreparedBatch {
    persons: Vec<person::Model>,
    tokens: Vec<person_token::Model>,
    /// (year, row); the code is filled in at insert time.
    cases: Vec<(i32, case::Model)>,
    stage_changes: Vec<stage_change::Model>,
    consents: Vec<consent::Model>,
    referrals: Vec<referral::Model>,
    services: Vec<case_service::Model>,
}

/// What a batch wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BulkReport {
    pub cases: usize,
    pub name_tokens: usize,
    pub stage_changes: usize,
    pub consents: usize,
    pub referrals: usize,
    pub services: usize,
}

impl BulkReport {
    pub fn add(&mut self, o: BulkReport) {
        self.cases += o.cases;
        self.name_tokens += o.name_tokens;
        self.stage_changes += o.stage_changes;
        self.consents += o.consents;
        self.referrals += o.referrals;
        self.services += o.services;
    }
}

fn ms_time(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}
fn id_at(ms: i64) -> String {
    // UUIDv7 stamped with the event's own time, so ids still sort by creation.
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        (ms / 1000) as u64,
        ((ms % 1000) * 1_000_000) as u32,
    );
    Uuid::new_v7(ts).to_string()
}

/// The rows of one case, built and checked on a rayon worker.
fn prepare_one(sealer: &Sealer, actor: &str, c: BulkCase) -> Result<PreparedBatch, StoreError> {
    let mut out = PreparedBatch::default();
    let rng = &mut rand::thread_rng();
    let person_id = id_at(c.registered_at);
    let case_id = id_at(c.registered_at);
    let new = &c.new;
    let id = &new.identity;
    let words = super::name_words(&super::names_of(id));
    let org = c.org_id.as_str();
    let tokens = super::tokens_of(&words, |w| sealer.org_blind_index(org, "person_name", w));
    let dup = super::dup_of(words, id.birth_date.map(|b| b.date()), |t| {
        sealer.org_blind_index(org, "person_dup", t)
    });
    let enc = |col: &'static str, v: Option<&str>| {
        v.map(|v| sealer.encrypt(person_ref(&person_id, col), v, rng))
    };
    out.persons.push(super::person_row(
        person_id.clone(),
        &c.org_id,
        new,
        dup,
        c.registered_at,
        enc,
    ));
    for t in tokens {
        out.tokens.push(person_token::Model {
            person_id: person_id.clone(),
            token: t,
            org_id: c.org_id.clone(),
        });
    }

    // Replay the history through the stage machine: generated data obeys the same
    // rules as a caseworker's clicks.
    let mut stage = new.stage;
    let mut reflection_ends = new.reflection_ends;
    let mut closure: Option<ClosureReason> = None;
    let mut stage_at = c.registered_at;
    out.stage_changes.push(stage_change::Model {
        id: id_at(stage_at),
        case_id: case_id.clone(),
        from_stage: None,
        to_stage: stage.as_str().to_owned(),
        at: stage_at,
        by_user: actor.to_owned(),
    });
    for mv in &c.moves {
        let ctx = TransitionContext {
            at: ms_time(mv.at),
            identification: new.identification.clone(),
            closure_reason: mv.closure_reason,
            child: new.profile.child,
            child_mechanism_engaged: c.child_mechanism,
        };
        let t = transition(stage, mv.to, &ctx)?;
        out.stage_changes.push(stage_change::Model {
            id: id_at(mv.at),
            case_id: case_id.clone(),
            from_stage: Some(stage.as_str().to_owned()),
            to_stage: t.to.as_str().to_owned(),
            at: mv.at,
            by_user: actor.to_owned(),
        });
        if t.reflection_ends.is_some() {
            reflection_ends = t.reflection_ends;
        }
        closure = t.closure_reason;
        stage = t.to;
        stage_at = mv.at;
    }

    let mut records = Vec::with_capacity(c.consents.len());
    for (kind, state, at) in &c.consents {
        out.consents.push(consent::Model {
            id: id_at(*at),
            case_id: case_id.clone(),
            kind: kind.as_str().to_owned(),
            state: state.as_str().to_owned(),
            at: *at,
            recorded_by: actor.to_owned(),
        });
        records.push(ConsentRecord {
            kind: *kind,
            state: *state,
            at: ms_time(*at),
            recorded_by: Uuid::nil(),
        });
    }
    let mut updated_at = stage_at;
    for r in &c.referrals {
        if r.to_org == c.org_id {
            return Err(DomainError::field("to_org", "error-referral-same-org").into());
        }
        require_consent(&records, ConsentKind::Referral, ms_time(r.created_at))?;
        let responded = (r.status != ReferralStatus::Pending).then(|| actor.to_owned());
        let rid = id_at(r.created_at);
        let purpose = sealer.encrypt(
            crate::free_text::REFERRAL_PURPOSE.at(&rid),
            r.purpose.trim(),
            rng,
        );
        out.referrals.push(referral::Model {
            id: rid,
            case_id: case_id.clone(),
            from_org: c.org_id.clone(),
            to_org: r.to_org.clone(),
            purpose,
            service_code: r.service_code.clone(),
            note: String::new(),
            status: r.status.as_str().to_owned(),
            decline_reason: r.decline_reason.map(|d| d.as_str().to_owned()),
            consent_override: None,
            created_by: actor.to_owned(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            responded_by: responded,
        });
        updated_at = std::cmp::max(updated_at, r.updated_at);
    }
    for sv in &c.services {
        out.services.push(case_service::Model {
            id: id_at(sv.created_at),
            case_id: case_id.clone(),
            service_code: sv.service_code.clone(),
            provider_org: sv.provider_org.clone(),
            status: sv.status.as_str().to_owned(),
            start_date: sv.start_date.map(date_str),
            due_date: sv.due_date.map(date_str),
            end_date: sv.end_date.map(date_str),
            cost_stotinki: sv.cost_stotinki,
            project: None,
            project_id: None,
            created_by: actor.to_owned(),
            created_at: sv.created_at,
            updated_at: sv.created_at,
        });
        updated_at = std::cmp::max(updated_at, sv.created_at);
    }
    let year = ms_time(c.registered_at).year();
    // As registered, then as the replayed history left it.
    let registered = super::case_row(
        case_id,
        String::new(),
        person_id,
        &c.org_id,
        new,
        actor.to_owned(),
        c.registered_at,
    );
    out.cases.push((
        year,
        case::Model {
            stage: stage.as_str().to_owned(),
            closure_reason: closure.map(|r| r.as_str().to_owned()),
            reflection_ends: reflection_ends.map(date_str),
            risk_level: c.risk_level.map(|r| r.as_str().to_owned()),
            child_mechanism: c.child_mechanism,
            version: 1 + c.moves.len() as i32,
            updated_at,
            stage_changed_at: stage_at,
            external_ref: c.external_ref.clone(),
            ..registered
        },
    ));
    Ok(out)
}

impl PreparedBatch {
    fn append(&mut self, o: PreparedBatch) {
        self.persons.extend(o.persons);
        self.tokens.extend(o.tokens);
        self.cases.extend(o.cases);
        self.stage_changes.extend(o.stage_changes);
        self.consents.extend(o.consents);
        self.referrals.extend(o.referrals);
        self.services.extend(o.services);
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }
}

impl Store {
    /// Encrypts and checks a batch on every core. `actor` is recorded as the creator of
    /// every row (the nil id for the command-line generator).
    pub fn prepare_bulk(
        &self,
        key_id: u32,
        actor: Option<Uuid>,
        cases: Vec<BulkCase>,
    ) -> Result<PreparedBatch, StoreError> {
        let sealer = self.vault.sealer(key_id);
        let actor = actor.unwrap_or(Uuid::nil()).to_string();
        let parts: Vec<PreparedBatch> = cases
            .into_par_iter()
            .map(|c| prepare_one(&sealer, &actor, c))
            .collect::<Result<_, _>>()?;
        let mut out = PreparedBatch::default();
        for p in parts {
            out.append(p);
        }
        Ok(out)
    }

    /// Writes a prepared batch in one transaction with one audit event.
    pub async fn insert_bulk(
        &self,
        actor: Option<Uuid>,
        batch: PreparedBatch,
    ) -> Result<BulkReport, StoreError> {
        if batch.is_empty() {
            return Ok(BulkReport::default());
        }
        let txn = self.begin_write().await?;
        let w = write_batch(&txn, batch).await?;
        audit::append(
            &txn,
            AuditEntry::new(actor, "case.generate", "case").change(serde_json::json!({
                "counts": w.report, "first_code": w.first_code, "last_code": w.last_code, "identity_fields": IDENTITY_COLUMNS,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(w.report)
    }

    /// Prepares and writes in one call (small batches: the demo records, tests).
    pub async fn bulk_register(
        &self,
        actor: Option<Uuid>,
        cases: Vec<BulkCase>,
    ) -> Result<BulkReport, StoreError> {
        let key_id = self.current_key_id().await?;
        let batch = self.prepare_bulk(key_id, actor, cases)?;
        self.insert_bulk(actor, batch).await
    }
}

/// What [`write_batch`] wrote: the counts, the first and last case code, and each
/// case's id and code in the order of the batch.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub report: BulkReport,
    pub first_code: Option<String>,
    pub last_code: Option<String>,
    pub cases: Vec<(String, String)>,
}

/// Writes a prepared batch inside the caller's transaction (no audit: the caller
/// records what the batch was), allocating its case codes as one block per year.
pub(crate) async fn write_batch(
    txn: &crate::write_txn::WriteTxn,
    mut batch: PreparedBatch,
) -> Result<Written, StoreError> {
    let report = BulkReport {
        cases: batch.cases.len(),
        name_tokens: batch.tokens.len(),
        stage_changes: batch.stage_changes.len(),
        consents: batch.consents.len(),
        referrals: batch.referrals.len(),
        services: batch.services.len(),
    };
    if report.cases >= 1_000 && txn.get_database_backend() == DbBackend::Sqlite {
        // A big batch touches index pages all over the file; keep them in memory
        // (1 GiB, on the writer connection, whose cache survives its own commits).
        txn.execute_unprepared("PRAGMA cache_size = -1048576")
            .await?;
    }
    let mut years: Vec<i32> = batch.cases.iter().map(|(y, _)| *y).collect();
    years.sort();
    years.dedup();
    let (mut first_code, mut last_code) = (None, None);
    for year in years {
        let n = batch.cases.iter().filter(|(y, _)| *y == year).count() as u32;
        let mut seq = super::allocate_codes(txn, year, n).await?;
        for (_, row) in batch.cases.iter_mut().filter(|(y, _)| *y == year) {
            let code = CaseCode::new(year, seq)?;
            first_code.get_or_insert_with(|| code.as_str().to_owned());
            last_code = Some(code.as_str().to_owned());
            row.code = code.as_str().to_owned();
            seq += 1;
        }
    }
    insert_rows::<person::Entity, _>(txn, std::mem::take(&mut batch.persons)).await?;
    insert_rows::<person_token::Entity, _>(txn, std::mem::take(&mut batch.tokens)).await?;
    let cases: Vec<(String, String)> = batch
        .cases
        .iter()
        .map(|(_, r)| (r.id.clone(), r.code.clone()))
        .collect();
    let case_ids: Vec<Value> = cases
        .iter()
        .map(|(id, _)| Value::from(id.clone()))
        .collect();
    insert_rows::<case::Entity, _>(txn, batch.cases.drain(..).map(|(_, r)| r).collect()).await?;
    insert_rows::<stage_change::Entity, _>(txn, std::mem::take(&mut batch.stage_changes)).await?;
    insert_rows::<consent::Entity, _>(txn, std::mem::take(&mut batch.consents)).await?;
    insert_rows::<referral::Entity, _>(txn, std::mem::take(&mut batch.referrals)).await?;
    insert_rows::<case_service::Entity, _>(txn, std::mem::take(&mut batch.services)).await?;
    // The caseloads the cases are in, copied from the rows just written by the
    // database itself: cheaper than sending the same values a second time.
    super::caseload::fill(txn, &case_ids).await?;
    Ok(Written {
        report,
        first_code,
        last_code,
        cases,
    })
}
