//! A referral of a case from one organisation to another.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    pub from_org: String,
    pub to_org: String,
    pub purpose: String,
    pub service_code: Option<String>,
    pub note: String,
    pub status: String,
    pub decline_reason: Option<String>,
    /// Set when the referral was made without the referral consent, with the reason.
    pub consent_override: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub responded_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
