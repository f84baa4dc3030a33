//! The National Programme: a year's programme with its sections, objectives,
//! activities (with lead and partner organisations), indicators, the import's
//! validation issues, progress reports and partners' notes.
//!
//! Indicator figures are stored in thousandths (`*_milli`, bigint) rather than
//! as floating point: exact on both backends, like money in stotinki, and three
//! decimals cover every percentage the Programme states.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("programmes")
                .col(string("id").primary_key())
                .col(integer_uniq("year"))
                .col(text("title"))
                .col(string("source"))
                .col(string_null("imported_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("programmes", "imported_by", "users"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("programme_sections")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(integer("number"))
                .col(text("title"))
                .foreign_key(&mut fk("programme_sections", "programme_id", "programmes"))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "programme_sections",
                "programme_sections_programme",
                &["programme_id", "number"],
            )
            .unique()
            .take(),
        )
        .await?;
        // Strategic objectives have a code ("2.4"); operational ones only a title
        // within their strategic objective (`parent_code`).
        m.create_table(
            Table::create()
                .table("programme_objectives")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(integer("position"))
                .col(string("kind"))
                .col(string_null("code"))
                .col(string_null("parent_code"))
                .col(integer_null("section"))
                .col(text("title"))
                .foreign_key(&mut fk(
                    "programme_objectives",
                    "programme_id",
                    "programmes",
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "programme_objectives",
            "programme_objectives_programme",
            &["programme_id", "position"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("programme_activities")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(integer("position"))
                .col(string("code"))
                .col(text("title"))
                .col(text_null("title_en"))
                .col(integer("section"))
                .col(string_null("strategic_objective"))
                .col(text_null("operational_objective"))
                .col(big_integer_null("budget_stotinki"))
                .col(text("budget_source"))
                .col(string("deadline_kind"))
                .col(integer_null("deadline_year"))
                .col(integer_null("deadline_month"))
                .col(text("deadline_text"))
                .col(text("expected_results"))
                .foreign_key(&mut fk(
                    "programme_activities",
                    "programme_id",
                    "programmes",
                ))
                .take(),
        )
        .await?;
        // Not unique: a document may number two rows alike, and the import keeps both.
        m.create_index(index(
            "programme_activities",
            "programme_activities_code",
            &["programme_id", "code"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("programme_activity_orgs")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(string("activity_id"))
                .col(integer("position"))
                .col(string("role"))
                .col(text("mention"))
                // Null when the mention matched no organisation of the directory.
                .col(string_null("org_id"))
                .foreign_key(&mut fk(
                    "programme_activity_orgs",
                    "programme_id",
                    "programmes",
                ))
                .foreign_key(&mut fk(
                    "programme_activity_orgs",
                    "activity_id",
                    "programme_activities",
                ))
                .foreign_key(&mut fk(
                    "programme_activity_orgs",
                    "org_id",
                    "organisations",
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "programme_activity_orgs",
            "programme_activity_orgs_activity",
            &["activity_id"],
        ))
        .await?;
        m.create_index(index(
            "programme_activity_orgs",
            "programme_activity_orgs_org",
            &["org_id", "role"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("programme_indicators")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(string("activity_id"))
                .col(integer("position"))
                .col(text("name"))
                .col(string("unit"))
                .col(big_integer_null("baseline_milli"))
                .col(integer_null("baseline_year"))
                .col(big_integer_null("target_milli"))
                .col(string("accumulation"))
                // JSON list of "в т.ч." breakdowns: name, baseline, target.
                .col(text("breakdowns"))
                .col(text("text"))
                .col(text_null("baseline_text"))
                .foreign_key(&mut fk(
                    "programme_indicators",
                    "programme_id",
                    "programmes",
                ))
                .foreign_key(&mut fk(
                    "programme_indicators",
                    "activity_id",
                    "programme_activities",
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "programme_indicators",
                "programme_indicators_activity",
                &["activity_id", "position"],
            )
            .unique()
            .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("programme_issues")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(integer("position"))
                .col(string("kind"))
                .col(string_null("activity_code"))
                .col(text_null("subject"))
                .col(text("message_bg"))
                .col(text("message_en"))
                .foreign_key(&mut fk("programme_issues", "programme_id", "programmes"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "programme_issues",
            "programme_issues_programme",
            &["programme_id", "position"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("progress_reports")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(string("activity_id"))
                .col(string("indicator_id"))
                .col(string("period_kind"))
                .col(integer("period_number"))
                .col(big_integer_null("value_milli"))
                .col(text("narrative"))
                // Newline-separated links to evidence.
                .col(text("evidence"))
                .col(string("status"))
                .col(text_null("coordinator_comment"))
                .col(string("org_id"))
                .col(string("created_by"))
                .col(big_integer("created_at"))
                .col(string("updated_by"))
                .col(big_integer("updated_at"))
                .col(string_null("submitted_by"))
                .col(big_integer_null("submitted_at"))
                .col(string_null("reviewed_by"))
                .col(big_integer_null("reviewed_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("progress_reports", "programme_id", "programmes"))
                .foreign_key(&mut fk(
                    "progress_reports",
                    "activity_id",
                    "programme_activities",
                ))
                .foreign_key(&mut fk(
                    "progress_reports",
                    "indicator_id",
                    "programme_indicators",
                ))
                .foreign_key(&mut fk("progress_reports", "org_id", "organisations"))
                .foreign_key(&mut fk("progress_reports", "created_by", "users"))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "progress_reports",
                "progress_reports_period",
                &["indicator_id", "period_kind", "period_number"],
            )
            .unique()
            .take(),
        )
        .await?;
        m.create_index(index(
            "progress_reports",
            "progress_reports_programme",
            &["programme_id", "status"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("progress_notes")
                .col(string("id").primary_key())
                .col(string("programme_id"))
                .col(string("activity_id"))
                .col(string("org_id"))
                .col(string("author_id"))
                .col(text("body"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("progress_notes", "programme_id", "programmes"))
                .foreign_key(&mut fk(
                    "progress_notes",
                    "activity_id",
                    "programme_activities",
                ))
                .foreign_key(&mut fk("progress_notes", "org_id", "organisations"))
                .foreign_key(&mut fk("progress_notes", "author_id", "users"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "progress_notes",
            "progress_notes_activity",
            &["activity_id"],
        ))
        .await?;
        Ok(())
    }
}
