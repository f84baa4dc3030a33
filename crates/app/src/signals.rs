//! Hotline signals: an operator records a call in under a minute, triages it,
//! refers it to institutions of the directory, closes it with an outcome or opens a
//! case from it. Operators see their own organisation's signals; an institution a
//! signal was referred to reads it and acknowledges it (404 for anyone else). The
//! summary, the caller's contact and what was sent are read under audit.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    case::{ExploitationForm, NewCase, RawExploitation, RawNewCase, RawPerson},
    policy::{Action, Resource},
    signal::{self, CallerType, Channel, Outcome, Status, Urgency},
};
use zakrila_store::{
    entity::{signal as row, signal_referral},
    signals::NewSignal,
};

use crate::{
    App, AppError, Authed, Errors,
    case_details::opt,
    cases::{Registered, now},
};

/// What an operator records about a call (or an e-mail, chat, visit). Codes of the
/// vocabularies in `zakrila_domain::signal`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SignalBody {
    /// RFC 3339; now when absent.
    pub received_at: Option<String>,
    /// phone, email, web_form, walk_in, chat, labour_inspectorate, labour_inspectorate_abroad.
    pub channel: Option<String>,
    /// victim, relative, witness, professional, anonymous.
    pub caller_type: Option<String>,
    /// immediate_danger, urgent, routine (routine when absent).
    pub urgency: Option<String>,
    /// A region of Bulgaria (`BG-22`) or a country abroad (ISO 3166-1 alpha-3).
    pub location: Option<String>,
    /// A municipality of Bulgaria by its NSI code (`PDV22`), in the region given
    /// (or, without a location, placing the signal in its region).
    pub municipality: Option<String>,
    /// Suspected forms of exploitation (the case vocabulary).
    pub forms: Vec<String>,
    /// How many persons are concerned, when known.
    pub persons: Option<u32>,
    pub children: bool,
    /// What happened (encrypted; read under audit).
    pub summary: String,
    /// How to reach the caller safely (optional, encrypted).
    pub contact: Option<String>,
}

/// An institution a signal was referred to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignalReferralOut {
    pub id: String,
    /// The organisation's id.
    pub to: String,
    pub sent_at: i64,
    pub acknowledged_at: Option<i64>,
}

/// A signal without its free text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignalOut {
    pub id: String,
    /// The hotline organisation's id.
    pub org: String,
    /// Milliseconds since the epoch.
    pub received_at: i64,
    pub channel: String,
    pub caller_type: String,
    pub urgency: String,
    pub location: Option<String>,
    /// The municipality's NSI code, within the region in `location`.
    pub municipality: Option<String>,
    pub forms: Vec<String>,
    pub persons: Option<i32>,
    pub children: bool,
    /// new, triaged, referred, closed.
    pub status: String,
    pub outcome: Option<String>,
    pub duplicate_of: Option<String>,
    /// The case opened from this signal.
    pub case_id: Option<String>,
    /// Came through the public tip form.
    pub anonymous_tip: bool,
    pub taken: bool,
    pub triaged_at: Option<i64>,
    pub referred_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub referrals: Vec<SignalReferralOut>,
}

/// Information added later by an anonymous sender.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdditionOut {
    pub added_at: i64,
    pub text: String,
}

/// A signal with its free text (an audited read).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignalDetail {
    pub signal: SignalOut,
    pub summary: String,
    pub contact: Option<String>,
    pub additions: Vec<AdditionOut>,
    /// What was sent with each referral, by referral id.
    pub sent: Vec<SentOut>,
    /// The caller's organisation runs the hotline (may triage, refer, close).
    pub can_triage: bool,
    /// The caller's organisation received the signal and has not acknowledged it.
    pub can_acknowledge: bool,
    /// The signal this one repeats, when it is a duplicate the caller can see.
    pub original: Option<crate::duplicates::SignalLink>,
    /// The signals marked as duplicates of this one that the caller can see.
    pub duplicates: Vec<crate::duplicates::SignalLink>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SentOut {
    pub referral: String,
    pub sent: String,
}

/// Takes a new signal, confirming (or changing) its urgency.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TriageBody {
    pub urgency: Option<String>,
}

/// Refers a signal to institutions of the directory.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReferBody {
    /// Organisations' slugs (or ids).
    pub to: Vec<String>,
    /// What was sent to them (encrypted).
    pub sent: String,
}

/// Closes a signal with its outcome.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CloseBody {
    /// information_given, referred, not_trafficking, duplicate (a case is opened
    /// with the case-from-signal action instead).
    pub outcome: String,
    /// For a duplicate: the id of the signal it repeats.
    pub duplicate_of: Option<String>,
}

