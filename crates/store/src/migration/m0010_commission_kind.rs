//! The National Commission gets a kind of its own in the directory, so the policy's
//! Commission membership is read from the organisation's kind rather than decided by
//! comparing slugs. Existing databases loaded the directory with it as `government`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "UPDATE organisations SET kind = 'national_commission' WHERE slug = 'nccthb'",
            )
            .await?;
        Ok(())
    }
}
