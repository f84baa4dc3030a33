//! `/api/openapi.json` and a readable API reference at `/api/docs`, rendered on the
//! server from the same document — no Swagger UI to download, no script.

use askama::Template;
use axum::{Json, extract::State, response::Response};
use zakrila_domain::user::Locale;

use crate::{
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

pub async fn openapi_json(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::to_value(&*state.spec).unwrap_or_default())
}

pub struct Op {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub tag: String,
    pub responses: String,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
pub struct DocsPage {
    pub base: Base,
    pub ops: Vec<Op>,
}

/// A Fluent key from a prefix and free text: "api-tag-case-details".
fn key(prefix: &str, text: &str) -> String {
    let mut k = prefix.to_owned();
    for word in text
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        k.push('-');
        k.push_str(word);
    }
    k
}

/// The key of an operation's summary: "api-op-get-api-v1-cases-id-identity".
fn op_key(method: &str, path: &str) -> String {
    key(&format!("api-op-{method}"), path)
}

/// The translation of a key of the spec, or the spec's own English words for an
/// operation not yet translated.
fn translated(lang: Locale, key: &str, fallback: &str) -> String {
    crate::i18n::t_opt(lang, key).unwrap_or_else(|| fallback.to_owned())
}

pub async fn page(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, HttpError> {
    let doc = serde_json::to_value(&*state.spec).unwrap_or_default();
    let mut ops = vec![];
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                if let Some(op) = item.get(method) {
                    let mut codes: Vec<String> = op["responses"]
                        .as_object()
                        .map(|r| r.keys().cloned().collect())
                        .unwrap_or_default();
                    codes.sort();
                    let tag = op["tags"][0].as_str().unwrap_or("");
                    let summary = op["summary"]
                        .as_str()
                        .or(op["description"].as_str())
                        .unwrap_or("");
                    ops.push(Op {
                        method: method.to_uppercase(),
                        path: path.clone(),
                        summary: translated(lang, &op_key(method, path), summary),
                        tag: translated(lang, &key("api-tag", tag), tag),
                        responses: codes.join(", "),
                    });
                }
            }
        }
    }
    ops.sort_by(|a, b| (&a.tag, &a.path).cmp(&(&b.tag, &b.path)));
    render(&DocsPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "api-title")),
        ops,
    })
}
