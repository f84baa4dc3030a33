//! A name-search hit carries the caseload row it finds: `caseload_tokens` gets the
//! columns a list row shows (the same as `caseload`'s, kept in step by
//! `store::cases::caseload`), so a page of search results is one key range of one
//! table instead of two probes on long text keys per hit, which were half the cost
//! of a search (bench/cases/RESULTS.md). On SQLite the table is rebuilt `WITHOUT
//! ROWID`, the hits stored in key order; a narrow index on the same key keeps the
//! capped count of matches as cheap as before.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

use super::{caseload_shown, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // The shown columns, in `caseload`'s order.
        let shown = caseload_shown::names("");
        let copy = format!(
            "SELECT t.org_id, t.token, t.case_id, {} FROM caseload_tokens t \
             JOIN caseload c ON c.org_id = t.org_id AND c.case_id = t.case_id",
            caseload_shown::names("c.")
        );
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                use sea_orm_migration::schema::string;
                let mut hits = Table::create();
                hits.table("caseload_hits")
                    .col(string("org_id"))
                    .col(string("token"))
                    .col(string("case_id"));
                for c in &caseload_shown::SHOWN {
                    hits.col((c.def)());
                }
                hits.primary_key(Index::create().col("org_id").col("token").col("case_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("caseload_hits", "case_id")
                            .to("cases", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    );
                let create = DbBackend::Sqlite.build(&hits).to_string();
                db.execute_unprepared(&format!("{create} WITHOUT ROWID"))
                    .await?;
                db.execute_unprepared(&format!(
                    "INSERT INTO caseload_hits (org_id, token, case_id, {shown}) {copy} \
                     ORDER BY 1, 2, 3"
                ))
                .await?;
                db.execute_unprepared("DROP TABLE caseload_tokens").await?;
                db.execute_unprepared("ALTER TABLE caseload_hits RENAME TO caseload_tokens")
                    .await?;
                m.create_index(index(
                    "caseload_tokens",
                    "caseload_tokens_case",
                    &["case_id"],
                ))
                .await?;
            }
            _ => {
                for col in &caseload_shown::SHOWN {
                    let mut c = (col.def)();
                    m.alter_table(
                        Table::alter()
                            .table("caseload_tokens")
                            .add_column(&mut c)
                            .take(),
                    )
                    .await?;
                }
                db.execute_unprepared(&format!(
                    "UPDATE caseload_tokens SET ({shown}) = (SELECT {shown} FROM caseload c \
                     WHERE c.org_id = caseload_tokens.org_id AND c.case_id = caseload_tokens.case_id)"
                ))
                .await?;
            }
        }
        // The count of a name's matches reads this narrow copy of the key.
        m.create_index(index(
            "caseload_tokens",
            "caseload_tokens_key",
            &["org_id", "token", "case_id"],
        ))
        .await?;
        Ok(())
    }
}
