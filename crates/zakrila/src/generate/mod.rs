//! `zakrila generate`: fills a database with realistic, clearly fictional cases for
//! benchmarks, demos and the statistics and linkage work.
//!
//! Every case is built as a raw registration and parsed by `NewCase::parse`, and its
//! history is replayed through the stage machine by the store, so generated data
//! obeys the rules a caseworker's input does. Registrations fall between 2019 and
//! mid-2026 (a fixed window, so a seed gives the same data on any day); a seed gives
//! the same persons, cases and histories (ids and ciphertexts differ, being random).
//!
//! Speed: batches are generated and encrypted on a second thread (encryption on every
//! core) while the previous batch is written in one transaction.

mod names;
mod person;
pub mod signals;

use indicatif::{ProgressBar, ProgressStyle};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use time::{Duration, OffsetDateTime, macros::datetime};
use zakrila_domain::case::{
    ClosureReason, ConsentKind, ConsentState, DeclineReason, NewCase, ReferralStatus, RiskLevel,
    ServiceStatus, Stage,
};
use zakrila_store::{
    Store,
    cases::{BulkCase, BulkMove, BulkReferral, BulkReport, BulkService},
};

use crate::Failure;

/// Organisations that receive generated cases unless `--org` says otherwise.
pub const DEFAULT_ORGS: &[&str] = &[
    "iom",
    "a21",
    "animus",
    "dignita",
    "sacp",
    "open-doors",
    "demetra",
    "sos-families",
];

const WINDOW_START: OffsetDateTime = datetime!(2019-01-01 08:00 UTC);
const WINDOW_END: OffsetDateTime = datetime!(2026-06-30 18:00 UTC);
const BATCH: usize = 10_000;
const DAY_MS: i64 = 86_400_000;

/// Organisations by slug, with their ids.
#[derive(Clone)]
struct Orgs {
    slugs: Vec<String>,
    ids: Vec<String>,
}

impl Orgs {
    fn index_of(&self, slug: &str) -> Option<usize> {
        self.slugs.iter().position(|s| s == slug)
    }
}

