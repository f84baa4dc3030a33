//! Keeping the caseload projection (`caseload`, `caseload_tokens`; see migration
//! m0006) in step with the cases, inside the caller's transaction: a case joins its
//! owner's caseload when registered, a receiving organisation's when a referral is
//! accepted, and leaves it when no accepted referral is left; every change of the
//! case moves it to the top of each caseload it is in.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::Expr,
};
use zakrila_domain::case::ReferralStatus;

use crate::{
    StoreError,
    entity::{case, caseload, caseload_token, referral},
};

/// Puts a case into an organisation's caseload with its name tokens (idempotent).
pub(crate) async fn add<C: ConnectionTrait>(
    db: &C,
    org_id: &str,
    case_id: &str,
    updated_at: i64,
    referred: bool,
    tokens: &[String],
) -> Result<(), StoreError> {
    caseload::Entity::insert(caseload::ActiveModel {
        org_id: Set(org_id.to_owned()),
        case_id: Set(case_id.to_owned()),
        updated_at: Set(updated_at),
        referred: Set(referred),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    if !tokens.is_empty() {
        caseload_token::Entity::insert_many(tokens.iter().map(|t| caseload_token::ActiveModel {
            org_id: Set(org_id.to_owned()),
            token: Set(t.clone()),
            case_id: Set(case_id.to_owned()),
        }))
        .on_conflict_do_nothing()
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Records that the case changed at `at`, in every caseload that holds it.
pub(crate) async fn touch<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
    at: i64,
) -> Result<(), StoreError> {
    caseload::Entity::update_many()
        .col_expr(caseload::Column::UpdatedAt, Expr::value(at))
        .filter(caseload::Column::CaseId.eq(case_id))
        .exec(db)
        .await?;
    Ok(())
}

/// After a referral of `case_id` to `org_id` changed status: the organisation holds
/// the case exactly while at least one such referral is accepted (the owner always).
pub(crate) async fn sync_referral<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
    org_id: &str,
) -> Result<(), StoreError> {
    let c = case::Entity::find_by_id(case_id.to_owned())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if c.org_id == org_id {
        return Ok(());
    }
    let accepted = referral::Entity::find()
        .filter(referral::Column::CaseId.eq(case_id))
        .filter(referral::Column::ToOrg.eq(org_id))
        .filter(referral::Column::Status.eq(ReferralStatus::Accepted.as_str()))
        .count(db)
        .await?
        > 0;
    if accepted {
        // The receiver finds the person by name like the owner does: the owner's
        // tokens are the case's tokens.
        let tokens: Vec<String> = caseload_token::Entity::find()
            .filter(caseload_token::Column::OrgId.eq(&c.org_id))
            .filter(caseload_token::Column::CaseId.eq(case_id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.token)
            .collect();
        add(db, org_id, case_id, c.updated_at, true, &tokens).await
    } else {
        caseload::Entity::delete_many()
            .filter(caseload::Column::OrgId.eq(org_id))
            .filter(caseload::Column::CaseId.eq(case_id))
            .exec(db)
            .await?;
        caseload_token::Entity::delete_many()
            .filter(caseload_token::Column::OrgId.eq(org_id))
            .filter(caseload_token::Column::CaseId.eq(case_id))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// An erased person has no name left to find: drop the case's tokens everywhere.
pub(crate) async fn drop_tokens<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
) -> Result<(), StoreError> {
    caseload_token::Entity::delete_many()
        .filter(caseload_token::Column::CaseId.eq(case_id))
        .exec(db)
        .await?;
    Ok(())
}
