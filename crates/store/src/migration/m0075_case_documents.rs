//! Documents attached to cases, and the chunks of those kept in the database.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_documents")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("org_id"))
                .col(string("kind"))
                .col(string("file_type"))
                .col(string_null("caption"))
                .col(text("file_name"))
                .col(text("file_key"))
                .col(string("nonce_prefix"))
                .col(integer("chunk_size"))
                .col(integer("chunks"))
                .col(big_integer("size_bytes"))
                .col(string("storage"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut super::fk("case_documents", "case_id", "cases"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "case_documents",
            "case_documents_case",
            &["case_id", "created_at"],
        ))
        .await?;
        // Chunks are written as they stream, before the document's row is: no
        // foreign key; a document's removal deletes its chunks in its transaction.
        m.create_table(
            Table::create()
                .table("case_document_chunks")
                .col(string("document_id"))
                .col(integer("seq"))
                .col(blob("data"))
                .primary_key(Index::create().col("document_id").col("seq"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
