//! Schema migrations. One code path for SQLite and PostgreSQL: only portable column
//! types (text, bigint, integer, boolean), ids as text, times as bigint milliseconds.

use sea_orm_migration::prelude::*;

pub(crate) mod caseload_shown;
mod m0001_foundation;
mod m0002_programme;
mod m0003_cases;
mod m0004_linkage;
mod m0005_case_details;
mod m0006_caseload;
mod m0007_caseload_columns;
mod m0008_caseload_counts;
mod m0009_search_rows;
mod m0010_commission_kind;
mod m0011_dashboard_indexes;
mod m0012_notices;
mod m0017_referrals_sent;
mod m0018_referrals_sent_index;
mod m0020_signals;
mod m0025_directory_contacts;
mod m0030_places;
mod m0031_consultations;
mod m0032_projects;
mod m0033_events;
mod m0034_service_project;
mod m0035_stats;
mod m0036_audit_keyed_from;
mod m0040_case_corrections;
mod m0041_proposal_decision;
mod m0042_compensation_decision;
mod m0050_shelter_capacity;
mod m0051_placements;
mod m0052_referrals_abroad;
mod m0060_name_index_per_org;
mod m0065_free_text_sealed;
mod m0070_signal_municipality;
mod m0075_case_documents;
mod m0080_case_external_ref;
mod m0081_claim_eur_hearings;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_programme::Migration),
            Box::new(m0003_cases::Migration),
            Box::new(m0004_linkage::Migration),
            Box::new(m0005_case_details::Migration),
            Box::new(m0006_caseload::Migration),
            Box::new(m0007_caseload_columns::Migration),
            Box::new(m0008_caseload_counts::Migration),
            Box::new(m0009_search_rows::Migration),
            Box::new(m0010_commission_kind::Migration),
            Box::new(m0011_dashboard_indexes::Migration),
            Box::new(m0017_referrals_sent::Migration),
            Box::new(m0018_referrals_sent_index::Migration),
            Box::new(m0025_directory_contacts::Migration),
            Box::new(m0030_places::Migration),
            Box::new(m0031_consultations::Migration),
            Box::new(m0032_projects::Migration),
            Box::new(m0033_events::Migration),
            Box::new(m0034_service_project::Migration),
            Box::new(m0035_stats::Migration),
            Box::new(m0012_notices::Migration),
            Box::new(m0050_shelter_capacity::Migration),
            Box::new(m0051_placements::Migration),
            Box::new(m0052_referrals_abroad::Migration),
            Box::new(m0036_audit_keyed_from::Migration),
            Box::new(m0020_signals::Migration),
            Box::new(m0040_case_corrections::Migration),
            Box::new(m0041_proposal_decision::Migration),
            Box::new(m0042_compensation_decision::Migration),
            Box::new(m0065_free_text_sealed::Migration),
            Box::new(m0080_case_external_ref::Migration),
            Box::new(m0081_claim_eur_hearings::Migration),
            Box::new(m0075_case_documents::Migration),
            Box::new(m0070_signal_municipality::Migration),
            Box::new(m0060_name_index_per_org::Migration),
        ]
    }
}

/// A foreign key to `to.id`; deleting the referenced row is refused.
pub(crate) fn fk(
    from: &'static str,
    col: &'static str,
    to: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

/// A named index on `cols` of `table`.
pub(crate) fn index(
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(*c);
    }
    idx.take()
}
