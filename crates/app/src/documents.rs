//! Documents attached to a case: scanned consent forms, identity papers, medical
//! and court documents. The content's type is told by the content itself, its size
//! bounded by the operator's limit while it streams, and it is kept encrypted
//! (`zakrila_store::documents`). Listing and downloading need
//! `Action::ViewDocuments`, attaching and removing `Action::AttachDocument`; every
//! download is audited. Nothing derived from the content (no thumbnail, no preview)
//! is ever made: identity papers stay whole and encrypted.

use std::future::Future;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    document::{ContentCheck, DocumentKind, FileType, original_name, parse_caption},
    policy::{Action, Resource},
};
use zakrila_store::{
    documents::{DocumentReader, NewDocument},
    entity::{case, case_document},
};

use crate::{App, AppError, Authed, Errors};

/// A document as lists show it. The name the file had is not here: it often names
/// the person, so it is kept encrypted and shown only in the person's own report.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct DocumentOut {
    pub id: String,
    /// consent_form, identity_document, medical, court, other.
    pub kind: String,
    /// pdf, jpeg, png, docx — as the content showed it.
    pub file_type: String,
    pub caption: Option<String>,
    pub size_bytes: u64,
    /// UTC milliseconds since the epoch.
    pub created_at: i64,
}

/// The fields sent with a document's content.
#[derive(Deserialize, Serialize, ToSchema, Debug, Default, Clone)]
#[serde(default)]
pub struct DocumentMeta {
    /// consent_form, identity_document, medical, court, other.
    pub kind: String,
    /// A short description, at most 200 characters, without names.
    pub caption: String,
}

/// The content of an upload, piece by piece as it arrives (the HTTP layer reads
/// its multipart body into this).
pub trait Upload: Send {
    /// The next piece; `None` at the end.
    fn next_piece(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, AppError>> + Send;
}

/// A document on its way out: a safe generated name, its media type and its
/// content, decrypted as it is read.
pub struct DocumentDownload {
    pub file_name: String,
    pub media_type: &'static str,
    pub size: u64,
    pub content: DocumentContent,
}

/// A document's plaintext, chunk by chunk.
pub struct DocumentContent(DocumentReader);

impl DocumentContent {
    /// The next piece; `None` at the end; an error when the stored content was
    /// altered or is missing (the download is then cut short).
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        Ok(self.0.next_chunk().await?)
    }
}

/// The case page's documents section.
#[derive(Debug, Clone)]
pub struct DocumentsSection {
    pub case_id: String,
    pub documents: Vec<DocumentOut>,
    pub can_view: bool,
    pub can_attach: bool,
    /// The size limit, in bytes, for the form to state.
    pub max_bytes: u64,
}

/// A document in the person's own report, with the name the file had.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ReportDocument {
    pub kind: String,
    pub file_type: String,
    pub caption: Option<String>,
    pub file_name: String,
    pub size_bytes: u64,
    pub created_at: i64,
    /// The organisation that attached it (slug).
    pub organisation: String,
}

fn out(d: case_document::Model) -> DocumentOut {
    DocumentOut {
        id: d.id,
        kind: d.kind,
        file_type: d.file_type,
        caption: d.caption,
        size_bytes: u64::try_from(d.size_bytes).unwrap_or(0),
        created_at: d.created_at,
    }
}

/// The name a download is saved under: the case's code, the kind and the start
/// of the document's id — never the name it was uploaded with.
fn download_name(code: &str, d: &case_document::Model) -> String {
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let ext = FileType::parse(&d.file_type).map_or("bin", |t| t.extension());
    let short: String =
        d.id.chars()
            .rev()
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
    format!("{code}-{}-{short}.{ext}", d.kind.replace('_', "-"))
}

impl App {
    /// A case's documents, newest first.
    pub async fn documents(&self, a: &Authed, id: &str) -> Result<Vec<DocumentOut>, AppError> {
        let c = self.case_for(a, id, Action::ViewDocuments).await?;
        Ok(self
            .store
            .documents_of(&c.id)
            .await?
            .into_iter()
            .map(out)
            .collect())
    }

    /// Whether the caller may attach a document to case `id`: asked before an
    /// upload's body is read, so that a stranger learns nothing from how the body is
    /// answered (404 whatever was sent).
    pub async fn may_attach_document(&self, a: &Authed, id: &str) -> Result<(), AppError> {
        self.case_for(a, id, Action::AttachDocument)
            .await
            .map(|_| ())
    }

