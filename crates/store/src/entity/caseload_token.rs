//! Name tokens (blind indexes) of the cases in each organisation's caseload: the
//! name search reads one key range per token, newest case first. Each hit carries
//! the caseload row it finds (the same columns as `caseload`, kept in step by
//! `store::cases::caseload`), so a page of results reads this table alone.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "caseload_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub token: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: String,
    pub updated_at: i64,
    pub referred: bool,
    pub code: String,
    pub owner_org_id: String,
    pub stage: String,
    pub forms: String,
    pub risk_level: Option<String>,
    pub reflection_ends: Option<String>,
    pub version: i32,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub is_child: bool,
}

impl Model {
    /// The hit of `token` for a caseload row.
    pub fn of(row: &super::caseload::Model, token: &str) -> Self {
        let r = row.clone();
        Model {
            org_id: r.org_id,
            token: token.to_owned(),
            case_id: r.case_id,
            updated_at: r.updated_at,
            referred: r.referred,
            code: r.code,
            owner_org_id: r.owner_org_id,
            stage: r.stage,
            forms: r.forms,
            risk_level: r.risk_level,
            reflection_ends: r.reflection_ends,
            version: r.version,
            sex: r.sex,
            age_band: r.age_band,
            citizenship: r.citizenship,
            is_child: r.is_child,
        }
    }
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
