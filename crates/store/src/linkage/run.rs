//! A linkage run over the whole database: encode the persons whose record is new
//! or changed, then match each pair of organisations and queue the probable
//! matches for review.
//!
//! Encoding decrypts identities inside the server, one page at a time, and keeps
//! only the CLK and keyed blocking-key hashes; matching reads nothing else.
//! Pairs within one organisation are never proposed: that is the duplicate
//! warning's job at registration.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::Arc,
};

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::OnConflict,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zakrila_linkage::{
    Candidate, Clk, ClkSet, DEFAULT_THRESHOLD, Encoder, PersonRecord, Schema, Secret,
    find_candidates_blocked, greedy_solve,
};

use super::LinkStatus;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    cases::person_ref,
    entity::{case, linkage_candidate, person, person_clk},
    new_id, now_ms,
};

/// The linkage schema every stored CLK is made with; a CLK under another id is
/// encoded again.
pub const SCHEMA_ID: &str = "zakrila-person-v1";

/// Persons decrypted and encoded per page: bounds memory and keeps transactions short.
const PAGE: u64 = 1000;

/// The two phases of a run, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Steps are persons.
    Encode,
    /// Steps are pairs of organisations.
    Match,
}

/// Receives a run's progress (the CLI draws progress bars from it).
pub trait RunProgress: Send + Sync {
    fn start(&self, _phase: Phase, _len: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self, _phase: Phase) {}
}

/// No progress reports.
pub struct Silent;
impl RunProgress for Silent {}

/// What a run did. Counts only: no identity, no CLK.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunSummary {
    pub persons: u64,
    /// Persons encoded in this run (new or changed since their last CLK).
    pub encoded: u64,
    pub organisations: u64,
    /// Pairs of organisations compared.
    pub organisation_pairs: u64,
    /// One-to-one matches found above the threshold.
    pub matches: u64,
    /// Matches that entered the review queue (the others were already there).
    pub queued: u64,
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("linkage: {e}")))
}

/// What a CLK was computed from. Ciphertexts change whenever an identity field is
/// written (fresh nonce), so a changed record — or a rotated key — means re-encoding.
fn source_digest(p: &person::Model) -> String {
    let mut h = Sha256::new();
    for part in [
        Some(SCHEMA_ID),
        p.given_name.as_deref(),
        p.family_name.as_deref(),
        p.birth_date.as_deref(),
        Some(p.sex.as_str()),
        p.citizenship.as_deref(),
    ] {
        h.update(part.unwrap_or("\u{1}").as_bytes());
        h.update([0]);
    }
    h.update(
        p.birth_year
            .map(|y| y.to_string())
            .unwrap_or_default()
            .as_bytes(),
    );
    hex::encode(&h.finalize()[..16])
}

/// A record of one organisation in a match.
struct Entry {
    case_id: String,
    clk: Clk,
    keys: Vec<u64>,
}

impl Store {
    fn linkage_secret_for_encoding(&self) -> Secret {
        Secret::new(self.vault.linkage_secret().to_vec())
    }

