//! The organisation directory page (operations in `zakrila_app::orgs`).

use askama::Template;
use axum::{Form, extract::State, http::StatusCode, response::Response};
use zakrila_app::orgs::NewOrganisation;
use zakrila_domain::{org::OrgKind, user::Locale};

use crate::{
    auth::PageUser,
    error::{AppError, HttpError},
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

pub struct OrgRow {
    pub slug: String,
    pub abbrev: String,
    pub name: String,
    pub kind: String,
}

#[derive(Template)]
#[template(path = "orgs.html")]
pub struct OrgsPage {
    pub base: Base,
    pub orgs: Vec<OrgRow>,
    pub can_manage: bool,
    pub kinds: Vec<(&'static str, String)>,
    pub errors: Vec<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    page(&state, &a, lang, vec![]).await
}

async fn page(
    state: &AppState,
    a: &crate::auth::Authed,
    lang: Locale,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
    let d = state.app.organisations(a).await?;
    let base = Base::for_user(a, lang, "orgs-title");
    let orgs = d
        .orgs
        .into_iter()
        .map(|e| OrgRow {
            kind: base.t(&format!("org-kind-{}", e.org.kind.as_str())),
            name: e.org.name(lang).to_owned(),
            abbrev: e.org.abbrev_bg,
            slug: e.org.slug,
        })
        .collect();
    let kinds = OrgKind::ALL
        .iter()
        .map(|k| (k.as_str(), base.t(&format!("org-kind-{}", k.as_str()))))
        .collect();
    render(&OrgsPage {
        base,
        orgs,
        can_manage: d.can_manage,
        kinds,
        errors,
    })
}

/// Adds an organisation (the Commission's admins); bad input re-renders the page
/// with the reasons.
pub async fn create(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<NewOrganisation>,
) -> Result<Response, HttpError> {
    match state.app.create_organisation(&a, f).await {
        Ok(_) => Ok(crate::flash::redirect(
            "/organisations",
            "flash-org-created",
        )),
        Err(e @ AppError::Invalid(_)) => {
            let msgs = e
                .keys()
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect();
            let mut r = page(&state, &a, lang, msgs).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
