//! Projects with targets. A target is a query from the catalogue
//! (`zakrila_domain::outreach::TargetMetric`) with its parameters and a target
//! value; what is achieved is counted live, never stored.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("projects")
                .col(string("id").primary_key())
                .col(string_uniq("slug"))
                .col(string("name_bg"))
                .col(string("name_en"))
                .col(string_null("donor"))
                .col(string("org_id"))
                .col(string("partners"))
                .col(string("starts_on"))
                .col(string("ends_on"))
                .col(big_integer_null("budget_stotinki"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("projects", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("project_targets")
                .col(string("id").primary_key())
                .col(string("project_id"))
                .col(integer("position"))
                .col(string("name_bg"))
                .col(string("name_en"))
                .col(string("metric"))
                .col(string("params"))
                .col(big_integer("target"))
                .foreign_key(
                    ForeignKey::create()
                        .from("project_targets", "project_id")
                        .to("projects", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "project_targets",
            "project_targets_project",
            &["project_id", "position"],
        ))
        .await?;
        Ok(())
    }
}
