//! The mobile teams' consultations. The beneficiary is a pseudonymous code chosen by
//! the team (distinct persons are counted by it); a name exists only once a case is
//! opened from the consultation (`case_id`).

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultations")
                .col(string("id").primary_key())
                .col(string("org_id"))
                .col(string("place_id"))
                .col(string("held_on"))
                .col(string("team"))
                .col(string("beneficiary_code"))
                .col(string("sex"))
                .col(string_null("age_band"))
                .col(string_null("citizenship"))
                .col(string("languages"))
                .col(string("topics"))
                .col(string_null("interpreter_language"))
                .col(integer_null("duration_min"))
                .col(string("vulnerabilities"))
                .col(text("donations"))
                .col(big_integer_null("medical_stotinki"))
                .col(string_null("case_id"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("consultations", "org_id", "organisations"))
                .foreign_key(&mut fk("consultations", "place_id", "places"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "consultations",
            "consultations_org_held",
            &["org_id", "held_on"],
        ))
        .await?;
        m.create_index(index(
            "consultations",
            "consultations_org_code",
            &["org_id", "beneficiary_code"],
        ))
        .await?;
        Ok(())
    }
}
