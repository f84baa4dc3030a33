//! A person assisted. Identity columns hold vault ciphertexts (never plaintext); the profile columns are non-identifying and feed lists and statistics.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The organisation that registered the person.
    pub org_id: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub birth_date: Option<String>,
    pub personal_number: Option<String>,
    pub phone: Option<String>,
    /// Blind index of normalised full name + birth date, for the duplicate warning.
    pub dup_index: Option<String>,
    pub sex: String,
    pub birth_year: Option<i32>,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    /// Comma-separated language codes.
    pub languages: String,
    pub is_child: bool,
    pub unaccompanied: bool,
    pub disability: bool,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