/// The person's names, when known, for the case opened from a signal.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CaseFromSignalBody {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

fn items(s: &str) -> Vec<String> {
    zakrila_store::comma_items(s).map(str::to_owned).collect()
}

pub(crate) fn out(m: row::Model, refs: &[signal_referral::Model]) -> SignalOut {
    SignalOut {
        forms: items(&m.forms),
        anonymous_tip: m.receipt_hash.is_some(),
        taken: m.taken_by.is_some(),
        referrals: refs
            .iter()
            .filter(|r| r.signal_id == m.id)
            .map(|r| SignalReferralOut {
                id: r.id.clone(),
                to: r.to_org_id.clone(),
                sent_at: r.sent_at,
                acknowledged_at: r.acknowledged_at,
            })
            .collect(),
        id: m.id,
        org: m.org_id,
        received_at: m.received_at,
        channel: m.channel,
        caller_type: m.caller_type,
        urgency: m.urgency,
        location: m.location,
        municipality: m.municipality,
        persons: m.persons,
        children: m.children,
        status: m.status,
        outcome: m.outcome,
        duplicate_of: m.duplicate_of,
        case_id: m.case_id,
        triaged_at: m.triaged_at,
        referred_at: m.referred_at,
        closed_at: m.closed_at,
    }
}

fn rank(u: Urgency) -> i32 {
    match u {
        Urgency::ImmediateDanger => 0,
        Urgency::Urgent => 1,
        Urgency::Routine => 2,
    }
}

