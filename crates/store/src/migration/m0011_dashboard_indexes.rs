//! Indexes for the dashboard's lists and the referral inbox, so a page reads a few
//! index entries whatever the caseload's size: cases in the reflection period by
//! organisation and end date; services by due date (walked in date order, each
//! checked against its case's organisation by key, until a page is found); referrals
//! to an organisation newest first, with or without a status (replacing the index on
//! receiver and status, which left every referral to the organisation to sort).

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
        m.drop_index(
            Index::drop()
                .name("referrals_to")
                .table("referrals")
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "referrals",
            "referrals_to_status_created",
            &["to_org", "status", "created_at"],
        ))
        .await?;
        m.create_index(index(
            "referrals",
            "referrals_to_created",
            &["to_org", "created_at"],
        ))
        .await?;
        Ok(())
    }
}
