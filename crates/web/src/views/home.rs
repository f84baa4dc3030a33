//! The start page after signing in: what this role can do, at a glance.

use askama::Template;
use axum::response::Response;

use crate::{
    auth::PageUser,
    error::AppError,
    lang::Lang,
    views::{layout::Base, render},
};

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub base: Base,
    pub role_help: String,
}

pub async fn home(PageUser(a): PageUser, Lang(lang): Lang) -> Result<Response, AppError> {
    let base = Base::for_user(&a, lang, "home-title");
    let role_help = base.t(&format!("home-role-{}", a.user.role));
    render(&HomePage { base, role_help })
}
