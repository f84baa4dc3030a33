//! Organisations, accounts, sessions, tokens, throttles, the audit chain, settings
//! and the service catalogue.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("organisations")
                .col(string("id").primary_key())
                .col(string_uniq("slug"))
                .col(string("abbrev_bg"))
                .col(string("name_bg"))
                .col(string("name_en"))
                .col(string("kind"))
                .col(string_null("parent_id"))
                .col(text("aliases"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("organisations", "parent_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("users")
                .col(string("id").primary_key())
                .col(string("org_id"))
                .col(string_uniq("email"))
                .col(string("display_name"))
                .col(string("role"))
                .col(string("locale"))
                .col(string("password_hash"))
                .col(boolean("must_change_password"))
                .col(text_null("totp_secret"))
                .col(boolean("totp_enabled"))
                .col(big_integer_null("totp_last_step"))
                .col(string("status"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut fk("users", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("users", "users_org", &["org_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("sessions")
                .col(string("id").primary_key())
                .col(string("user_id"))
                .col(big_integer("created_at"))
                .col(big_integer("last_seen_at"))
                .col(boolean("second_factor_ok"))
                .foreign_key(
                    &mut fk("sessions", "user_id", "users")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("sessions", "sessions_user", &["user_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("api_tokens")
                .col(string("id").primary_key())
                .col(string("user_id"))
                .col(string_uniq("token_hash"))
                .col(string("label"))
                .col(big_integer("created_at"))
                .col(big_integer("expires_at"))
                .col(big_integer_null("revoked_at"))
                .foreign_key(
                    &mut fk("api_tokens", "user_id", "users")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("throttles")
                .col(string("key").primary_key())
                .col(integer("failures"))
                .col(big_integer("window_start"))
                .col(big_integer_null("locked_until"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("audit_events")
                .col(big_integer("seq").primary_key())
                .col(big_integer("at"))
                .col(string_null("actor_id"))
                .col(string("action"))
                .col(string("entity"))
                .col(string_null("entity_id"))
                .col(string("digest"))
                .col(string("prev_hash"))
                .col(string("hash"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "audit_events",
            "audit_events_entity",
            &["entity", "entity_id"],
        ))
        .await?;
        m.create_index(index("audit_events", "audit_events_actor", &["actor_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("audit_head")
                .col(integer("id").primary_key())
                .col(big_integer("seq"))
                .col(string("hash"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("settings")
                .col(string("key").primary_key())
                .col(text("value"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("service_catalogue")
                .col(string("code").primary_key())
                .col(string("name_bg"))
                .col(string("name_en"))
                .col(text("description_bg"))
                .col(text("description_en"))
                .col(string_null("org_id"))
                .col(boolean("active"))
                .foreign_key(&mut fk("service_catalogue", "org_id", "organisations"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
