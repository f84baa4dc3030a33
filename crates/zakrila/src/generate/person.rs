//! A generated person and what happened to them, as the raw registration a
//! caseworker would submit: citizenship, sex, age (some children), names in one
//! script or the other, forms of exploitation and the countries involved.

use rand::{Rng, rngs::StdRng, seq::SliceRandom};
use time::{Date, Duration, OffsetDateTime};
use zakrila_domain::case::{RawExploitation, RawIdentification, RawNewCase, RawPerson};

use super::{Orgs, names::*, weighted};
use crate::Failure;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Bulgarian,
    Romanian,
    Moldovan,
    Ukrainian,
    Syrian,
    Iraqi,
    Afghan,
    Pakistani,
    Turkish,
    Nigerian,
}

impl Origin {
    fn country(self) -> &'static str {
        match self {
            Origin::Bulgarian => "BGR",
            Origin::Romanian => "ROU",
            Origin::Moldovan => "MDA",
            Origin::Ukrainian => "UKR",
            Origin::Syrian => "SYR",
            Origin::Iraqi => "IRQ",
            Origin::Afghan => "AFG",
            Origin::Pakistani => "PAK",
            Origin::Turkish => "TUR",
            Origin::Nigerian => "NGA",
        }
    }

    fn languages(self, rng: &mut StdRng) -> Vec<String> {
        let l: &[&str] = match self {
            Origin::Bulgarian if rng.gen_bool(0.1) => &["bg", "rom"],
            Origin::Bulgarian if rng.gen_bool(0.08) => &["bg", "tr"],
            Origin::Bulgarian => &["bg"],
            Origin::Romanian | Origin::Moldovan => &["ro"],
            Origin::Ukrainian if rng.gen_bool(0.4) => &["uk", "ru"],
            Origin::Ukrainian => &["uk"],
            Origin::Syrian | Origin::Iraqi => &["ar"],
            Origin::Afghan if rng.gen_bool(0.4) => &["ps"],
            Origin::Afghan => &["fa"],
            Origin::Pakistani => &["ur"],
            Origin::Turkish => &["tr"],
            Origin::Nigerian => &["en"],
        };
        l.iter().map(|s| (*s).to_owned()).collect()
    }
}

fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// A valid ЕГН for a birth date and sex: the ninth digit is even for men, odd for
/// women; the last is the check digit. Random region digits keep it fictional.
fn egn(rng: &mut StdRng, birth: Date, female: bool) -> String {
    let (y, m) = (birth.year(), birth.month() as i32);
    let month = if y >= 2000 { m + 40 } else { m };
    let mut d: Vec<u32> = format!("{:02}{:02}{:02}", y % 100, month, birth.day())
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    d.push(rng.gen_range(0..10));
    d.push(rng.gen_range(0..10));
    let ninth = rng.gen_range(0..5) * 2 + u32::from(female);
    d.push(ninth);
    let sum: u32 = d
        .iter()
        .zip([2, 4, 8, 5, 10, 9, 7, 3, 6])
        .map(|(a, w)| a * w)
        .sum();
    d.push(sum % 11 % 10);
    d.iter()
        .map(|x| char::from_digit(*x, 10).unwrap_or('0'))
        .collect()
}

