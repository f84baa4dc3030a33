//! A person's CLK for record linkage: a keyed Bloom-filter encoding of the
//! identity. Not an identity field, but shown by no API: only the matcher reads it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person_clks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: String,
    pub org_id: String,
    /// The linkage schema the CLK was made with (`zakrila-person-v1`).
    pub schema_id: String,
    /// clkhash's base64.
    pub clk: String,
    /// Keyed blocking-key hashes, hex, comma-separated.
    pub block_keys: String,
    /// Digest of the inputs (ciphertexts and profile); a different one means re-encode.
    pub source_digest: String,
    pub computed_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
