//! A training, information session, campaign or other event.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub org_id: String,
    /// A `zakrila_domain::outreach::EventKind`.
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place_id: Option<String>,
    pub venue: Option<String>,
    /// Comma-separated slugs of partner organisations.
    pub partners: String,
    pub target_group: Option<String>,
    pub participants_total: i32,
    pub women: i32,
    pub men: i32,
    /// Persons reached (campaigns, media).
    pub reached: i64,
    /// Comma-separated Programme activity codes.
    pub activities: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
