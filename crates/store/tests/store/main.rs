//! Storage scenarios, each run on SQLite and — when `ZAKRILA_TEST_DATABASE_URL` is
//! set — on PostgreSQL.

mod accounts;
mod audit_chain;
mod keys;
mod linkage;
mod lookups;
mod master_key;
mod programme;

use zakrila_store::{Store, Vault, testing::fresh_databases};

/// A migrated store with reference data on every configured backend.
pub async fn stores() -> Vec<(&'static str, Store, zakrila_store::testing::TestDatabase)> {
    let mut out = Vec::new();
    for db in fresh_databases().await {
        let store = Store::open(&db.url, Vault::from_bytes([42; 32]))
            .await
            .expect("open the test database");
        store.migrate().await.expect("migrate");
        store.first_start().await.expect("first start");
        out.push((db.label, store, db));
    }
    out
}
