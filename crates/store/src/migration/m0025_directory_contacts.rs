//! The directory's public contacts: one row per organisation that has any (phones
//! as a JSON list, regions, needs and services as comma-separated codes).

use sea_orm_migration::{prelude::*, schema::*};

use super::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("org_contacts")
                .col(string("org_id").primary_key())
                .col(text("phones"))
                .col(string_null("email"))
                .col(string_null("website"))
                .col(text("address_bg"))
                .col(text("address_en"))
                .col(text("hours_bg"))
                .col(text("hours_en"))
                .col(text("regions"))
                .col(text("needs"))
                .col(text("services"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut fk("org_contacts", "org_id", "organisations"))
                .take(),
        )
        .await
    }
}
