//! Keeping the caseload projection (`caseload`, `caseload_tokens`; see migration
//! m0006) in step with the cases, inside the caller's transaction: a case joins its
//! owner's caseload when registered, a receiving organisation's when a referral is
//! accepted, and leaves it when no accepted referral is left; every change of the
//! case moves it to the top of each caseload it is in and refreshes what the rows
//! show of it (m0007: code, stage, forms, risk, profile…), so the list never reads
//! the cases table.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::NotSet,
    ColumnTrait, ConnectionTrait, EntityTrait, Iterable, PaginatorTrait, QueryFilter, Value,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use zakrila_domain::case::ReferralStatus;

use crate::{
    StoreError,
    entity::{case, caseload, caseload_token, person, person_token, referral},
    migration::caseload_shown::{From, SHOWN},
};

/// What `org_id`'s caseload shows of a case and its person: the projection's row,
/// and the one shape of a case without identity that the API answers with.
pub fn shown_row(org_id: &str, c: &case::Model, p: &person::Model) -> caseload::Model {
    caseload::Model {
        org_id: org_id.to_owned(),
        case_id: c.id.clone(),
        updated_at: c.updated_at,
        referred: org_id != c.org_id,
        code: c.code.clone(),
        owner_org_id: c.org_id.clone(),
        stage: c.stage.clone(),
        forms: c.forms.clone(),
        risk_level: c.risk_level.clone(),
        reflection_ends: c.reflection_ends.clone(),
        version: c.version,
        sex: p.sex.clone(),
        age_band: p.age_band.clone(),
        citizenship: p.citizenship.clone(),
        is_child: p.is_child,
    }
}

/// Puts a case into an organisation's caseload with its name tokens (idempotent).
pub(crate) async fn add<C: ConnectionTrait>(
    db: &C,
    org_id: &str,
    c: &case::Model,
    p: &person::Model,
    tokens: &[String],
) -> Result<(), StoreError> {
    let shown = shown_row(org_id, c, p);
    let added = caseload::Entity::insert(caseload::ActiveModel::from(shown.clone()).reset_all())
        .on_conflict_do_nothing()
        .exec_without_returning(db)
        .await?;
    if let sea_orm::TryInsertResult::Inserted(n @ 1..) = added {
        count(db, CountRows::One(org_id, n as i64)).await?;
    }
    if !tokens.is_empty() {
        caseload_token::Entity::insert_many(tokens.iter().map(|t| {
            caseload_token::ActiveModel::from(caseload_token::Model::of(&shown, t)).reset_all()
        }))
        .on_conflict_do_nothing()
        .exec(db)
        .await?;
    }
    Ok(())
}

/// After the case or its person changed: every caseload row of the case shows them
/// as they are now (call it after the last change in the transaction).
pub(crate) async fn refresh<C: ConnectionTrait>(db: &C, case_id: &str) -> Result<(), StoreError> {
    let (c, p) = case_and_person(db, case_id).await?;
    refresh_with(db, &c, &p).await
}

/// `refresh` for a caller that has the case and person as they now are.
pub(crate) async fn refresh_with<C: ConnectionTrait>(
    db: &C,
    c: &case::Model,
    p: &person::Model,
) -> Result<(), StoreError> {
    // Who holds the case does not change here: leave the keys and `referred` alone.
    let now = shown_row("", c, p);
    let mut shown = caseload::ActiveModel::from(now.clone()).reset_all();
    shown.org_id = NotSet;
    shown.case_id = NotSet;
    shown.referred = NotSet;
    caseload::Entity::update_many()
        .set(shown)
        .filter(caseload::Column::CaseId.eq(&c.id))
        .exec(db)
        .await?;
    // The name-search hits carry the same row.
    let mut hit =
        caseload_token::ActiveModel::from(caseload_token::Model::of(&now, "")).reset_all();
    hit.org_id = NotSet;
    hit.token = NotSet;
    hit.case_id = NotSet;
    hit.referred = NotSet;
    caseload_token::Entity::update_many()
        .set(hit)
        .filter(caseload_token::Column::CaseId.eq(&c.id))
        .exec(db)
        .await?;
    Ok(())
}

async fn case_and_person<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
) -> Result<(case::Model, person::Model), StoreError> {
    let found = case::Entity::find_by_id(case_id.to_owned())
        .find_also_related(person::Entity)
        .all(db)
        .await?;
    match found.into_iter().next() {
        Some((c, Some(p))) => Ok((c, p)),
        _ => Err(StoreError::NotFound),
    }
}

