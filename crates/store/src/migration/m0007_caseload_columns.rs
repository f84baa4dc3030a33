//! The caseload projection carries what a caseload row shows — code, stage, forms,
//! risk, reflection end, version, owner and the person's non-identifying profile — so
//! a page of the list, filtered or searched, reads only projection rows: fifty narrow
//! rows from one index range, never the cases and persons tables. Kept in step by
//! `store::cases::caseload::refresh` in the transactions that change those columns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns: [ColumnDef; 11] = [
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
        ];
        for mut c in columns {
            m.alter_table(Table::alter().table("caseload").add_column(&mut c).take())
                .await?;
        }
        // Existing rows: copy from the case and its person (`UPDATE … FROM` is the
        // same on PostgreSQL and SQLite ≥ 3.33).
        m.get_connection()
            .execute_unprepared(
                "UPDATE caseload SET code = c.code, owner_org_id = c.org_id, stage = c.stage, \
                 forms = c.forms, risk_level = c.risk_level, reflection_ends = c.reflection_ends, \
                 version = c.version, sex = p.sex, age_band = p.age_band, \
                 citizenship = p.citizenship, is_child = p.is_child \
                 FROM cases c JOIN persons p ON p.id = c.person_id \
                 WHERE c.id = caseload.case_id",
            )
            .await?;
        Ok(())
    }
}
