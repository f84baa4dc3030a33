//! The caseload projection carries what a caseload row shows — code, stage, forms,
//! risk, reflection end, version, owner and the person's non-identifying profile — so
//! a page of the list, filtered or searched, reads only projection rows: fifty narrow
//! rows from one index range, never the cases and persons tables. Kept in step by
//! `store::cases::caseload::refresh` in the transactions that change those columns.

use sea_orm_migration::prelude::*;

use super::caseload_shown::{From, SHOWN};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time. The first two
        // shown columns came with the table (m0006).
        for shown in &SHOWN[2..] {
            let mut c = (shown.def)();
            m.alter_table(Table::alter().table("caseload").add_column(&mut c).take())
                .await?;
        }
        // Existing rows: copy from the case and its person (`UPDATE … FROM` is the
        // same on PostgreSQL and SQLite ≥ 3.33).
        let set = SHOWN[2..]
            .iter()
            .map(|s| {
                let table = if s.from == From::Person { "p" } else { "c" };
                format!("{} = {table}.{}", s.name, s.source)
            })
            .collect::<Vec<_>>()
            .join(", ");
        m.get_connection()
            .execute_unprepared(&format!(
                "UPDATE caseload SET {set} \
                 FROM cases c JOIN persons p ON p.id = c.person_id \
                 WHERE c.id = caseload.case_id"
            ))
            .await?;
        Ok(())
    }
}
