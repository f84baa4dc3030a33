//! A case's placement in a shelter, crisis or transit centre; open while `to_on` is null.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    /// The organisation that placed the person.
    pub org_id: String,
    pub place_id: String,
    /// A `zakrila_domain::accommodation::BedGroup`.
    pub bed_group: String,
    /// `YYYY-MM-DD`.
    pub from_on: String,
    /// `YYYY-MM-DD`, the day the person left.
    pub to_on: Option<String>,
    /// A `zakrila_domain::accommodation::LeavingReason`.
    pub leaving_reason: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
