//! The sender's list of referrals, newest first, reads a few index entries however
//! many referrals the organisation has sent.

use sea_orm_migration::prelude::*;

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index(
            "referrals",
            "referrals_from_created",
            &["from_org", "created_at"],
        ))
        .await?;
        Ok(())
    }
}
