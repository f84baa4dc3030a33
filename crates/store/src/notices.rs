//! In-app notices: what an organisation's admins must know about their own
//! organisation, shown on their start page until each dismisses it. Written in the
//! transaction of the change they tell of, so a change never lands without them.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use zakrila_domain::{role::Role, user::UserStatus};

use crate::{
    Store, StoreError,
    entity::{notice, user},
    new_id, now_ms,
    write_txn::WriteTxn,
};

/// Kind of the notice that an account which sees identities was created.
pub const IDENTITY_ACCOUNT: &str = "identity_account";

/// Most notices a start page shows.
pub const SHOWN: u64 = 20;

/// Leaves a notice of `kind` for every active admin of `org_id` except `except`
/// (the admin who made the change); answers how many were notified.
pub(crate) async fn notify_admins(
    txn: &WriteTxn,
    org_id: &str,
    except: Option<&str>,
    kind: &str,
    params: serde_json::Value,
) -> Result<usize, StoreError> {
    let admins = user::Entity::find()
        .filter(user::Column::OrgId.eq(org_id))
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .all(txn)
        .await?;
    let now = now_ms();
    let rows: Vec<notice::ActiveModel> = admins
        .into_iter()
        .filter(|a| Some(a.id.as_str()) != except)
        .map(|a| notice::ActiveModel {
            id: Set(new_id()),
            user_id: Set(a.id),
            kind: Set(kind.to_owned()),
            params: Set(params.to_string()),
            created_at: Set(now),
            dismissed_at: Set(None),
        })
        .collect();
    let n = rows.len();
    if n > 0 {
        notice::Entity::insert_many(rows).exec(txn).await?;
    }
    Ok(n)
}

impl Store {
    /// The user's notices not yet dismissed, newest first.
    pub async fn notices_of(&self, user_id: &str) -> Result<Vec<notice::Model>, StoreError> {
        Ok(notice::Entity::find()
            .filter(notice::Column::UserId.eq(user_id))
            .filter(notice::Column::DismissedAt.is_null())
            .order_by_desc(notice::Column::CreatedAt)
            .limit(SHOWN)
            .all(&self.reads)
            .await?)
    }

    /// Dismisses one of the user's own notices (another user's is not found).
    pub async fn dismiss_notice(&self, user_id: &str, id: &str) -> Result<(), StoreError> {
        let done = notice::Entity::update_many()
            .col_expr(
                notice::Column::DismissedAt,
                sea_orm::sea_query::Expr::value(now_ms()),
            )
            .filter(notice::Column::Id.eq(id))
            .filter(notice::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await?;
        if done.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
