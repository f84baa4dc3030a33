//! How many cases each organisation's caseload holds, kept in step with the
//! `caseload` rows (`store::cases::caseload`), so the unfiltered list shows an exact
//! total without counting: counting even a capped thousand index entries was half
//! the cost of a caseload page (bench/cases/RESULTS.md).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("caseload_counts")
                .col(string("org_id").primary_key())
                .col(big_integer("cases").default(0))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO caseload_counts (org_id, cases) \
                 SELECT org_id, COUNT(*) FROM caseload GROUP BY org_id",
            )
            .await?;
        Ok(())
    }
}