/// Suspected forms: codes of the case vocabulary, sorted, without repeats.
pub(crate) fn forms(e: &mut Errors, xs: &[String]) -> String {
    let mut v: Vec<ExploitationForm> = xs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .filter_map(|s| e.take(ExploitationForm::parse(s)))
        .collect();
    v.sort();
    v.dedup();
    v.into_iter()
        .map(ExploitationForm::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

fn received_at(e: &mut Errors, s: Option<&str>) -> i64 {
    let now = crate::now_ms();
    let at = opt(e, s, |s| {
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
            .map_err(|_| DomainError::field("received_at", "error-signal-received-at"))
    })
    .unwrap_or(now);
    // A little clock skew between a client and the server is not the future.
    e.check(at > now + 5 * 60 * 1000, "received_at", "error-date-future");
    at
}

impl SignalBody {
    fn parse(&self, e: &mut Errors) -> NewSignal {
        let channel = opt(e, self.channel.as_deref(), Channel::parse).unwrap_or(Channel::Phone);
        let caller =
            opt(e, self.caller_type.as_deref(), CallerType::parse).unwrap_or(CallerType::Anonymous);
        let urgency = opt(e, self.urgency.as_deref(), Urgency::parse).unwrap_or(Urgency::Routine);
        let (location, municipality) = e
            .take(signal::parse_place(
                self.location.as_deref(),
                self.municipality.as_deref(),
            ))
            .unwrap_or_default();
        e.check(
            self.persons.is_some_and(|p| p == 0 || p > 10_000),
            "persons",
            "error-signal-persons",
        );
        NewSignal {
            received_at: received_at(e, self.received_at.as_deref()),
            channel: channel.as_str().to_owned(),
            caller_type: caller.as_str().to_owned(),
            urgency: urgency.as_str().to_owned(),
            urgency_rank: rank(urgency),
            location: location.map(|l| l.code().to_owned()),
            municipality: municipality.map(|m| m.code().to_owned()),
            forms: forms(e, &self.forms),
            persons: self.persons.map(|p| p as i32),
            children: self.children,
            summary: e
                .take(signal::parse_text("summary", &self.summary))
                .unwrap_or_default(),
            contact: e
                .take(signal::parse_contact(self.contact.as_deref().unwrap_or("")))
                .flatten(),
        }
    }
}

/// The case registration a signal turns into: what the signal says, and the names
/// when the operator knows them.
fn new_case_of(s: &row::Model, p: &CaseFromSignalBody) -> Result<NewCase, AppError> {
    let abroad = s
        .location
        .as_deref()
        .filter(|l| !l.starts_with("BG-"))
        .map(str::to_owned);
    let raw = RawNewCase {
        person: RawPerson {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            birth_date: p.birth_date.clone().filter(|b| !b.trim().is_empty()),
            child: s.children,
            ..Default::default()
        },
        exploitation: RawExploitation {
            forms: items(&s.forms),
            exploitation_countries: abroad.into_iter().collect(),
            ..Default::default()
        },
        ..Default::default()
    };
    Ok(NewCase::parse(raw, now())?)
}

/// A signal as the policy judges it.
pub(crate) struct Held {
    pub(crate) row: row::Model,
    pub(crate) referrals: Vec<signal_referral::Model>,
}

impl Held {
    pub(crate) fn resource(&self) -> Result<Resource, AppError> {
        let id = |s: &str| uuid::Uuid::parse_str(s).map_err(|_| AppError::Internal);
        Ok(Resource::Signal {
            org: id(&self.row.org_id)?,
            referred_to: self
                .referrals
                .iter()
                .map(|r| id(&r.to_org_id))
                .collect::<Result<_, _>>()?,
        })
    }
}

impl App {
    pub(crate) async fn held_signal(
        &self,
        a: &Authed,
        id: &str,
        action: Action,
    ) -> Result<Held, AppError> {
        let row = self
            .store
            .signal_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let referrals = self.store.signal_referrals(id).await?;
        let h = Held { row, referrals };
        a.require(action, &h.resource()?)?;
        Ok(h)
    }

    /// Records a signal in the caller's organisation. Bad input stores nothing.
    pub async fn record_signal(&self, a: &Authed, b: SignalBody) -> Result<SignalOut, AppError> {
        a.require(Action::LogSignal, &Resource::Org(a.actor.org_id))?;
        let mut e = Errors::default();
        let s = b.parse(&mut e);
        e.finish()?;
        let m = self
            .store
            .record_signal(a.user_uuid(), &a.org.id, s)
            .await?;
        Ok(out(m, &[]))
    }

    /// The caller's hotline queue (open signals by urgency then age, then the
    /// latest closed), followed by the signals referred to the caller's
    /// organisation.
    pub async fn signals(&self, a: &Authed) -> Result<Vec<SignalOut>, AppError> {
        let own = a.can(Action::ViewSignal, &Resource::Org(a.actor.org_id));
        let mut list = vec![];
        if own {
            let rows = self.store.signal_queue(&a.org.id, 300).await?;
            let mut refs = vec![];
            for r in &rows {
                refs.extend(self.store.signal_referrals(&r.id).await?);
            }
            list.extend(rows.into_iter().map(|r| out(r, &refs)));
        }
        let referred = self.store.signals_referred_to(&a.org.id, 300).await?;
        let mut any_referred = false;
        for (_, s) in referred {
            if list.iter().any(|o: &SignalOut| o.id == s.id) {
                continue;
            }
            let refs = self.store.signal_referrals(&s.id).await?;
            let h = Held {
                row: s,
                referrals: refs,
            };
            if a.can(Action::ViewSignal, &h.resource()?) {
                any_referred = true;
                list.push(out(h.row, &h.referrals));
            }
        }
        if !own && !any_referred {
            a.require(Action::ViewSignal, &Resource::Org(a.actor.org_id))?;
        }
        Ok(list)
    }

    /// Immediate-danger signals of the caller's hotline nobody has taken yet (empty
    /// for those who do not take signals).
    pub async fn untaken_danger(&self, a: &Authed) -> Result<Vec<SignalOut>, AppError> {
        if !a.can(Action::ViewSignal, &Resource::Org(a.actor.org_id)) {
            return Ok(vec![]);
        }
        Ok(self
            .store
            .untaken_danger(&a.org.id)
            .await?
            .into_iter()
            .map(|m| out(m, &[]))
            .collect())
    }

    /// One signal with its free text: an audited read.
    pub async fn signal(&self, a: &Authed, id: &str) -> Result<SignalDetail, AppError> {
        let h = self.held_signal(a, id, Action::ViewSignal).await?;
        let text = self
            .store
            .read_signal_text(a.user_uuid(), &h.row, &h.referrals)
            .await?;
        let resource = h.resource()?;
        let can_triage = a.can(Action::TriageSignal, &resource);
        let can_acknowledge = a.can(Action::AcknowledgeSignal, &resource)
            && h.referrals
                .iter()
                .any(|r| r.to_org_id == a.org.id && r.acknowledged_at.is_none());
        let signal = out(h.row, &h.referrals);
        let (original, duplicates) = self.signal_links(a, &signal).await?;
        Ok(SignalDetail {
            original,
            duplicates,
            signal,
            summary: text.summary,
            contact: text.contact,
            additions: text
                .additions
                .into_iter()
                .map(|(added_at, text)| AdditionOut { added_at, text })
                .collect(),
            sent: text
                .sent
                .into_iter()
                .map(|(referral, sent)| SentOut { referral, sent })
                .collect(),
            can_triage,
            can_acknowledge,
        })
    }

    /// Takes a new signal.
    pub async fn triage_signal(
        &self,
        a: &Authed,
        id: &str,
        b: TriageBody,
    ) -> Result<SignalOut, AppError> {
        let h = self.held_signal(a, id, Action::TriageSignal).await?;
        let mut e = Errors::default();
        let urgency = opt(&mut e, b.urgency.as_deref(), Urgency::parse);
        e.finish()?;
        let status = Status::parse(&h.row.status).map_err(|_| AppError::Internal)?;
        if !status.can_triage() {
            return Err(AppError::Conflict("signal already triaged"));
        }
        let u = urgency
            .or_else(|| Urgency::parse(&h.row.urgency).ok())
            .unwrap_or(Urgency::Routine);
        let m = self
            .store
            .triage_signal(a.user_uuid(), id, (u.as_str(), rank(u)))
            .await?;
        Ok(out(m, &h.referrals))
    }

    /// Refers a signal to institutions of the directory.
    pub async fn refer_signal(
        &self,
        a: &Authed,
        id: &str,
        b: ReferBody,
    ) -> Result<SignalOut, AppError> {
        let h = self.held_signal(a, id, Action::TriageSignal).await?;
        let mut e = Errors::default();
        let sent = e.take(signal::parse_text("sent", &b.sent));
        let mut to = vec![];
        for name in b.to.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let org = match self.store.org_by_slug(name).await? {
                Some(o) => Some(o),
                None => self.store.org_by_id(name).await?,
            };
            match org {
                Some(o) if o.id != h.row.org_id => {
                    if !to.contains(&o.id) {
                        to.push(o.id)
                    }
                }
                _ => e.check(true, "to", "error-signal-org-unknown"),
            }
        }
        e.check(
            b.to.iter().all(|s| s.trim().is_empty()),
            "to",
            "error-signal-to-empty",
        );
        e.finish()?;
        if !Status::parse(&h.row.status)
            .map_err(|_| AppError::Internal)?
            .can_refer()
        {
            return Err(AppError::Conflict("signal closed"));
        }
        let m = self
            .store
            .refer_signal(a.user_uuid(), id, &to, &sent.unwrap_or_default())
            .await?;
        let refs = self.store.signal_referrals(id).await?;
        Ok(out(m, &refs))
    }

    /// The receiving institution acknowledges the signal referred to it.
    pub async fn acknowledge_signal(&self, a: &Authed, id: &str) -> Result<(), AppError> {
        self.held_signal(a, id, Action::AcknowledgeSignal).await?;
        Ok(self
            .store
            .acknowledge_signal(a.user_uuid(), id, &a.org.id)
            .await?)
    }

    /// Closes a signal with its outcome.
    pub async fn close_signal(
        &self,
        a: &Authed,
        id: &str,
        b: CloseBody,
    ) -> Result<SignalOut, AppError> {
        let h = self.held_signal(a, id, Action::TriageSignal).await?;
        let mut e = Errors::default();
        let outcome = e.take(Outcome::parse(b.outcome.trim()));
        e.check(
            outcome == Some(Outcome::CaseOpened),
            "outcome",
            "error-signal-outcome-case",
        );
        if outcome == Some(Outcome::Duplicate) {
            e.finish()?;
            let of = b.duplicate_of.unwrap_or_default();
            return self
                .mark_duplicate(a, id, crate::duplicates::DuplicateBody { of })
                .await;
        }
        e.finish()?;
        let Some(outcome) = outcome else {
            return Err(AppError::Internal);
        };
        let m = self
            .store
            .close_signal(a.user_uuid(), id, outcome.as_str(), None)
            .await?;
        Ok(out(m, &h.referrals))
    }

    /// Opens a case from a signal in the hotline's organisation, carrying the
    /// signal's forms, children and country into the registration; the signal is
    /// closed with "case opened" and remembers the case.
    pub async fn open_case_from_signal(
        &self,
        a: &Authed,
        id: &str,
        b: CaseFromSignalBody,
    ) -> Result<Registered, AppError> {
        let h = self.held_signal(a, id, Action::TriageSignal).await?;
        a.require(Action::RegisterCase, &Resource::Org(a.actor.org_id))?;
        if h.row.status == "closed" {
            return Err(AppError::Conflict("signal closed"));
        }
        let new = new_case_of(&h.row, &b)?;
        let r = self
            .store
            .open_case_from_signal(a.user_uuid(), id, new, now())
            .await?;
        Ok(Registered {
            id: r.case.id,
            code: r.case.code,
            possible_duplicates: r.possible_duplicates,
        })
    }
}
