//! A case: one person's path through the National Referral Mechanism with one owning organisation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub code: String,
    pub person_id: String,
    pub org_id: String,
    pub stage: String,
    pub closure_reason: Option<String>,
    pub identification_kind: Option<String>,
    pub identified_by: Option<String>,
    /// `YYYY-MM-DD`.
    pub identified_on: Option<String>,
    pub reflection_ends: Option<String>,
    /// The exploitation record (forms, means of control, countries…) as JSON.
    pub exploitation: String,
    /// Comma-separated forms of exploitation, for filtering.
    pub forms: String,
    pub risk_level: Option<String>,
    pub child_mechanism: bool,
    /// Optimistic concurrency: every update must name the version it read.
    pub version: i32,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub stage_changed_at: i64,
    /// The owning organisation's own record number, for a case imported from its
    /// records; unique within the organisation.
    pub external_ref: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The person the case is about.
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