/// Generates `n` cases into the store with a progress bar; returns what was written.
pub async fn run(
    store: &Store,
    n: usize,
    seed: u64,
    orgs: &[String],
    progress: bool,
) -> Result<BulkReport, Failure> {
    let orgs = resolve_orgs(store, orgs).await?;
    let key_id = store.current_key_id().await?;
    let bar = if progress {
        ProgressBar::new(n as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} случаи / cases ({per_sec}, ETA {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Two batches ahead at most: enough to keep the writer busy, little memory.
    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let producer_store = store.clone();
    let producer = std::thread::spawn(move || {
        let mut start = 0;
        let mut batch_no = 0u64;
        while start < n {
            let len = BATCH.min(n - start);
            let cases = generate_batch(seed, batch_no, start, len, n, &orgs);
            let prepared = cases.and_then(|c| {
                producer_store
                    .prepare_bulk(key_id, None, c)
                    .map_err(Failure::from)
            });
            if tx.blocking_send(prepared).is_err() {
                return;
            }
            start += len;
            batch_no += 1;
        }
    });
    let mut total = BulkReport::default();
    while let Some(prepared) = rx.recv().await {
        let r = store.insert_bulk(None, prepared?).await?;
        bar.inc(r.cases as u64);
        total.add(r);
    }
    let _ = producer.join();
    bar.finish();
    Ok(total)
}

/// The `generate` subcommand: generates, then says what was written and how fast.
pub async fn cli(
    store: &Store,
    n: usize,
    signals: usize,
    seed: u64,
    orgs: &[String],
) -> Result<(), Failure> {
    // A fresh database gets its organisations and administrator, as `serve` would
    // (opening the store already did, and handed the password over in a file).
    store.first_start().await?;
    if signals > 0 {
        let made = signals::run(store, signals, seed).await?;
        println!("Създадени {made} сигнала / Generated {made} signals.");
    }
    if n == 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    // Into an empty database, the secondary indexes are built once at the end.
    let deferred = store.defer_indexes().await?;
    let r = run(store, n, seed, orgs, true).await;
    let indexing = std::time::Instant::now();
    store.restore_indexes(deferred).await?;
    let indexing = indexing.elapsed().as_secs_f64();
    let r = r?;
    let secs = started.elapsed().as_secs_f64();
    println!("Индексите построени за {indexing:.1} s / Indexes built in {indexing:.1} s.");
    println!(
        "Създадени {} случая за {secs:.1} s / Generated {} cases in {secs:.1} s ({:.0}/s): {} stage changes, {} consents, {} referrals, {} services.",
        r.cases,
        r.cases,
        r.cases as f64 / secs.max(1e-9),
        r.stage_changes,
        r.consents,
        r.referrals,
        r.services
    );
    Ok(())
}

/// The seed of the demo records: chosen so the dozen cases include referrals both
/// ways, consents and services.
const DEMO_SEED: u64 = 2025;
pub const DEMO_CASES: usize = 12;

/// `serve --demo`: a dozen clearly fictional cases of IOM and A21, only into a
/// database without cases. Returns how many were made.
pub async fn demo(store: &Store) -> Result<BulkReport, Failure> {
    use zakrila_store::{
        entity::case,
        sea_orm::{EntityTrait, QuerySelect},
    };
    if store
        .read_one(case::Entity::find().limit(1))
        .await
        .map_err(|e| Failure::found(e.to_string()))?
        .is_some()
    {
        return Ok(BulkReport::default());
    }
    run(
        store,
        DEMO_CASES,
        DEMO_SEED,
        &["iom".to_owned(), "a21".to_owned()],
        false,
    )
    .await
}

async fn resolve_orgs(store: &Store, slugs: &[String]) -> Result<Orgs, Failure> {
    let slugs: Vec<String> = if slugs.is_empty() {
        DEFAULT_ORGS.iter().map(|s| (*s).to_owned()).collect()
    } else {
        slugs.to_vec()
    };
    let mut ids = Vec::new();
    for s in &slugs {
        let o = store.org_by_slug(s).await?.ok_or_else(|| {
            Failure::usage(format!(
                "неизвестна организация / unknown organisation: {s}"
            ))
        })?;
        ids.push(o.id);
    }
    if slugs.len() < 2 {
        return Err(Failure::usage(
            "посочете поне две организации (за насочванията) / name at least two organisations (for referrals)",
        ));
    }
    Ok(Orgs { slugs, ids })
}

/// One batch, from its own seeded generator, so batches could be made in any order.
fn generate_batch(
    seed: u64,
    batch_no: u64,
    start: usize,
    len: usize,
    n: usize,
    orgs: &Orgs,
) -> Result<Vec<BulkCase>, Failure> {
    let mut rng = StdRng::seed_from_u64(seed ^ batch_no.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let span = (WINDOW_END - WINDOW_START).whole_milliseconds() as i64;
    (start..start + len)
        .map(|i| {
            // Registrations spread evenly over the window, in order, with jitter.
            let base = WINDOW_START.unix_timestamp() * 1000 + span / n.max(1) as i64 * i as i64;
            let at = base + rng.gen_range(0..(span / n.max(1) as i64).max(1));
            one_case(&mut rng, at, orgs)
        })
        .collect()
}

fn ms_to_time(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).unwrap_or(WINDOW_END)
}

/// Picks by weight: `(value, weight)` pairs.
fn weighted<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (v, w) in items {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

fn one_case(rng: &mut StdRng, registered_at: i64, orgs: &Orgs) -> Result<BulkCase, Failure> {
    let registered = ms_to_time(registered_at);
    let sacp = orgs.index_of("sacp");
    let mut org = rng.gen_range(0..orgs.ids.len());
    let raw = person::raw_case(rng, registered, orgs, &mut org, sacp)?;
    let new = NewCase::parse(raw, registered).map_err(|e| {
        Failure::found(format!(
            "generated case refused: {:?}",
            e.first().map(|e| e.key)
        ))
    })?;
    let child = new.profile.child;
    // A child's return waits for the coordination mechanism; most have it engaged.
    let child_mechanism = child && rng.gen_bool(0.95);
    let now_limit = WINDOW_END.unix_timestamp() * 1000;

    // The path this case has come along, cut short where it reaches the window's end.
    let mut moves = Vec::new();
    let mut stage = new.stage;
    let mut t = registered_at;
    let target = weighted(
        rng,
        &[
            (Stage::Signal, 6),
            (Stage::Identified, 6),
            (Stage::Reflection, 4),
            (Stage::Assistance, 26),
            (Stage::Return, 8),
            (Stage::Reintegration, 18),
            (Stage::Closed, 32),
        ],
    );
    let with_return = (target == Stage::Return
        || (rng.gen_bool(0.35) && target != Stage::Assistance))
        && (!child || child_mechanism);
    let formal = new
        .identification
        .as_ref()
        .is_some_and(|i| i.kind == zakrila_domain::case::IdentificationKind::Formal);
    while stage != target && stage != Stage::Closed {
        let next = match stage {
            Stage::Signal
                if new.identification.is_none()
                    || target == Stage::Closed && rng.gen_bool(0.15) =>
            {
                Stage::Closed
            }
            Stage::Signal => Stage::Identified,
            Stage::Identified if target == Stage::Reflection || (formal && rng.gen_bool(0.5)) => {
                if formal {
                    Stage::Reflection
                } else {
                    Stage::Assistance
                }
            }
            Stage::Identified => Stage::Assistance,
            Stage::Reflection => Stage::Assistance,
            Stage::Assistance if target == Stage::Closed && rng.gen_bool(0.25) => Stage::Closed,
            Stage::Assistance if with_return => Stage::Return,
            Stage::Assistance => Stage::Reintegration,
            Stage::Return => Stage::Reintegration,
            Stage::Reintegration => Stage::Closed,
            Stage::Closed => break,
        };
        let step = match next {
            Stage::Reintegration => rng.gen_range(20..120),
            Stage::Closed => rng.gen_range(30..300),
            _ => rng.gen_range(1..40),
        } * DAY_MS;
        if t + step > now_limit {
            break;
        }
        t += step;
        let closure_reason = (next == Stage::Closed).then(|| match stage {
            Stage::Reintegration => weighted(
                rng,
                &[
                    (ClosureReason::Reintegrated, 80),
                    (ClosureReason::LostContact, 10),
                    (ClosureReason::Transferred, 10),
                ],
            ),
            Stage::Signal => weighted(
                rng,
                &[
                    (ClosureReason::NotAVictim, 60),
                    (ClosureReason::LostContact, 25),
                    (ClosureReason::DeclinedAssistance, 15),
                ],
            ),
            _ => weighted(
                rng,
                &[
                    (ClosureReason::AssistanceCompleted, 40),
                    (ClosureReason::DeclinedAssistance, 25),
                    (ClosureReason::LostContact, 25),
                    (ClosureReason::Transferred, 8),
                    (ClosureReason::Other, 2),
                ],
            ),
        });
        moves.push(BulkMove {
            to: next,
            at: t,
            closure_reason,
        });
        stage = next;
    }
    let last = t;

    // Consent is asked at the first meeting; a few withdraw it later.
    let mut consents = Vec::new();
    let first_meeting = registered_at + rng.gen_range(0..3) * DAY_MS;
    for (kind, p) in [
        (ConsentKind::Assistance, 0.92),
        (ConsentKind::DataSharing, 0.6),
        (ConsentKind::Referral, 0.55),
        (ConsentKind::PoliceContact, 0.4),
    ] {
        if rng.gen_bool(p) {
            consents.push((kind, ConsentState::Given, first_meeting));
            if rng.gen_bool(0.03) {
                consents.push((
                    kind,
                    ConsentState::Withdrawn,
                    first_meeting + rng.gen_range(5..90) * DAY_MS,
                ));
            }
        }
    }
    let referral_consent_until = consents
        .iter()
        .filter(|(k, s, _)| *k == ConsentKind::Referral && *s == ConsentState::Withdrawn)
        .map(|(_, _, at)| *at)
        .min()
        .unwrap_or(i64::MAX);
    let has_referral_consent = consents
        .iter()
        .any(|(k, s, _)| *k == ConsentKind::Referral && *s == ConsentState::Given);

    let assisted = !matches!(stage, Stage::Signal | Stage::Identified)
        || moves.iter().any(|m| m.to == Stage::Assistance);
    let services_catalogue = [
        "psychological",
        "counselling",
        "medical",
        "legal",
        "social_assistance",
        "humanitarian_package",
        "needs_risk_assessment",
        "safe_transport",
        "job_search",
        "education",
        "follow_up",
        "return",
        "reintegration",
    ];
    let mut referrals = Vec::new();
    let mut services = Vec::new();
    if has_referral_consent && rng.gen_bool(0.3) {
        for _ in 0..weighted(rng, &[(1, 85), (2, 15)]) {
            let mut to = rng.gen_range(0..orgs.ids.len());
            if to == org {
                to = (to + 1) % orgs.ids.len();
            }
            let created = first_meeting + rng.gen_range(1..30) * DAY_MS;
            if created >= referral_consent_until || created > now_limit {
                continue;
            }
            let status = weighted(
                rng,
                &[
                    (ReferralStatus::Accepted, 50),
                    (ReferralStatus::Completed, 20),
                    (ReferralStatus::Pending, 15),
                    (ReferralStatus::Declined, 10),
                    (ReferralStatus::Revoked, 5),
                ],
            );
            let code = *services_catalogue.choose(rng).unwrap_or(&"counselling");
            referrals.push(BulkReferral {
                to_org: orgs.ids[to].clone(),
                purpose: purpose(code).to_owned(),
                service_code: Some(code.to_owned()),
                status,
                decline_reason: (status == ReferralStatus::Declined).then(|| {
                    weighted(
                        rng,
                        &[
                            (DeclineReason::NoCapacity, 40),
                            (DeclineReason::OutOfScope, 25),
                            (DeclineReason::PersonRefused, 20),
                            (DeclineReason::NotEligible, 10),
                            (DeclineReason::Other, 5),
                        ],
                    )
                }),
                created_at: created,
                updated_at: if status == ReferralStatus::Pending {
                    created
                } else {
                    created + rng.gen_range(1..10) * DAY_MS
                },
            });
            // An accepted partner provides the service it was asked for.
            if matches!(status, ReferralStatus::Accepted | ReferralStatus::Completed) {
                services.push(service(
                    rng,
                    code,
                    &orgs.ids[to],
                    created + DAY_MS,
                    status == ReferralStatus::Completed,
                ));
            }
        }
    }
    if assisted {
        for _ in 0..weighted(rng, &[(0, 15), (1, 35), (2, 30), (3, 15), (4, 5)]) {
            let code = *services_catalogue.choose(rng).unwrap_or(&"counselling");
            let at = registered_at + rng.gen_range(0..60) * DAY_MS;
            services.push(service(
                rng,
                code,
                &orgs.ids[org],
                at.min(last.max(registered_at)),
                stage == Stage::Closed,
            ));
        }
    }
    let risk_level = rng.gen_bool(0.7).then(|| {
        weighted(
            rng,
            &[
                (RiskLevel::Low, 30),
                (RiskLevel::Medium, 40),
                (RiskLevel::High, 22),
                (RiskLevel::Critical, 8),
            ],
        )
    });
    Ok(BulkCase {
        org_id: orgs.ids[org].clone(),
        new,
        registered_at,
        moves,
        child_mechanism,
        risk_level,
        consents,
        services,
        referrals,
        external_ref: None,
    })
}

fn service(
    rng: &mut StdRng,
    code: &str,
    provider: &str,
    created_at: i64,
    finished: bool,
) -> BulkService {
    let created = ms_to_time(created_at).date();
    let status = if finished {
        weighted(
            rng,
            &[
                (ServiceStatus::Delivered, 85),
                (ServiceStatus::Cancelled, 15),
            ],
        )
    } else {
        weighted(
            rng,
            &[
                (ServiceStatus::Planned, 25),
                (ServiceStatus::InProgress, 30),
                (ServiceStatus::Delivered, 40),
                (ServiceStatus::Cancelled, 5),
            ],
        )
    };
    let due = created + Duration::days(rng.gen_range(7..90));
    let start =
        (status != ServiceStatus::Planned).then(|| created + Duration::days(rng.gen_range(0..7)));
    let end = matches!(status, ServiceStatus::Delivered | ServiceStatus::Cancelled)
        .then(|| start.unwrap_or(created) + Duration::days(rng.gen_range(1..60)));
    BulkService {
        service_code: code.to_owned(),
        provider_org: provider.to_owned(),
        status,
        start_date: start,
        due_date: Some(due),
        end_date: end,
        cost_stotinki: rng
            .gen_bool(0.6)
            .then(|| rng.gen_range(20..3_000) * 100 + rng.gen_range(0..100)),
        created_at,
    }
}

/// The purpose written on a referral: Bulgarian first, English second.
fn purpose(service_code: &str) -> &'static str {
    match service_code {
        "psychological" => "Психологическа подкрепа / Psychological support",
        "counselling" => "Консултиране / Counselling",
        "medical" => "Медицинска помощ / Medical care",
        "legal" => "Правна помощ / Legal aid",
        "social_assistance" => "Социално подпомагане / Social assistance",
        "humanitarian_package" => "Хуманитарен пакет / Humanitarian package",
        "needs_risk_assessment" => "Оценка на нуждите и риска / Needs and risk assessment",
        "safe_transport" => "Безопасен транспорт / Safe transport",
        "job_search" => "Търсене на работа / Job search",
        "education" => "Образование / Education",
        "return" => "Безопасно завръщане / Safe return",
        "reintegration" => "Реинтеграция / Reintegration",
        _ => "Последващо наблюдение / Follow-up",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs() -> Orgs {
        let slugs: Vec<String> = DEFAULT_ORGS.iter().map(|s| (*s).to_owned()).collect();
        Orgs {
            ids: slugs.clone(),
            slugs,
        }
    }

    #[test]
    fn every_generated_registration_is_valid_and_a_seed_repeats_itself() {
        let a = generate_batch(7, 0, 0, 3_000, 3_000, &orgs()).unwrap();
        let b = generate_batch(7, 0, 0, 3_000, 3_000, &orgs()).unwrap();
        assert_eq!(
            a.iter().map(|c| &c.new).collect::<Vec<_>>(),
            b.iter().map(|c| &c.new).collect::<Vec<_>>()
        );
        assert!(a.iter().any(|c| c.new.profile.child));
        assert!(
            a.iter()
                .any(|c| c.moves.last().is_some_and(|m| m.to == Stage::Closed))
        );
        assert!(a.iter().any(|c| !c.referrals.is_empty()));
        let latin = a
            .iter()
            .filter(|c| {
                c.new
                    .identity
                    .family_name
                    .as_ref()
                    .is_some_and(|n| n.as_str().is_ascii())
            })
            .count();
        assert!(
            latin > 100 && latin < 2_000,
            "both scripts: {latin} Latin of 3000"
        );
    }

    #[test]
    fn every_listed_name_is_a_valid_name() {
        use zakrila_domain::case::PersonName;
        for n in names::family_names() {
            PersonName::parse(&n).unwrap_or_else(|_| panic!("{n}"));
        }
    }
}
