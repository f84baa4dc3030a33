//! Privacy-preserving record linkage: each person's CLK (an encoding of the
//! identity, not the identity) and the queue of cross-organisation candidate
//! pairs that a coordinator reviews.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("person_clks")
                .col(string("person_id").primary_key())
                .col(string("org_id"))
                .col(string("schema_id"))
                // clkhash's base64 of the Bloom filter.
                .col(text("clk"))
                // Keyed hashes of the blocking keys, hex, comma-separated.
                .col(text("block_keys"))
                // Digest of what the CLK was computed from (ciphertexts and
                // profile), so a changed record is encoded again.
                .col(string("source_digest"))
                .col(big_integer("computed_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("person_clks", "person_id")
                        .to("persons", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("person_clks_org")
                .table("person_clks")
                .col("org_id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("linkage_candidates")
                .col(string("id").primary_key())
                // The pair is stored with case_a < case_b, so it is one row
                // whichever organisation's side the run started from.
                .col(string("case_a"))
                .col(string("case_b"))
                .col(string("org_a"))
                .col(string("org_b"))
                // Dice similarity in millionths (no floating-point columns).
                .col(integer("similarity_ppm"))
                .col(string("schema_id"))
                .col(string("status"))
                .col(big_integer("created_at"))
                .col(string_null("reviewed_by"))
                .col(big_integer_null("reviewed_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("linkage_candidates", "case_a")
                        .to("cases", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("linkage_candidates", "case_b")
                        .to("cases", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("linkage_candidates_pair")
                .table("linkage_candidates")
                .col("case_a")
                .col("case_b")
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("linkage_candidates_b")
                .table("linkage_candidates")
                .col("case_b")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("linkage_candidates_status")
                .table("linkage_candidates")
                .col("status")
                .take(),
        )
        .await?;
        Ok(())
    }
}
