//! The caseload projection: which organisations may work on which case (the owner,
//! and every organisation with an accepted referral), with what a caseload row shows
//! (copied from the case and its person; see `store::cases::caseload::refresh`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "caseload")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: String,
    pub updated_at: i64,
    /// Seen through an accepted referral rather than owned.
    pub referred: bool,
    pub code: String,
    /// The organisation that owns the case.
    pub owner_org_id: String,
    pub stage: String,
    /// Comma-separated forms of exploitation.
    pub forms: String,
    pub risk_level: Option<String>,
    pub reflection_ends: Option<String>,
    pub version: i32,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub is_child: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::case::Entity",
        from = "Column::CaseId",
        to = "super::case::Column::Id"
    )]
    Case,
}

impl Related<super::case::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Case.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
