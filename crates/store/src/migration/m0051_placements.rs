//! A case's placements in shelters: which place, for which group, from and to
//! (`YYYY-MM-DD`; open while `to_on` is null) and why the person left.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("placements")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("org_id"))
                .col(string("place_id"))
                .col(string("bed_group"))
                .col(string("from_on"))
                .col(string_null("to_on"))
                .col(string_null("leaving_reason"))
                .col(integer("version"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut super::fk("placements", "case_id", "cases"))
                .foreign_key(&mut super::fk("placements", "place_id", "places"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "placements",
            "placements_case",
            &["case_id", "from_on"],
        ))
        .await?;
        m.create_index(index(
            "placements",
            "placements_place",
            &["place_id", "to_on"],
        ))
        .await?;
        Ok(())
    }
}
