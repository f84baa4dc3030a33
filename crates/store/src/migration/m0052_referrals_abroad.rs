//! Referrals to and from counterparts abroad, recorded on the case: the counterpart
//! has no account. The contact may name a person, so it is vault ciphertext.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("referrals_abroad")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("org_id"))
                .col(string("direction"))
                .col(string("country"))
                .col(string("kind"))
                .col(string("counterpart"))
                .col(string_null("contact"))
                .col(string("status"))
                .col(string("referred_on"))
                .col(integer("version"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut super::fk("referrals_abroad", "case_id", "cases"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "referrals_abroad",
            "referrals_abroad_case",
            &["case_id", "referred_on"],
        ))
        .await?;
        m.create_index(index(
            "referrals_abroad",
            "referrals_abroad_counted",
            &["referred_on", "country", "kind"],
        ))
        .await?;
        Ok(())
    }
}
