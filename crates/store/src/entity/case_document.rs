//! A document attached to a case. Its content is encrypted under a random key of
//! its own (`file_key`, wrapped by the vault) in chunks (`documents.rs` of the
//! store), kept in the data directory or in `case_document_chunks`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    /// The organisation that attached it.
    pub org_id: String,
    /// A `zakrila_domain::document::DocumentKind`.
    pub kind: String,
    /// A `zakrila_domain::document::FileType`, as the content showed it.
    pub file_type: String,
    /// The caseworker's description (no names, the form asks).
    pub caption: Option<String>,
    /// The name the file had when uploaded, encrypted (it often names the person).
    pub file_name: String,
    /// The content's key, encrypted by the vault.
    pub file_key: String,
    /// The STREAM construction's nonce prefix, hex.
    pub nonce_prefix: String,
    /// Plaintext bytes per chunk (the last may be shorter).
    pub chunk_size: i32,
    pub chunks: i32,
    /// Plaintext bytes.
    pub size_bytes: i64,
    /// `dir` (a file in the data directory) or `database` (`case_document_chunks`).
    pub storage: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
