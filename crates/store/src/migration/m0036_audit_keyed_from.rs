//! Where the keyed audit chain starts: every event from the head at upgrade time
//! plus one is chained with an HMAC under a key derived from the master key; the
//! events before keep their plain SHA-256 hashes. The first start after this seals
//! the value with the key (`audit::seal_keyed_from`), so it cannot be moved.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO settings (\"key\", value) SELECT 'audit.keyed_from', \
                 CAST(COALESCE((SELECT seq FROM audit_head WHERE id = 1), 0) + 1 AS TEXT)",
            )
            .await?;
        Ok(())
    }
}
