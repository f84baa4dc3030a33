//! The decision on a state compensation claim (awarded or refused, and when), the
//! amount awarded and paid in euro cents, and the day of payment.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a single column at a time.
        for col in [
            string_null("compensation_decision"),
            string_null("compensation_decided_on"),
            big_integer_null("compensation_awarded_cents"),
            big_integer_null("compensation_paid_cents"),
            string_null("compensation_paid_on"),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table("case_proceedings")
                    .add_column(&mut col)
                    .take(),
            )
            .await?;
        }
        Ok(())
    }
}
