//! The case page's documents section: the list (kind, caption, type, size, when),
//! each with its download link (audited) and removal, and the form that attaches a
//! file — plain multipart, no JavaScript. Data from `zakrila_app::documents`;
//! the upload is read by `crate::documents`.

use askama::Template;
use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    response::Response,
};
use zakrila_app::documents::DocumentsSection;
use zakrila_domain::{
    document::{DocumentKind, FileType},
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::HttpError,
    format, label,
    lang::Lang,
    options,
    state::AppState,
    views::{case_details::Tr, case_page::or_errors, layout::datetime},
};

pub struct DocumentRow {
    pub id: String,
    pub kind: String,
    pub caption: String,
    pub file_type: String,
    pub size: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "case_documents_partial.html", whitespace = "minimize")]
pub struct Section {
    pub tr: Tr,
    pub case_id: String,
    pub documents: Vec<DocumentRow>,
    pub can_view: bool,
    pub can_attach: bool,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub max_size: String,
}

/// A size as people read it: KB below a megabyte, MB with one decimal above.
pub fn size(bytes: u64, lang: Locale) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if (bytes as f64) < MB {
        format!("{} KB", format::integer(bytes.div_ceil(1024) as i64, lang))
    } else {
        format!("{} MB", format::number(bytes as f64 / MB, 1, lang))
    }
}

/// The documents section, as HTML.
pub fn case_section(lang: Locale, s: &DocumentsSection) -> Result<String, HttpError> {
    let section = Section {
        documents: s
            .documents
            .iter()
            .map(|d| DocumentRow {
                id: d.id.clone(),
                kind: label!(DocumentKind, &d.kind, lang),
                caption: d.caption.clone().unwrap_or_default(),
                file_type: label!(FileType, &d.file_type, lang),
                size: size(d.size_bytes, lang),
                when: datetime(d.created_at),
            })
            .collect(),
        can_view: s.can_view,
        can_attach: s.can_attach,
        kinds: options!(DocumentKind, lang),
        max_size: size(s.max_bytes, lang),
        case_id: s.case_id.clone(),
        tr: Tr(lang),
    };
    section.render().map_err(|e| {
        tracing::error!(error = %e, "template rendering failed");
        crate::error::AppError::Internal.into()
    })
}

pub async fn attach(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, HttpError> {
    let r = crate::documents::attach(&state, &a, &id, form)
        .await
        .map(|_| ());
    or_errors(&state, &a, lang, &id, r.map_err(Into::into)).await
}

pub async fn download(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let d = state.app.download_document(&a, &id, &doc).await?;
    Ok(crate::documents::download(d))
}

pub async fn remove(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let r = state.app.remove_document(&a, &id, &doc).await;
    or_errors(&state, &a, lang, &id, r.map_err(Into::into)).await
}
