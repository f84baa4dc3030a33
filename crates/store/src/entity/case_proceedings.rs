//! Criminal proceedings in which a case's person takes part.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_proceedings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    pub stage: String,
    pub court: Option<String>,
    pub case_number: Option<String>,
    pub witness_status: String,
    /// Comma-separated protection measures.
    pub protection_measures: String,
    pub final_act_date: Option<String>,
    pub compensation_stotinki: Option<i64>,
    pub compensation_filed_on: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// awarded, refused.
    pub compensation_decision: Option<String>,
    pub compensation_decided_on: Option<String>,
    pub compensation_awarded_cents: Option<i64>,
    pub compensation_paid_cents: Option<i64>,
    pub compensation_paid_on: Option<String>,
    /// The claim in euro cents (a claim entered in lev keeps `compensation_stotinki`).
    pub compensation_cents: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
