//! A case's detailed records beyond registration: needs and risk assessments and
//! the safe return, plus the whole details section the case page shows (which also
//! draws on `reintegration`, `child`, `proceedings` and the erasure record). Reading needs `ViewCase`,
//! every change `EditCase`, both asked once through `App::case_for`.
//!
//! Inputs are what the API takes as JSON and what the page forms are translated
//! into, so both paths apply the same rules; every field error is reported at once.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    case::{
        Assessment, AssessmentDomain, AssessmentItem, Country, Escort, NeedScore, Stage, Transport,
        TravelDocument, parse_date,
    },
    policy::Action,
};
use zakrila_store::{
    cases::{ReturnTrip, assessment_items},
    entity::{case, case_assessment, case_return, person},
    free_text::{RETURN_FROM_CITY, TextReader},
};

use crate::{
    App, AppError, Authed, Errors,
    access::held_case_resource,
    child::ChildOut,
    proceedings::{OffenderOut, ProceedingsOut},
    reintegration::{FollowUpOut, GoalOut},
};

/// What reading a case record asks: with its sealed free text, the right to see
/// identities.
pub(crate) fn identity_action(identity: bool) -> Action {
    if identity {
        Action::ViewIdentity
    } else {
        Action::ViewCase
    }
}

/// Today's date in Sofia (a day there begins two or three hours before UTC's),
/// the bound for dates of things that already happened and "today" of occupancy
/// and deadlines.
pub(crate) fn today() -> Date {
    zakrila_domain::case::sofia_date(crate::now_ms())
        .unwrap_or_else(|| OffsetDateTime::now_utc().date())
}

/// An optional value: empty or absent is `None`, anything else must parse.
pub(crate) fn opt<T>(
    e: &mut Errors,
    s: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Option<T> {
    let s = s.map(str::trim).filter(|s| !s.is_empty())?;
    e.take(parse(s))
}

/// An optional date that cannot lie in the future (something that already happened).
pub(crate) fn past_date(e: &mut Errors, s: Option<&str>, field: &'static str) -> Option<Date> {
    let d = opt(e, s, |s| parse_date(s, field))?;
    e.check(d > today(), field, "error-date-future");
    (d <= today()).then_some(d)
}

/// `Ok(v)` when no error was kept and the value was built.
pub(crate) fn finish<T>(e: Errors, v: Option<T>) -> Result<T, AppError> {
    e.finish()?;
    v.ok_or(AppError::Invalid(vec![]))
}

// ---------------------------------------------------------------- assessments

/// One assessed domain.
#[derive(Deserialize, Serialize, ToSchema, Clone, Debug)]
pub struct ItemBody {
    /// safety, health, psychological, housing, legal, finances, family, employment.
    pub domain: String,
    /// 0 no need, 1 low, 2 serious, 3 urgent.
    pub score: u8,
}

#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct AssessmentBody {
    /// `YYYY-MM-DD`; today when absent.
    pub on: Option<String>,
    /// Each domain at most once; domains left out were not assessed.
    pub items: Vec<ItemBody>,
    /// The case's version read; a different current version is a conflict (409).
    pub version: Option<i32>,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AssessmentOut {
    pub id: String,
    pub on: String,
    pub items: Vec<ItemBody>,
    pub risk_level: String,
    pub created_at: i64,
}

impl From<case_assessment::Model> for AssessmentOut {
    fn from(m: case_assessment::Model) -> Self {
        let items = assessment_items(&m)
            .into_iter()
            .map(|i| ItemBody {
                domain: i.domain.as_str().to_owned(),
                score: i.score.value(),
            })
            .collect();
        AssessmentOut {
            id: m.id,
            on: m.assessed_on,
            items,
            risk_level: m.risk_level,
            created_at: m.created_at,
        }
    }
}

impl AssessmentBody {
    fn parse(&self) -> Result<Assessment, AppError> {
        let mut e = Errors::default();
        let on = match self.on.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => past_date(&mut e, Some(s), "on"),
            None => Some(today()),
        };
        let items: Vec<AssessmentItem> = self
            .items
            .iter()
            .filter_map(|i| {
                let domain = e.take(AssessmentDomain::parse(&i.domain));
                let score = e.take(NeedScore::parse(i.score));
                Some(AssessmentItem {
                    domain: domain?,
                    score: score?,
                })
            })
            .collect();
        let a = on.and_then(|on| e.take(Assessment::new(on, items)));
        finish(e, a)
    }
}

// ---------------------------------------------------------------- safe return

