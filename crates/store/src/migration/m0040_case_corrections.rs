//! Corrections of a case (rectification): who changed which fields, when and why.
//! Field names only — never the values before or after, so no earlier identity is
//! kept in clear.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_corrections")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("reason"))
                .col(string("fields"))
                .col(string("by_user"))
                .col(big_integer("at"))
                .foreign_key(&mut fk("case_corrections", "case_id", "cases"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "case_corrections",
            "case_corrections_case",
            &["case_id", "at"],
        ))
        .await?;
        Ok(())
    }
}
