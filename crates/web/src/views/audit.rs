//! Browsing the audit trail (admins and auditors), filtering it, and exporting it
//! as CSV (operations in `zakrila_app::audit`). The table body is also served alone
//! as an htmx fragment.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use zakrila_app::audit::{self, AuditEvent, AuditFilter};
use zakrila_domain::user::Locale;

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

const PAGE: u64 = audit::DEFAULT_LIMIT;

pub struct Row {
    pub seq: i64,
    pub at: String,
    /// The actor's name and organisation, or their id when the account is gone.
    pub actor: String,
    pub actor_id: String,
    pub action: String,
    pub action_code: String,
    /// The kind of entity in words.
    pub entity: String,
    /// The entity's name where it has one (a case's code, a user's name).
    pub subject: String,
    pub entity_id: String,
    pub hash: String,
}

/// The kinds of entity the trail records, with their labels.
const ENTITIES: &[(&str, &str)] = &[
    ("api_token", "audit-ent-api_token"),
    ("audit", "audit-ent-audit"),
    ("case", "audit-ent-case"),
    ("caseload", "audit-ent-caseload"),
    ("linkage", "audit-ent-linkage"),
    ("organisation", "audit-ent-organisation"),
    ("programme", "audit-ent-programme"),
    ("progress_note", "audit-ent-progress_note"),
    ("progress_report", "audit-ent-progress_report"),
    ("referral", "audit-ent-referral"),
    ("user", "audit-ent-user"),
    ("vault", "audit-ent-vault"),
];

fn entity_label(lang: Locale, entity: String) -> String {
    ENTITIES
        .iter()
        .find(|(e, _)| *e == entity)
        .map_or(entity, |(_, k)| crate::i18n::t(lang, k))
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
    /// Why the filter could not be applied (a malformed actor id).
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "audit_rows_partial.html")]
pub struct AuditRows {
    pub rows: Vec<Row>,
    pub next: Option<String>,
    pub more: String,
    /// Why the filter could not be applied (a malformed actor id).
    pub errors: Vec<String>,
}

/// The action in words in `lang` (the code itself for one without a label).
fn action_label(lang: Locale, action: String) -> String {
    audit::action_label_key(&action).map_or(action, |k| crate::i18n::t(lang, k))
}

fn rows(lang: Locale, events: Vec<AuditEvent>) -> Vec<Row> {
    events
        .into_iter()
        .map(|e| {
            let actor_id = e.actor_id.unwrap_or_default();
            Row {
                seq: e.seq,
                at: datetime(e.at),
                // No actor: the system itself, or the command line on the server.
                actor: e.actor_name.unwrap_or_else(|| {
                    if actor_id.is_empty() {
                        "—".into()
                    } else {
                        actor_id.clone()
                    }
                }),
                actor_id,
                action: action_label(lang, e.action.clone()),
                action_code: e.action,
                entity: entity_label(lang, e.entity),
                subject: e.subject.unwrap_or_default(),
                entity_id: e.entity_id.unwrap_or_default(),
                hash: e.hash[..12].to_owned(),
            }
        })
        .collect()
}

fn next_link(f: &AuditFilter, rows: &[Row]) -> Option<String> {
    if rows.len() as u64 != PAGE {
        return None;
    }
    let last = rows.last()?.seq;
    let enc = |s: &Option<String>| {
        s.as_deref()
            .unwrap_or_default()
            .chars()
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
    Query(f): Query<AuditFilter>,
) -> Result<Response, HttpError> {
    // The page's size is fixed, whatever the query string says.
    let f = AuditFilter { limit: None, ..f };
    let (rows, errors) = match state.app.audit_events(&a, &f).await {
        Ok(events) => (rows(lang, events), vec![]),
        Err(e @ AppError::Invalid(_)) => (
            vec![],
            e.keys()
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect(),
        ),
        Err(e) => return Err(e.into()),
    };
    let next = next_link(&f, &rows);
    let base = Base::for_user(&a, lang, "audit-title");
    // htmx asks for the rows only (filtering and "more" without a page reload).
    if headers.contains_key("hx-request") {
        return render(&AuditRows {
            more: base.t("audit-more"),
            rows,
            next,
            errors,
        });
    }
    let more = base.t("audit-more");
    render(&AuditPage {
        more,
        base,
        actor: f.actor.clone().unwrap_or_default(),
        entity: f.entity.clone().unwrap_or_default(),
        action: f.action.clone().unwrap_or_default(),
        rows,
        next,
        errors,
    })
}

pub async fn export_csv(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(f): Query<AuditFilter>,
) -> Result<Response, HttpError> {
    // In words for people (headings in the reader's language, a BOM so that
    // spreadsheet programs read UTF-8), with the codes beside them for tools.
    let rows = rows(lang, state.app.export_audit(&a, &f).await?);
    let t = |k: &str| crate::i18n::t(lang, k);
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record([
        "#".to_owned(),
        t("audit-at"),
        t("audit-actor"),
        t("audit-actor-id"),
        t("audit-action"),
        t("audit-action-code"),
        t("audit-entity"),
        t("audit-subject"),
        t("audit-entity-id"),
        t("audit-hash"),
    ]);
    for r in rows {
        let _ = w.write_record([
            r.seq.to_string(),
            r.at,
            r.actor,
            r.actor_id,
            r.action,
            r.action_code,
            r.entity,
            r.subject,
            r.entity_id,
            r.hash,
        ]);
    }
    let body = w.into_inner().map_err(|_| AppError::Internal)?;
    let disposition = format!(
        "attachment; filename=\"zakrila-audit-{}.csv\"",
        lang.as_str()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, disposition.as_str()),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_label_in_both_languages() {
        for (action, key) in audit::ACTIONS {
            for l in [Locale::Bg, Locale::En] {
                assert!(crate::i18n::has(l, key), "{action}: {key} in {l:?}");
            }
        }
        assert_eq!(
            action_label(Locale::Bg, "case.identity_read".into()),
            "Преглед на лични данни"
        );
    }
}
