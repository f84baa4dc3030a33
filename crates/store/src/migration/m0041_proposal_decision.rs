//! A proposal under Art. 76a changes after it is filed: the decision on it (granted,
//! refused, withdrawn) and its date, edited optimistically like the other records.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a single column at a time.
        m.alter_table(
            Table::alter()
                .table("child_proposals")
                .add_column(string_null("decided_on"))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("child_proposals")
                .add_column(integer("version").default(1))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("child_proposals")
                .add_column(big_integer_null("updated_at"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