    fn person_record(&self, p: &person::Model) -> Result<PersonRecord, StoreError> {
        let dec = |col: &'static str, v: &Option<String>| -> Result<Option<String>, StoreError> {
            v.as_ref()
                .map(|v| self.vault.decrypt(person_ref(&p.id, col), v))
                .transpose()
                .map_err(Into::into)
        };
        Ok(PersonRecord {
            given_name: dec("given_name", &p.given_name)?.unwrap_or_default(),
            family_name: dec("family_name", &p.family_name)?.unwrap_or_default(),
            birth_date: dec("birth_date", &p.birth_date)?,
            sex: Some(p.sex.clone()).filter(|s| !s.is_empty() && s != "unknown"),
            birth_year: p.birth_year,
            citizenship: p.citizenship.clone(),
        })
    }

    /// Encodes every person whose CLK is missing or out of date. Returns (persons, encoded).
    async fn encode_persons(&self, progress: &dyn RunProgress) -> Result<(u64, u64), StoreError> {
        let stored: HashMap<String, String> = person_clk::Entity::find()
            .select_only()
            .column(person_clk::Column::PersonId)
            .column(person_clk::Column::SourceDigest)
            .into_tuple::<(String, String)>()
            .all(&self.reads)
            .await?
            .into_iter()
            .collect();
        let mut pages = person::Entity::find()
            .order_by_asc(person::Column::Id)
            .paginate(&self.reads, PAGE);
        let total = pages.num_items().await?;
        progress.start(Phase::Encode, total);
        let secret = Arc::new(self.linkage_secret_for_encoding());
        let mut encoded = 0;
        while let Some(page) = pages.fetch_and_next().await? {
            let seen = page.len() as u64;
            let mut todo = vec![];
            let mut stale = vec![];
            for p in page {
                // Nothing identifying (an erased person, or a signal without a
                // name): nothing to link on, and no encoding may outlive erasure.
                if p.given_name.is_none() && p.family_name.is_none() && p.birth_date.is_none() {
                    if stored.contains_key(&p.id) {
                        stale.push(p.id);
                    }
                    continue;
                }
                let digest = source_digest(&p);
                if stored.get(&p.id) != Some(&digest) {
                    let record = self.person_record(&p)?;
                    todo.push((p.id, p.org_id, digest, record));
                }
            }
            if !stale.is_empty() {
                person_clk::Entity::delete_many()
                    .filter(person_clk::Column::PersonId.is_in(stale))
                    .exec(&self.writer)
                    .await?;
            }
            if !todo.is_empty() {
                let secret = secret.clone();
                let records: Vec<PersonRecord> = todo.iter().map(|t| t.3.clone()).collect();
                // CPU work off the async threads; the plaintext records die with it.
                let (clks, keys) = tokio::task::spawn_blocking(move || {
                    let schema = Schema::zakrila_person_v1();
                    let rows: Vec<[String; 7]> =
                        records.iter().map(PersonRecord::to_record).collect();
                    let clks = Encoder::new(&schema, &secret).encode_all(&rows)?;
                    let keys: Vec<Vec<u64>> =
                        records.iter().map(|r| r.block_keys(&secret)).collect();
                    Ok::<_, zakrila_linkage::Error>((clks, keys))
                })
                .await
                .map_err(internal)?
                .map_err(internal)?;
                let at = now_ms();
                let txn = self.begin_write().await?;
                for ((id, org, digest, _), (clk, keys)) in
                    todo.into_iter().zip(clks.iter().zip(keys))
                {
                    let row = person_clk::ActiveModel {
                        person_id: Set(id),
                        org_id: Set(org),
                        schema_id: Set(SCHEMA_ID.to_owned()),
                        clk: Set(clk.to_base64()),
                        block_keys: Set(keys
                            .iter()
                            .map(|k| format!("{k:016x}"))
                            .collect::<Vec<_>>()
                            .join(",")),
                        source_digest: Set(digest),
                        computed_at: Set(at),
                    };
                    person_clk::Entity::insert(row)
                        .on_conflict(
                            OnConflict::column(person_clk::Column::PersonId)
                                .update_columns([
                                    person_clk::Column::OrgId,
                                    person_clk::Column::SchemaId,
                                    person_clk::Column::Clk,
                                    person_clk::Column::BlockKeys,
                                    person_clk::Column::SourceDigest,
                                    person_clk::Column::ComputedAt,
                                ])
                                .to_owned(),
                        )
                        .exec(&txn)
                        .await?;
                    encoded += 1;
                }
                txn.commit().await?;
            }
            progress.advance(seen);
        }
        progress.finish(Phase::Encode);
        Ok((total, encoded))
    }

    /// The CLKs to match, by owning organisation of the case.
    async fn entries_by_org(&self) -> Result<BTreeMap<String, Vec<Entry>>, StoreError> {
        let clks: HashMap<String, person_clk::Model> = person_clk::Entity::find()
            .filter(person_clk::Column::SchemaId.eq(SCHEMA_ID))
            .all(&self.reads)
            .await?
            .into_iter()
            .map(|c| (c.person_id.clone(), c))
            .collect();
        let cases: Vec<(String, String, String)> = case::Entity::find()
            .select_only()
            .column(case::Column::Id)
            .column(case::Column::PersonId)
            .column(case::Column::OrgId)
            .order_by_asc(case::Column::Id)
            .into_tuple()
            .all(&self.reads)
            .await?;
        let mut by_org: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for (case_id, person_id, org_id) in cases {
            let Some(c) = clks.get(&person_id) else {
                continue;
            };
            let clk = Clk::from_base64(&c.clk).map_err(internal)?;
            let keys = crate::comma_items(&c.block_keys)
                .filter_map(|k| u64::from_str_radix(k, 16).ok())
                .collect();
            by_org
                .entry(org_id)
                .or_default()
                .push(Entry { case_id, clk, keys });
        }
        Ok(by_org)
    }

    /// Encodes what needs it, matches every pair of organisations (blocking on,
    /// threshold [`DEFAULT_THRESHOLD`], greedy one-to-one) and queues the matches
    /// not reviewed before. `actor` is `None` when run from the command line.
    pub async fn run_linkage(
        &self,
        actor: Option<Uuid>,
        progress: &dyn RunProgress,
    ) -> Result<RunSummary, StoreError> {
        let (persons, encoded) = self.encode_persons(progress).await?;
        let by_org = self.entries_by_org().await?;
        let known: HashMap<(String, String), String> = linkage_candidate::Entity::find()
            .all(&self.reads)
            .await?
            .into_iter()
            .map(|c| ((c.case_a, c.case_b), c.status))
            .collect();
        let rejected: Arc<HashSet<(String, String)>> = Arc::new(
            known
                .iter()
                .filter(|(_, s)| s.as_str() == LinkStatus::Rejected.as_str())
                .map(|(k, _)| k.clone())
                .collect(),
        );
        let orgs: Vec<(String, Arc<(ClkSet, Vec<Vec<u64>>, Vec<String>)>)> = by_org
            .into_iter()
            .map(|(org, entries)| {
                let clks: Vec<Clk> = entries.iter().map(|e| e.clk.clone()).collect();
                let set = ClkSet::new(&clks).map_err(internal)?;
                let keys = entries.iter().map(|e| e.keys.clone()).collect();
                let ids = entries.into_iter().map(|e| e.case_id).collect();
                Ok((org, Arc::new((set, keys, ids))))
            })
            .collect::<Result<_, StoreError>>()?;
        let pairs: Vec<(usize, usize)> = (0..orgs.len())
            .flat_map(|i| (i + 1..orgs.len()).map(move |j| (i, j)))
            .collect();
        progress.start(Phase::Match, pairs.len() as u64);
        let mut found: Vec<(String, String, String, String, f64)> = vec![];
        for (i, j) in pairs.iter().copied() {
            let (a, b) = (orgs[i].1.clone(), orgs[j].1.clone());
            let rejected = rejected.clone();
            let matches: Vec<Candidate> = tokio::task::spawn_blocking(move || {
                let mut candidates =
                    find_candidates_blocked(&a.0, &a.1, &b.0, &b.1, DEFAULT_THRESHOLD)?;
                // A pair the coordinator rejected must not keep its records from
                // their next-best match.
                candidates.retain(|c| {
                    !rejected.contains(&ordered(&a.2[c.a as usize], &b.2[c.b as usize]))
                });
                Ok::<_, zakrila_linkage::Error>(greedy_solve(&candidates))
            })
            .await
            .map_err(internal)?
            .map_err(internal)?;
            let (a, b) = (&orgs[i].1, &orgs[j].1);
            for m in matches {
                found.push((
                    a.2[m.a as usize].clone(),
                    orgs[i].0.clone(),
                    b.2[m.b as usize].clone(),
                    orgs[j].0.clone(),
                    m.similarity,
                ));
            }
            progress.advance(1);
        }
        progress.finish(Phase::Match);
        let mut summary = RunSummary {
            persons,
            encoded,
            organisations: orgs.len() as u64,
            organisation_pairs: pairs.len() as u64,
            matches: found.len() as u64,
            queued: 0,
        };
        let at = now_ms();
        let txn = self.begin_write().await?;
        for (case_x, org_x, case_y, org_y, similarity) in found {
            let ((case_a, org_a), (case_b, org_b)) = if case_x < case_y {
                ((case_x, org_x), (case_y, org_y))
            } else {
                ((case_y, org_y), (case_x, org_x))
            };
            if known.contains_key(&(case_a.clone(), case_b.clone())) {
                continue;
            }
            let row = linkage_candidate::ActiveModel {
                id: Set(new_id()),
                case_a: Set(case_a),
                case_b: Set(case_b),
                org_a: Set(org_a),
                org_b: Set(org_b),
                similarity_ppm: Set((similarity * 1_000_000.0).round() as i32),
                schema_id: Set(SCHEMA_ID.to_owned()),
                status: Set(LinkStatus::Pending.as_str().to_owned()),
                created_at: Set(at),
                reviewed_by: Set(None),
                reviewed_at: Set(None),
            };
            // A concurrent run may have queued the same pair: keep theirs.
            let r = linkage_candidate::Entity::insert(row)
                .on_conflict(
                    OnConflict::columns([
                        linkage_candidate::Column::CaseA,
                        linkage_candidate::Column::CaseB,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .try_insert()
                .exec(&txn)
                .await?;
            if matches!(r, sea_orm::TryInsertResult::Inserted(_)) {
                summary.queued += 1;
            }
        }
        audit::append(
            &txn,
            AuditEntry::new(actor, "linkage.run", "linkage").change(&summary),
        )
        .await?;
        txn.commit().await?;
        Ok(summary)
    }
}

fn ordered(x: &str, y: &str) -> (String, String) {
    if x < y {
        (x.to_owned(), y.to_owned())
    } else {
        (y.to_owned(), x.to_owned())
    }
}
