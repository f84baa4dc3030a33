//! The hotline's pages: `/signals` (the queue: immediate danger on top, then by
//! urgency and age; below, signals referred to the caller's organisation),
//! `/signals/new` (quick entry during a call, keyboard only) and `/signals/{id}`
//! (the signal, its triage, referrals, closing and the case opened from it).
//! Operations in `zakrila_app::signals`, as the API's.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use zakrila_app::signals::{
    CaseFromSignalBody, CloseBody, ReferBody, SignalBody, SignalDetail, SignalOut, TriageBody,
};
use zakrila_domain::{
    case::ExploitationForm,
    municipality::Municipality,
    region::Region,
    signal::{self, CallerType, Channel, Location, Outcome, Status, Urgency},
    user::Locale,
};

use crate::{
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    form::FormFields,
    label,
    lang::Lang,
    options,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render, unprocessable,
    },
};

type Choices = Vec<(&'static str, &'static str)>;

/// Countries people from Bulgaria are most often exploited in, offered first.
pub const ABROAD: &[&str] = &[
    "DEU", "GBR", "NLD", "FRA", "ESP", "ITA", "GRC", "AUT", "BEL", "CYP", "CHE", "POL",
];

/// The places a signal can be located in: the 28 regions, then countries abroad.
pub fn locations(lang: Locale) -> Choices {
    let l = lang.pick("bg", "en");
    Region::all()
        .map(|r| (r.code(), r.name(l)))
        .chain(
            ABROAD
                .iter()
                .filter_map(|c| Location::parse(c).ok())
                .map(|c| (c.code(), c.name(l))),
        )
        .collect()
}

/// One line of the queue.
pub struct Row {
    pub id: String,
    pub received: String,
    pub channel: String,
    pub caller: String,
    pub urgency: String,
    pub danger: bool,
    pub location: String,
    pub forms: String,
    pub status: String,
    pub taken: bool,
}

/// The municipalities to choose from, by region: (region's name, [(code, name)]).
pub fn municipalities(lang: Locale) -> Vec<(&'static str, Choices)> {
    let l = lang.pick("bg", "en");
    Region::all()
        .map(|r| {
            (
                r.name(l),
                Municipality::of(r).map(|m| (m.code(), m.name(l))).collect(),
            )
        })
        .collect()
}

