//! Outreach by the mobile teams: consultations in the reception centres and homes
//! (beneficiaries pseudonymous, a case opened from one in the same step), the
//! directory of places (`places`) and events with their participants (`events`).
//! A team member sees its own organisation's consultations only.

mod events;
mod places;

pub use events::{EventBody, EventOut, ParticipantsOut};
pub use places::{PlaceBody, PlaceOut};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    case::{AgeBand, Country, Language, Money, NewCase, RawNewCase, RawPerson, Sex, parse_date},
    outreach::{Profession, Topic, Vulnerability},
    policy::{Action, Resource},
};
use zakrila_store::{entity::consultation, outreach::NewConsultation};

use crate::{
    App, AppError, Authed, Errors,
    case_details::{opt, today},
    cases::{Registered, now},
};

/// What a team records about one consultation. Lists are codes of the
/// vocabularies in `zakrila_domain::outreach`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConsultationBody {
    /// The place's id (from `/api/v1/places`).
    pub place: String,
    /// `YYYY-MM-DD`; today when absent.
    pub held_on: Option<String>,
    /// Professions of the team members: social_worker, psychologist, lawyer, interpreter, doctor.
    pub team: Vec<String>,
    /// The pseudonymous code the team gives the person (no name).
    pub beneficiary_code: String,
    /// female, male, other, unknown.
    pub sex: Option<String>,
    /// 0-8, 9-17, 18-20, … 48+.
    pub age_band: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub citizenship: Option<String>,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    /// legal, psychological, social, health, documents, trafficking_risk.
    pub topics: Vec<String>,
    pub interpreter_language: Option<String>,
    pub duration_min: Option<u32>,
    /// unaccompanied_child, single_parent, violence_survivor, serious_illness, disability, trafficking_indicators.
    pub vulnerabilities: Vec<String>,
    /// Items given, e.g. `hygiene kit: 2`, one per entry.
    pub donations: Vec<String>,
    /// Medical costs paid, BGN (`120,50`).
    pub medical_bgn: Option<String>,
    /// Opens a case for the person in the same step (needs `person`).
    pub open_case: bool,
    /// The person's names when a case is opened.
    pub person: Option<OpenCaseBody>,
}

/// The person's identity, given only when a case is opened from a consultation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OpenCaseBody {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultationOut {
    pub id: String,
    pub place: String,
    pub held_on: String,
    pub team: Vec<String>,
    pub beneficiary_code: String,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub interpreter_language: Option<String>,
    pub duration_min: Option<i32>,
    pub vulnerabilities: Vec<String>,
    pub donations: Vec<String>,
    pub medical_stotinki: Option<i64>,
    /// The case opened from this consultation.
    pub case_id: Option<String>,
}

fn items(s: &str) -> Vec<String> {
    zakrila_store::comma_items(s).map(str::to_owned).collect()
}

impl From<consultation::Model> for ConsultationOut {
    fn from(m: consultation::Model) -> Self {
        ConsultationOut {
            team: items(&m.team),
            languages: items(&m.languages),
            topics: items(&m.topics),
            vulnerabilities: items(&m.vulnerabilities),
            donations: m.donations.lines().map(str::to_owned).collect(),
            id: m.id,
            place: m.place_id,
            held_on: m.held_on,
            beneficiary_code: m.beneficiary_code,
            sex: m.sex,
            age_band: m.age_band,
            citizenship: m.citizenship,
            interpreter_language: m.interpreter_language,
            duration_min: m.duration_min,
            medical_stotinki: m.medical_stotinki,
            case_id: m.case_id,
        }
    }
}

/// Codes of a vocabulary, each parsed, sorted, without repeats, joined by commas.
fn codes<T: Ord + Copy>(
    e: &mut Errors,
    xs: &[String],
    parse: impl Fn(&str) -> Result<T, DomainError>,
    code: impl Fn(T) -> &'static str,
) -> String {
    let mut v: Vec<T> = xs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .filter_map(|s| e.take(parse(s)))
        .collect();
    v.sort();
    v.dedup();
    v.into_iter().map(code).collect::<Vec<_>>().join(",")
}

/// A code the team gives the person: letters, digits and `-`, 2–40 characters.
fn beneficiary_code(e: &mut Errors, s: &str) -> String {
    let s = s.trim().to_uppercase();
    let ok =
        (2..=40).contains(&s.chars().count()) && s.chars().all(|c| c.is_alphanumeric() || c == '-');
    e.check(!ok, "beneficiary_code", "error-beneficiary-code");
    s
}

