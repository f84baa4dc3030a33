//! The organisation directory.

use askama::Template;
use axum::{extract::State, response::Response};
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::AppError,
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
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, AppError> {
    a.require(Action::ViewOrganisations, &Resource::System)?;
    let base = Base::for_user(&a, lang, "orgs-title");
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
    render(&OrgsPage { base, orgs })
}
