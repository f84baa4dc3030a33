//! The case page's whole aggregate, loaded by one operation: profile, stage and the
//! moves open to it, identity when asked (audited), consents, referrals, services,
//! timeline (the case's events and its referrals' — sent, accepted, declined,
//! revoked, completed — in one read), the organisations also assisting the person,
//! and what the caller may do — each capability the same `can` the action will ask.
//!
//! Statements, whatever the size of the case: the case with its person (one, the
//! person read once), the directory, the service catalogue, the projects (to
//! attribute a service to and to name those attributed), the consents, the
//! referrals, the services, the timeline, the timeline's actors, the linked cases
//! (the store's linkage lookup: one statement per round of the confirmed-link
//! chain, then the case's owner and the linked cases — three for a person without
//! links), and the accommodation section (places, placements, shelters and today's
//! occupancy, referrals abroad), the projects and the documents' list — **18 reads** — plus the audit record's write when the identity is shown; for a
//! linked person, one more read per round of the link chain and one consent read
//! per linked case when this case's data-sharing consent stands (a person is
//! assisted by a handful of organisations at most). The web test `referral_pages::case_view_statements`
//! counts them on the read pool (adding the one inline read on SQLite).
//! (The assessment, return, child and proceedings sections are loaded by their own
//! operations.)

use zakrila_domain::{
    case::{ConsentKind, ConsentState, ServiceStatus, Stage},
    policy::Action,
};
use zakrila_store::{audit, comma_items, entity::case, free_text::REFERRAL_PURPOSE};

use super::Identity;
use crate::{App, AppError, Authed, Org};

/// One consent given or withdrawn.
#[derive(Debug, Clone)]
pub struct ConsentLine {
    pub at_ms: i64,
    pub kind: ConsentKind,
    pub state: ConsentState,
}

/// A referral of the case, as its page lists it.
#[derive(Debug, Clone)]
pub struct ReferralLine {
    pub id: String,
    pub to: Option<Org>,
    /// Shown with the identity only (the read is audited with it).
    pub purpose: Option<String>,
    /// The stored status code (`pending`, `accepted`…).
    pub status: String,
    /// The caller may revoke it: it is still open and the policy allows them to
    /// refer this case (what the revoke action asks).
    pub can_revoke: bool,
}

/// A service planned for the case.
#[derive(Debug, Clone)]
pub struct ServiceLine {
    pub id: String,
    pub service_code: String,
    /// The catalogue's names (Bulgarian, English), when the code is in it.
    pub name: Option<(String, String)>,
    pub provider: Option<Org>,
    /// The project it is attributed to (Bulgarian, English names).
    pub project: Option<(String, String)>,
    pub status: Option<ServiceStatus>,
    pub status_code: String,
    pub due_date: Option<String>,
    pub cost_stotinki: Option<i64>,
    /// The statuses it may move to next.
    pub next: Vec<ServiceStatus>,
}

/// One event of the case's audit trail.
#[derive(Debug, Clone)]
pub struct TimelineLine {
    pub at_ms: i64,
    /// The audit action (`case.stage`, `referral.status`…).
    pub action: String,
    /// Who did it (their display name; empty for the system).
    pub by: String,
}

/// Everything the case page shows.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub id: String,
    pub code: String,
    pub stage: Option<Stage>,
    pub stage_code: String,
    pub version: i32,
    pub reflection_ends: Option<String>,
    pub forms: Vec<String>,
    /// `(kind code, identifying organisation's slug, date)` once identified.
    pub identification: Option<(String, String, String)>,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub is_child: bool,
    pub unaccompanied: bool,
    pub disability: bool,
    /// Shown only when asked for; the read is in the audit trail.
    pub identity: Option<Identity>,
    /// Other organisations assisting the same person (confirmed linkage, with the
    /// data-sharing consent of both cases), when the policy lets the caller see them.
    pub involved_orgs: Vec<Org>,
    pub can_move: bool,
    pub can_refer: bool,
    pub can_edit: bool,
    /// The caller may correct the record (`Action::CorrectCase`).
    pub can_correct: bool,
    pub next_stages: Vec<Stage>,
    pub consents: Vec<ConsentLine>,
    pub referrals: Vec<ReferralLine>,
    pub services: Vec<ServiceLine>,
    /// The services the caller's organisation may plan: `(code, name_bg, name_en)`.
    pub catalogue: Vec<(String, String, String)>,
    /// Projects a service may be attributed to (the organisation leads or is a
    /// partner): `(id, name_bg, name_en)`.
    pub projects: Vec<(String, String, String)>,
    /// Organisations a referral may go to (all but the caller's).
    pub other_orgs: Vec<Org>,
    pub timeline: Vec<TimelineLine>,
    /// The stored case, for the detail sections until they load through their own
    /// operation.
    pub record: case::Model,
    /// Placements and referrals abroad, with the shelters to choose from.
    pub accommodation: crate::accommodation::AccommodationSection,
    /// The documents attached to the case.
    pub documents: crate::documents::DocumentsSection,
}