impl ConsultationBody {
    fn parse(&self, e: &mut Errors) -> NewConsultation {
        let held_on =
            opt(e, self.held_on.as_deref(), |s| parse_date(s, "held_on")).unwrap_or_else(today);
        e.check(held_on > today(), "held_on", "error-date-future");
        let sex = opt(e, self.sex.as_deref(), Sex::parse).unwrap_or(Sex::Unknown);
        let age_band = opt(e, self.age_band.as_deref(), AgeBand::parse);
        let citizenship = opt(e, self.citizenship.as_deref(), Country::parse);
        let interpreter = opt(e, self.interpreter_language.as_deref(), Language::parse);
        let medical = opt(e, self.medical_bgn.as_deref(), |s| {
            Money::parse(s).map_err(|_| DomainError::field("medical_bgn", "error-money-format"))
        });
        e.check(
            self.duration_min.is_some_and(|d| d == 0 || d > 24 * 60),
            "duration_min",
            "error-duration",
        );
        let languages = codes(e, &self.languages, Language::parse, Language::code);
        let team = codes(e, &self.team, Profession::parse, Profession::as_str);
        let topics = codes(e, &self.topics, Topic::parse, Topic::as_str);
        let vulnerabilities = codes(
            e,
            &self.vulnerabilities,
            Vulnerability::parse,
            Vulnerability::as_str,
        );
        e.check(team.is_empty(), "team", "error-team-empty");
        NewConsultation {
            place_id: self.place.trim().to_owned(),
            held_on: held_on.to_string(),
            team,
            beneficiary_code: beneficiary_code(e, &self.beneficiary_code),
            sex: sex.as_str().to_owned(),
            age_band: age_band.map(|a| a.as_str().to_owned()),
            citizenship: citizenship.map(|c| c.code().to_owned()),
            languages,
            topics,
            interpreter_language: interpreter.map(|l| l.code().to_owned()),
            duration_min: self.duration_min.map(|d| d as i32),
            vulnerabilities,
            donations: self
                .donations
                .iter()
                .map(|d| d.trim().replace('\n', " "))
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            medical_stotinki: medical.map(|m| m.stotinki()),
        }
    }
}

/// The case registration a consultation turns into: the names given now, the rest
/// from what the team recorded.
fn new_case_of(c: &NewConsultation, person: &OpenCaseBody) -> Result<NewCase, AppError> {
    let child = matches!(c.age_band.as_deref(), Some("0-8" | "9-17"));
    let flags: Vec<&str> = zakrila_store::comma_items(&c.vulnerabilities).collect();
    let raw = RawNewCase {
        person: RawPerson {
            given_name: person.given_name.clone(),
            family_name: person.family_name.clone(),
            birth_date: person.birth_date.clone(),
            sex: Some(c.sex.clone()),
            citizenship: c.citizenship.clone(),
            languages: zakrila_store::comma_items(&c.languages)
                .map(str::to_owned)
                .collect(),
            child,
            unaccompanied: flags.contains(&"unaccompanied_child"),
            disability: flags.contains(&"disability"),
            ..Default::default()
        },
        ..Default::default()
    };
    Ok(NewCase::parse(raw, now())?)
}

impl App {
    /// Records a consultation; with `open_case`, also registers the person's case in
    /// the same transaction. Bad input stores nothing.
    pub async fn record_consultation(
        &self,
        a: &Authed,
        b: ConsultationBody,
    ) -> Result<(ConsultationOut, Option<Registered>), AppError> {
        a.require(Action::RecordOutreach, &Resource::Org(a.actor.org_id))?;
        let mut e = Errors::default();
        let c = b.parse(&mut e);
        let place_known =
            !c.place_id.is_empty() && self.store.place_by_id(&c.place_id).await?.is_some();
        e.check(!place_known, "place", "error-place-unknown");
        if b.open_case {
            a.require(Action::RegisterCase, &Resource::Org(a.actor.org_id))?;
        }
        e.finish()?;
        let open = match b.open_case {
            true => Some((new_case_of(&c, &b.person.unwrap_or_default())?, now())),
            false => None,
        };
        let (m, r) = self
            .store
            .record_consultation(a.user_uuid(), &a.org.id, c, open)
            .await?;
        Ok((m.into(), r.map(registered)))
    }

    /// The caller's organisation's latest consultations (at most 200).
    pub async fn consultations(&self, a: &Authed) -> Result<Vec<ConsultationOut>, AppError> {
        a.require(Action::ViewOutreach, &Resource::Org(a.actor.org_id))?;
        Ok(self
            .store
            .consultations_of(&a.org.id, 200)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn consultation_for(
        &self,
        a: &Authed,
        id: &str,
        action: Action,
    ) -> Result<consultation::Model, AppError> {
        let m = self
            .store
            .consultation_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let org = uuid::Uuid::parse_str(&m.org_id).map_err(|_| AppError::Internal)?;
        a.require(action, &Resource::Consultation { org })?;
        Ok(m)
    }

    pub async fn consultation(&self, a: &Authed, id: &str) -> Result<ConsultationOut, AppError> {
        Ok(self
            .consultation_for(a, id, Action::ViewOutreach)
            .await?
            .into())
    }

    /// Opens a case for the person of an earlier consultation.
    pub async fn open_case_from_consultation(
        &self,
        a: &Authed,
        id: &str,
        person: OpenCaseBody,
    ) -> Result<Registered, AppError> {
        let m = self.consultation_for(a, id, Action::RecordOutreach).await?;
        a.require(Action::RegisterCase, &Resource::Org(a.actor.org_id))?;
        let c = NewConsultation {
            place_id: m.place_id,
            held_on: m.held_on,
            team: m.team,
            beneficiary_code: m.beneficiary_code,
            sex: m.sex,
            age_band: m.age_band,
            citizenship: m.citizenship,
            languages: m.languages,
            topics: m.topics,
            interpreter_language: m.interpreter_language,
            duration_min: m.duration_min,
            vulnerabilities: m.vulnerabilities,
            donations: m.donations,
            medical_stotinki: m.medical_stotinki,
        };
        let new = new_case_of(&c, &person)?;
        let r = self
            .store
            .open_case_from_consultation(a.user_uuid(), id, new, now())
            .await?;
        Ok(registered(r))
    }
}

fn registered(r: zakrila_store::cases::Registered) -> Registered {
    Registered {
        id: r.case.id,
        code: r.case.code,
        possible_duplicates: r.possible_duplicates,
    }
}