#[derive(Deserialize, ToSchema, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// ISO 3166-1 alpha-3 country the person returns from.
    pub from_country: String,
    /// The place the person returns from (kept in the vault): absent keeps the
    /// stored one, "" clears it.
    pub from_city: Option<String>,
    /// `YYYY-MM-DD`; may be planned ahead.
    pub travel_date: Option<String>,
    /// none, iom, ngo, police, social_worker, family.
    pub escort: Option<String>,
    /// passport, id_card, temporary_passport, none.
    pub documents: Option<String>,
    /// air, bus, train, car, other.
    pub transport: Option<String>,
    /// The record's version read; absent only when creating it.
    pub version: Option<i32>,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ReturnOut {
    pub from_country: String,
    /// The place the person returns from: kept in the vault, so present only on an
    /// audited identity read (`?identity=true`, the case page with the identity).
    pub from_city: Option<String>,
    /// A place is recorded (whether or not it is shown).
    pub from_city_recorded: bool,
    pub travel_date: Option<String>,
    pub escort: Option<String>,
    pub documents: Option<String>,
    pub transport: Option<String>,
    pub version: i32,
}

impl From<case_return::Model> for ReturnOut {
    fn from(m: case_return::Model) -> Self {
        ReturnOut {
            from_country: m.from_country,
            from_city: None,
            from_city_recorded: m.from_city.is_some(),
            travel_date: m.travel_date,
            escort: m.escort,
            documents: m.documents,
            transport: m.transport,
            version: m.version,
        }
    }
}

impl ReturnOut {
    /// The stored record; the place opened only with a reader, which records the
    /// read.
    pub(crate) fn of(
        m: case_return::Model,
        texts: Option<&mut TextReader<'_>>,
    ) -> Result<Self, AppError> {
        let from_city = match texts {
            Some(t) => t.open(&m.case_id, RETURN_FROM_CITY, &m.id, m.from_city.as_deref())?,
            None => None,
        };
        let mut out = ReturnOut::from(m);
        out.from_city = from_city;
        Ok(out)
    }
}

impl ReturnBody {
    fn parse(&self) -> Result<ReturnTrip, AppError> {
        let mut e = Errors::default();
        let from_country = e.take(Country::parse(&self.from_country));
        let travel_date = opt(&mut e, self.travel_date.as_deref(), |s| {
            parse_date(s, "travel_date")
        });
        let escort = opt(&mut e, self.escort.as_deref(), Escort::parse);
        let documents = opt(&mut e, self.documents.as_deref(), TravelDocument::parse);
        let transport = opt(&mut e, self.transport.as_deref(), Transport::parse);
        let from_city = self.from_city.clone();
        finish(
            e,
            from_country.map(|from_country| ReturnTrip {
                from_country,
                from_city,
                travel_date,
                escort,
                documents,
                transport,
            }),
        )
    }
}

// ---------------------------------------------------------------- the page section

/// Whatever names a case by its id: the id itself, or a case row an operation of
/// this crate handed out. Lets a page pass what it holds without naming store types.
pub trait CaseId {
    fn case_id(&self) -> &str;
}

impl CaseId for str {
    fn case_id(&self) -> &str {
        self
    }
}

impl CaseId for String {
    fn case_id(&self) -> &str {
        self
    }
}

impl CaseId for case::Model {
    fn case_id(&self) -> &str {
        &self.id
    }
}

/// Everything the case page's details section shows, with what the caller may do.
#[derive(Debug, Clone)]
pub struct DetailsSection {
    pub case_id: String,
    pub case_version: i32,
    pub can_edit: bool,
    pub can_erase: bool,
    pub can_see_identity: bool,
    pub closed: bool,
    /// The case's current risk level code, from its latest assessment.
    pub risk_level: Option<String>,
    /// When the personal data were erased (ms since the epoch).
    pub erased_at: Option<i64>,
    pub assessments: Vec<AssessmentOut>,
    pub return_trip: Option<ReturnOut>,
    pub goals: Vec<GoalOut>,
    pub follow_ups: Vec<FollowUpOut>,
    /// Only for a child's case.
    pub child: Option<ChildOut>,
    pub proceedings: Vec<ProceedingsOut>,
    pub offenders: Vec<OffenderOut>,
}

impl App {
    /// The case's assessments, newest first.
    pub async fn assessments(&self, a: &Authed, id: &str) -> Result<Vec<AssessmentOut>, AppError> {
        let c = self.case_for(a, id, Action::ViewCase).await?;
        self.assessments_of(&c.id).await
    }

    pub(crate) async fn assessments_of(
        &self,
        case_id: &str,
    ) -> Result<Vec<AssessmentOut>, AppError> {
        let rows = self.store.assessments_of_case(case_id).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Records a needs and risk assessment (earlier ones are kept) and sets the
    /// case's risk level from it.
    pub async fn assess(
        &self,
        a: &Authed,
        id: &str,
        b: AssessmentBody,
    ) -> Result<AssessmentOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let parsed = b.parse()?;
        let m = self
            .store
            .add_assessment(a.user_uuid(), &c.id, b.version, &parsed)
            .await?;
        Ok(m.into())
    }

