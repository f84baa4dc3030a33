//! The organisation directory.

use askama::Template;
use axum::{extract::State, response::Response};
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::HttpError,
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
    a.require(Action::ViewOrganisations, &Resource::System)?;
    let base = Base::for_user(a, lang, "orgs-title");
    let orgs = state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .map(|o| OrgRow {
            kind: base.t(&format!("org-kind-{}", o.kind)),
            name: if lang == Locale::En {
                o.name_en
            } else {
                o.name_bg
            },
            abbrev: o.abbrev_bg,
            slug: o.slug,
        })
        .collect();
    let kinds = zakrila_domain::org::OrgKind::ALL
        .iter()
        .map(|k| (k.as_str(), base.t(&format!("org-kind-{}", k.as_str()))))
        .collect();
    render(&OrgsPage {
        base,
        orgs,
        can_manage: a.can(Action::ManageOrganisations, &Resource::System),
        kinds,
        errors,
    })
}

#[derive(serde::Deserialize)]
pub struct OrgForm {
    slug: String,
    abbrev_bg: String,
    name_bg: String,
    name_en: String,
    kind: String,
    #[serde(default)]
    parent: String,
}

/// Adds an organisation (NCCTHB admins); bad input re-renders the page with the reasons.
pub async fn create(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    axum::Form(f): axum::Form<OrgForm>,
) -> Result<Response, HttpError> {
    use axum::response::IntoResponse;
    a.require(Action::ManageOrganisations, &Resource::System)?;
    let mut errors = vec![];
    let slug = zakrila_domain::org::OrgSlug::parse(f.slug.trim())
        .map_err(|e| errors.push(e.key))
        .ok();
    let kind = zakrila_domain::org::OrgKind::parse(&f.kind)
        .map_err(|e| errors.push(e.key))
        .ok();
    let parent = Some(f.parent.trim())
        .filter(|p| !p.is_empty())
        .map(zakrila_domain::org::OrgSlug::parse)
        .transpose()
        .map_err(|e| errors.push(e.key))
        .ok()
        .flatten();
    if f.name_bg.trim().is_empty() || f.name_en.trim().is_empty() || f.abbrev_bg.trim().is_empty() {
        errors.push("error-name-empty");
    }
    let result = match (slug, kind, errors.is_empty()) {
        (Some(slug), Some(kind), true) => {
            let new = zakrila_store::orgs::NewOrg {
                slug,
                abbrev_bg: f.abbrev_bg.trim().into(),
                name_bg: f.name_bg.trim().into(),
                name_en: f.name_en.trim().into(),
                kind,
                parent,
            };
            match state.store.create_org(a.user_uuid(), new).await {
                Ok(_) => return Ok(axum::response::Redirect::to("/organisations").into_response()),
                Err(zakrila_store::StoreError::Domain(d)) => vec![d.key],
                Err(e) => return Err(e.into()),
            }
        }
        _ => errors,
    };
    let msgs = result
        .into_iter()
        .map(|k| crate::i18n::t(lang, k))
        .collect();
    let mut r = page(&state, &a, lang, msgs).await?;
    *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}
