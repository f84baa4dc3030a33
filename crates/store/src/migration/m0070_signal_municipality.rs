//! Where a signal happened, down to the municipality (its NSI code, e.g. `PDV22`),
//! beside the region in `location`; and an index for the signals that repeat one
//! another (a signal shows the duplicates that point at it).

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("signals")
                .add_column(&mut string_null("municipality"))
                .take(),
        )
        .await?;
        m.create_index(index("signals", "signals_duplicate_of", &["duplicate_of"]))
            .await?;
        Ok(())
    }
}