    /// The safe return, if one is recorded; with `identity` the place the person
    /// returns from too, which needs the right to see identities and is an audited
    /// read.
    pub async fn return_trip(
        &self,
        a: &Authed,
        id: &str,
        identity: bool,
    ) -> Result<Option<ReturnOut>, AppError> {
        let c = self.case_for(a, id, identity_action(identity)).await?;
        let mut texts = self.store.text_reader();
        let out = match self.store.return_of_case(&c.id).await? {
            Some(m) => Some(ReturnOut::of(m, identity.then_some(&mut texts))?),
            None => None,
        };
        texts.record(a.user_uuid(), "api").await?;
        Ok(out)
    }

    /// Records or updates the safe return (optimistic: the version read).
    pub async fn save_return(
        &self,
        a: &Authed,
        id: &str,
        b: ReturnBody,
    ) -> Result<ReturnOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let r = b.parse()?;
        let m = self
            .store
            .save_return(a.user_uuid(), &c.id, b.version, r)
            .await?;
        Ok(m.into())
    }

    /// The case page's details section for case `id`. `identity_shown` when the page
    /// made an audited identity read, so the guardian may be shown (and its read
    /// audited) with it. One statement loads the case with its person, then one per
    /// record kind: at most 11 (a child's case adds the child record, the guardian
    /// read and the proposals).
    pub async fn details_section(
        &self,
        a: &Authed,
        id: &str,
        identity_shown: bool,
    ) -> Result<DetailsSection, AppError> {
        let (c, p) = self.case_and_person_for(a, id, Action::ViewCase).await?;
        self.details_of(a, &c, &p, identity_shown).await
    }

    /// `details_section` for a case (and its person) the caller already loaded for
    /// `ViewCase` through `case_for`: for the case page's own aggregate.
    pub async fn details_of(
        &self,
        a: &Authed,
        c: &case::Model,
        p: &person::Model,
        identity_shown: bool,
    ) -> Result<DetailsSection, AppError> {
        let res = held_case_resource(a, c);
        // Sealed text is opened only for a caller who may see identities.
        let identity_shown = identity_shown && a.can(Action::ViewIdentity, &res);
        let mut texts = self.store.text_reader();
        let return_trip = match self.store.return_of_case(&c.id).await? {
            Some(m) => Some(ReturnOut::of(m, identity_shown.then_some(&mut texts))?),
            None => None,
        };
        let goals = self
            .goals_of(&c.id, identity_shown.then_some(&mut texts))
            .await?;
        let follow_ups = self
            .follow_ups_of(&c.id, identity_shown.then_some(&mut texts))
            .await?;
        let proceedings = self
            .proceedings_of(&c.id, identity_shown.then_some(&mut texts))
            .await?;
        texts.record(a.user_uuid(), "case page").await?;
        let child = if p.is_child {
            let purpose = identity_shown.then_some("case page");
            let mut child = self.child_of(a, &c.id, purpose).await?;
            // The mechanism may have been engaged at registration already.
            child.mechanism_engaged |= c.child_mechanism;
            Some(child)
        } else {
            None
        };
        Ok(DetailsSection {
            case_id: c.id.clone(),
            case_version: c.version,
            can_edit: a.can(Action::EditCase, &res),
            can_erase: a.can(Action::EraseCase, &res),
            can_see_identity: a.can(Action::ViewIdentity, &res),
            closed: Stage::parse(&c.stage) == Ok(Stage::Closed),
            risk_level: c.risk_level.clone(),
            erased_at: self
                .store
                .erasure_of_case(&c.id)
                .await?
                .map(|e| e.erased_at),
            assessments: self.assessments_of(&c.id).await?,
            return_trip,
            goals,
            follow_ups,
            child,
            proceedings,
            offenders: self.offenders_of(&c.id).await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: AppError) -> Vec<Option<&'static str>> {
        match e {
            AppError::Invalid(fs) => fs.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn a_return_reports_every_bad_field_at_once() {
        let b = ReturnBody {
            from_country: "XXX".into(),
            travel_date: Some("31.02.2024".into()),
            ..Default::default()
        };
        let e = b.parse().expect_err("two bad fields");
        assert_eq!(fields(e).len(), 2);
    }

    #[test]
    fn empty_optional_fields_are_absent_not_errors() {
        let b = ReturnBody {
            from_country: "DEU".into(),
            from_city: None,
            travel_date: Some("  ".into()),
            escort: Some(String::new()),
            ..Default::default()
        };
        let r = b.parse().expect("valid");
        assert!(r.travel_date.is_none() && r.escort.is_none());
    }

    #[test]
    fn an_assessment_cannot_lie_in_the_future_and_reports_bad_items_too() {
        let tomorrow = today().next_day().expect("a next day").to_string();
        let b = AssessmentBody {
            on: Some(tomorrow),
            items: vec![ItemBody {
                domain: "weather".into(),
                score: 9,
            }],
            version: None,
        };
        let e = b.parse().expect_err("future date and bad item");
        assert!(fields(e).len() >= 2);
    }
}
