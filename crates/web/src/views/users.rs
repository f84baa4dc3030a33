//! Administering accounts: list, create (with a one-time password), disable, reset
//! the second factor. Admins of an organisation see its users; NCCTHB's admins see
//! everyone's.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_domain::{
    password::NewPassword,
    policy::{Action, Resource},
    role::Role,
    user::Email,
};
use zakrila_store::accounts::NewUser;

use crate::{
    auth::{Authed, PageUser},
    error::AppError,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render,
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

/// Users visible to this admin, as the policy decides per organisation (everyone
/// for NCCTHB's admins, their own organisation's for the others).
pub(crate) async fn visible_users(
    state: &AppState,
    a: &Authed,
) -> Result<Vec<zakrila_store::entity::user::Model>, AppError> {
    let all = state.store.list_users(None).await?;
    Ok(all
        .into_iter()
        .filter(|u| {
            let org = uuid::Uuid::parse_str(&u.org_id).unwrap_or(uuid::Uuid::nil());
            a.can(Action::ViewUsers, &Resource::Org(org))
        })
        .collect())
}

async fn page(
    state: &AppState,
    a: &Authed,
    lang: zakrila_domain::user::Locale,
    errors: Vec<String>,
    created: Option<(String, String)>,
) -> Result<Response, AppError> {
    a.require(Action::ViewUsers, &Resource::Org(a.actor.org_id))?;
    let base = Base::for_user(a, lang, "users-title");
    let orgs_all = state.store.list_orgs().await?;
    let org_name = |id: &str| {
        orgs_all
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.abbrev_bg.clone())
            .unwrap_or_default()
    };
    let users = visible_users(state, a)
        .await?
        .into_iter()
        .map(|u| UserRow {
            org: org_name(&u.org_id),
            role: base.t(&format!("role-{}", u.role)),
            active: u.status == "active",
            totp: u.totp_enabled,
            created: datetime(u.created_at),
            id: u.id,
            email: u.email,
            name: u.display_name,
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str(), base.t(&format!("role-{}", r.as_str()))))
        .collect();
    let orgs = orgs_all
        .iter()
        .filter(|o| {
            let org = uuid::Uuid::parse_str(&o.id).unwrap_or(uuid::Uuid::nil());
            a.can(Action::ManageUsers, &Resource::Org(org))
        })
        .map(|o| (o.slug.clone(), format!("{} — {}", o.abbrev_bg, o.name_bg)))
        .collect();
    render(&UsersPage {
        base,
        users,
        roles,
        orgs,
        errors,
        created,
    })
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, AppError> {
    page(&state, &a, lang, vec![], None).await
}

#[derive(Deserialize)]
pub struct CreateForm {
    email: String,
    name: String,
    org: String,
    role: String,
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<CreateForm>,
) -> Result<Response, AppError> {
    let org = state.store.org_by_slug(&f.org).await?;
    let org_uuid = org
        .as_ref()
        .and_then(|o| uuid::Uuid::parse_str(&o.id).ok())
        .unwrap_or(a.actor.org_id);
    a.require(Action::ManageUsers, &Resource::Org(org_uuid))?;
    let mut errors = vec![];
    let email = Email::parse(&f.email).map_err(|e| errors.push(e.key)).ok();
    let role = Role::parse(&f.role).map_err(|e| errors.push(e.key)).ok();
    if f.name.trim().is_empty() {
        errors.push("error-name-empty");
    }
    if org.is_none() {
        errors.push("error-org-unknown");
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        let msgs = errors
            .into_iter()
            .map(|k| crate::i18n::t(lang, k))
            .collect();
        return page(&state, &a, lang, msgs, None).await.map(unprocessable);
    };
    let password = zakrila_store::accounts::one_time_password();
    let new = NewUser {
        email: email.clone(),
        display_name: f.name.trim().to_owned(),
        org_slug: f.org,
        role,
        password: NewPassword::parse(&password)?,
        must_change_password: true,
    };
    match state.store.create_user(Some(a.user_uuid()), new).await {
        Ok(_) => {
            page(
                &state,
                &a,
                lang,
                vec![],
                Some((email.as_str().to_owned(), password)),
            )
            .await
        }
        Err(zakrila_store::StoreError::Domain(d)) => {
            page(&state, &a, lang, vec![crate::i18n::t(lang, d.key)], None)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

fn unprocessable(mut r: Response) -> Response {
    *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    r
}

pub async fn disable(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let u = crate::access::user_for(&state, &a, &id).await?;
    if u.id == a.user.id {
        return Err(AppError::Conflict("self"));
    }
    state.store.disable_user(Some(a.user_uuid()), &u.id).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

pub async fn reset_totp(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let u = crate::access::user_for(&state, &a, &id).await?;
    state.store.reset_totp(Some(a.user_uuid()), &u.id).await?;
    Ok(Redirect::to("/admin/users").into_response())
}
