//! Linking a signal to the one it repeats, on the signal's page: the form that
//! marks it (a choice among the other signals of the queue), and the links shown
//! both ways. The operation is `zakrila_app::duplicates`, as the API's.

use axum::{
    extract::{Path, State},
    response::Response,
};
use zakrila_app::{
    duplicates::{DuplicateBody, SignalLink},
    signals::SignalOut,
};
use zakrila_domain::{signal::Channel, user::Locale};

use crate::{
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    form::FormFields,
    label,
    lang::Lang,
    state::AppState,
    views::layout::datetime,
};

/// A linked signal as a line of the page: its id and "dd.mm.yyyy hh:mm · channel".
pub fn line(l: &SignalLink, lang: Locale) -> (String, String) {
    (
        l.id.clone(),
        format!(
            "{} · {}",
            datetime(l.received_at),
            label!(Channel, &l.channel, lang)
        ),
    )
}

/// The signals this one may repeat, in words: when, channel, place, status.
pub async fn candidates(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    s: &SignalOut,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .app
        .duplicate_candidates(a, &s.id)
        .await?
        .iter()
        .map(|o| {
            let r = super::signals::row(o, lang);
            let place = if r.location.is_empty() {
                String::new()
            } else {
                format!(" · {}", r.location)
            };
            (
                o.id.clone(),
                format!("{} · {}{place} · {}", r.received, r.channel, r.status),
            )
        })
        .collect())
}

/// `POST /signals/{id}/duplicate`: marks the signal a duplicate of `of`.
pub async fn mark(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .mark_duplicate(&a, &id, DuplicateBody { of: f.text("of") })
        .await;
    super::signals::answer(&state, &a, lang, &id, r, "flash-signal-duplicate").await
}
