//! A numbered activity of a programme, as its row in the document says.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub programme_id: String,
    pub position: i32,
    pub code: String,
    pub title: String,
    pub title_en: Option<String>,
    pub section: i32,
    pub strategic_objective: Option<String>,
    pub operational_objective: Option<String>,
    pub budget_stotinki: Option<i64>,
    pub budget_source: String,
    /// `month`, `ongoing` or `unspecified`.
    pub deadline_kind: String,
    pub deadline_year: Option<i32>,
    pub deadline_month: Option<i32>,
    pub deadline_text: String,
    pub expected_results: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
