//! What the national statistics read and write: the non-identifying rows of a
//! year's cases and offenders (never an identity column), the privacy-budget ledger
//! and the published releases.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, case_offender, person, stats_budget, stats_release},
    new_id, now_ms,
};

/// One case with its person's profile, as statistics read it.
#[derive(Debug, Clone)]
pub struct StatsCase {
    pub created_at: i64,
    pub exploitation: String,
    pub child_mechanism: bool,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub is_child: bool,
    pub unaccompanied: bool,
}

/// A release asked for: what to record when the budget allows it.
#[derive(Debug, Clone)]
pub struct NewRelease<'a> {
    pub dataset: &'a str,
    pub year: i32,
    pub epsilon_milli: u64,
    /// The budget a data set's year starts with when it has no ledger row yet.
    pub default_budget_milli: u64,
    pub tables: Vec<String>,
    pub snapshot: String,
}

/// What came of a release.
#[derive(Debug, Clone)]
pub enum ReleaseOutcome {
    Released(stats_release::Model),
    /// The budget would be overspent; the refusal is in the audit trail.
    Refused {
        budget_milli: u64,
        spent_milli: u64,
    },
}

fn year_bounds(year: i32) -> (i64, i64) {
    let start = |y: i32| {
        time::Date::from_calendar_date(y, time::Month::January, 1)
            .map(|d| d.midnight().assume_utc().unix_timestamp() * 1000)
            .unwrap_or(0)
    };
    (start(year), start(year + 1))
}

fn budget_id(dataset: &str, year: i32) -> String {
    format!("{dataset}:{year}")
}

impl Store {
    /// The cases registered in `year` (UTC), each with its person's profile.
    pub async fn stats_cases(&self, year: i32) -> Result<Vec<StatsCase>, StoreError> {
        let (from, to) = year_bounds(year);
        let rows = case::Entity::find()
            .filter(case::Column::CreatedAt.gte(from))
            .filter(case::Column::CreatedAt.lt(to))
            .find_also_related(person::Entity)
            .all(&self.reads)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(c, p)| {
                let p = p?;
                Some(StatsCase {
                    created_at: c.created_at,
                    exploitation: c.exploitation,
                    child_mechanism: c.child_mechanism,
                    sex: p.sex,
                    age_band: p.age_band,
                    citizenship: p.citizenship,
                    is_child: p.is_child,
                    unaccompanied: p.unaccompanied,
                })
            })
            .collect())
    }

    /// The offenders recorded in `year` (UTC).
    pub async fn stats_offenders(
        &self,
        year: i32,
    ) -> Result<Vec<case_offender::Model>, StoreError> {
        let (from, to) = year_bounds(year);
        Ok(case_offender::Entity::find()
            .filter(case_offender::Column::CreatedAt.gte(from))
            .filter(case_offender::Column::CreatedAt.lt(to))
            .all(&self.reads)
            .await?)
    }

    /// The ledger row of a data set's year, if any release was asked for.
    pub async fn stats_budget(
        &self,
        dataset: &str,
        year: i32,
    ) -> Result<Option<stats_budget::Model>, StoreError> {
        Ok(stats_budget::Entity::find_by_id(budget_id(dataset, year))
            .one(&self.reads)
            .await?)
    }

    /// Spends `epsilon_milli` of the year's budget and records the release, in one
    /// transaction; or, when the budget would be overspent, records the refusal in
    /// the audit trail and nothing else.
    pub async fn release_statistics(
        &self,
        actor: Uuid,
        r: NewRelease<'_>,
    ) -> Result<ReleaseOutcome, StoreError> {
        let txn = self.begin_write().await?;
        let now = now_ms();
        let id = budget_id(r.dataset, r.year);
        stats_budget::Entity::insert(stats_budget::ActiveModel {
            id: Set(id.clone()),
            dataset: Set(r.dataset.to_owned()),
            year: Set(r.year),
            budget_milli: Set(r.default_budget_milli as i64),
            spent_milli: Set(0),
            updated_at: Set(now),
        })
        .on_conflict_do_nothing()
        .exec(&txn)
        .await?;
        let asked = r.epsilon_milli as i64;
        // One conditional update: the row's lock orders concurrent releases, and
        // only one that still fits the budget matches.
        let spent = stats_budget::Entity::update_many()
            .col_expr(
                stats_budget::Column::SpentMilli,
                Expr::col(stats_budget::Column::SpentMilli).add(asked),
            )
            .col_expr(stats_budget::Column::UpdatedAt, Expr::value(now))
            .filter(stats_budget::Column::Id.eq(id.clone()))
            .filter(
                Expr::col(stats_budget::Column::SpentMilli)
                    .add(asked)
                    .lte(Expr::col(stats_budget::Column::BudgetMilli)),
            )
            .exec(&txn)
            .await?;
        if spent.rows_affected == 0 {
            let b = crate::read::one_in(stats_budget::Entity::find_by_id(id.clone()), &txn)
                .await?
                .ok_or(StoreError::NotFound)?;
            audit::append(
                &txn,
                AuditEntry::new(Some(actor), "stats.release_refused", "stats_budget")
                    .id(&id)
                    .change(serde_json::json!({
                        "epsilon_milli": asked,
                        "spent_milli": b.spent_milli,
                        "budget_milli": b.budget_milli,
                    })),
            )
            .await?;
            txn.commit().await?;
            return Ok(ReleaseOutcome::Refused {
                budget_milli: b.budget_milli as u64,
                spent_milli: b.spent_milli as u64,
            });
        }
        let m = stats_release::ActiveModel {
            id: Set(new_id()),
            dataset: Set(r.dataset.to_owned()),
            year: Set(r.year),
            epsilon_milli: Set(asked),
            tables: Set(r.tables.join(",")),
            snapshot: Set(r.snapshot),
            created_by: Set(actor.to_string()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "stats.release", "stats_release")
                .id(&m.id)
                .change(serde_json::json!({
                    "year": r.year,
                    "epsilon_milli": asked,
                    "tables": m.tables,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(ReleaseOutcome::Released(m))
    }

    /// Every release, latest first.
    pub async fn stats_releases(&self) -> Result<Vec<stats_release::Model>, StoreError> {
        Ok(stats_release::Entity::find()
            .order_by_desc(stats_release::Column::CreatedAt)
            .all(&self.reads)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_year_is_its_utc_calendar_year() {
        let (from, to) = super::year_bounds(2025);
        assert_eq!(from, 1_735_689_600_000);
        assert_eq!(to - from, 365 * 86_400_000);
    }
}
