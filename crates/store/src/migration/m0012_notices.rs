//! In-app notices to one user: something they should know happened (an account
//! that sees identities was created in their organisation), shown on their start
//! page until dismissed. `params` is the notice's JSON (names of staff, never of
//! victims).

use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notices")
                .col(string("id").primary_key())
                .col(string("user_id"))
                .col(string("kind"))
                .col(text("params"))
                .col(big_integer("created_at"))
                .col(big_integer_null("dismissed_at"))
                .foreign_key(&mut fk("notices", "user_id", "users"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "notices",
            "notices_user_created",
            &["user_id", "created_at"],
        ))
        .await
    }
}
