//! An organisation's public contacts (`zakrila_domain::directory::Contacts`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: String,
    /// JSON list of `zakrila_domain::directory::Phone`.
    pub phones: String,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address_bg: String,
    pub address_en: String,
    pub hours_bg: String,
    pub hours_en: String,
    /// Comma-separated ISO 3166-2:BG codes; empty for the whole country.
    pub regions: String,
    /// Comma-separated `Need` codes.
    pub needs: String,
    /// Comma-separated service catalogue codes.
    pub services: String,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
