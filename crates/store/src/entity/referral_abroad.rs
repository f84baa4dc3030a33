//! A referral to or from a counterpart abroad, recorded on the case.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals_abroad")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    /// The organisation that recorded it.
    pub org_id: String,
    /// A `zakrila_domain::abroad::Direction`.
    pub direction: String,
    /// ISO 3166-1 alpha-3.
    pub country: String,
    /// A `zakrila_domain::abroad::CounterpartKind`.
    pub kind: String,
    /// The counterpart organisation's name (an institution, not a person).
    pub counterpart: String,
    /// Vault ciphertext of the contact person, phone or e-mail: may identify.
    pub contact: Option<String>,
    /// A `zakrila_domain::abroad::AbroadStatus`.
    pub status: String,
    /// `YYYY-MM-DD`.
    pub referred_on: String,
    pub version: i32,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
