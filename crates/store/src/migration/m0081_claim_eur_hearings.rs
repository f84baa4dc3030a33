//! The compensation claim in euro (`compensation_cents`; a claim entered in lev
//! before the euro keeps `compensation_stotinki`, so each amount is stored in the
//! currency it was entered in), and the hearing dates of criminal proceedings.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("case_proceedings")
                .add_column(big_integer_null("compensation_cents"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("case_hearings")
                .col(string("id").primary_key())
                .col(string("proceedings_id"))
                .col(string("case_id"))
                // `YYYY-MM-DD` and `HH:MM` (local time), as the summons gives them.
                .col(string("on_date"))
                .col(string_null("at_time"))
                .col(string_null("note"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    "case_hearings",
                    "proceedings_id",
                    "case_proceedings",
                ))
                .foreign_key(&mut fk("case_hearings", "case_id", "cases"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "case_hearings",
            "case_hearings_case",
            &["case_id", "on_date"],
        ))
        .await?;
        m.create_index(index("case_hearings", "case_hearings_on", &["on_date"]))
            .await?;
        Ok(())
    }
}
