//! Name tokens and the duplicate index become keyed per organisation. A migration
//! holds no key, so it only leaves a marker; the first start after it rebuilds the
//! indexes with the key (`store::name_index`) and removes the marker.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO settings (\"key\", value) VALUES ('name_index.rebuild_after', '')",
            )
            .await?;
        Ok(())
    }
}
