//! The rows a new case writes (its person and the case), the words of a name and
//! the blind-index tokens and duplicate index made of them: one builder for the
//! single write (`register_case`) and the bulk one (`bulk.rs`), so the generator's
//! rows are the rows a caseworker's registration writes.

use time::Date;
use zakrila_domain::{case::NewCase, translit};

use super::date_str;
use crate::entity::{case, person};

/// The words of names, each normalised and transliterated to Latin: what both the
/// name tokens and the duplicate index are made of, for single and bulk writes.
pub(crate) fn name_words(names: &[Option<&str>]) -> Vec<String> {
    names
        .iter()
        .flatten()
        .flat_map(|n| {
            translit::normalise_name(n)
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The name tokens of `words` (sorted, without repeats), `index` being the blind
/// index of the `person_name` domain.
pub(crate) fn tokens_of(words: &[String], index: impl Fn(&str) -> String) -> Vec<String> {
    let mut out: Vec<String> = words.iter().map(|w| index(w)).collect();
    out.sort();
    out.dedup();
    out
}

/// The duplicate index of a person's name words and birth date (none without
/// either), `index` being the blind index of the `person_dup` domain.
pub(crate) fn dup_of(
    mut words: Vec<String>,
    birth: Option<Date>,
    index: impl Fn(&str) -> String,
) -> Option<String> {
    let birth = birth?;
    if words.is_empty() {
        return None;
    }
    // Order-free, so swapped given and family names still meet.
    words.sort();
    Some(index(&format!("{}|{}", words.join(" "), birth)))
}

/// The given and family name of an identity, as the name words take them.
pub(crate) fn names_of(identity: &zakrila_domain::case::Identity) -> [Option<&str>; 2] {
    [
        identity.given_name.as_ref().map(|n| n.as_str()),
        identity.family_name.as_ref().map(|n| n.as_str()),
    ]
}

/// The `persons` row of a new case, for single and bulk writes alike: `enc`
/// encrypts an identity column's value.
pub(crate) fn person_row(
    person_id: String,
    org_id: &str,
    new: &NewCase,
    dup_index: Option<String>,
    created_at: i64,
    mut enc: impl FnMut(&'static str, Option<&str>) -> Option<String>,
) -> person::Model {
    let id = &new.identity;
    let [given, family] = names_of(id);
    let birth = id.birth_date.map(|b| date_str(b.date()));
    person::Model {
        given_name: enc("given_name", given),
        family_name: enc("family_name", family),
        birth_date: enc("birth_date", birth.as_deref()),
        personal_number: enc(
            "personal_number",
            id.personal_number.as_ref().map(|n| n.as_str()),
        ),
        phone: enc("phone", id.phone.as_ref().map(|n| n.as_str())),
        id: person_id,
        org_id: org_id.to_owned(),
        dup_index,
        sex: new.profile.sex.as_str().to_owned(),
        birth_year: id.birth_date.map(|b| b.date().year()),
        age_band: new.profile.age_band.map(|a| a.as_str().to_owned()),
        citizenship: new.profile.citizenship.map(|c| c.code().to_owned()),
        languages: new
            .profile
            .languages
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(","),
        is_child: new.profile.child,
        unaccompanied: new.profile.unaccompanied,
        disability: new.profile.disability,
        created_at,
    }
}

/// The `cases` row of a new case as registered (version 1, in its first stage),
/// for single and bulk writes alike.
pub(crate) fn case_row(
    case_id: String,
    code: String,
    person_id: String,
    org_id: &str,
    new: &NewCase,
    created_by: String,
    at: i64,
) -> case::Model {
    let ident = new.identification.as_ref();
    case::Model {
        id: case_id,
        code,
        person_id,
        org_id: org_id.to_owned(),
        stage: new.stage.as_str().to_owned(),
        closure_reason: None,
        identification_kind: ident.map(|i| i.kind.as_str().to_owned()),
        identified_by: ident.map(|i| i.by.as_str().to_owned()),
        identified_on: ident.map(|i| date_str(i.date)),
        reflection_ends: new.reflection_ends.map(date_str),
        exploitation: serde_json::to_string(&new.exploitation).unwrap_or_else(|_| "{}".into()),
        forms: new
            .exploitation
            .forms
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(","),
        risk_level: None,
        child_mechanism: false,
        version: 1,
        created_by,
        created_at: at,
        updated_at: at,
        stage_changed_at: at,
        external_ref: None,
    }
}
