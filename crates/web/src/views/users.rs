//! Administering accounts: the page over `zakrila_app::accounts`. Admins of an
//! organisation see its users; the Commission's admins see everyone's.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use zakrila_app::{
    AppError,
    accounts::{Created, NewAccount},
};
use zakrila_domain::{role::Role, user::Locale};

use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render, unprocessable,
    },
};

pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub org: String,
    pub role: String,
    pub active: bool,
    pub totp: bool,
    pub created: String,
}

#[derive(Template)]
#[template(path = "users.html")]
pub struct UsersPage {
    pub base: Base,
    pub users: Vec<UserRow>,
    pub roles: Vec<(&'static str, String)>,
    pub orgs: Vec<(String, String)>,
    pub errors: Vec<String>,
    /// Shown once after creating an account.
    pub created: Option<(String, String)>,
}

async fn page(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    errors: Vec<String>,
    created: Option<Created>,
) -> Result<Response, HttpError> {
    let o = state.app.accounts(a).await?;
    let base = Base::for_user(a, lang, "users-title");
    let users = o
        .accounts
        .into_iter()
        .map(|r| UserRow {
            org: r.org.map(|o| o.abbrev_bg).unwrap_or_default(),
            role: match r.account.role {
                Some(role) => base.t(&format!("role-{}", role.as_str())),
                // A role this version does not know: the account cannot sign in.
                None => base.t("role-unknown"),
            },
            active: r.account.active,
            totp: r.account.totp_enabled,
            created: datetime(r.account.created_at),
            id: r.account.id,
            email: r.account.email,
            name: r.account.display_name,
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str(), base.t(&format!("role-{}", r.as_str()))))
        .collect();
    let orgs = o
        .manageable_orgs
        .into_iter()
        .map(|o| (o.slug, format!("{} — {}", o.abbrev_bg, o.name_bg)))
        .collect();
    render(&UsersPage {
        base,
        users,
        roles,
        orgs,
        errors,
        created: created.map(|c| (c.row.account.email, c.one_time_password)),
    })
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    page(&state, &a, lang, vec![], None).await
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<NewAccount>,
) -> Result<Response, HttpError> {
    match state.app.create_account(&a, f).await {
        Ok(created) => page(&state, &a, lang, vec![], Some(created)).await,
        Err(e @ AppError::Invalid(_)) => {
            let msgs = e
                .keys()
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect();
            page(&state, &a, lang, msgs, None).await.map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    state.app.disable_account(&a, &id).await?;
    Ok(crate::flash::redirect(
        "/admin/users",
        "flash-user-disabled",
    ))
}

pub async fn reset_totp(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    state.app.reset_second_factor(&a, &id).await?;
    Ok(crate::flash::redirect("/admin/users", "flash-totp-reset"))
}
