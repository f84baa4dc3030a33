//! The POST handlers of the case-page sections. Each translates its form into the
//! same input the API takes and calls the same operation of the application layer,
//! then redirects back to the case page, or shows it again with the localised
//! errors (422) or the conflict message (409).

use axum::{
    extract::{Path, State},
    response::Response,
};
use zakrila_app::{
    AppError,
    case_details::{AssessmentBody, ItemBody, ReturnBody},
    child::{ChildBody, ProposalBody, ProposalDecisionBody},
    proceedings::{OffenderBody, OffenderStatusBody, ProceedingsBody},
    reintegration::{GoalBody, GoalStatusBody, HeldBody, ScheduleBody},
};
use zakrila_domain::{case::AssessmentDomain, user::Locale};

use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
    form::FormFields,
    lang::Lang,
    state::AppState,
    views::case_page::or_errors,
};

/// Answers as the case page does after a form: back to it, or it again with errors.
async fn answer<T>(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    id: &str,
    r: Result<T, AppError>,
) -> Result<Response, HttpError> {
    or_errors(state, a, lang, id, r.map(drop).map_err(HttpError::from)).await
}

pub async fn assess(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    // One select per domain, `score_<domain>`; "not assessed" sends nothing.
    let items = AssessmentDomain::ALL
        .iter()
        .filter_map(|d| {
            f.get(&format!("score_{}", d.as_str())).map(|s| ItemBody {
                domain: d.as_str().to_owned(),
                // Not a number: out of range, refused by the domain like any other.
                score: s.parse().unwrap_or(u8::MAX),
            })
        })
        .collect();
    let body = AssessmentBody {
        on: f.get("on"),
        items,
        version: f.version(),
    };
    let r = state.app.assess(&a, &id, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn save_return(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = ReturnBody {
        from_country: f.text("from_country"),
        from_city: f.get("from_city"),
        travel_date: f.get("travel_date"),
        escort: f.get("escort"),
        documents: f.get("documents"),
        transport: f.get("transport"),
        version: f.version(),
    };
    let r = state.app.save_return(&a, &id, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn add_goal(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = GoalBody {
        goal: f.text("goal"),
        area: f.get("area"),
    };
    let r = state.app.add_goal(&a, &id, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn goal_status(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, gid)): Path<(String, String)>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = GoalStatusBody {
        status: f.text("status"),
        version: f.required_version(),
    };
    let r = state.app.set_goal_status(&a, &id, &gid, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn schedule(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = ScheduleBody {
        due_on: f.text("due_on"),
    };
    let r = state.app.schedule_follow_up(&a, &id, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn held(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, fid)): Path<(String, String)>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = HeldBody {
        held_on: f.text("held_on"),
        outcome: f.text("outcome"),
        note: f.get("note"),
        version: f.required_version(),
    };
    let r = state.app.record_follow_up(&a, &id, &fid, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn save_child(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    // The guardian field is only sent when filled (or "clear" ticked): the stored
    // value is never put back into the form.
    let guardian = if f.has("clear_guardian") {
        Some(String::new())
    } else {
        f.get("guardian")
    };
    let body = ChildBody {
        guardian,
        mechanism_engaged: f.has("mechanism_engaged"),
        mechanism_date: f.get("mechanism_date"),
        version: f.version(),
    };
    let r = state.app.save_child(&a, &id, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn add_proposal(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = ProposalBody {
        proposed_on: f.text("proposed_on"),
        status: f.get("status"),
    };
    let r = state.app.add_proposal(&a, &id, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn decide_proposal(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, pid)): Path<(String, String)>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = ProposalDecisionBody {
        status: f.text("status"),
        decided_on: f.get("decided_on"),
        version: f.required_version(),
    };
    let r = state.app.decide_proposal(&a, &id, &pid, body).await;
    answer(&state, &a, lang, &id, r).await
}

fn proceedings_body(f: &FormFields) -> ProceedingsBody {
    ProceedingsBody {
        stage: f.text("stage"),
        court: f.get("court"),
        // A number the form showed may be emptied to clear it; a form that did not
        // show it (no identity read) keeps the stored one unless one is typed.
        case_number: if f.has("case_number_shown") {
            Some(f.text("case_number"))
        } else {
            f.get("case_number")
        },
        witness_status: f.get("witness_status"),
        protection_measures: f.all("protection_measures"),
        final_act_date: f.get("final_act_date"),
        compensation_eur: f.get("compensation_eur"),
        compensation_bgn: f.get("compensation_bgn"),
        compensation_filed_on: f.get("compensation_filed_on"),
        compensation_decision: f.get("compensation_decision"),
        compensation_decided_on: f.get("compensation_decided_on"),
        compensation_awarded_eur: f.get("compensation_awarded_eur"),
        compensation_paid_eur: f.get("compensation_paid_eur"),
        compensation_paid_on: f.get("compensation_paid_on"),
        version: f.version(),
    }
}

pub async fn add_proceedings(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .add_proceedings(&a, &id, proceedings_body(&f))
        .await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn update_proceedings(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, pid)): Path<(String, String)>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = proceedings_body(&f);
    let r = state.app.update_proceedings(&a, &id, &pid, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn add_hearing(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, pid)): Path<(String, String)>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = zakrila_app::hearings::HearingBody {
        on: f.text("on"),
        at: f.get("at"),
        note: f.get("note"),
    };
    let r = state.app.add_hearing(&a, &id, &pid, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn add_offender(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = OffenderBody {
        sex: f.text("sex"),
        age_band: f.get("age_band"),
        citizenship: f.get("citizenship"),
        role: f.text("role"),
        legal_status: f.text("legal_status"),
    };
    let r = state.app.add_offender(&a, &id, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn offender_status(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, oid)): Path<(String, String)>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let body = OffenderStatusBody {
        legal_status: f.text("legal_status"),
        version: f.required_version(),
    };
    let r = state.app.set_offender_status(&a, &id, &oid, body).await;
    answer(&state, &a, lang, &id, r).await
}

pub async fn erase(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    // A deliberate act: the confirmation box must be ticked.
    let r = state.app.erase_case(&a, &id, f.has("confirm")).await;
    answer(&state, &a, lang, &id, r).await
}
