//! A mobile team's consultation with a pseudonymous beneficiary.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub org_id: String,
    pub place_id: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// Comma-separated professions of the team members.
    pub team: String,
    pub beneficiary_code: String,
    pub sex: String,
    pub age_band: Option<String>,
    /// ISO alpha-3.
    pub citizenship: Option<String>,
    /// Comma-separated language codes.
    pub languages: String,
    /// Comma-separated topics.
    pub topics: String,
    pub interpreter_language: Option<String>,
    pub duration_min: Option<i32>,
    /// Comma-separated vulnerability flags.
    pub vulnerabilities: String,
    /// Items given, one `item:quantity` per line.
    pub donations: String,
    pub medical_stotinki: Option<i64>,
    /// The case opened from this consultation.
    pub case_id: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
