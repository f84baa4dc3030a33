//! A hotline signal. `summary` and `contact` are vault ciphertexts.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The hotline organisation that received it.
    pub org_id: String,
    pub received_at: i64,
    pub channel: String,
    pub caller_type: String,
    pub urgency: String,
    /// 0 immediate danger, 1 urgent, 2 routine: the queue sorts on it.
    pub urgency_rank: i32,
    /// A region (`BG-22`) or a country abroad (ISO alpha-3).
    pub location: Option<String>,
    /// Comma-separated suspected forms of exploitation.
    pub forms: String,
    pub persons: Option<i32>,
    pub children: bool,
    pub summary: String,
    pub contact: Option<String>,
    pub status: String,
    pub outcome: Option<String>,
    pub duplicate_of: Option<String>,
    /// The case opened from this signal.
    pub case_id: Option<String>,
    /// A tip's receipt, as a keyed hash (the code itself is never stored).
    pub receipt_hash: Option<String>,
    /// The operator who took it (triaged it).
    pub taken_by: Option<String>,
    pub triaged_at: Option<i64>,
    pub referred_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// `None` for an anonymous tip.
    pub created_by: Option<String>,
    pub created_at: i64,
    /// The municipality's NSI code (`PDV22`), within the region in `location`.
    pub municipality: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
