//! Rebuilding the name tokens and duplicate indexes under each organisation's own
//! key (migration m0060 asks for it; a migration holds no key). Each person's tokens
//! are made under the key of the organisation that registered them, and every
//! caseload holding one of their cases gets those tokens (a receiving organisation
//! searches under the owners' keys too, `cases/search.rs`). In batches, each its own
//! write transaction, resuming after the last person done if interrupted.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use time::{Date, macros::format_description};

use crate::{
    Store, StoreError,
    cases::{dup_of, name_words, person_ref, tokens_of},
    entity::{case, caseload, caseload_token, person, person_token, setting},
    keys::put_setting,
};

/// The marker m0060 leaves: the id of the last person rebuilt ('' before the first).
const PENDING: &str = "name_index.rebuild_after";
const BATCH: u64 = 200;

/// A person's name tokens and duplicate index under their organisation's key.
pub(crate) fn indexes_of(
    store: &Store,
    p: &person::Model,
) -> Result<(Vec<String>, Option<String>), StoreError> {
    let dec = |col: &'static str, v: &Option<String>| -> Result<Option<String>, StoreError> {
        v.as_ref()
            .map(|v| store.vault.decrypt(person_ref(&p.id, col), v))
            .transpose()
            .map_err(Into::into)
    };
    let given = dec("given_name", &p.given_name)?;
    let family = dec("family_name", &p.family_name)?;
    let birth = dec("birth_date", &p.birth_date)?
        .and_then(|b| Date::parse(&b, format_description!("[year]-[month]-[day]")).ok());
    let words = name_words(&[given.as_deref(), family.as_deref()]);
    let org = p.org_id.as_str();
    let tokens = tokens_of(&words, |w| {
        store.vault.org_blind_index(org, "person_name", w)
    });
    let dup = dup_of(words, birth, |t| {
        store.vault.org_blind_index(org, "person_dup", t)
    });
    Ok((tokens, dup))
}

impl Store {
    pub(crate) async fn rebuild_name_index_if_pending(&self) -> Result<(), StoreError> {
        let Some(mut after) = crate::read::one_in(
            setting::Entity::find_by_id(PENDING.to_owned()),
            &self.writer,
        )
        .await?
        .map(|s| s.value) else {
            return Ok(());
        };
        loop {
            let txn = self.begin_write().await?;
            let persons = person::Entity::find()
                .filter(person::Column::Id.gt(after.clone()))
                .order_by_asc(person::Column::Id)
                .limit(BATCH)
                .all(&txn)
                .await?;
            let Some(last) = persons.last().map(|p| p.id.clone()) else {
                setting::Entity::delete_by_id(PENDING.to_owned())
                    .exec(&txn)
                    .await?;
                txn.commit().await?;
                return Ok(());
            };
            let ids: Vec<String> = persons.iter().map(|p| p.id.clone()).collect();
            person_token::Entity::delete_many()
                .filter(person_token::Column::PersonId.is_in(ids.clone()))
                .exec(&txn)
                .await?;
            let cases = case::Entity::find()
                .filter(case::Column::PersonId.is_in(ids))
                .all(&txn)
                .await?;
            for p in &persons {
                let (tokens, dup) = indexes_of(self, p)?;
                person::Entity::update_many()
                    .col_expr(person::Column::DupIndex, Expr::value(dup))
                    .filter(person::Column::Id.eq(&p.id))
                    .exec(&txn)
                    .await?;
                if !tokens.is_empty() {
                    person_token::Entity::insert_many(tokens.iter().map(|t| {
                        person_token::ActiveModel {
                            person_id: Set(p.id.clone()),
                            token: Set(t.clone()),
                            org_id: Set(p.org_id.clone()),
                        }
                    }))
                    .exec(&txn)
                    .await?;
                }
                for c in cases.iter().filter(|c| c.person_id == p.id) {
                    caseload_token::Entity::delete_many()
                        .filter(caseload_token::Column::CaseId.eq(&c.id))
                        .exec(&txn)
                        .await?;
                    let rows = caseload::Entity::find()
                        .filter(caseload::Column::CaseId.eq(&c.id))
                        .all(&txn)
                        .await?;
                    let hits: Vec<_> = rows
                        .iter()
                        .flat_map(|r| tokens.iter().map(move |t| caseload_token::Model::of(r, t)))
                        .map(|m| caseload_token::ActiveModel::from(m).reset_all())
                        .collect();
                    if !hits.is_empty() {
                        caseload_token::Entity::insert_many(hits).exec(&txn).await?;
                    }
                }
            }
            put_setting(&txn, PENDING, &last).await?;
            txn.commit().await?;
            after = last;
        }
    }
}
