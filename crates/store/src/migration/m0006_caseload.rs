//! The caseload projection: one row per (organisation, case) the organisation may
//! work on — its own cases and those referred to it and accepted — and the
//! blind-index name tokens of those cases per organisation. The caseload list and the
//! name search are then one index range scan each, however large the organisation's
//! caseload (an `OR` of "own" and "referred" made the database collect and sort the
//! whole caseload for every page). Maintained in the same transactions as the
//! changes it mirrors (`store::cases::caseload`).

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("caseload")
                .col(string("org_id"))
                .col(string("case_id"))
                // Mirrors `cases.updated_at`: the list shows recent work first.
                .col(big_integer("updated_at"))
                .col(boolean("referred"))
                .primary_key(Index::create().col("org_id").col("case_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("caseload", "case_id")
                        .to("cases", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "caseload",
            "caseload_org_updated",
            &["org_id", "updated_at", "case_id"],
        ))
        .await?;
        m.create_index(index("caseload", "caseload_case", &["case_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("caseload_tokens")
                .col(string("org_id"))
                .col(string("token"))
                .col(string("case_id"))
                // The key is the search path: organisation, token, then newest case
                // first (case ids are UUIDv7, ordered by creation).
                .primary_key(Index::create().col("org_id").col("token").col("case_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("caseload_tokens", "case_id")
                        .to("cases", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "caseload_tokens",
            "caseload_tokens_case",
            &["case_id"],
        ))
        .await?;
        // Existing databases: fill the projection from what is there.
        let db = m.get_connection();
        db.execute_unprepared(
            "INSERT INTO caseload (org_id, case_id, updated_at, referred) \
             SELECT org_id, id, updated_at, false FROM cases",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO caseload (org_id, case_id, updated_at, referred) \
             SELECT DISTINCT r.to_org, c.id, c.updated_at, true \
             FROM referrals r JOIN cases c ON c.id = r.case_id \
             WHERE r.status = 'accepted' AND r.to_org <> c.org_id",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO caseload_tokens (org_id, token, case_id) \
             SELECT DISTINCT l.org_id, t.token, c.id \
             FROM caseload l JOIN cases c ON c.id = l.case_id \
             JOIN person_name_tokens t ON t.person_id = c.person_id",
        )
        .await?;
        Ok(())
    }
}
