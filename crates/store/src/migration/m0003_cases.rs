//! Victim case management: persons (identity encrypted), name-token blind indexes,
//! cases, stage history, consents, referrals and services.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("persons")
                .col(string("id").primary_key())
                .col(string("org_id"))
                .col(text_null("given_name"))
                .col(text_null("family_name"))
                .col(text_null("birth_date"))
                .col(text_null("personal_number"))
                .col(text_null("phone"))
                .col(string_null("dup_index"))
                .col(string("sex"))
                .col(integer_null("birth_year"))
                .col(string_null("age_band"))
                .col(string_null("citizenship"))
                .col(string("languages"))
                .col(boolean("is_child"))
                .col(boolean("unaccompanied"))
                .col(boolean("disability"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("persons", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("persons", "persons_dup", &["org_id", "dup_index"]))
            .await?;
        m.create_table(
            Table::create()
                .table("person_name_tokens")
                .col(string("person_id"))
                .col(string("token"))
                .col(string("org_id"))
                .primary_key(Index::create().col("person_id").col("token"))
                .foreign_key(
                    &mut fk("person_name_tokens", "person_id", "persons")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "person_name_tokens",
            "person_name_tokens_token",
            &["token"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("case_counters")
                .col(integer("year").primary_key())
                .col(integer("next"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("cases")
                .col(string("id").primary_key())
                .col(string_uniq("code"))
                .col(string("person_id"))
                .col(string("org_id"))
                .col(string("stage"))
                .col(string_null("closure_reason"))
                .col(string_null("identification_kind"))
                .col(string_null("identified_by"))
                .col(string_null("identified_on"))
                .col(string_null("reflection_ends"))
                .col(text("exploitation"))
                .col(string("forms"))
                .col(string_null("risk_level"))
                .col(boolean("child_mechanism"))
                .col(integer("version"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .col(big_integer("stage_changed_at"))
                .foreign_key(&mut fk("cases", "person_id", "persons"))
                .foreign_key(&mut fk("cases", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "cases",
            "cases_org_updated",
            &["org_id", "updated_at"],
        ))
        .await?;
        m.create_index(index("cases", "cases_person", &["person_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("case_stage_changes")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string_null("from_stage"))
                .col(string("to_stage"))
                .col(big_integer("at"))
                .col(string("by_user"))
                .foreign_key(
                    &mut fk("case_stage_changes", "case_id", "cases")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "case_stage_changes",
            "case_stage_changes_case",
            &["case_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("consents")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("kind"))
                .col(string("state"))
                .col(big_integer("at"))
                .col(string("recorded_by"))
                .foreign_key(
                    &mut fk("consents", "case_id", "cases")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("consents", "consents_case", &["case_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("referrals")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("from_org"))
                .col(string("to_org"))
                .col(text("purpose"))
                .col(string_null("service_code"))
                .col(text("note"))
                .col(string("status"))
                .col(string_null("decline_reason"))
                .col(text_null("consent_override"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .col(string_null("responded_by"))
                .foreign_key(
                    &mut fk("referrals", "case_id", "cases")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("referrals", "from_org", "organisations"))
                .foreign_key(&mut fk("referrals", "to_org", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("referrals", "referrals_case", &["case_id"]))
            .await?;
        m.create_index(index("referrals", "referrals_to", &["to_org", "status"]))
            .await?;
        m.create_table(
            Table::create()
                .table("case_services")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("service_code"))
                .col(string("provider_org"))
                .col(string("status"))
                .col(string_null("start_date"))
                .col(string_null("due_date"))
                .col(string_null("end_date"))
                .col(big_integer_null("cost_stotinki"))
                .col(string_null("project"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(
                    &mut fk("case_services", "case_id", "cases")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("case_services", "provider_org", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("case_services", "case_services_case", &["case_id"]))
            .await?;
        Ok(())
    }
}
