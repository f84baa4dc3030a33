//! The privacy-budget ledger and the published statistical releases. A budget row
//! holds what a year's data set may spend and has spent; a release spends by one
//! conditional update of that row, so two releases racing cannot both pass.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("stats_budgets")
                // `dataset:year`, e.g. `cases:2025`.
                .col(string("id").primary_key())
                .col(string("dataset"))
                .col(integer("year"))
                // ε in thousandths: sums stay exact.
                .col(big_integer("budget_milli"))
                .col(big_integer("spent_milli"))
                .col(big_integer("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("stats_releases")
                .col(string("id").primary_key())
                .col(string("dataset"))
                .col(integer("year"))
                .col(big_integer("epsilon_milli"))
                // Comma-separated table codes.
                .col(text("tables"))
                // The noisy snapshot as JSON: fixed once released.
                .col(text("snapshot"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "stats_releases",
            "stats_releases_year",
            &["year", "created_at"],
        ))
        .await?;
        Ok(())
    }
}
