//! Documents attached to cases: their rows, their encrypted content and where it
//! lives — a file per document in the data directory (files 0600 in a 0700
//! directory), or chunk rows in the database — chosen for new documents by
//! [`DocumentStorage`]; each row says where its own content is.
//!
//! A document is written through a [`DocumentWriter`]: the content streams in, is
//! sealed chunk by chunk (`stream.rs`) and goes to a partial file (data directory)
//! or into the write transaction (database); `finish` adds the row and the audit
//! event in one transaction. Nothing is left behind by an upload that is abandoned
//! or refused. The content is read back only through [`Store::open_document`],
//! which records the read in the audit trail first.

pub mod stream;

use std::path::{Path, PathBuf};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;
use zakrila_domain::document::{DocumentKind, FileType};

use crate::{
    Backend, Store, StoreError, WriteTxn,
    audit::{self, AuditEntry},
    entity::{case_document, case_document_chunk},
    new_id, now_ms,
    vault::FieldRef,
};
use stream::{CHUNK, FileKey, Opener, Sealer, TAG};

/// Where new documents' content is kept (config `documents_store`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentStorage {
    /// One file per document in this directory.
    Dir(PathBuf),
    /// Chunk rows in the database (`case_document_chunks`).
    Database,
}

impl DocumentStorage {
    /// The default for a database URL: beside a SQLite file, else in the database.
    pub fn default_for(url: &str) -> Self {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(""));
        match path {
            Some(p) if !p.is_empty() && !p.contains(":memory:") => Path::new(p)
                .parent()
                .map_or(DocumentStorage::Database, |d| {
                    DocumentStorage::Dir(d.join("documents"))
                }),
            _ => DocumentStorage::Database,
        }
    }
}

fn name_ref(id: &str) -> FieldRef<'_> {
    FieldRef {
        table: "case_documents",
        column: "file_name",
        row_id: id,
    }
}

/// What is known of a document besides its content, already validated.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub case_id: String,
    pub org_id: String,
    pub kind: DocumentKind,
    pub caption: Option<String>,
    pub file_name: String,
    pub file_type: FileType,
}

enum Sink {
    /// The partial file (its path in `cleanup`) and the path it will have.
    File {
        done: PathBuf,
        file: tokio::fs::File,
    },
    Rows(WriteTxn),
    Done,
}

/// A document being written; see the module documentation.
pub struct DocumentWriter {
    store: Store,
    id: String,
    key: FileKey,
    sealer: Option<Sealer>,
    sink: Sink,
    seq: i32,
    size: u64,
    /// A file to remove if the document is not committed (a dropped transaction
    /// rolls itself back).
    cleanup: Option<PathBuf>,
}

impl Drop for DocumentWriter {
    fn drop(&mut self) {
        if let Some(path) = &self.cleanup {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("document file: {e}")))
}

impl Store {
    /// Keeps new documents' content as `storage` says.
    pub fn with_documents(mut self, storage: DocumentStorage) -> Self {
        self.documents = std::sync::Arc::new(storage);
        self
    }

    pub fn document_storage(&self) -> &DocumentStorage {
        &self.documents
    }