    /// Attaches a document to the case: `meta` checked first, then the content
    /// read from `content` — refused as soon as its first bytes are no accepted
    /// type or it passes the size limit, with nothing stored.
    pub async fn attach_document<U: Upload>(
        &self,
        a: &Authed,
        id: &str,
        meta: DocumentMeta,
        file_name: &str,
        content: &mut U,
    ) -> Result<DocumentOut, AppError> {
        let c = self.case_for(a, id, Action::AttachDocument).await?;
        let mut e = Errors::default();
        let kind = e.take(DocumentKind::parse(meta.kind.trim()));
        let caption = e.take(parse_caption(&meta.caption));
        e.finish()?;
        let (Some(kind), Some(caption)) = (kind, caption) else {
            return Err(AppError::Invalid(vec![]));
        };
        let max = self.limits.document_max_bytes;
        let mut check = ContentCheck::default();
        let mut size = 0u64;
        let mut writer = None;
        while let Some(piece) = content.next_piece().await? {
            if piece.is_empty() {
                continue;
            }
            size += piece.len() as u64;
            if size > max {
                return Err(AppError::invalid("error-document-too-large", Some("file")));
            }
            check.feed(&piece)?;
            if writer.is_none() {
                writer = Some(self.store.begin_document().await?);
            }
            if let Some(w) = writer.as_mut() {
                w.write(&piece).await?;
            }
        }
        let file_type = check.finish()?;
        let writer = writer.ok_or(AppError::invalid("error-document-empty", Some("file")))?;
        let name = original_name(file_name);
        let m = writer
            .finish(
                a.user_uuid(),
                NewDocument {
                    case_id: c.id.clone(),
                    org_id: a.org.id.clone(),
                    kind,
                    caption,
                    file_name: if name.is_empty() {
                        format!("document.{}", file_type.extension())
                    } else {
                        name
                    },
                    file_type,
                },
            )
            .await?;
        Ok(out(m))
    }

    /// Opens a document of the case for download; the read is audited before any
    /// byte leaves.
    pub async fn download_document(
        &self,
        a: &Authed,
        id: &str,
        doc_id: &str,
    ) -> Result<DocumentDownload, AppError> {
        let c = self.case_for(a, id, Action::ViewDocuments).await?;
        let d = self
            .store
            .document_of_case(&c.id, doc_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let reader = self.store.open_document(a.user_uuid(), &d).await?;
        Ok(DocumentDownload {
            file_name: download_name(&c.code, &d),
            media_type: FileType::parse(&d.file_type)
                .map_or("application/octet-stream", |t| t.media_type()),
            size: reader.size(),
            content: DocumentContent(reader),
        })
    }

    /// Removes a document of the case (its content with it), audited.
    pub async fn remove_document(
        &self,
        a: &Authed,
        id: &str,
        doc_id: &str,
    ) -> Result<(), AppError> {
        let c = self.case_for(a, id, Action::AttachDocument).await?;
        Ok(self
            .store
            .remove_document(a.user_uuid(), &c.id, doc_id)
            .await?)
    }

    /// The case page's documents section; part of the case page's one operation,
    /// which has loaded and authorised the case (`res`).
    pub(crate) async fn documents_section(
        &self,
        a: &Authed,
        c: &case::Model,
        res: &Resource,
    ) -> Result<DocumentsSection, AppError> {
        let can_view = a.can(Action::ViewDocuments, res);
        Ok(DocumentsSection {
            case_id: c.id.clone(),
            documents: if can_view {
                self.store
                    .documents_of(&c.id)
                    .await?
                    .into_iter()
                    .map(out)
                    .collect()
            } else {
                vec![]
            },
            can_view,
            can_attach: a.can(Action::AttachDocument, res),
            max_bytes: self.limits.document_max_bytes,
        })
    }

    /// The case's documents for the person's own report (the caller was allowed to
    /// read the identity), with the names the files had.
    pub(crate) async fn report_documents(
        &self,
        case_id: &str,
        slug: impl Fn(&str) -> String,
    ) -> Result<Vec<ReportDocument>, AppError> {
        let mut docs = vec![];
        for d in self.store.documents_of(case_id).await? {
            docs.push(ReportDocument {
                file_name: self.store.document_file_name(&d)?,
                organisation: slug(&d.org_id),
                kind: d.kind,
                file_type: d.file_type,
                caption: d.caption,
                size_bytes: u64::try_from(d.size_bytes).unwrap_or(0),
                created_at: d.created_at,
            });
        }
        Ok(docs)
    }
}
