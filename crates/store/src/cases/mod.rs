//! Victim cases: registration (identity encrypted, blind indexes for search and
//! duplicate warnings), reading (identity reads audited), the NRM stage machine,
//! consent, referrals and services. Authorisation is the caller's job, through the
//! policy module; these methods trust that it was asked.

mod assessments;
mod bulk;
mod bulk_indexes;
mod bulk_rows;
mod caseload;
mod child;
mod consents;
mod correction;
mod dashboard;
mod erasure;
mod export;
mod hearings;
mod import;
mod proceedings;
mod referrals;
mod reintegration;
mod return_trip;
mod rows;
mod search;
mod services;
mod stage;

pub use assessments::assessment_items;
pub use bulk::{BulkCase, BulkMove, BulkReferral, BulkReport, BulkService, PreparedBatch};
pub use bulk_indexes::DeferredIndexes;
pub use caseload::shown_row;
pub use child::ChildRecord;
pub use correction::CorrectionRow;
pub use hearings::NewHearing;
pub use import::{ImportReport, ImportRow};
pub use proceedings::proceedings_of_row;
pub use reintegration::FollowUpHeld;
pub use return_trip::ReturnTrip;
pub(crate) use rows::{case_row, dup_of, name_words, names_of, person_row, tokens_of};
pub use stage::{StageMove, stored_identification};

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, JoinType, QueryFilter, QuerySelect,
    RelationTrait,
    sea_query::{Expr, ExprTrait},
};
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zakrila_domain::case::{CaseCode, NewCase};

pub use referrals::NewReferral;
pub use search::{CaseFilter, CaseListItem, CasePage, NAME_SEARCH_CAP, TOTAL_CAP};
pub use services::NewService;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, case_counter, person, person_token, stage_change},
    new_id, now_ms,
    vault::FieldRef,
    write_txn::WriteTxn,
};

/// A person's identity, decrypted. Never logged, never put in a URL.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IdentityPlain {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub birth_date: Option<String>,
    pub personal_number: Option<String>,
    pub phone: Option<String>,
}

/// What registering a case gives back.
#[derive(Debug, Clone)]
pub struct Registered {
    pub case: case::Model,
    /// Codes of the organisation's existing cases with the same normalised name and
    /// birth date: probably the same person.
    pub possible_duplicates: Vec<String>,
}

/// The identity columns of `persons`, in the order `IdentityPlain` lists them.
pub const IDENTITY_COLUMNS: [&str; 5] = [
    "given_name",
    "family_name",
    "birth_date",
    "personal_number",
    "phone",
];

pub(crate) fn person_ref<'a>(id: &'a str, column: &'static str) -> FieldRef<'a> {
    FieldRef {
        table: "persons",
        column,
        row_id: id,
    }
}

/// Blind-index tokens of a name under `org_id`'s key: each word, normalised and
/// transliterated to Latin, so the Cyrillic and Latin spellings of a name give the
/// same tokens.
pub fn name_tokens(store: &Store, org_id: &str, names: &[Option<&str>]) -> Vec<String> {
    tokens_of(&name_words(names), |w| {
        store.vault.org_blind_index(org_id, "person_name", w)
    })
}

/// How many distinct name words a text has (what a name search counts).
pub fn name_word_count(names: &[Option<&str>]) -> usize {
    tokens_of(&name_words(names), str::to_owned).len()
}

fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

