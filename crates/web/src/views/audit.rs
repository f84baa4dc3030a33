//! Browsing the audit trail (admins and auditors), filtering it, and exporting it
//! as CSV. The table body is also served alone as an htmx fragment.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::audit::{self, AuditEntry, AuditQuery};

use crate::{
    auth::PageUser,
    error::{AppError, HttpError},
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render,
    },
};

const PAGE: u64 = 100;

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    action: String,
    before: Option<i64>,
}

impl Filter {
    fn query(&self) -> AuditQuery {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        AuditQuery {
            actor: uuid::Uuid::parse_str(self.actor.trim()).ok(),
            entity: opt(&self.entity),
            entity_id: None,
            action_prefix: opt(&self.action),
            before_seq: self.before,
        }
    }
}

pub struct Row {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub base: Base,
    pub actor: String,
    pub entity: String,
    pub action: String,
    pub rows: Vec<Row>,
    pub next: Option<String>,
    pub more: String,
}

#[derive(Template)]
#[template(path = "audit_rows_partial.html")]
pub struct AuditRows {
    pub rows: Vec<Row>,
    pub next: Option<String>,
    pub more: String,
}

async fn rows(state: &AppState, f: &Filter, limit: u64) -> Result<Vec<Row>, HttpError> {
    Ok(audit::list(&state.store.db, &f.query(), limit)
        .await?
        .into_iter()
        .map(|e| Row {
            seq: e.seq,
            at: datetime(e.at),
            actor: e.actor_id.unwrap_or_default(),
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id.unwrap_or_default(),
            hash: e.hash[..12].to_owned(),
        })
        .collect())
}

fn next_link(f: &Filter, rows: &[Row]) -> Option<String> {
    if rows.len() as u64 != PAGE {
        return None;
    }
    let last = rows.last()?.seq;
    let enc = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
            .collect::<String>()
    };
    Some(format!(
        "/audit?actor={}&entity={}&action={}&before={last}",
        enc(&f.actor),
        enc(&f.entity),
        enc(&f.action)
    ))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    headers: HeaderMap,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewAudit, &Resource::System)?;
    let rows = rows(&state, &f, PAGE).await?;
    let next = next_link(&f, &rows);
    let base = Base::for_user(&a, lang, "audit-title");
    // htmx asks for the rows only (filtering and "more" without a page reload).
    if headers.contains_key("hx-request") {
        return render(&AuditRows {
            more: base.t("audit-more"),
            rows,
            next,
        });
    }
    let more = base.t("audit-more");
    render(&AuditPage {
        more,
        base,
        actor: f.actor.clone(),
        entity: f.entity.clone(),
        action: f.action.clone(),
        rows,
        next,
    })
}

pub async fn export_csv(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewAudit, &Resource::System)?;
    let rows = rows(&state, &f, 100_000).await?;
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record([
        "seq",
        "at_utc",
        "actor_id",
        "action",
        "entity",
        "entity_id",
        "hash",
    ]);
    for r in &rows {
        let _ = w.write_record([
            r.seq.to_string(),
            r.at.clone(),
            r.actor.clone(),
            r.action.clone(),
            r.entity.clone(),
            r.entity_id.clone(),
            r.hash.clone(),
        ]);
    }
    let body = w.into_inner().map_err(|_| AppError::Internal)?;
    state
        .store
        .record(
            AuditEntry::new(Some(a.user_uuid()), "audit.export", "audit")
                .change(serde_json::json!({"rows": rows.len()})),
        )
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"zakrila-audit.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
