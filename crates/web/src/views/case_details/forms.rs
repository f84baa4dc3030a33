//! The POST handlers of the case-page sections. Each parses the form into the same
//! body the API takes, so both paths apply the same rules, then redirects back to
//! the case page, or shows it again with the localised errors (422) or the
//! conflict message (409).

use std::collections::HashMap;

use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use zakrila_domain::{
    case::{GoalStatus, LegalStatus},
    policy::Action,
};

use crate::{
    access::case_for,
    api::{
        case_child::{ChildBody, ProposalBody, parse_child, parse_proposal},
        case_details::{
            AssessmentBody, GoalBody, HeldBody, ItemBody, ReturnBody, parse_assessment, parse_goal,
            parse_held, parse_return,
        },
        case_proceedings::{OffenderBody, ProceedingsBody, parse_offender, parse_proceedings},
    },
    auth::PageUser,
    error::{AppError, HttpError},
    lang::Lang,
    state::AppState,
    views::case_page::or_errors,
};

type Fields = Form<Vec<(String, String)>>;

struct F(HashMap<String, Vec<String>>);

impl F {
    fn new(f: Vec<(String, String)>) -> Self {
        let mut v: HashMap<String, Vec<String>> = HashMap::new();
        for (k, val) in f {
            v.entry(k).or_default().push(val);
        }
        F(v)
    }
    fn get(&self, k: &str) -> Option<String> {
        self.0
            .get(k)
            .and_then(|x| x.first())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }
    fn all(&self, k: &str) -> Vec<String> {
        self.0.get(k).cloned().unwrap_or_default()
    }
    fn version(&self) -> Option<i32> {
        self.get("version")
            .and_then(|v| v.parse().ok())
            .filter(|v| *v > 0)
    }
    fn str(&self, k: &str) -> String {
        self.get(k).unwrap_or_default()
    }
}

/// Runs `f` on the case loaded for `action`, then answers as the case page does.
macro_rules! on_case {
    ($state:ident, $a:ident, $lang:ident, $id:ident, $action:expr, |$c:ident| $body:expr) => {{
        let $c = case_for(&$state, &$a, &$id, $action).await?;
        let result: Result<(), HttpError> = async {
            $body;
            Ok(())
        }
        .await;
        or_errors(&$state, &$a, $lang, &$id, result).await
    }};
}

pub async fn assess(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    // One select per domain, `score_<domain>`; "not assessed" sends nothing.
    let items = zakrila_domain::case::AssessmentDomain::ALL
        .iter()
        .filter_map(|d| {
            f.get(&format!("score_{}", d.as_str())).map(|s| ItemBody {
                domain: d.as_str().to_owned(),
                score: s.parse().unwrap_or(u8::MAX),
            })
        })
        .collect();
    let body = AssessmentBody {
        on: f.get("on"),
        items,
        version: f.version(),
    };
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let parsed = parse_assessment(&body)?;
        state
            .store
            .add_assessment(a.user_uuid(), &c.id, body.version, &parsed)
            .await?
    })
}

pub async fn save_return(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    let body = ReturnBody {
        from_country: f.str("from_country"),
        from_city: f.get("from_city"),
        travel_date: f.get("travel_date"),
        escort: f.get("escort"),
        documents: f.get("documents"),
        transport: f.get("transport"),
        version: f.version(),
    };
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let r = parse_return(&body)?;
        state
            .store
            .save_return(a.user_uuid(), &c.id, body.version, r)
            .await?
    })
}

pub async fn add_goal(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    let body = GoalBody {
        goal: f.str("goal"),
        area: f.get("area"),
    };
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let (area, goal) = parse_goal(&body)?;
        state
            .store
            .add_goal(a.user_uuid(), &c.id, area, &goal)
            .await?
    })
}

pub async fn goal_status(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, gid)): Path<(String, String)>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let status = GoalStatus::parse(&f.str("status"))?;
        state
            .store
            .set_goal_status(
                a.user_uuid(),
                &c.id,
                &gid,
                f.version().unwrap_or(-1),
                status,
            )
            .await?
    })
}