impl Store {
    /// Registers a person and their case in one transaction, audited.
    pub async fn register_case(
        &self,
        actor: Uuid,
        org_id: &str,
        new: NewCase,
        now: OffsetDateTime,
    ) -> Result<Registered, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let registered = self
            .register_case_in(&txn, key_id, actor, org_id, new, now)
            .await?;
        txn.commit().await?;
        Ok(registered)
    }

    /// Registers a person and their case inside the caller's write transaction, so
    /// a case opened from something else (a hotline signal, a consultation) is
    /// written with that change or not at all. `key_id` is
    /// [`Store::current_key_id`], read before the transaction began.
    pub async fn register_case_in(
        &self,
        txn: &WriteTxn,
        key_id: u32,
        actor: Uuid,
        org_id: &str,
        new: NewCase,
        now: OffsetDateTime,
    ) -> Result<Registered, StoreError> {
        let person_id = new_id();
        let enc = |col: &'static str, v: Option<&str>| {
            v.map(|v| self.vault.encrypt(key_id, person_ref(&person_id, col), v))
        };
        let id = &new.identity;
        let words = name_words(&names_of(id));
        let tokens = tokens_of(&words, |w| {
            self.vault.org_blind_index(org_id, "person_name", w)
        });
        let dup = dup_of(words, id.birth_date.map(|b| b.date()), |t| {
            self.vault.org_blind_index(org_id, "person_dup", t)
        });
        let possible_duplicates = match &dup {
            Some(d) => {
                let persons: Vec<String> = person::Entity::find()
                    .filter(person::Column::OrgId.eq(org_id))
                    .filter(person::Column::DupIndex.eq(d.clone()))
                    .all(txn)
                    .await?
                    .into_iter()
                    .map(|p| p.id)
                    .collect();
                case::Entity::find()
                    .filter(case::Column::PersonId.is_in(persons))
                    .all(txn)
                    .await?
                    .into_iter()
                    .map(|c| c.code)
                    .collect()
            }
            None => vec![],
        };
        let p = person_row(person_id.clone(), org_id, &new, dup, now_ms(), enc)
            .into_active_model()
            .reset_all()
            .insert(txn)
            .await?;
        for token in &tokens {
            person_token::ActiveModel {
                person_id: Set(person_id.clone()),
                token: Set(token.clone()),
                org_id: Set(org_id.to_owned()),
            }
            .insert(txn)
            .await?;
        }
        let code = next_code(txn, now.year()).await?;
        let case_id = new_id();
        let ms = now_ms();
        let c = case_row(
            case_id.clone(),
            code.as_str().to_owned(),
            person_id,
            org_id,
            &new,
            actor.to_string(),
            ms,
        )
        .into_active_model()
        .reset_all()
        .insert(txn)
        .await?;
        caseload::add(txn, org_id, &c, &p, &tokens).await?;
        stage_change::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.clone()),
            from_stage: Set(None),
            to_stage: Set(new.stage.as_str().to_owned()),
            at: Set(ms),
            by_user: Set(actor.to_string()),
        }
        .insert(txn)
        .await?;
        audit::append(
            txn,
            AuditEntry::new(Some(actor), "case.register", "case").id(&case_id).change(serde_json::json!({
                "code": c.code, "stage": c.stage, "identity_fields": IDENTITY_COLUMNS.iter().zip([
                    id.given_name.is_some(), id.family_name.is_some(), id.birth_date.is_some(), id.personal_number.is_some(), id.phone.is_some()
                ]).filter(|(_, set)| *set).map(|(c, _)| *c).collect::<Vec<_>>(),
                "possible_duplicates": possible_duplicates.len(),
            })),
        )
        .await?;
        Ok(Registered {
            case: c,
            possible_duplicates,
        })
    }

    pub async fn case_by_id(&self, id: &str) -> Result<Option<case::Model>, StoreError> {
        Ok(self
            .read_one(case::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    /// The codes of the given cases, in one query per 500 ids (for lists of
    /// referrals, which name their cases by id).
    pub async fn case_codes(
        &self,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            for c in case::Entity::find()
                .filter(case::Column::Id.is_in(chunk.to_vec()))
                .all(&self.reads)
                .await?
            {
                out.insert(c.id, c.code);
            }
        }
        Ok(out)
    }

    /// A case with its person if `org_id` holds it — owns it, or has accepted a
    /// referral of it — in one query through the caseload projection; `None` for a
    /// case the organisation does not hold, as for one that does not exist. The
    /// third value is the caseload row's `referred` fact: the organisation holds the
    /// case through an accepted referral. The query only matches a row whose flag
    /// agrees with ownership (the owner's row unreferred, anyone else's referred), so
    /// the fact handed to the policy is the row's, not a guess from the join.
    pub async fn case_held_by(
        &self,
        id: &str,
        org_id: &str,
    ) -> Result<Option<(case::Model, person::Model, bool)>, StoreError> {
        use crate::entity::caseload;
        use sea_orm::Condition;
        Ok(self
            .read_one(
                case::Entity::find_by_id(id.to_owned())
                    .find_also_related(person::Entity)
                    .join(JoinType::InnerJoin, caseload::Relation::Case.def().rev())
                    .filter(caseload::Column::OrgId.eq(org_id))
                    .filter(
                        Condition::any()
                            .add(
                                Condition::all()
                                    .add(caseload::Column::Referred.eq(false))
                                    .add(case::Column::OrgId.eq(org_id)),
                            )
                            .add(
                                Condition::all()
                                    .add(caseload::Column::Referred.eq(true))
                                    .add(case::Column::OrgId.ne(org_id)),
                            ),
                    ),
            )
            .await?
            .and_then(|(c, p)| {
                let referred = c.org_id != org_id;
                Some((c, p?, referred))
            }))
    }

    pub async fn case_by_code(&self, code: &str) -> Result<Option<case::Model>, StoreError> {
        Ok(self
            .read_one(case::Entity::find().filter(case::Column::Code.eq(code)))
            .await?)
    }

    pub async fn person_of(&self, c: &case::Model) -> Result<person::Model, StoreError> {
        self.read_one(person::Entity::find_by_id(c.person_id.clone()))
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Decrypts a person's identity and records the read in the audit trail.
    pub async fn read_identity(
        &self,
        actor: Uuid,
        c: &case::Model,
        purpose: &str,
    ) -> Result<IdentityPlain, StoreError> {
        let p = self.person_of(c).await?;
        self.read_identity_of(actor, c, &p, purpose).await
    }

    /// `read_identity` for a caller that has the person at hand.
    pub async fn read_identity_of(
        &self,
        actor: Uuid,
        c: &case::Model,
        p: &person::Model,
        purpose: &str,
    ) -> Result<IdentityPlain, StoreError> {
        let dec = |col: &'static str, v: &Option<String>| -> Result<Option<String>, StoreError> {
            v.as_ref()
                .map(|v| self.vault.decrypt(person_ref(&p.id, col), v))
                .transpose()
                .map_err(Into::into)
        };
        let out = IdentityPlain {
            given_name: dec("given_name", &p.given_name)?,
            family_name: dec("family_name", &p.family_name)?,
            birth_date: dec("birth_date", &p.birth_date)?,
            personal_number: dec("personal_number", &p.personal_number)?,
            phone: dec("phone", &p.phone)?,
        };
        // Committed before the identity is returned; batched with other reads.
        self.record(
            AuditEntry::new(Some(actor), "case.identity_read", "case")
                .id(&c.id)
                .change(serde_json::json!({"purpose": purpose})),
        )
        .await?;
        Ok(out)
    }

    /// Bumps the version of a case the caller read at `expected`; a different
    /// version means someone saved in between: a conflict, never an overwrite. The
    /// caller refreshes the caseload rows once its own changes are made.
    pub(crate) async fn bump_version<C: ConnectionTrait>(
        db: &C,
        case_id: &str,
        expected: i32,
    ) -> Result<(), StoreError> {
        let at = now_ms();
        let r = case::Entity::update_many()
            .col_expr(
                case::Column::Version,
                Expr::col(case::Column::Version).add(1),
            )
            .col_expr(case::Column::UpdatedAt, Expr::value(at))
            .filter(case::Column::Id.eq(case_id))
            .filter(case::Column::Version.eq(expected))
            .exec(db)
            .await?;
        if r.rows_affected == 0 {
            return Err(StoreError::Conflict("stale"));
        }
        Ok(())
    }
}

/// Sets one string column of a versioned row, if the row still has the version the
/// caller read; otherwise a conflict. Shared by the status changes of a case's parts
/// (goals, offenders…), which differ only in their table and column.
pub(crate) async fn set_versioned<E, C>(
    db: &C,
    columns: VersionedColumns<E::Column>,
    row_id: &str,
    expected_version: i32,
    value: &str,
) -> Result<(), StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let res = E::update_many()
        .col_expr(columns.value, Expr::value(value))
        .col_expr(columns.version, Expr::value(expected_version + 1))
        .col_expr(columns.updated_at, Expr::value(now_ms()))
        .filter(columns.id.eq(row_id))
        .filter(columns.version.eq(expected_version))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict("stale"));
    }
    Ok(())
}

/// The columns `set_versioned` touches.
pub(crate) struct VersionedColumns<Col> {
    pub id: Col,
    pub version: Col,
    pub updated_at: Col,
    pub value: Col,
}

/// The next case code of the year.
async fn next_code<C: ConnectionTrait>(db: &C, year: i32) -> Result<CaseCode, StoreError> {
    Ok(CaseCode::new(year, allocate_codes(db, year, 1).await?)?)
}

/// Takes `n` consecutive sequence numbers of `year` from the counter and returns the
/// first: one update, so a bulk batch costs the counter's lock once, not per case.
/// The update takes the row's lock, so two writers never get the same number, on
/// any backend; the row for a new year is created idempotently first.
pub(crate) async fn allocate_codes<C: ConnectionTrait>(
    db: &C,
    year: i32,
    n: u32,
) -> Result<u32, StoreError> {
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
    let row = crate::read::one_in(case_counter::Entity::find_by_id(year), db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((row.next as u32) - n)
}
