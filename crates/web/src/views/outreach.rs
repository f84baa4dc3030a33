//! The mobile teams' pages: `/outreach` (record a consultation on one screen, the
//! organisation's latest consultations) and `/outreach/events` (record an event,
//! the network's events). Operations in `zakrila_app::outreach`.

use askama::Template;
use axum::{extract::State, response::Response};
use zakrila_app::outreach::{ConsultationBody, EventBody, OpenCaseBody};
use zakrila_domain::{
    case::{AgeBand, Sex},
    outreach::{EventKind, ParticipantCategory, Profession, Topic, Vulnerability},
    policy::{Action, Resource},
    user::Locale,
};

use crate::{
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    form::FormFields,
    format,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, date},
        render, unprocessable,
    },
};

type Choices = Vec<(&'static str, String)>;

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Choices {
    all.iter().map(|v| (code(*v), label(*v))).collect()
}

fn pick(lang: Locale, bg: &'static str, en: &'static str) -> String {
    lang.pick(bg, en).to_owned()
}

pub struct ConsultationRow {
    pub held_on: String,
    pub place: String,
    pub code: String,
    pub sex: String,
    pub citizenship: String,
    pub topics: String,
    pub case_id: Option<String>,
}

#[derive(Template)]
#[template(path = "outreach.html")]
pub struct OutreachPage {
    pub base: Base,
    pub rows: Vec<ConsultationRow>,
    pub places: Vec<(String, String)>,
    pub team: Choices,
    pub topics: Choices,
    pub flags: Choices,
    pub sexes: Choices,
    pub ages: Choices,
    pub can_record: bool,
    pub errors: Vec<String>,
    pub form: FormFields,
}

impl OutreachPage {
    pub fn val(&self, k: &str) -> String {
        self.form.text(k)
    }
    pub fn has(&self, k: &str, value: &str) -> bool {
        self.form.all(k).iter().any(|x| x == value)
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    consultations_page(&state, &a, lang, vec![], None).await
}

async fn consultations_page(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    errors: Vec<String>,
    form: Option<FormFields>,
) -> Result<Response, HttpError> {
    let list = state.app.consultations(a).await?;
    let places = state.app.places(a).await?;
    let base = Base::for_user(a, lang, "outreach-title");
    // The place and team of the day are those of the team's last consultation.
    let form = form.unwrap_or_else(|| {
        let mut pairs = vec![];
        if let Some(last) = list.first() {
            pairs.push(("place".to_owned(), last.place.clone()));
            pairs.push(("held_on".to_owned(), last.held_on.clone()));
            for t in &last.team {
                pairs.push(("team".to_owned(), t.clone()));
            }
        }
        FormFields::from_pairs(pairs)
    });
    let place_name = |id: &str| {
        places
            .iter()
            .find(|p| p.id == id)
            .map(|p| lang.pick(&p.name_bg, &p.name_en).to_owned())
            .unwrap_or_default()
    };
    let rows = list
        .iter()
        .map(|c| ConsultationRow {
            held_on: date(&c.held_on),
            place: place_name(&c.place),
            code: c.beneficiary_code.clone(),
            sex: Sex::parse(&c.sex)
                .map(|s| pick(lang, s.label_bg(), s.label_en()))
                .unwrap_or_default(),
            citizenship: c
                .citizenship
                .as_deref()
                .map(|x| format::country(x, lang))
                .unwrap_or_default(),
            topics: c
                .topics
                .iter()
                .filter_map(|t| Topic::parse(t).ok())
                .map(|t| pick(lang, t.label_bg(), t.label_en()))
                .collect::<Vec<_>>()
                .join(", "),
            case_id: c.case_id.clone(),
        })
        .collect();
    let page = OutreachPage {
        rows,
        places: places
            .iter()
            .map(|p| (p.id.clone(), lang.pick(&p.name_bg, &p.name_en).to_owned()))
            .collect(),
        team: choices(Profession::ALL, Profession::as_str, |v| {
            pick(lang, v.label_bg(), v.label_en())
        }),
        topics: choices(Topic::ALL, Topic::as_str, |v| {
            pick(lang, v.label_bg(), v.label_en())
        }),
        flags: choices(Vulnerability::ALL, Vulnerability::as_str, |v| {
            pick(lang, v.label_bg(), v.label_en())
        }),
        sexes: choices(Sex::ALL, Sex::as_str, |v| {
            pick(lang, v.label_bg(), v.label_en())
        }),
        ages: choices(AgeBand::ALL, AgeBand::as_str, |v| {
            pick(lang, v.label_bg(), v.label_en())
        }),
        can_record: a.can(Action::RecordOutreach, &Resource::Org(a.actor.org_id)),
        errors,
        form,
        base,
    };
    render(&page)
}

fn consultation_body(f: &FormFields) -> ConsultationBody {
    let open_case = f.has("open_case");
    ConsultationBody {
        place: f.text("place"),
        held_on: f.get("held_on"),
        team: f.all("team"),
        beneficiary_code: f.text("beneficiary_code"),
        sex: f.get("sex"),
        age_band: f.get("age_band"),
        citizenship: f.get("citizenship"),
        languages: f
            .text("languages")
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        topics: f.all("topics"),
        interpreter_language: f.get("interpreter_language"),
        duration_min: f.get("duration_min").and_then(|d| d.parse().ok()),
        vulnerabilities: f.all("vulnerabilities"),
        donations: f.text("donations").lines().map(str::to_owned).collect(),
        medical_bgn: f.get("medical_bgn"),
        open_case,
        person: open_case.then(|| OpenCaseBody {
            given_name: f.get("given_name"),
            family_name: f.get("family_name"),
            birth_date: f.get("birth_date"),
        }),
    }
}

/// Records a consultation; when a case is opened with it, goes to the case.
pub async fn record(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, HttpError> {
    match state
        .app
        .record_consultation(&a, consultation_body(&f))
        .await
    {
        Ok((_, Some(case))) => Ok(crate::flash::redirect(
            &format!("/cases/{}", case.id),
            "flash-consultation-case",
        )),
        Ok((_, None)) => Ok(crate::flash::redirect(
            "/outreach",
            "flash-consultation-recorded",
        )),
        Err(e @ AppError::Invalid(_)) => {
            let msgs = e
                .keys()
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect();
            Ok(unprocessable(
                consultations_page(&state, &a, lang, msgs, Some(f)).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub struct EventRow {
    pub dates: String,
    pub kind: String,
    pub title: String,
    pub participants: String,
    pub reached: String,
}

#[derive(Template)]
#[template(path = "outreach_events.html")]
pub struct EventsPage {
    pub base: Base,
    pub rows: Vec<EventRow>,
    pub kinds: Choices,
    pub categories: Choices,
    pub can_record: bool,
    pub errors: Vec<String>,
    pub form: FormFields,
}

impl EventsPage {
    pub fn val(&self, k: &str) -> String {
        self.form.text(k)
    }
}

pub async fn events(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    events_page(&state, &a, lang, vec![], FormFields::default()).await
}

async fn events_page(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    errors: Vec<String>,
    form: FormFields,
) -> Result<Response, HttpError> {
    let list = state.app.list_events(a).await?;
    let base = Base::for_user(a, lang, "events-title");
    let rows = list
        .into_iter()
        .map(|e| EventRow {
            dates: if e.starts_on == e.ends_on {
                date(&e.starts_on)
            } else {
                format!("{} – {}", date(&e.starts_on), date(&e.ends_on))
            },
            kind: EventKind::parse(&e.kind)
                .map(|k| pick(lang, k.label_bg(), k.label_en()))
                .unwrap_or_default(),
            title: e.title,
            participants: format::integer(e.participants_total.into(), lang),
            reached: format::integer(e.reached, lang),
        })
        .collect();
    render(&EventsPage {
        rows,
        kinds: choices(EventKind::ALL, EventKind::as_str, |v| {
            pick(lang, v.label_bg(), v.label_en())
        }),
        categories: choices(ParticipantCategory::ALL, ParticipantCategory::as_str, |v| {
            pick(lang, v.label_bg(), v.label_en())
        }),
        can_record: a.can(Action::RecordEvent, &Resource::Org(a.actor.org_id)),
        errors,
        form,
        base,
    })
}

fn event_body(f: &FormFields) -> EventBody {
    let num = |k: &str| f.get(k).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
    EventBody {
        kind: f.text("kind"),
        title: f.text("title"),
        starts_on: f.text("starts_on"),
        ends_on: f.get("ends_on"),
        place: f.get("place"),
        venue: f.get("venue"),
        partners: vec![],
        target_group: f.get("target_group"),
        participants: ParticipantCategory::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), num(&format!("p_{}", c.as_str()))))
            .filter(|(_, n)| *n > 0)
            .collect(),
        participants_total: num("participants_total"),
        women: num("women"),
        men: num("men"),
        reached: f.get("reached").and_then(|v| v.parse().ok()).unwrap_or(0),
        activities: f
            .text("activities")
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

pub async fn record_event(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, HttpError> {
    match state.app.record_event(&a, event_body(&f)).await {
        Ok(_) => Ok(crate::flash::redirect(
            "/outreach/events",
            "flash-event-recorded",
        )),
        Err(e @ AppError::Invalid(_)) => {
            let msgs = e
                .keys()
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect();
            Ok(unprocessable(events_page(&state, &a, lang, msgs, f).await?))
        }
        Err(e) => Err(e.into()),
    }
}