    /// Starts writing a new document's content.
    pub async fn begin_document(&self) -> Result<DocumentWriter, StoreError> {
        let id = new_id();
        let key = FileKey::random();
        let mut cleanup = None;
        let sink = match &*self.documents {
            DocumentStorage::Dir(dir) => {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || private_dir(&dir))
                    .await
                    .map_err(|_| StoreError::Conflict("spawn"))?
                    .map_err(io)?;
                let (part, done) = self.document_paths(&id)?;
                let mut opts = tokio::fs::OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                opts.mode(0o600);
                let file = opts.open(&part).await.map_err(io)?;
                cleanup = Some(part);
                Sink::File { done, file }
            }
            DocumentStorage::Database => Sink::Rows(self.begin_write().await?),
        };
        Ok(DocumentWriter {
            sealer: Some(Sealer::new(&key, &id)),
            store: self.clone(),
            id,
            key,
            sink,
            seq: 0,
            size: 0,
            cleanup,
        })
    }

    /// The partial and final paths of a document kept in the data directory.
    fn document_paths(&self, id: &str) -> Result<(PathBuf, PathBuf), StoreError> {
        let DocumentStorage::Dir(dir) = &*self.documents else {
            return Err(StoreError::Conflict("documents-dir"));
        };
        // Ids are UUIDs; anything else never names a path.
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(StoreError::NotFound);
        }
        Ok((dir.join(format!("{id}.part")), dir.join(id)))
    }

    /// A case's documents, newest first.
    pub async fn documents_of(
        &self,
        case_id: &str,
    ) -> Result<Vec<case_document::Model>, StoreError> {
        Ok(case_document::Entity::find()
            .filter(case_document::Column::CaseId.eq(case_id))
            .order_by_desc(case_document::Column::CreatedAt)
            .order_by_desc(case_document::Column::Id)
            .all(&self.reads)
            .await?)
    }

    /// The document `id` of case `case_id`.
    pub async fn document_of_case(
        &self,
        case_id: &str,
        id: &str,
    ) -> Result<Option<case_document::Model>, StoreError> {
        Ok(self
            .read_one(case_document::Entity::find_by_id(id.to_owned()))
            .await?
            .filter(|d| d.case_id == case_id))
    }

    /// The name a document had when uploaded (for the person's own report).
    pub fn document_file_name(&self, d: &case_document::Model) -> Result<String, StoreError> {
        Ok(self.vault.decrypt(name_ref(&d.id), &d.file_name)?)
    }

    /// Opens a document's content for reading, recording the read (`case.document_read`)
    /// in the audit trail first: the one way to the content.
    pub async fn open_document(
        &self,
        actor: Uuid,
        d: &case_document::Model,
    ) -> Result<DocumentReader, StoreError> {
        let key = FileKey::unwrap(&self.vault, &d.id, &d.file_key, &d.nonce_prefix)?;
        let file = if d.storage == "dir" {
            let (_, path) = self.document_paths(&d.id)?;
            Some(tokio::fs::File::open(&path).await.map_err(io)?)
        } else {
            None
        };
        self.record(
            AuditEntry::new(Some(actor), "case.document_read", "case")
                .id(&d.case_id)
                .change(serde_json::json!({"document": d.id})),
        )
        .await?;
        Ok(DocumentReader {
            store: self.clone(),
            opener: Opener::new(&key, &d.id),
            id: d.id.clone(),
            file,
            seq: 0,
            chunks: d.chunks,
            chunk_size: d.chunk_size as usize,
            size: d.size_bytes as u64,
        })
    }

    /// Removes a document of a case (row, chunks and file), audited.
    pub async fn remove_document(
        &self,
        actor: Uuid,
        case_id: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let sqlite = self.backend == Backend::Sqlite;
        if sqlite {
            // The wrapped key's bytes must not linger in the file's free pages.
            txn.execute_unprepared("PRAGMA secure_delete = ON").await?;
        }
        let d = crate::read::one_in(case_document::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .filter(|d| d.case_id == case_id)
            .ok_or(StoreError::NotFound)?;
        let files = delete_rows(&txn, vec![d.clone()]).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.document_remove", "case")
                .id(case_id)
                .change(serde_json::json!({"document": d.id, "kind": d.kind})),
        )
        .await?;
        if sqlite {
            txn.execute_unprepared("PRAGMA secure_delete = OFF").await?;
        }
        txn.commit().await?;
        self.remove_document_files(&files).await;
        Ok(())
    }

    /// Deletes the files of documents whose rows are gone. Best effort: without its
    /// row (and so its key) a left-over file cannot be decrypted.
    pub(crate) async fn remove_document_files(&self, ids: &[String]) {
        for id in ids {
            if let Ok((_, path)) = self.document_paths(id)
                && let Err(e) = tokio::fs::remove_file(&path).await
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::error!(error = %e, "cannot remove a document file");
            }
        }
    }
}

/// Deletes documents' rows and chunks in `txn`; returns the ids of those whose
/// content is a file, to remove once the transaction commits.
pub(crate) async fn delete_rows(
    txn: &WriteTxn,
    docs: Vec<case_document::Model>,
) -> Result<Vec<String>, StoreError> {
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    case_document_chunk::Entity::delete_many()
        .filter(case_document_chunk::Column::DocumentId.is_in(ids.clone()))
        .exec(txn)
        .await?;
    case_document::Entity::delete_many()
        .filter(case_document::Column::Id.is_in(ids))
        .exec(txn)
        .await?;
    Ok(docs
        .into_iter()
        .filter(|d| d.storage == "dir")
        .map(|d| d.id)
        .collect())
}

/// Deletes every document of a case in `txn` (erasure); see [`delete_rows`].
pub(crate) async fn delete_of_case(
    txn: &WriteTxn,
    case_id: &str,
) -> Result<Vec<String>, StoreError> {
    let docs = case_document::Entity::find()
        .filter(case_document::Column::CaseId.eq(case_id))
        .all(txn)
        .await?;
    delete_rows(txn, docs).await
}

impl DocumentWriter {
    /// Plaintext bytes taken so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Takes the next piece of content.
    pub async fn write(&mut self, piece: &[u8]) -> Result<(), StoreError> {
        self.size += piece.len() as u64;
        let mut sealed: Vec<Vec<u8>> = vec![];
        let sealer = self.sealer.as_mut().ok_or(StoreError::Conflict("sealed"))?;
        sealer.push(piece, |c| {
            sealed.push(c.to_vec());
            Ok(())
        })?;
        for c in sealed {
            self.put(c).await?;
        }
        Ok(())
    }