pub async fn schedule(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let due = zakrila_domain::case::parse_date(&f.str("due_on"), "due_on")?;
        state
            .store
            .schedule_follow_up(a.user_uuid(), &c.id, due)
            .await?
    })
}

pub async fn held(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, fid)): Path<(String, String)>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    let body = HeldBody {
        held_on: f.str("held_on"),
        outcome: f.str("outcome"),
        note: f.get("note"),
        version: f.version().unwrap_or(-1),
    };
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let h = parse_held(&body)?;
        state
            .store
            .record_follow_up(a.user_uuid(), &c.id, &fid, body.version, h)
            .await?
    })
}

pub async fn save_child(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    // The guardian field is only sent when filled (or "clear" ticked): the stored
    // value is never put back into the form.
    let guardian = if f.get("clear_guardian").is_some() {
        Some(String::new())
    } else {
        f.get("guardian")
    };
    let body = ChildBody {
        guardian,
        mechanism_engaged: f.get("mechanism_engaged").is_some(),
        mechanism_date: f.get("mechanism_date"),
        version: f.version(),
    };
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let r = parse_child(&body)?;
        state
            .store
            .save_child(a.user_uuid(), &c.id, body.version, r)
            .await?
    })
}

pub async fn add_proposal(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    let body = ProposalBody {
        proposed_on: f.str("proposed_on"),
        status: f.get("status"),
    };
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let (on, status) = parse_proposal(&body)?;
        state
            .store
            .add_child_proposal(a.user_uuid(), &c.id, on, status)
            .await?
    })
}

fn proceedings_body(f: &F) -> ProceedingsBody {
    ProceedingsBody {
        stage: f.str("stage"),
        court: f.get("court"),
        case_number: f.get("case_number"),
        witness_status: f.get("witness_status"),
        protection_measures: f.all("protection_measures"),
        final_act_date: f.get("final_act_date"),
        compensation_bgn: f.get("compensation_bgn"),
        compensation_filed_on: f.get("compensation_filed_on"),
        version: f.version(),
    }
}

pub async fn add_proceedings(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let body = proceedings_body(&F::new(f));
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let p = parse_proceedings(&body)?;
        state
            .store
            .add_proceedings(a.user_uuid(), &c.id, &p)
            .await?
    })
}

pub async fn update_proceedings(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, pid)): Path<(String, String)>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let body = proceedings_body(&F::new(f));
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let p = parse_proceedings(&body)?;
        state
            .store
            .update_proceedings(a.user_uuid(), &c.id, &pid, body.version.unwrap_or(-1), &p)
            .await?
    })
}

pub async fn add_offender(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    let body = OffenderBody {
        sex: f.str("sex"),
        age_band: f.get("age_band"),
        citizenship: f.get("citizenship"),
        role: f.str("role"),
        legal_status: f.str("legal_status"),
    };
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let o = parse_offender(&body)?;
        state.store.add_offender(a.user_uuid(), &c.id, &o).await?
    })
}

pub async fn offender_status(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, oid)): Path<(String, String)>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    on_case!(state, a, lang, id, Action::EditCase, |c| {
        let status = LegalStatus::parse(&f.str("legal_status"))?;
        state
            .store
            .set_offender_status(
                a.user_uuid(),
                &c.id,
                &oid,
                f.version().unwrap_or(-1),
                status,
            )
            .await?
    })
}

pub async fn erase(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Result<Response, HttpError> {
    let f = F::new(f);
    on_case!(state, a, lang, id, Action::EraseCase, |c| {
        // A deliberate act: the confirmation box must be ticked.
        if f.get("confirm").is_none() {
            return Err(AppError::invalid("error-erasure-confirm", Some("confirm")).into());
        }
        state.store.erase_case(a.user_uuid(), &c.id).await?
    })
}
