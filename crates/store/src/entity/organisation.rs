//! The organisation directory.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub abbrev_bg: String,
    pub name_bg: String,
    pub name_en: String,
    pub kind: String,
    pub parent_id: Option<String>,
    /// `|`-separated other spellings, used to match institution names in imports.
    pub aliases: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