/// After a referral of `case_id` to `org_id` changed status: the organisation holds
/// the case exactly while at least one such referral is accepted (the owner always).
pub(crate) async fn sync_referral<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
    org_id: &str,
) -> Result<(), StoreError> {
    let (c, p) = case_and_person(db, case_id).await?;
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
        add(db, org_id, &c, &p, &tokens).await
    } else {
        let gone = caseload::Entity::delete_many()
            .filter(caseload::Column::OrgId.eq(org_id))
            .filter(caseload::Column::CaseId.eq(case_id))
            .exec(db)
            .await?
            .rows_affected;
        if gone > 0 {
            count(db, CountRows::One(org_id, -(gone as i64))).await?;
        }
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

/// Fills the projection for cases just written in bulk (`bulk.rs`) from their rows:
/// the owner's caseload, each organisation with an accepted referral, and the name
/// tokens of each. The database copies the values itself, in one statement per
/// table and chunk of ids.
pub(crate) async fn fill<C: ConnectionTrait>(db: &C, case_ids: &[Value]) -> Result<(), StoreError> {
    let cases = |c: case::Column| Expr::col((case::Entity, c));
    let persons = |c: person::Column| Expr::col((person::Entity, c));
    for ids in case_ids.chunks(10_000) {
        let shown = |org: Expr, referred: bool| {
            let mut q = Query::select();
            q.expr(org).expr(cases(case::Column::Id));
            for c in &SHOWN {
                q.expr(match c.from {
                    From::Case => Expr::col((case::Entity, Alias::new(c.source))),
                    From::Person => Expr::col((person::Entity, Alias::new(c.source))),
                    From::Referred => Expr::val(referred),
                });
            }
            q.from(case::Entity)
                .inner_join(
                    person::Entity,
                    persons(person::Column::Id).eq(cases(case::Column::PersonId)),
                )
                .and_where(cases(case::Column::Id).is_in(ids.iter().cloned()));
            q
        };
        let owners = shown(cases(case::Column::OrgId), false);
        let referral = |c: referral::Column| Expr::col((referral::Entity, c));
        let mut receivers = shown(referral(referral::Column::ToOrg), true);
        receivers
            .distinct()
            .inner_join(
                referral::Entity,
                referral(referral::Column::CaseId).eq(cases(case::Column::Id)),
            )
            .and_where(referral(referral::Column::Status).eq(ReferralStatus::Accepted.as_str()))
            .and_where(referral(referral::Column::ToOrg).ne(cases(case::Column::OrgId)));
        for select in [owners, receivers] {
            let insert = Query::insert()
                .into_table(caseload::Entity)
                .columns(caseload::Column::iter())
                .select_from(select)
                .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?
                .to_owned();
            db.execute(&insert).await?;
        }
        count(db, CountRows::OfCases(ids)).await?;
        let load = |c: caseload::Column| Expr::col((caseload::Entity, c));
        let mut tokens = Query::select();
        tokens
            .expr(load(caseload::Column::OrgId))
            .expr(Expr::col((
                person_token::Entity,
                person_token::Column::Token,
            )))
            .expr(load(caseload::Column::CaseId));
        // Each hit carries its caseload row (`caseload_token`'s columns follow the key
        // in `caseload`'s order).
        for c in caseload::Column::iter()
            .filter(|c| !matches!(c, caseload::Column::OrgId | caseload::Column::CaseId))
        {
            tokens.expr(load(c));
        }
        let tokens = tokens
            .from(caseload::Entity)
            .inner_join(
                case::Entity,
                cases(case::Column::Id).eq(load(caseload::Column::CaseId)),
            )
            .inner_join(
                person_token::Entity,
                Expr::col((person_token::Entity, person_token::Column::PersonId))
                    .eq(cases(case::Column::PersonId)),
            )
            .and_where(load(caseload::Column::CaseId).is_in(ids.iter().cloned()))
            .to_owned();
        let insert = Query::insert()
            .into_table(caseload_token::Entity)
            .columns(caseload_token::Column::iter())
            .select_from(tokens)
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?
            .to_owned();
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Rows just added to (or removed from) caseloads, for [`count`].
enum CountRows<'a> {
    /// `n` rows of one organisation's caseload (negative: removed).
    One(&'a str, i64),
    /// Every caseload row of these (new) cases.
    OfCases(&'a [Value]),
}

/// Moves the organisations' counts by the rows added or removed, in the same
/// transaction (`entity::caseload_count`).
async fn count<C: ConnectionTrait>(db: &C, rows: CountRows<'_>) -> Result<(), StoreError> {
    use crate::entity::caseload_count::{Column, Entity};
    use sea_orm::sea_query::{Alias, OnConflict};
    let mut insert = Query::insert();
    insert
        .into_table(Entity)
        .columns([Column::OrgId, Column::Cases]);
    match rows {
        CountRows::One(org_id, n) => {
            insert.values_panic([org_id.into(), n.into()]);
        }
        CountRows::OfCases(ids) => {
            let load = |c: caseload::Column| Expr::col((caseload::Entity, c));
            let per_org = Query::select()
                .expr(load(caseload::Column::OrgId))
                .expr(Expr::col((caseload::Entity, caseload::Column::CaseId)).count())
                .from(caseload::Entity)
                .and_where(load(caseload::Column::CaseId).is_in(ids.iter().cloned()))
                .group_by_col((caseload::Entity, caseload::Column::OrgId))
                .to_owned();
            insert
                .select_from(per_org)
                .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        }
    }
    insert.on_conflict(
        OnConflict::column(Column::OrgId)
            .value(
                Column::Cases,
                Expr::col((Entity, Column::Cases))
                    .add(Expr::col((Alias::new("excluded"), Column::Cases))),
            )
            .to_owned(),
    );
    db.execute(&insert).await?;
    Ok(())
}

/// How many cases an organisation's caseload holds.
pub(crate) fn counted(org_id: &str) -> sea_orm::Select<crate::entity::caseload_count::Entity> {
    use sea_orm::EntityTrait;
    crate::entity::caseload_count::Entity::find_by_id(org_id.to_owned())
}
