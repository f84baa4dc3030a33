//! `zakrila generate --signals N` and the demo's signals: realistic, clearly
//! fictional hotline signals of the demo hotline (A21), spread over 2025 and 2026,
//! with their triage, referrals and outcomes decided as a hotline would.

use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use zakrila_domain::{
    case::ExploitationForm,
    municipality::Municipality,
    region::Region,
    signal::{CallerType, Channel, Outcome, Urgency},
};
use zakrila_store::{
    Store,
    signals::{GeneratedSignal, NewSignal},
};

use crate::Failure;

/// The hotline whose queue receives generated signals.
pub const HOTLINE: &str = "a21";
/// Institutions signals are referred to.
const RECEIVERS: &[&str] = &["iom", "animus", "sacp", "mvr"];
const WINDOW_START_MS: i64 = 1_735_689_600_000; // 2025-01-01 00:00 UTC
const WINDOW_MS: i64 = 500 * 86_400_000;
const HOUR: i64 = 3_600_000;

const SUMMARIES: &[&str] = &[
    "Обаждане: позната работи в оранжерия в чужбина, документите ѝ са взети, не ѝ плащат.",
    "Майка съобщава, че дъщеря ѝ не се е обаждала от седмица след заминаване за работа.",
    "Свидетел вижда деца да просят всеки ден на едно и също място, възрастен ги прибира вечер.",
    "Работник се обажда от строителен обект: заплатите не са изплащани три месеца, паспортите са при бригадира.",
    "Въпрос за обява за работа в чужбина с безплатен транспорт и настаняване.",
    "Социален работник съобщава за младо момиче, което е обещано за брак срещу пари.",
    "Анонимно: група мъже живеят в склад и работят по 14 часа без почивен ден.",
];

fn one(rng: &mut StdRng, receivers: &[String]) -> GeneratedSignal {
    let received_at = WINDOW_START_MS + rng.gen_range(0..WINDOW_MS);
    let channel = *[
        (Channel::Phone, 50),
        (Channel::Email, 10),
        (Channel::WebForm, 12),
        (Channel::Chat, 8),
        (Channel::WalkIn, 5),
        (Channel::LabourInspectorate, 8),
        (Channel::LabourInspectorateAbroad, 7),
    ]
    .choose_weighted(rng, |x| x.1)
    .map(|x| &x.0)
    .unwrap_or(&Channel::Phone);
    let urgency = *[
        (Urgency::ImmediateDanger, 8),
        (Urgency::Urgent, 27),
        (Urgency::Routine, 65),
    ]
    .choose_weighted(rng, |x| x.1)
    .map(|x| &x.0)
    .unwrap_or(&Urgency::Routine);
    let rank = match urgency {
        Urgency::ImmediateDanger => 0,
        Urgency::Urgent => 1,
        Urgency::Routine => 2,
    };
    let caller = *CallerType::ALL
        .choose(rng)
        .unwrap_or(&CallerType::Anonymous);
    let location = if rng.gen_bool(0.35) {
        ["DEU", "GBR", "NLD", "FRA", "ESP", "GRC", "CYP"]
            .choose(rng)
            .map(|s| (*s).to_owned())
    } else {
        let regions: Vec<Region> = Region::all().collect();
        regions.choose(rng).map(|r| r.code().to_owned())
    };
    let form = *[
        (ExploitationForm::Labour, 45),
        (ExploitationForm::Sexual, 35),
        (ExploitationForm::Begging, 8),
        (ExploitationForm::ForcedMarriage, 6),
        (ExploitationForm::ForcedCriminalActivity, 6),
    ]
    .choose_weighted(rng, |x| x.1)
    .map(|x| &x.0)
    .unwrap_or(&ExploitationForm::Labour);
    // The municipality follows from the time received, not from the random
    // stream, so that the rest of a seeded generation stays as it was.
    let municipality = location
        .as_deref()
        .and_then(Region::parse)
        .and_then(|r| {
            let ms: Vec<Municipality> = Municipality::of(r).collect();
            ms.get(received_at.unsigned_abs() as usize % ms.len())
                .copied()
        })
        .map(|m| m.code().to_owned());
    let new = NewSignal {
        received_at,
        channel: channel.as_str().to_owned(),
        caller_type: caller.as_str().to_owned(),
        urgency: urgency.as_str().to_owned(),
        urgency_rank: rank,
        location,
        municipality,
        forms: form.as_str().to_owned(),
        persons: Some(rng.gen_range(1..=6)),
        children: rng.gen_bool(0.12),
        summary: SUMMARIES
            .choose(rng)
            .copied()
            .unwrap_or_default()
            .to_owned(),
        contact: None,
    };
    // Most signals are taken within hours, danger within minutes; recent ones may
    // still wait.
    let taken_after = match urgency {
        Urgency::ImmediateDanger => rng.gen_range(5 * 60_000..2 * HOUR),
        Urgency::Urgent => rng.gen_range(HOUR..24 * HOUR),
        Urgency::Routine => rng.gen_range(4 * HOUR..96 * HOUR),
    };
    let stage = rng.gen_range(0..100);
    let mut g = GeneratedSignal {
        new,
        status: "new".to_owned(),
        outcome: None,
        triaged_at: None,
        referred_at: None,
        closed_at: None,
        referred_to: vec![],
    };
    if stage < 5 {
        return g;
    }
    let triaged = received_at + taken_after;
    g.triaged_at = Some(triaged);
    g.status = "triaged".to_owned();
    if stage < 10 {
        return g;
    }
    let refer = stage < 55;
    if refer {
        let referred = triaged + rng.gen_range(HOUR..72 * HOUR);
        g.referred_at = Some(referred);
        g.status = "referred".to_owned();
        let n = rng.gen_range(1..=2).min(receivers.len());
        g.referred_to = receivers
            .choose_multiple(rng, n)
            .map(|o| (o.clone(), rng.gen_bool(0.8)))
            .collect();
        if stage < 20 {
            return g;
        }
    }
    let outcome = if refer {
        Outcome::Referred
    } else {
        *[
            Outcome::InformationGiven,
            Outcome::InformationGiven,
            Outcome::NotTrafficking,
            Outcome::Duplicate,
        ]
        .choose(rng)
        .unwrap_or(&Outcome::InformationGiven)
    };
    g.status = "closed".to_owned();
    g.outcome = Some(outcome.as_str().to_owned());
    g.closed_at = Some(g.referred_at.unwrap_or(triaged) + rng.gen_range(HOUR..240 * HOUR));
    g
}

/// Generates `n` signals of the demo hotline with the seed `seed`.
pub async fn run(store: &Store, n: usize, seed: u64) -> Result<usize, Failure> {
    let hotline = store.org_by_slug(HOTLINE).await?.ok_or_else(|| {
        Failure::usage(format!(
            "неизвестна организация / unknown organisation: {HOTLINE}"
        ))
    })?;
    let mut receivers = vec![];
    for slug in RECEIVERS {
        if let Some(o) = store.org_by_slug(slug).await? {
            receivers.push(o.id);
        }
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut done = 0;
    while done < n {
        let batch: Vec<GeneratedSignal> = (0..(n - done).min(1000))
            .map(|_| one(&mut rng, &receivers))
            .collect();
        done += store.insert_generated_signals(&hotline.id, batch).await?;
    }
    Ok(done)
}