/// Names in Latin or Cyrillic, as this person would be written down here.
fn names(rng: &mut StdRng, origin: Origin, female: bool) -> (String, String) {
    match origin {
        Origin::Bulgarian => {
            let latin = rng.gen_bool(0.15);
            let given = if female {
                pick(rng, BG_FEMALE)
            } else {
                pick(rng, BG_MALE)
            };
            let family = pick(rng, BG_FAMILY);
            let family = if female {
                feminine_bg(family)
            } else {
                family.to_owned()
            };
            (cyrillic_in(given, latin), cyrillic_in(&family, latin))
        }
        Origin::Ukrainian => {
            let latin = rng.gen_bool(0.4);
            let given = if female {
                pick(rng, UA_FEMALE)
            } else {
                pick(rng, UA_MALE)
            };
            let family = pick(rng, UA_FAMILY);
            let family = if female {
                feminine_ua(family)
            } else {
                family.to_owned()
            };
            (cyrillic_in(given, latin), cyrillic_in(&family, latin))
        }
        _ => {
            let (f, m, fam, latin_share) = match origin {
                Origin::Romanian | Origin::Moldovan => (RO_FEMALE, RO_MALE, RO_FAMILY, 0.9),
                Origin::Syrian | Origin::Iraqi => (AR_FEMALE, AR_MALE, AR_FAMILY, 0.75),
                Origin::Afghan | Origin::Pakistani => (AF_FEMALE, AF_MALE, AF_FAMILY, 0.75),
                Origin::Turkish => (TR_FEMALE, TR_MALE, TR_FAMILY, 0.8),
                _ => (NG_FEMALE, NG_MALE, NG_FAMILY, 0.9),
            };
            let latin = rng.gen_bool(latin_share);
            let given = pick_pair(rng, if female { f } else { m });
            (pair_in(given, latin), pair_in(pick_pair(rng, fam), latin))
        }
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The registration of one person, at `registered`. May move the owning
/// organisation (`org`) to the child protection agency for a child.
pub(super) fn raw_case(
    rng: &mut StdRng,
    registered: OffsetDateTime,
    orgs: &Orgs,
    org: &mut usize,
    sacp: Option<usize>,
) -> Result<RawNewCase, Failure> {
    use Origin::*;
    let origin = weighted(
        rng,
        &[
            (Bulgarian, 780),
            (Romanian, 40),
            (Ukrainian, 40),
            (Syrian, 30),
            (Afghan, 30),
            (Moldovan, 20),
            (Turkish, 15),
            (Iraqi, 10),
            (Pakistani, 10),
            (Nigerian, 10),
        ],
    );
    let sex = weighted(
        rng,
        &[
            ("female", 700),
            ("male", 285),
            ("other", 5),
            ("unknown", 10),
        ],
    );
    let female = match sex {
        "female" => true,
        "male" => false,
        _ => rng.gen_bool(0.5),
    };
    let today = registered.date();
    // About one in seven is a child, mostly teenagers.
    let (low, high): (i64, i64) = if rng.gen_bool(0.14) {
        weighted(rng, &[((3, 9), 10), ((9, 14), 25), ((14, 18), 65)])
    } else {
        weighted(
            rng,
            &[
                ((18, 24), 35),
                ((24, 30), 25),
                ((30, 40), 25),
                ((40, 65), 15),
            ],
        )
    };
    let age = rng.gen_range(low..high);
    let birth = today - Duration::days(age * 365 + rng.gen_range(1..360));
    let birth_known = rng.gen_bool(0.85);
    let is_child = age < 18;
    if is_child
        && let Some(s) = sacp
        && rng.gen_bool(0.5)
    {
        *org = s;
    }
    let (given, family) = names(rng, origin, female);
    let personal_number = (origin == Bulgarian
        && birth_known
        && rng.gen_bool(0.4)
        && matches!(sex, "female" | "male"))
    .then(|| egn(rng, birth, female));
    let phone = rng.gen_bool(0.5).then(|| {
        format!(
            "+359 8{} {:03} {:04}",
            rng.gen_range(7..=9),
            rng.gen_range(0..1000),
            rng.gen_range(0..10_000)
        )
    });

    let forms: Vec<&str> = if is_child && rng.gen_bool(0.3) {
        vec![
            *["begging", "forced_criminal_activity", "sexual"]
                .choose(rng)
                .unwrap_or(&"begging"),
        ]
    } else {
        let first = weighted(
            rng,
            &[
                ("sexual", 55),
                ("labour", 30),
                ("begging", 6),
                ("forced_criminal_activity", 4),
                ("forced_marriage", 3),
                ("slavery_practices", 1),
                ("other", 1),
            ],
        );
        let mut f = vec![first];
        if rng.gen_bool(0.1) {
            let second = weighted(
                rng,
                &[
                    ("sexual", 30),
                    ("labour", 40),
                    ("forced_criminal_activity", 15),
                    ("begging", 15),
                ],
            );
            if second != first {
                f.push(second);
            }
        }
        f
    };
    let labour_sectors = if forms.contains(&"labour") {
        vec![
            weighted(
                rng,
                &[
                    ("agriculture", 40),
                    ("construction", 25),
                    ("hospitality", 20),
                    ("domestic_work", 10),
                    ("other", 5),
                ],
            )
            .to_owned(),
        ]
    } else {
        vec![]
    };
    let sexual_types = if forms.contains(&"sexual") {
        vec![
            weighted(
                rng,
                &[("prostitution", 90), ("pornography", 7), ("other", 3)],
            )
            .to_owned(),
        ]
    } else {
        vec![]
    };
    let exploitation_country = if origin == Bulgarian {
        weighted(
            rng,
            &[
                ("DEU", 20),
                ("NLD", 12),
                ("GRC", 10),
                ("GBR", 8),
                ("ESP", 7),
                ("FRA", 6),
                ("BEL", 6),
                ("ITA", 5),
                ("AUT", 4),
                ("CYP", 3),
                ("CHE", 3),
                ("POL", 2),
                ("BGR", 14),
            ],
        )
    } else {
        weighted(
            rng,
            &[
                ("BGR", 60),
                ("DEU", 15),
                ("GRC", 10),
                ("AUT", 5),
                ("NLD", 5),
                ("ITA", 5),
            ],
        )
    };
    let transit: Vec<String> = match origin {
        Syrian | Iraqi => vec!["TUR".into()],
        Afghan | Pakistani => strings(&["IRN", "TUR"]),
        _ if exploitation_country == "GBR" && rng.gen_bool(0.5) => vec!["FRA".into()],
        _ => vec![],
    };
    let means_count = rng.gen_range(1..4);
    let means: Vec<&str> = [
        "debt_bondage_earnings",
        "threats",
        "abuse",
        "false_promises",
        "drugs_alcohol",
        "deny_basic_needs",
        "excessive_work_hours",
        "withhold_documents",
    ]
    .choose_multiple(rng, means_count)
    .copied()
    .collect();
    let recruitment = weighted(
        rng,
        &[
            ("job_offer", 45),
            ("romantic_relationship", 25),
            ("online", 10),
            ("marriage_offer", 5),
            ("sold_by_family", 5),
            ("abduction", 2),
            ("other", 8),
        ],
    );
    let relation = match recruitment {
        "romantic_relationship" => "intimate_partner",
        "sold_by_family" => "family",
        _ => weighted(rng, &[("friend", 50), ("other", 40), ("family", 10)]),
    };

    // Identified by the organisation itself, informally, or formally by the police,
    // the prosecution or the child protection agency.
    let identified = rng.gen_bool(0.8);
    let identification = identified.then(|| {
        let formal = rng.gen_bool(0.6);
        let by = if formal {
            weighted(
                rng,
                &[("mvr", 50), ("prb", 20), ("sacp", 15), ("mvr-gdbop", 15)],
            )
            .to_owned()
        } else {
            orgs.slugs[*org].clone()
        };
        RawIdentification {
            kind: if formal {
                "formal".into()
            } else {
                "informal".into()
            },
            by,
            date: date_str(today - Duration::days(rng.gen_range(0..10))),
        }
    });
    let formal = identification.as_ref().is_some_and(|i| i.kind == "formal");
    let stage = match &identification {
        None => "signal",
        Some(_) if formal && rng.gen_bool(0.2) => "reflection",
        Some(_) => weighted(
            rng,
            &[("signal", 45), ("identified", 30), ("assistance", 25)],
        ),
    };
    Ok(RawNewCase {
        person: RawPerson {
            given_name: rng.gen_bool(0.98).then_some(given),
            family_name: Some(family),
            birth_date: birth_known.then(|| date_str(birth)),
            personal_number,
            personal_number_kind: None,
            phone,
            sex: Some(sex.to_owned()),
            citizenship: Some(origin.country().to_owned()),
            languages: origin.languages(rng),
            child: is_child && !birth_known,
            unaccompanied: is_child && origin != Bulgarian && rng.gen_bool(0.6),
            disability: rng.gen_bool(0.04),
        },
        stage: Some(stage.to_owned()),
        identification,
        exploitation: RawExploitation {
            forms: strings(&forms),
            labour_sectors,
            sexual_types,
            means_of_control: strings(&means),
            recruitment: Some(recruitment.to_owned()),
            recruiter_relations: vec![relation.to_owned()],
            countries_of_origin: vec![origin.country().to_owned()],
            transit_countries: transit,
            exploitation_countries: vec![exploitation_country.to_owned()],
            duration_months: rng.gen_bool(0.7).then(|| rng.gen_range(1..48)),
        },
    })
}