impl App {
    /// The case page of `id`; with `identity` the person's identity too, audited as
    /// read for `purpose`.
    pub async fn case_view(
        &self,
        a: &Authed,
        id: &str,
        identity: Option<&str>,
    ) -> Result<CaseView, AppError> {
        let action = if identity.is_some() {
            Action::ViewIdentity
        } else {
            Action::ViewCase
        };
        let h = self.held(a, id, action).await?;
        let (c, p, res) = (h.case, h.person, h.resource);
        let identity_purpose = identity;
        let identity = match identity {
            Some(purpose) => Some(
                self.store
                    .read_identity_of(a.user_uuid(), &c, &p, purpose)
                    .await?
                    .into(),
            ),
            None => None,
        };
        let orgs: Vec<Org> = self.all_orgs().await?;
        let org = |id: &str| orgs.iter().find(|o| o.id == id).cloned();
        // Every entry names the services already planned; only the national and
        // the organisation's own active ones are offered for new ones.
        let entries = self.store.list_services().await?;
        let catalogue = entries
            .iter()
            .filter(|s| s.active && s.org_id.as_ref().is_none_or(|o| *o == a.org.id))
            .map(|s| (s.code.clone(), s.name_bg.clone(), s.name_en.clone()))
            .collect();
        let names: Vec<(String, String, String)> = entries
            .into_iter()
            .map(|s| (s.code, s.name_bg, s.name_en))
            .collect();
        let all_projects = self.store.list_projects().await?;
        let projects = all_projects
            .iter()
            .filter(|p| {
                p.org_id == a.org.id
                    || zakrila_store::comma_items(&p.partners).any(|s| s == a.org.slug)
            })
            .map(|p| (p.id.clone(), p.name_bg.clone(), p.name_en.clone()))
            .collect();
        let consent_records = self.store.consents(&c.id).await?;
        let can_refer = a.can(Action::ReferCase, &res);
        let referral_rows = self.store.referrals_of_case(&c.id).await?;
        let referral_ids: Vec<String> = referral_rows.iter().map(|r| r.id.clone()).collect();
        let referral_status: Vec<(String, String)> = referral_rows
            .iter()
            .map(|r| (r.id.clone(), r.status.clone()))
            .collect();
        let mut texts = self.store.text_reader();
        let mut referrals = Vec::with_capacity(referral_rows.len());
        for r in referral_rows {
            referrals.push(ReferralLine {
                can_revoke: can_refer
                    && r.from_org == a.org.id
                    && matches!(r.status.as_str(), "pending" | "accepted"),
                to: org(&r.to_org),
                purpose: match identity_purpose {
                    Some(_) => {
                        texts.open(&c.id, REFERRAL_PURPOSE, &r.id, Some(r.purpose.as_str()))?
                    }
                    None => None,
                },
                status: r.status,
                id: r.id,
            });
        }
        if let Some(purpose) = identity_purpose {
            texts.record(a.user_uuid(), purpose).await?;
        }
        let services = self
            .store
            .services_of_case(&c.id)
            .await?
            .into_iter()
            .map(|s| {
                let status = ServiceStatus::parse(&s.status).ok();
                ServiceLine {
                    name: names
                        .iter()
                        .find(|(code, ..)| *code == s.service_code)
                        .map(|(_, bg, en)| (bg.clone(), en.clone())),
                    project: s.project_id.as_ref().and_then(|id| {
                        all_projects
                            .iter()
                            .find(|p| p.id == *id)
                            .map(|p| (p.name_bg.clone(), p.name_en.clone()))
                    }),
                    provider: org(&s.provider_org),
                    next: status.map_or(vec![], |st| {
                        ServiceStatus::ALL
                            .iter()
                            .copied()
                            .filter(|n| st.move_to(*n).is_ok())
                            .collect()
                    }),
                    status,
                    status_code: s.status,
                    due_date: s.due_date,
                    cost_stotinki: s.cost_stotinki,
                    service_code: s.service_code,
                    id: s.id,
                }
            })
            .collect();
        let mut events = audit::of_case(&self.store().reads, &c.id, &referral_ids, 200).await?;
        events.reverse();
        let mut actors: Vec<String> = events.iter().filter_map(|e| e.actor_id.clone()).collect();
        actors.sort();
        actors.dedup();
        let users = self.store.users_by_ids(&actors).await?;
        let mut timeline = timeline_of(&events, &referral_status);
        for (line, e) in timeline.iter_mut().zip(&events) {
            line.by = users
                .iter()
                .find(|u| Some(&u.id) == e.actor_id.as_ref())
                .map(|u| u.display_name.clone())
                .unwrap_or_default();
        }
        let involved_orgs = self
            .involved_organisations_with(a, &c, &res, &consent_records, &orgs)
            .await?;
        let accommodation = self.accommodation_section(a, &c, &res).await?;
        let documents = self.documents_section(a, &c, &res).await?;
        let stage = Stage::parse(&c.stage).ok();
        Ok(CaseView {
            id: c.id.clone(),
            code: c.code.clone(),
            next_stages: stage.map_or(vec![], |s| s.next().to_vec()),
            stage,
            stage_code: c.stage.clone(),
            version: c.version,
            reflection_ends: c.reflection_ends.clone(),
            forms: comma_items(&c.forms).map(str::to_owned).collect(),
            identification: match (&c.identification_kind, &c.identified_by, &c.identified_on) {
                (Some(k), Some(by), Some(on)) => Some((k.clone(), by.clone(), on.clone())),
                _ => None,
            },
            sex: p.sex,
            age_band: p.age_band,
            citizenship: p.citizenship,
            is_child: p.is_child,
            unaccompanied: p.unaccompanied,
            disability: p.disability,
            identity,
            involved_orgs,
            can_move: a.can(Action::MoveCaseStage, &res),
            can_refer,
            can_edit: a.can(Action::EditCase, &res),
            can_correct: a.can(Action::CorrectCase, &res),
            consents: consent_records
                .into_iter()
                .map(|r| ConsentLine {
                    at_ms: (r.at.unix_timestamp_nanos() / 1_000_000) as i64,
                    kind: r.kind,
                    state: r.state,
                })
                .collect(),
            referrals,
            services,
            catalogue,
            projects,
            other_orgs: orgs.iter().filter(|o| o.id != a.org.id).cloned().collect(),
            timeline,
            record: c,
            accommodation,
            documents,
        })
    }
}

