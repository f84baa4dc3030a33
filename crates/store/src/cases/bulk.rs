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
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, TransactionTrait,
    Value,
    sea_query::{Expr, ExprTrait},
};
use time::Date;
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    case::{
        CaseCode, ClosureReason, ConsentKind, ConsentRecord, ConsentState, DeclineReason, NewCase,
        ReferralStatus, RiskLevel, ServiceStatus, Stage, TransitionContext, require_consent,
        transition,
    },
    translit,
};

use super::{IDENTITY_COLUMNS, date_str, person_ref};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::case_counter,
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

/// A batch ready to write: every row's values, identity already encrypted.
#[derive(Debug, Default)]
pub struct PreparedBatch {
    persons: Vec<Vec<Value>>,
    tokens: Vec<Vec<Value>>,
    /// (year, row); the code (column 1) is filled in at insert time.
    cases: Vec<(i32, Vec<Value>)>,
    stage_changes: Vec<Vec<Value>>,
    consents: Vec<Vec<Value>>,
    referrals: Vec<Vec<Value>>,
    services: Vec<Vec<Value>>,
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

const PERSONS: (&str, &[&str]) = (
    "persons",
    &[
        "id",
        "org_id",
        "given_name",
        "family_name",
        "birth_date",
        "personal_number",
        "phone",
        "dup_index",
        "sex",
        "birth_year",
        "age_band",
        "citizenship",
        "languages",
        "is_child",
        "unaccompanied",
        "disability",
        "created_at",
    ],
);
const TOKENS: (&str, &[&str]) = ("person_name_tokens", &["person_id", "token", "org_id"]);
const CASES: (&str, &[&str]) = (
    "cases",
    &[
        "id",
        "code",
        "person_id",
        "org_id",
        "stage",
        "closure_reason",
        "identification_kind",
        "identified_by",
        "identified_on",
        "reflection_ends",
        "exploitation",
        "forms",
        "risk_level",
        "child_mechanism",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "stage_changed_at",
    ],
);
const STAGE_CHANGES: (&str, &[&str]) = (
    "case_stage_changes",
    &["id", "case_id", "from_stage", "to_stage", "at", "by_user"],
);
const CONSENTS: (&str, &[&str]) = (
    "consents",
    &["id", "case_id", "kind", "state", "at", "recorded_by"],
);
const REFERRALS: (&str, &[&str]) = (
    "referrals",
    &[
        "id",
        "case_id",
        "from_org",
        "to_org",
        "purpose",
        "service_code",
        "note",
        "status",
        "decline_reason",
        "consent_override",
        "created_by",
        "created_at",
        "updated_at",
        "responded_by",
    ],
);
const SERVICES: (&str, &[&str]) = (
    "case_services",
    &[
        "id",
        "case_id",
        "service_code",
        "provider_org",
        "status",
        "start_date",
        "due_date",
        "end_date",
        "cost_stotinki",
        "project",
        "created_by",
        "created_at",
        "updated_at",
    ],
);

fn s(v: &str) -> Value {
    Value::from(v.to_owned())
}
fn opt(v: Option<String>) -> Value {
    Value::from(v)
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
    let enc = |col: &'static str, v: Option<&str>, rng: &mut rand::rngs::ThreadRng| {
        Value::from(v.map(|v| sealer.encrypt(person_ref(&person_id, col), v, rng)))
    };
    let (given, family) = (
        id.given_name.as_ref().map(|n| n.as_str()),
        id.family_name.as_ref().map(|n| n.as_str()),
    );
    let birth = id.birth_date.map(|b| date_str(b.date()));
    let mut words: Vec<String> = [given, family]
        .into_iter()
        .flatten()
        .flat_map(|n| {
            translit::normalise_name(n)
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut tokens: Vec<String> = words
        .iter()
        .map(|w| sealer.blind_index("person_name", w))
        .collect();
    tokens.sort();
    tokens.dedup();
    words.sort();
    let dup = id
        .birth_date
        .filter(|_| !words.is_empty())
        .map(|b| sealer.blind_index("person_dup", &format!("{}|{}", words.join(" "), b.date())));
    out.persons.push(vec![
        s(&person_id),
        s(&c.org_id),
        enc("given_name", given, rng),
        enc("family_name", family, rng),
        enc("birth_date", birth.as_deref(), rng),
        enc(
            "personal_number",
            id.personal_number.as_ref().map(|n| n.as_str()),
            rng,
        ),
        enc("phone", id.phone.as_ref().map(|n| n.as_str()), rng),
        opt(dup),
        s(new.profile.sex.as_str()),
        Value::from(id.birth_date.map(|b| b.date().year())),
        opt(new.profile.age_band.map(|a| a.as_str().to_owned())),
        opt(new.profile.citizenship.map(|c| c.code().to_owned())),
        s(&new
            .profile
            .languages
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(",")),
        Value::from(new.profile.child),
        Value::from(new.profile.unaccompanied),
        Value::from(new.profile.disability),
        Value::from(c.registered_at),
    ]);
    for t in &tokens {
        out.tokens.push(vec![s(&person_id), s(t), s(&c.org_id)]);
    }

    // Replay the history through the stage machine: generated data obeys the same
    // rules as a caseworker's clicks.
    let mut stage = new.stage;
    let mut reflection_ends = new.reflection_ends;
    let mut closure: Option<ClosureReason> = None;
    let mut stage_at = c.registered_at;
    out.stage_changes.push(vec![
        s(&id_at(stage_at)),
        s(&case_id),
        Value::from(None::<String>),
        s(stage.as_str()),
        Value::from(stage_at),
        s(actor),
    ]);
    for mv in &c.moves {
        let ctx = TransitionContext {
            at: ms_time(mv.at),
            identification: new.identification.clone(),
            closure_reason: mv.closure_reason,
            child: new.profile.child,
            child_mechanism_engaged: c.child_mechanism,
        };
        let t = transition(stage, mv.to, &ctx)?;
        out.stage_changes.push(vec![
            s(&id_at(mv.at)),
            s(&case_id),
            opt(Some(stage.as_str().to_owned())),
            s(t.to.as_str()),
            Value::from(mv.at),
            s(actor),
        ]);
        if t.reflection_ends.is_some() {
            reflection_ends = t.reflection_ends;
        }
        closure = t.closure_reason;
        stage = t.to;
        stage_at = mv.at;
    }

    let mut records = Vec::with_capacity(c.consents.len());
    for (kind, state, at) in &c.consents {
        out.consents.push(vec![
            s(&id_at(*at)),
            s(&case_id),
            s(kind.as_str()),
            s(state.as_str()),
            Value::from(*at),
            s(actor),
        ]);
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
        out.referrals.push(vec![
            s(&id_at(r.created_at)),
            s(&case_id),
            s(&c.org_id),
            s(&r.to_org),
            s(&r.purpose),
            opt(r.service_code.clone()),
            s(""),
            s(r.status.as_str()),
            opt(r.decline_reason.map(|d| d.as_str().to_owned())),
            Value::from(None::<String>),
            s(actor),
            Value::from(r.created_at),
            Value::from(r.updated_at),
            opt(responded),
        ]);
        updated_at = std::cmp::max(updated_at, r.updated_at);
    }
    for sv in &c.services {
        out.services.push(vec![
            s(&id_at(sv.created_at)),
            s(&case_id),
            s(&sv.service_code),
            s(&sv.provider_org),
            s(sv.status.as_str()),
            opt(sv.start_date.map(date_str)),
            opt(sv.due_date.map(date_str)),
            opt(sv.end_date.map(date_str)),
            Value::from(sv.cost_stotinki),
            Value::from(None::<String>),
            s(actor),
            Value::from(sv.created_at),
            Value::from(sv.created_at),
        ]);
        updated_at = std::cmp::max(updated_at, sv.created_at);
    }
    let year = ms_time(c.registered_at).year();
    out.cases.push((
        year,
        vec![
            s(&case_id),
            Value::from(None::<String>),
            s(&person_id),
            s(&c.org_id),
            s(stage.as_str()),
            opt(closure.map(|r| r.as_str().to_owned())),
            opt(new
                .identification
                .as_ref()
                .map(|i| i.kind.as_str().to_owned())),
            opt(new
                .identification
                .as_ref()
                .map(|i| i.by.as_str().to_owned())),
            opt(new.identification.as_ref().map(|i| date_str(i.date))),
            opt(reflection_ends.map(date_str)),
            s(&serde_json::to_string(&new.exploitation).unwrap_or_else(|_| "{}".into())),
            s(&new
                .exploitation
                .forms
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            opt(c.risk_level.map(|r| r.as_str().to_owned())),
            Value::from(c.child_mechanism),
            Value::from(1 + c.moves.len() as i32),
            s(actor),
            Value::from(c.registered_at),
            Value::from(updated_at),
            Value::from(stage_at),
        ],
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

/// Writes rows with as many per statement as the backend's parameter limit allows.
/// Full chunks share one SQL text, so the driver prepares it once and reuses it.
async fn insert_rows<C: ConnectionTrait>(
    db: &C,
    (table, cols): (&str, &[&str]),
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    let max_params = if backend == DbBackend::Sqlite {
        32_766
    } else {
        65_535
    };
    let per_stmt = (max_params / cols.len()).min(2_000);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_stmt).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..cols.len() {
                n += 1;
                if j > 0 {
                    sql.push_str(", ");
                }
                if backend == DbBackend::Postgres {
                    sql.push_str(&format!("${n}"));
                } else {
                    sql.push('?');
                }
            }
            sql.push(')');
        }
        // Sized up front: a flattening iterator has no exact length, and growing a
        // 30,000-value vector step by step was a fifth of the generator's time.
        let mut values = Vec::with_capacity(chunk.len() * cols.len());
        for row in chunk {
            values.extend(row);
        }
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// Takes `n` consecutive sequence numbers of `year` from the counter: one update, so
/// a batch costs the counter's lock once, not per case.
async fn allocate_codes<C: ConnectionTrait>(db: &C, year: i32, n: u32) -> Result<u32, StoreError> {
    case_counter::Entity::insert(case_counter::ActiveModel {
        year: Set(year),
        next: Set(1),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    case_counter::Entity::update_many()
        .col_expr(
            case_counter::Column::Next,
            Expr::col(case_counter::Column::Next).add(n as i32),
        )
        .filter(case_counter::Column::Year.eq(year))
        .exec(db)
        .await?;
    let row = case_counter::Entity::find_by_id(year)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((row.next as u32) - n)
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
        mut batch: PreparedBatch,
    ) -> Result<BulkReport, StoreError> {
        let report = BulkReport {
            cases: batch.cases.len(),
            name_tokens: batch.tokens.len(),
            stage_changes: batch.stage_changes.len(),
            consents: batch.consents.len(),
            referrals: batch.referrals.len(),
            services: batch.services.len(),
        };
        if report.cases == 0 {
            return Ok(report);
        }
        let txn = self.writer.begin().await?;
        if self.backend == crate::Backend::Sqlite && report.cases >= 1_000 {
            // A big batch touches index pages all over the file; keep them in memory
            // (1 GiB, on the writer connection, whose cache survives its own commits).
            txn.execute_unprepared("PRAGMA cache_size = -1048576")
                .await?;
        }
        let mut years: Vec<i32> = batch.cases.iter().map(|(y, _)| *y).collect();
        years.sort();
        years.dedup();
        let (mut first, mut last) = (None, None);
        for year in years {
            let n = batch.cases.iter().filter(|(y, _)| *y == year).count() as u32;
            let mut seq = allocate_codes(&txn, year, n).await?;
            for (_, row) in batch.cases.iter_mut().filter(|(y, _)| *y == year) {
                let code = CaseCode::new(year, seq)?;
                first.get_or_insert_with(|| code.as_str().to_owned());
                last = Some(code.as_str().to_owned());
                row[1] = s(code.as_str());
                seq += 1;
            }
        }
        insert_rows(&txn, PERSONS, std::mem::take(&mut batch.persons)).await?;
        insert_rows(&txn, TOKENS, std::mem::take(&mut batch.tokens)).await?;
        let case_ids: Vec<Value> = batch.cases.iter().map(|(_, r)| r[0].clone()).collect();
        insert_rows(&txn, CASES, batch.cases.drain(..).map(|(_, r)| r).collect()).await?;
        insert_rows(
            &txn,
            STAGE_CHANGES,
            std::mem::take(&mut batch.stage_changes),
        )
        .await?;
        insert_rows(&txn, CONSENTS, std::mem::take(&mut batch.consents)).await?;
        insert_rows(&txn, REFERRALS, std::mem::take(&mut batch.referrals)).await?;
        insert_rows(&txn, SERVICES, std::mem::take(&mut batch.services)).await?;
        // The caseloads the cases are in, copied from the rows just written by the
        // database itself: cheaper than sending the same values a second time.
        super::caseload::fill(&txn, &case_ids).await?;
        audit::append(
            &txn,
            AuditEntry::new(actor, "case.generate", "case").change(serde_json::json!({
                "counts": report, "first_code": first, "last_code": last, "identity_fields": IDENTITY_COLUMNS,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(report)
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
