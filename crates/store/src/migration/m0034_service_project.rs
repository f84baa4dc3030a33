//! A case service can be attributed to a project, so the project's targets count it.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("case_services")
                .add_column(string_null("project_id"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "case_services",
            "case_services_project",
            &["project_id"],
        ))
        .await?;
        Ok(())
    }
}
