//! A case brought in from an organisation's own records keeps that organisation's
//! record number (`external_ref`), unique within the organisation, so importing the
//! same spreadsheet again finds the cases already there instead of doubling them.
//! Cases registered in Zakrila have none (NULLs never collide in a unique index, on
//! SQLite and PostgreSQL alike).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("cases")
                .add_column(string_null("external_ref"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("cases_org_external_ref")
                .table("cases")
                .col("org_id")
                .col("external_ref")
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }
}
