//! A place of the directory: reception centre, home, shelter, crisis centre.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "places")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// A `zakrila_domain::outreach::PlaceKind`.
    pub kind: String,
    pub name_bg: String,
    pub name_en: String,
    /// ISO 3166-2:BG region code.
    pub region: Option<String>,
    pub capacity: Option<i32>,
    pub operator_org: Option<String>,
    /// Places for women, men, children, mothers with children (shelters only).
    pub capacity_women: Option<i32>,
    pub capacity_men: Option<i32>,
    pub capacity_children: Option<i32>,
    pub capacity_mothers: Option<i32>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