    async fn put(&mut self, chunk: Vec<u8>) -> Result<(), StoreError> {
        match &mut self.sink {
            Sink::File { file, .. } => file.write_all(&chunk).await.map_err(io)?,
            Sink::Done => return Err(StoreError::Conflict("sealed")),
            Sink::Rows(txn) => {
                // Without RETURNING: the chunk need not come back.
                case_document_chunk::Entity::insert(case_document_chunk::ActiveModel {
                    document_id: Set(self.id.clone()),
                    seq: Set(self.seq),
                    data: Set(chunk),
                })
                .exec_without_returning(&*txn)
                .await?;
            }
        }
        self.seq += 1;
        Ok(())
    }

    /// Seals the last chunk and adds the document's row with its audit event
    /// (`case.document_add`), in one transaction.
    pub async fn finish(
        mut self,
        actor: Uuid,
        doc: NewDocument,
    ) -> Result<case_document::Model, StoreError> {
        let sealer = self.sealer.take().ok_or(StoreError::Conflict("sealed"))?;
        let last = sealer.finish()?;
        self.put(last).await?;
        let store = self.store.clone();
        let key_id = store.current_key_id().await?;
        let row = case_document::ActiveModel {
            id: Set(self.id.clone()),
            case_id: Set(doc.case_id.clone()),
            org_id: Set(doc.org_id),
            kind: Set(doc.kind.as_str().to_owned()),
            file_type: Set(doc.file_type.as_str().to_owned()),
            caption: Set(doc.caption),
            file_name: Set(store
                .vault
                .encrypt(key_id, name_ref(&self.id), &doc.file_name)),
            file_key: Set(self.key.wrap(&store.vault, key_id, &self.id)),
            nonce_prefix: Set(hex::encode(self.key.prefix)),
            chunk_size: Set(CHUNK as i32),
            chunks: Set(self.seq),
            size_bytes: Set(self.size as i64),
            storage: Set(match self.sink {
                Sink::File { .. } => "dir",
                _ => "database",
            }
            .to_owned()),
            created_by: Set(actor.to_string()),
            created_at: Set(now_ms()),
        };
        let entry = AuditEntry::new(Some(actor), "case.document_add", "case")
            .id(&doc.case_id)
            .change(serde_json::json!({
                "document": self.id,
                "kind": doc.kind.as_str(),
                "file_type": doc.file_type.as_str(),
                "size": self.size,
            }));
        match std::mem::replace(&mut self.sink, Sink::Done) {
            Sink::File { done, mut file } => {
                file.flush().await.map_err(io)?;
                file.sync_all().await.map_err(io)?;
                drop(file);
                let txn = store.begin_write().await?;
                let m = row.insert(&txn).await?;
                audit::append(&txn, entry).await?;
                let part = self.cleanup.clone().ok_or(StoreError::Conflict("part"))?;
                tokio::fs::rename(&part, &done).await.map_err(io)?;
                // Until the commit succeeds, the final file is what a drop removes.
                self.cleanup = Some(done);
                txn.commit().await?;
                self.cleanup = None;
                Ok(m)
            }
            Sink::Rows(txn) => {
                let m = row.insert(&txn).await?;
                audit::append(&txn, entry).await?;
                txn.commit().await?;
                Ok(m)
            }
            Sink::Done => Err(StoreError::Conflict("sealed")),
        }
    }
}

/// A document's content, decrypted chunk by chunk.
pub struct DocumentReader {
    store: Store,
    opener: Opener,
    id: String,
    file: Option<tokio::fs::File>,
    seq: i32,
    chunks: i32,
    chunk_size: usize,
    size: u64,
}

impl DocumentReader {
    /// Plaintext bytes in all.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The next piece of plaintext; `None` at the end. An error means the stored
    /// content was altered or is missing.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, StoreError> {
        if self.seq >= self.chunks {
            return Ok(None);
        }
        let last = self.seq + 1 == self.chunks;
        let sealed = match &mut self.file {
            Some(f) => {
                let len = if last {
                    self.size as usize - self.chunk_size * (self.chunks as usize - 1) + TAG
                } else {
                    self.chunk_size + TAG
                };
                let mut buf = vec![0u8; len];
                f.read_exact(&mut buf).await.map_err(io)?;
                buf
            }
            None => {
                self.store
                    .read_one(case_document_chunk::Entity::find_by_id((
                        self.id.clone(),
                        self.seq,
                    )))
                    .await?
                    .ok_or(StoreError::NotFound)?
                    .data
            }
        };
        self.seq += 1;
        self.opener.open(sealed, last).map(Some)
    }
}
