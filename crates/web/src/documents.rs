//! A case document's way in and out over HTTP, shared by the page routes and the
//! API: a multipart body read field by field into `zakrila_app::documents`
//! (the file streamed piece by piece, never buffered whole), and a download
//! streamed back as an attachment under a generated name.

use axum::{
    body::{Body, Bytes},
    extract::multipart::{Field, Multipart, MultipartRejection},
    http::header,
    response::{IntoResponse, Response},
};
use zakrila_app::{
    AppError, Authed,
    documents::{DocumentDownload, DocumentMeta, DocumentOut, Upload},
};

use crate::state::AppState;

/// Most bytes a text field of the form (kind, caption) may have.
const TEXT_FIELD_MAX: usize = 4096;

fn broken() -> AppError {
    AppError::invalid("error-document-upload", Some("file"))
}

struct FieldUpload<'a>(Field<'a>);

impl Upload for FieldUpload<'_> {
    async fn next_piece(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        Ok(self.0.chunk().await.map_err(|_| broken())?.map(Vec::from))
    }
}

async fn small_text(mut f: Field<'_>, field: &'static str) -> Result<String, AppError> {
    let mut out = Vec::new();
    while let Some(piece) = f.chunk().await.map_err(|_| broken())? {
        out.extend_from_slice(&piece);
        if out.len() > TEXT_FIELD_MAX {
            return Err(AppError::invalid("error-document-field", Some(field)));
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Reads what is left of a refused file, up to a bound, so that the client, still
/// sending, gets the answer instead of a reset connection.
async fn drain(mut f: Field<'_>, limit: u64) {
    let mut left = limit.saturating_mul(2).max(DRAIN_MIN);
    while let Ok(Some(piece)) = f.chunk().await {
        left = left.saturating_sub(piece.len() as u64);
        if left == 0 {
            break;
        }
    }
}

/// Bytes read past a refusal at least (see [`drain`]).
const DRAIN_MIN: u64 = 8 * 1024 * 1024;

/// Reads a document form (`kind`, `caption`, then `file`) and attaches the file to
/// case `id`. Fields after the file are not read. Access is asked first: a body
/// that is no multipart form is refused only for a caller who may attach.
pub async fn attach(
    state: &AppState,
    a: &Authed,
    id: &str,
    form: Result<Multipart, MultipartRejection>,
) -> Result<DocumentOut, AppError> {
    state.app.may_attach_document(a, id).await?;
    let mut form = form.map_err(|_| broken())?;
    let mut meta = DocumentMeta::default();
    while let Some(field) = form.next_field().await.map_err(|_| broken())? {
        match field.name() {
            Some("kind") => meta.kind = small_text(field, "kind").await?,
            Some("caption") => meta.caption = small_text(field, "caption").await?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let mut upload = FieldUpload(field);
                let r = state
                    .app
                    .attach_document(a, id, meta, &name, &mut upload)
                    .await;
                if r.is_err() {
                    drain(upload.0, state.cfg.limits.document_max_bytes).await;
                }
                return r;
            }
            _ => {}
        }
    }
    Err(AppError::invalid("error-document-empty", Some("file")))
}

/// The document as an attachment the browser saves and no cache keeps, its
/// content decrypted as it is sent.
pub fn download(d: DocumentDownload) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", d.file_name);
    let chunks = futures_util::stream::unfold(Some(d.content), |content| async move {
        let mut content = content?;
        match content.next_chunk().await {
            Ok(Some(piece)) => Some((Ok(Bytes::from(piece)), Some(content))),
            Ok(None) => None,
            // Cut the download short: the client sees an incomplete body.
            Err(_) => Some((Err(std::io::Error::other("document content")), None)),
        }
    });
    (
        [
            (header::CONTENT_TYPE, d.media_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, d.size.to_string()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}
