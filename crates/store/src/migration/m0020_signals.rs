//! Hotline signals, their referrals to institutions of the directory, and what was
//! added to them later (an anonymous sender's further information). The summary,
//! the caller's contact, what was sent and what was added are vault ciphertexts; a
//! tip's receipt is kept only as a keyed hash.

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("signals")
                .col(string("id").primary_key())
                .col(string("org_id"))
                .col(big_integer("received_at"))
                .col(string("channel"))
                .col(string("caller_type"))
                .col(string("urgency"))
                .col(integer("urgency_rank"))
                .col(string_null("location"))
                .col(string("forms"))
                .col(integer_null("persons"))
                .col(boolean("children"))
                .col(text("summary"))
                .col(text_null("contact"))
                .col(string("status"))
                .col(string_null("outcome"))
                .col(string_null("duplicate_of"))
                .col(string_null("case_id"))
                .col(string_null("receipt_hash"))
                .col(string_null("taken_by"))
                .col(big_integer_null("triaged_at"))
                .col(big_integer_null("referred_at"))
                .col(big_integer_null("closed_at"))
                .col(string_null("created_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("signals", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "signals",
            "signals_queue",
            &["org_id", "status", "urgency_rank", "received_at"],
        ))
        .await?;
        m.create_index(index("signals", "signals_receipt", &["receipt_hash"]))
            .await?;
        m.create_index(index("signals", "signals_case", &["case_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("signal_referrals")
                .col(string("id").primary_key())
                .col(string("signal_id"))
                .col(string("to_org_id"))
                .col(text("sent"))
                .col(big_integer("sent_at"))
                .col(string("sent_by"))
                .col(big_integer_null("acknowledged_at"))
                .col(string_null("acknowledged_by"))
                .foreign_key(&mut fk("signal_referrals", "signal_id", "signals"))
                .foreign_key(&mut fk("signal_referrals", "to_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "signal_referrals",
            "signal_referrals_signal",
            &["signal_id"],
        ))
        .await?;
        m.create_index(index(
            "signal_referrals",
            "signal_referrals_to",
            &["to_org_id", "sent_at"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("signal_additions")
                .col(string("id").primary_key())
                .col(string("signal_id"))
                .col(text("text"))
                .col(big_integer("added_at"))
                .foreign_key(&mut fk("signal_additions", "signal_id", "signals"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "signal_additions",
            "signal_additions_signal",
            &["signal_id"],
        ))
        .await?;
        Ok(())
    }
}
