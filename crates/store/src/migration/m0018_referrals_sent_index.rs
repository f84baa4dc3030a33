//! Referrals an organisation sent, by status and newest first, so its start page
//! reads the few still waiting for an answer whatever the number of referrals.

use sea_orm_migration::prelude::*;

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index(
            "referrals",
            "referrals_from_status_created",
            &["from_org", "status", "created_at"],
        ))
        .await?;
        Ok(())
    }
}
