//! One directory of places where people are met or housed: the refugee agency's
//! reception centres, the Migration Directorate's homes, shelters and crisis
//! centres. `kind` says which; capacity and region are editable data.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("places")
                .col(string("id").primary_key())
                .col(string("kind"))
                .col(string("name_bg"))
                .col(string("name_en"))
                .col(string_null("region"))
                .col(integer_null("capacity"))
                .col(string_null("operator_org"))
                .col(boolean("active"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut super::fk("places", "operator_org", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("places", "places_kind", &["kind", "name_bg"]))
            .await?;
        Ok(())
    }
}
