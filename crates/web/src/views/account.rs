//! The user's own account: API tokens and "sign out everywhere".

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_domain::policy::{Action, Resource};

use crate::{
    auth::{PageUser, clear_session_cookie},
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub base: Base,
    pub email: String,
    pub new_token: Option<String>,
}

pub async fn page(PageUser(a): PageUser, Lang(lang): Lang) -> Result<Response, HttpError> {
    let base = Base::for_user(&a, lang, "account-title");
    render(&AccountPage {
        base,
        email: a.user.email.clone(),
        new_token: None,
    })
}

#[derive(Deserialize)]
pub struct TokenForm {
    label: String,
    hours: i64,
}

pub async fn issue_token(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<TokenForm>,
) -> Result<Response, HttpError> {
    a.require(Action::IssueOwnToken, &Resource::System)?;
    let hours = f.hours.clamp(1, 24 * 90);
    let (_, token) = state
        .store
        .issue_token(
            Some(a.user_uuid()),
            &a.user.id,
            f.label.trim(),
            hours * 3_600_000,
        )
        .await?;
    let base = Base::for_user(&a, lang, "account-title");
    render(&AccountPage {
        base,
        email: a.user.email.clone(),
        new_token: Some(token),
    })
}

pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    PageUser(a): PageUser,
) -> Result<Response, HttpError> {
    state.store.end_all_sessions(&a.user.id).await?;
    state
        .store
        .record(
            zakrila_store::audit::AuditEntry::new(
                Some(a.user_uuid()),
                "auth.signout_everywhere",
                "user",
            )
            .id(&a.user.id),
        )
        .await?;
    Ok((
        [(header::SET_COOKIE, clear_session_cookie(&state))],
        Redirect::to("/login"),
    )
        .into_response())
}
