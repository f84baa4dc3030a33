//! Indexes for the dashboard's lists, so each reads a few index entries whatever the
//! caseload's size: cases in the reflection period by organisation and end date, and
//! services by due date (walked in date order, each checked against its case's
//! organisation by key, until a page is found).

use sea_orm_migration::prelude::*;

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index(
            "cases",
            "cases_org_stage_reflection",
            &["org_id", "stage", "reflection_ends"],
        ))
        .await?;
        m.create_index(index("case_services", "case_services_due", &["due_date"]))
            .await?;
        Ok(())
    }
}
