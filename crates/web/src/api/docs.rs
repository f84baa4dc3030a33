//! `/api/openapi.json` and a readable API reference at `/api/docs`, rendered on the
//! server from the same document — no Swagger UI to download, no script.

use askama::Template;
use axum::{Json, extract::State, response::Response};

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
                    ops.push(Op {
                        method: method.to_uppercase(),
                        path: path.clone(),
                        summary: op["summary"]
                            .as_str()
                            .or(op["description"].as_str())
                            .unwrap_or("")
                            .to_owned(),
                        tag: op["tags"][0].as_str().unwrap_or("").to_owned(),
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
