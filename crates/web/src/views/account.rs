//! The user's own account: API tokens and "sign out everywhere" (operations in
//! `zakrila_app::signin`).

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use zakrila_app::signin::NewToken;

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

pub async fn issue_token(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<NewToken>,
) -> Result<Response, HttpError> {
    let token = state.app.issue_own_token(&a, &f).await?;
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
    state.app.sign_out_everywhere(&a).await?;
    Ok((
        [(header::SET_COOKIE, clear_session_cookie(&state))],
        Redirect::to("/login"),
    )
        .into_response())
}
