//! Progress on one indicator for one period, with its review.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub programme_id: String,
    pub activity_id: String,
    pub indicator_id: String,
    /// `quarter`, `half` or `year`.
    pub period_kind: String,
    pub period_number: i32,
    pub value_milli: Option<i64>,
    pub narrative: String,
    /// Newline-separated evidence links.
    pub evidence: String,
    /// `draft`, `submitted`, `approved` or `returned`.
    pub status: String,
    pub coordinator_comment: Option<String>,
    /// The reporting (lead) organisation.
    pub org_id: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<i64>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    /// Optimistic lock: every change increments it; a stale form is refused.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
