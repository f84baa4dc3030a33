//! The parts of a case beyond registration, stages, consent, referrals and services:
//! needs and risk assessments (history kept), safe return, reintegration goals and
//! follow-up sessions, children (guardian encrypted, Art. 76a proposals), criminal
//! proceedings, offenders, and the record of erasures.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A child table of `cases`: removed with its case.
fn of_case(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, "case_id")
        .to("cases", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn by_case(table: &'static str, name: &'static str) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col("case_id")
        .take()
}

/// The columns every edited record shares: optimistic `version` and who/when.
fn edited(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(integer("version"))
        .col(string("created_by"))
        .col(big_integer("created_at"))
        .col(big_integer("updated_at"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_assessments")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("assessed_on"))
                .col(text("items"))
                .col(string("risk_level"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut of_case("case_assessments"))
                .take(),
        )
        .await?;
        m.create_index(by_case("case_assessments", "case_assessments_case"))
            .await?;

        let mut t = Table::create();
        t.table("case_returns")
            .col(string("id").primary_key())
            .col(string_uniq("case_id"))
            .col(string("from_country"))
            .col(text_null("from_city"))
            .col(string_null("travel_date"))
            .col(string_null("escort"))
            .col(string_null("documents"))
            .col(string_null("transport"));
        m.create_table(
            edited(&mut t)
                .foreign_key(&mut of_case("case_returns"))
                .take(),
        )
        .await?;

        let mut t = Table::create();
        t.table("reintegration_goals")
            .col(string("id").primary_key())
            .col(string("case_id"))
            .col(string_null("area"))
            .col(text_null("goal"))
            .col(string("status"));
        m.create_table(
            edited(&mut t)
                .foreign_key(&mut of_case("reintegration_goals"))
                .take(),
        )
        .await?;
        m.create_index(by_case("reintegration_goals", "reintegration_goals_case"))
            .await?;

        let mut t = Table::create();
        t.table("follow_ups")
            .col(string("id").primary_key())
            .col(string("case_id"))
            .col(string("due_on"))
            .col(string_null("held_on"))
            .col(string_null("outcome"))
            .col(text_null("note"));
        m.create_table(
            edited(&mut t)
                .foreign_key(&mut of_case("follow_ups"))
                .take(),
        )
        .await?;
        m.create_index(by_case("follow_ups", "follow_ups_case"))
            .await?;
        m.create_index(
            Index::create()
                .name("follow_ups_due")
                .table("follow_ups")
                .col("held_on")
                .col("due_on")
                .take(),
        )
        .await?;

        let mut t = Table::create();
        t.table("case_children")
            .col(string("id").primary_key())
            .col(string_uniq("case_id"))
            .col(text_null("guardian"))
            .col(boolean("mechanism_engaged"))
            .col(string_null("mechanism_date"));
        m.create_table(
            edited(&mut t)
                .foreign_key(&mut of_case("case_children"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("child_proposals")
                .col(string("id").primary_key())
                .col(string("case_id"))
                .col(string("proposed_on"))
                .col(string("status"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut of_case("child_proposals"))
                .take(),
        )
        .await?;
        m.create_index(by_case("child_proposals", "child_proposals_case"))
            .await?;

        let mut t = Table::create();
        t.table("case_proceedings")
            .col(string("id").primary_key())
            .col(string("case_id"))
            .col(string("stage"))
            .col(text_null("court"))
            .col(text_null("case_number"))
            .col(string("witness_status"))
            .col(string("protection_measures"))
            .col(string_null("final_act_date"))
            .col(big_integer_null("compensation_stotinki"))
            .col(string_null("compensation_filed_on"));
        m.create_table(
            edited(&mut t)
                .foreign_key(&mut of_case("case_proceedings"))
                .take(),
        )
        .await?;
        m.create_index(by_case("case_proceedings", "case_proceedings_case"))
            .await?;

        let mut t = Table::create();
        t.table("case_offenders")
            .col(string("id").primary_key())
            .col(string("case_id"))
            .col(string("sex"))
            .col(string_null("age_band"))
            .col(string_null("citizenship"))
            .col(string("role"))
            .col(string("legal_status"));
        m.create_table(
            edited(&mut t)
                .foreign_key(&mut of_case("case_offenders"))
                .take(),
        )
        .await?;
        m.create_index(by_case("case_offenders", "case_offenders_case"))
            .await?;

        m.create_table(
            Table::create()
                .table("case_erasures")
                .col(string("case_id").primary_key())
                .col(big_integer("erased_at"))
                .col(string("erased_by"))
                .foreign_key(&mut of_case("case_erasures"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
