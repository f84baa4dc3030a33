//! A name-search hit carries the caseload row it finds: `caseload_tokens` gets the
//! columns a list row shows (the same as `caseload`'s, kept in step by
//! `store::cases::caseload`), so a page of search results is one key range of one
//! table instead of two probes on long text keys per hit, which were half the cost
//! of a search (bench/cases/RESULTS.md). On SQLite the table is rebuilt `WITHOUT
//! ROWID`, the hits stored in key order; a narrow index on the same key keeps the
//! capped count of matches as cheap as before.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The shown columns, as in m0006/m0007, in `caseload`'s order.
const SHOWN: &str = "updated_at, referred, code, owner_org_id, stage, forms, risk_level, \
                     reflection_ends, version, sex, age_band, citizenship, is_child";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let copy = format!(
            "SELECT t.org_id, t.token, t.case_id, {} FROM caseload_tokens t \
             JOIN caseload c ON c.org_id = t.org_id AND c.case_id = t.case_id",
            SHOWN
                .split(", ")
                .map(|c| format!("c.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE TABLE caseload_hits ( \
                     org_id varchar NOT NULL, token varchar NOT NULL, case_id varchar NOT NULL, \
                     updated_at bigint NOT NULL, referred boolean NOT NULL, code varchar NOT NULL, \
                     owner_org_id varchar NOT NULL, stage varchar NOT NULL, forms varchar NOT NULL, \
                     risk_level varchar NULL, reflection_ends varchar NULL, version integer NOT NULL, \
                     sex varchar NOT NULL, age_band varchar NULL, citizenship varchar NULL, \
                     is_child boolean NOT NULL, \
                     PRIMARY KEY (org_id, token, case_id), \
                     FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE \
                     ) WITHOUT ROWID",
                )
                .await?;
                db.execute_unprepared(&format!(
                    "INSERT INTO caseload_hits (org_id, token, case_id, {SHOWN}) {copy} \
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
                let columns: [ColumnDef; 13] = {
                    use sea_orm_migration::schema::*;
                    [
                        big_integer("updated_at").default(0).take(),
                        boolean("referred").default(false).take(),
                        string("code").default("").take(),
                        string("owner_org_id").default("").take(),
                        string("stage").default("").take(),
                        string("forms").default("").take(),
                        string_null("risk_level"),
                        string_null("reflection_ends"),
                        integer("version").default(0).take(),
                        string("sex").default("").take(),
                        string_null("age_band"),
                        string_null("citizenship"),
                        boolean("is_child").default(false).take(),
                    ]
                };
                for mut c in columns {
                    m.alter_table(
                        Table::alter()
                            .table("caseload_tokens")
                            .add_column(&mut c)
                            .take(),
                    )
                    .await?;
                }
                db.execute_unprepared(&format!(
                    "UPDATE caseload_tokens SET ({SHOWN}) = (SELECT {SHOWN} FROM caseload c \
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
