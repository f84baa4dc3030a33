//! Shelters, crisis and transit centres are places of the one directory; their
//! capacity is kept per group besides the total.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for col in [
            "capacity_women",
            "capacity_men",
            "capacity_children",
            "capacity_mothers",
        ] {
            m.alter_table(
                Table::alter()
                    .table("places")
                    .add_column(integer_null(col))
                    .take(),
            )
            .await?;
        }
        Ok(())
    }
}
