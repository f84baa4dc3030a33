//! Events: trainings, information sessions, campaigns, conferences, working
//! meetings, screening actions, with their participants by category.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("events")
                .col(string("id").primary_key())
                .col(string("org_id"))
                .col(string("kind"))
                .col(string("title"))
                .col(string("starts_on"))
                .col(string("ends_on"))
                .col(string_null("place_id"))
                .col(string_null("venue"))
                .col(string("partners"))
                .col(string_null("target_group"))
                .col(integer("participants_total"))
                .col(integer("women"))
                .col(integer("men"))
                .col(big_integer("reached"))
                .col(string("activities"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("events", "org_id", "organisations"))
                .foreign_key(&mut fk("events", "place_id", "places"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "events",
            "events_org_start",
            &["org_id", "starts_on"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("event_participants")
                .col(string("event_id"))
                .col(string("category"))
                .col(integer("count"))
                .primary_key(Index::create().col("event_id").col("category"))
                .foreign_key(
                    ForeignKey::create()
                        .from("event_participants", "event_id")
                        .to("events", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        Ok(())
    }
}
