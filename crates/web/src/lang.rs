//! The reader's language: the `lang` cookie set by the language switch, else
//! Bulgarian.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
};
use zakrila_domain::user::Locale;

pub const LANG_COOKIE: &str = "lang";

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn lang_of(headers: &HeaderMap) -> Locale {
    cookie(headers, LANG_COOKIE)
        .map(Locale::from_tag)
        .unwrap_or_default()
}

/// Extractor for the reader's language.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(lang_of(&parts.headers)))
    }
}