fn forms_text(forms: &[String], lang: Locale) -> String {
    forms
        .iter()
        .map(|f| label!(ExploitationForm, f, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn row(s: &SignalOut, lang: Locale) -> Row {
    Row {
        id: s.id.clone(),
        received: datetime(s.received_at),
        channel: label!(Channel, &s.channel, lang),
        caller: label!(CallerType, &s.caller_type, lang),
        urgency: label!(Urgency, &s.urgency, lang),
        danger: s.urgency == Urgency::ImmediateDanger.as_str() && s.status != "closed",
        location: signal::place_name(
            s.location.as_deref(),
            s.municipality.as_deref(),
            lang.pick("bg", "en"),
        ),
        forms: forms_text(&s.forms, lang),
        status: match &s.outcome {
            Some(o) => format!(
                "{} · {}",
                label!(Status, &s.status, lang),
                label!(Outcome, o, lang)
            ),
            None => label!(Status, &s.status, lang),
        },
        taken: s.taken,
    }
}

#[derive(Template)]
#[template(path = "signals.html")]
pub struct QueuePage {
    pub base: Base,
    pub own: Vec<Row>,
    pub referred: Vec<Row>,
    pub can_log: bool,
}

pub async fn queue(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let list = state.app.signals(&a).await?;
    let (own, referred): (Vec<_>, Vec<_>) = list.iter().partition(|s| s.org == a.org.id);
    render(&QueuePage {
        base: Base::for_user(&a, lang, "signals-title"),
        own: own.into_iter().map(|s| row(s, lang)).collect(),
        referred: referred.into_iter().map(|s| row(s, lang)).collect(),
        can_log: can_log(&a),
    })
}

fn can_log(a: &Authed) -> bool {
    use zakrila_domain::policy::{Action, Resource};
    a.can(Action::LogSignal, &Resource::Org(a.actor.org_id))
}

#[derive(Template)]
#[template(path = "signal_new.html")]
pub struct NewPage {
    pub base: Base,
    pub channels: Choices,
    pub callers: Choices,
    pub urgencies: Choices,
    pub forms: Choices,
    pub locations: Choices,
    pub municipalities: Vec<(&'static str, Choices)>,
    pub errors: Vec<String>,
    pub form: FormFields,
}

impl NewPage {
    pub fn val(&self, k: &str) -> String {
        self.form.text(k)
    }
    /// Whether `value` is chosen for `k`, or is the default when nothing is.
    pub fn chosen(&self, k: &str, value: &str, default: &str) -> bool {
        let all = self.form.all(k);
        if all.is_empty() {
            value == default
        } else {
            all.iter().any(|x| x == value)
        }
    }
}

fn new_page(lang: Locale, a: &Authed, errors: Vec<String>, form: FormFields) -> NewPage {
    NewPage {
        base: Base::for_user(a, lang, "signal-new"),
        channels: options!(Channel, lang),
        callers: options!(CallerType, lang),
        urgencies: options!(Urgency, lang),
        forms: options!(ExploitationForm, lang),
        locations: locations(lang),
        municipalities: municipalities(lang),
        errors,
        form,
    }
}

pub async fn new_form(PageUser(a): PageUser, Lang(lang): Lang) -> Result<Response, HttpError> {
    if !can_log(&a) {
        return Err(AppError::Forbidden.into());
    }
    render(&new_page(lang, &a, vec![], FormFields::default()))
}

fn messages(e: &AppError, lang: Locale) -> Vec<String> {
    e.keys()
        .into_iter()
        .map(|k| crate::i18n::t(lang, k))
        .collect()
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = SignalBody {
        received_at: None,
        channel: f.get("channel"),
        caller_type: f.get("caller_type"),
        urgency: f.get("urgency"),
        location: f.get("location"),
        municipality: f.get("municipality"),
        forms: f.all("forms"),
        persons: match f.get("persons") {
            Some(p) => match p.trim().parse() {
                Ok(n) => Some(n),
                // Not a number: let the domain's check say so.
                Err(_) => Some(0),
            },
            None => None,
        },
        children: f.has("children"),
        summary: f.text("summary"),
        contact: f.get("contact"),
    };
    match state.app.record_signal(&a, body).await {
        Ok(s) => Ok(crate::flash::redirect(
            &format!("/signals/{}", s.id),
            "flash-signal-recorded",
        )),
        Err(e @ AppError::Invalid(_)) => Ok(unprocessable(render(&new_page(
            lang,
            &a,
            messages(&e, lang),
            f,
        ))?)),
        Err(e) => Err(e.into()),
    }
}

pub struct ReferralLine {
    pub to: String,
    pub sent_at: String,
    pub sent: String,
    pub acknowledged: String,
}

#[derive(Template)]
#[template(path = "signal.html")]
pub struct SignalPage {
    pub base: Base,
    pub s: Row,
    pub d: SignalDetail,
    pub received: String,
    pub persons: String,
    pub children: bool,
    pub referrals: Vec<ReferralLine>,
    pub additions: Vec<(String, String)>,
    pub orgs: Vec<(String, String)>,
    pub urgencies: Choices,
    pub outcomes: Choices,
    pub open: bool,
    pub new: bool,
    pub errors: Vec<String>,
    /// The signal this one repeats, and those that repeat it: (id, in words).
    pub original: Option<(String, String)>,
    pub duplicates: Vec<(String, String)>,
    /// The signals it may be marked a duplicate of.
    pub candidates: Vec<(String, String)>,
}

async fn signal_page(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    id: &str,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
    let d = state.app.signal(a, id).await?;
    let dir = state.app.organisations(a).await?;
    let org_name = |id: &str| {
        dir.orgs
            .iter()
            .find(|o| o.org.id == id)
            .map(|o| o.org.name(lang).to_owned())
            .unwrap_or_default()
    };
    let referrals = d
        .signal
        .referrals
        .iter()
        .map(|r| ReferralLine {
            to: org_name(&r.to),
            sent_at: datetime(r.sent_at),
            sent: d
                .sent
                .iter()
                .find(|s| s.referral == r.id)
                .map(|s| s.sent.clone())
                .unwrap_or_default(),
            acknowledged: r.acknowledged_at.map(datetime).unwrap_or_default(),
        })
        .collect();
    let s = &d.signal;
    let open = s.status != "closed";
    let candidates = if d.can_triage && open {
        super::duplicates::candidates(state, a, lang, s).await?
    } else {
        vec![]
    };
    let page = SignalPage {
        original: d
            .original
            .as_ref()
            .map(|l| super::duplicates::line(l, lang)),
        duplicates: d
            .duplicates
            .iter()
            .map(|l| super::duplicates::line(l, lang))
            .collect(),
        candidates,
        base: Base::for_user(a, lang, "signal-title"),
        s: row(s, lang),
        received: datetime(s.received_at),
        persons: s.persons.map(|p| p.to_string()).unwrap_or_default(),
        children: s.children,
        referrals,
        additions: d
            .additions
            .iter()
            .map(|x| (datetime(x.added_at), x.text.clone()))
            .collect(),
        orgs: dir
            .orgs
            .iter()
            .filter(|o| o.org.id != s.org)
            .map(|o| (o.org.slug.clone(), o.org.name(lang).to_owned()))
            .collect(),
        urgencies: options!(Urgency, lang),
        outcomes: Outcome::ALL
            .iter()
            .filter(|o| !matches!(o, Outcome::CaseOpened | Outcome::Duplicate))
            .map(|v| (v.as_str(), lang.pick(v.label_bg(), v.label_en())))
            .collect(),
        open,
        new: s.status == "new",
        errors,
        d: d.clone(),
    };
    render(&page)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    signal_page(&state, &a, lang, &id, vec![]).await
}

/// After an action: back to the signal with a message, or the signal again with
/// the errors beside its forms.
pub(crate) async fn answer<T>(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    id: &str,
    r: Result<T, AppError>,
    flash: &'static str,
) -> Result<Response, HttpError> {
    match r {
        Ok(_) => Ok(crate::flash::redirect(&format!("/signals/{id}"), flash)),
        Err(e @ AppError::Invalid(_)) => Ok(unprocessable(
            signal_page(state, a, lang, id, messages(&e, lang)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn triage(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .triage_signal(
            &a,
            &id,
            TriageBody {
                urgency: f.get("urgency"),
            },
        )
        .await;
    answer(&state, &a, lang, &id, r, "flash-signal-triaged").await
}

pub async fn refer(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .refer_signal(
            &a,
            &id,
            ReferBody {
                to: f.all("to"),
                sent: f.text("sent"),
            },
        )
        .await;
    answer(&state, &a, lang, &id, r, "flash-signal-referred").await
}

pub async fn acknowledge(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let r = state.app.acknowledge_signal(&a, &id).await;
    answer(&state, &a, lang, &id, r, "flash-signal-acknowledged").await
}

pub async fn close(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .close_signal(
            &a,
            &id,
            CloseBody {
                outcome: f.text("outcome"),
                duplicate_of: f.get("of"),
            },
        )
        .await;
    answer(&state, &a, lang, &id, r, "flash-signal-closed").await
}

/// Opens a case from the signal and goes to the new case.
pub async fn open_case(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .open_case_from_signal(
            &a,
            &id,
            CaseFromSignalBody {
                given_name: f.get("given_name"),
                family_name: f.get("family_name"),
                birth_date: f.get("birth_date"),
            },
        )
        .await;
    match r {
        Ok(c) => Ok(crate::flash::redirect(
            &format!("/cases/{}", c.id),
            "flash-signal-case",
        )),
        Err(e @ AppError::Invalid(_)) => Ok(unprocessable(
            signal_page(&state, &a, lang, &id, messages(&e, lang)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
