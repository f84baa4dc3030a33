//! Free text that may identify a person (a referral's purpose and note, a court case
//! number, the place a person returns from, goals, follow-up notes) is encrypted
//! from now on. A migration has no master key, so it only leaves a marker; the
//! first start after the upgrade encrypts the rows written before
//! (`Store::seal_plaintext`) and removes it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO settings (\"key\", value) VALUES ('vault.free_text_unsealed', '1')",
            )
            .await?;
        Ok(())
    }
}
