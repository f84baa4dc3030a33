//! Accounts of the people who use Zakrila (staff, never victims).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub org_id: String,
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub locale: String,
    pub password_hash: String,
    pub must_change_password: bool,
    /// TOTP secret, encrypted by the vault; `None` until enrolment starts.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// The last TOTP time step accepted, so a code cannot be replayed.
    pub totp_last_step: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organisation the account belongs to.
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrgId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
