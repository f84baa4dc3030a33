//! Events: trainings, information sessions, campaigns, conferences, working
//! meetings, screening actions. Participants are counted by category; the total
//! given must equal their sum.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    case::parse_date,
    outreach::{EventKind, ParticipantCategory, Participants},
    policy::{Action, Resource},
};
use zakrila_store::{entity::event, outreach::NewEvent};

use crate::{App, AppError, Authed, Errors, case_details::opt};

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EventBody {
    /// training, information_session, campaign, conference, working_meeting, screening.
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`; the start day when absent.
    pub ends_on: Option<String>,
    /// A place of the directory, by id.
    pub place: Option<String>,
    /// Where, when not a place of the directory.
    pub venue: Option<String>,
    /// Partner organisations' slugs.
    pub partners: Vec<String>,
    pub target_group: Option<String>,
    /// Participants by category (police, border_police, prosecutors, judges, …, others).
    pub participants: BTreeMap<String, u32>,
    /// The total, which must equal the sum of the categories.
    pub participants_total: u32,
    pub women: u32,
    pub men: u32,
    /// Persons reached (campaigns, media).
    pub reached: u64,
    /// Codes of linked Programme activities, e.g. `3.1.2`.
    pub activities: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantsOut {
    pub category: String,
    pub count: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventOut {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: Option<String>,
    pub venue: Option<String>,
    pub partners: Vec<String>,
    pub target_group: Option<String>,
    pub participants_total: i32,
    pub women: i32,
    pub men: i32,
    pub reached: i64,
    pub activities: Vec<String>,
    /// Filled when one event is asked for.
    pub participants: Vec<ParticipantsOut>,
}

fn items(s: &str) -> Vec<String> {
    zakrila_store::comma_items(s).map(str::to_owned).collect()
}

impl From<event::Model> for EventOut {
    fn from(m: event::Model) -> Self {
        EventOut {
            partners: items(&m.partners),
            activities: items(&m.activities),
            id: m.id,
            kind: m.kind,
            title: m.title,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            place: m.place_id,
            venue: m.venue,
            target_group: m.target_group,
            participants_total: m.participants_total,
            women: m.women,
            men: m.men,
            reached: m.reached,
            participants: vec![],
        }
    }
}

impl App {
    /// Records an event of the caller's organisation. Bad input stores nothing.
    pub async fn record_event(&self, a: &Authed, b: EventBody) -> Result<EventOut, AppError> {
        a.require(Action::RecordEvent, &Resource::Org(a.actor.org_id))?;
        let mut e = Errors::default();
        let kind = e.take(EventKind::parse(b.kind.trim()));
        e.check(b.title.trim().is_empty(), "title", "error-title-empty");
        let starts = e.take(parse_date(&b.starts_on, "starts_on"));
        let ends = opt(&mut e, b.ends_on.as_deref(), |s| parse_date(s, "ends_on"));
        if let (Some(s), Some(en)) = (starts, ends) {
            e.check(en < s, "ends_on", "error-period-order");
        }
        let cats: Vec<(ParticipantCategory, u32)> = b
            .participants
            .iter()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(c, n)| e.take(ParticipantCategory::parse(c)).map(|c| (c, *n)))
            .collect();
        let participants = e.take(Participants::new(
            cats,
            b.participants_total,
            b.women,
            b.men,
        ));
        let place = match b.place.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => {
                let known = self.store.place_by_id(p).await?.is_some();
                e.check(!known, "place", "error-place-unknown");
                Some(p.to_owned())
            }
            None => None,
        };
        let all_orgs = self.all_orgs().await?;
        let mut partners: Vec<String> = Vec::new();
        for p in b
            .partners
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            e.check(
                !all_orgs.iter().any(|o| o.slug == p),
                "partners",
                "error-org-unknown",
            );
            partners.push(p.to_owned());
        }
        e.finish()?;
        let (Some(kind), Some(starts), Some(participants)) = (kind, starts, participants) else {
            return Err(AppError::Internal);
        };
        let text = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let row = self
            .store
            .record_event(
                a.user_uuid(),
                &a.org.id,
                NewEvent {
                    kind: kind.as_str().to_owned(),
                    title: b.title.trim().to_owned(),
                    starts_on: starts.to_string(),
                    ends_on: ends.unwrap_or(starts).to_string(),
                    place_id: place,
                    venue: text(&b.venue),
                    partners: partners.join(","),
                    target_group: text(&b.target_group),
                    participants: participants
                        .by_category
                        .iter()
                        .map(|(c, n)| (c.as_str().to_owned(), *n as i32))
                        .collect(),
                    women: participants.women as i32,
                    men: participants.men as i32,
                    reached: b.reached as i64,
                    activities: b
                        .activities
                        .iter()
                        .map(|s| s.trim())
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(","),
                },
            )
            .await?;
        let mut out: EventOut = row.event.into();
        out.participants = row
            .participants
            .into_iter()
            .map(|p| ParticipantsOut {
                category: p.category,
                count: p.count,
            })
            .collect();
        Ok(out)
    }

    /// The latest events of the whole network (at most 200).
    pub async fn list_events(&self, a: &Authed) -> Result<Vec<EventOut>, AppError> {
        a.require(Action::ViewProjects, &Resource::System)?;
        Ok(self
            .store
            .list_events(None, 200)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub async fn event(&self, a: &Authed, id: &str) -> Result<EventOut, AppError> {
        a.require(Action::ViewProjects, &Resource::System)?;
        let row = self
            .store
            .event_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut out: EventOut = row.event.into();
        out.participants = row
            .participants
            .into_iter()
            .map(|p| ParticipantsOut {
                category: p.category,
                count: p.count,
            })
            .collect();
        Ok(out)
    }
}