/// The timeline's lines, oldest first, from the trail of the case and its referrals.
/// A referral's status events do not carry the status they set; the status machine
/// makes it follow from their order: a referral moves at most twice (accepted, then
/// completed or revoked), so a first move of two is the acceptance and the last move
/// is the referral's current status.
fn timeline_of(
    events: &[zakrila_store::entity::audit_event::Model],
    referral_status: &[(String, String)],
) -> Vec<TimelineLine> {
    let moves = |id: &Option<String>| {
        events
            .iter()
            .filter(|e| {
                e.entity == "referral" && e.action == "referral.status" && e.entity_id == *id
            })
            .count()
    };
    let mut seen: Vec<(Option<String>, usize)> = vec![];
    events
        .iter()
        .map(|e| {
            let action = if e.entity != "referral" {
                e.action.clone()
            } else if e.action.starts_with("referral.create") {
                "referral.sent".to_owned()
            } else {
                let n = match seen.iter_mut().find(|(id, _)| *id == e.entity_id) {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        seen.push((e.entity_id.clone(), 1));
                        1
                    }
                };
                let current = referral_status
                    .iter()
                    .find(|(id, _)| Some(id) == e.entity_id.as_ref())
                    .map_or("status", |(_, s)| s.as_str());
                if n < moves(&e.entity_id) {
                    "referral.accepted".to_owned()
                } else {
                    format!("referral.{current}")
                }
            };
            TimelineLine {
                at_ms: e.at,
                action,
                by: String::new(),
            }
        })
        .collect()
}
