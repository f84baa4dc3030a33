//! The caseload: an organisation's own cases and those referred to it and accepted,
//! filtered, searched (by case code, or by name through the blind index, in either
//! script) and paginated.
//!
//! It reads the caseload projection alone (`caseload.rs`, whose rows carry what a
//! list shows; a name search reads the name tokens, whose hits carry the same rows),
//! so a page is one index range scan in the order shown — recent changes first, or
//! newest case first for a name search — whatever the size of the organisation's
//! caseload, and never touches the cases or persons tables.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, Statement,
    sea_query::{Expr, ExprTrait, Order, Query, SelectStatement},
};
use zakrila_domain::case::{CaseCode, ReferralStatus};

use crate::{
    Store, StoreError,
    entity::{case, caseload, caseload_token, person, referral},
    read::{Int, Rows},
};

/// Counting stops here: past it a list says "1000+", which is all a person paging
/// through a caseload needs, and counting 100,000 cases on every page is not free.
pub const TOTAL_CAP: u64 = 1000;

/// A name search counts fewer: it is for finding a person, and past this many
/// matches the answer is "add a given name", not a number. Counting is a fifth of
/// a search's cost (bench/cases/RESULTS.md).
pub const NAME_SEARCH_CAP: u64 = 200;

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// A case code, or words of a name.
    pub q: Option<String>,
    pub stage: Option<String>,
    pub form: Option<String>,
    pub risk: Option<String>,
    /// Only cases whose reflection period has ended without moving on.
    pub reflection_overdue_on: Option<String>,
    pub page: u64,
    pub per_page: u64,
}

/// A case with its person, for exports (which show more than the caseload row).
#[derive(Debug, Clone)]
pub struct CaseListItem {
    pub case: case::Model,
    pub person: Option<person::Model>,
    /// Seen through an accepted referral rather than owned.
    pub referred: bool,
}

/// One page of the caseload.
#[derive(Debug, Clone, Default)]
pub struct CasePage {
    /// The projection rows: what a list shows of each case, no identity.
    pub items: Vec<caseload::Model>,
    /// Matching cases: the whole caseload exactly (its size is kept); a filtered
    /// one counted up to [`TOTAL_CAP`], a name search up to [`NAME_SEARCH_CAP`].
    pub total: u64,
    /// There are more than `total` (the count stopped at the cap).
    pub total_capped: bool,
}

impl CasePage {
    /// Whether a page after `page` (of `per_page`) has cases. A page past the end
    /// is empty and has no next, whatever the capped count says.
    pub fn has_next(&self, page: u64, per_page: u64) -> bool {
        !self.items.is_empty()
            && (self.total_capped || page.saturating_add(1).saturating_mul(per_page) < self.total)
    }
}

impl Store {
    /// One page of the caseload of `org_id`.
    pub async fn search_cases(&self, org_id: &str, f: &CaseFilter) -> Result<CasePage, StoreError> {
        let per_page = f.per_page.clamp(1, 200);
        let text = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let code = text.and_then(|t| CaseCode::parse(t).ok());
        // Name search: blind-index tokens of the query; a case matches when its person
        // has every one of them. A case's tokens are made under the key of the
        // organisation that registered it, so each word is looked for under the keys
        // of this organisation and of every owner of a case referred to it.
        let tokens: Vec<Vec<String>> = match (text, &code) {
            (Some(t), None) => {
                let owners = self.owners_held_by(org_id).await?;
                let mut words = super::name_words(&[Some(t)]);
                words.sort();
                words.dedup();
                words
                    .iter()
                    .map(|w| {
                        owners
                            .iter()
                            .map(|o| self.vault.org_blind_index(o, "person_name", w))
                            .collect()
                    })
                    .collect()
            }
            _ => vec![],
        };
        if text.is_some() && code.is_none() && tokens.is_empty() {
            return Ok(CasePage::default());
        }
        let col = |c: caseload::Column| Expr::col((caseload::Entity, c));
        let mut q = Query::select();
        // A name search without other filters is counted on the tokens alone.
        let mut tokens_only = None;
        if let Some((first, rest)) = tokens.split_first() {
            // The first token's key range, newest case first; every other token must
            // be there too (a key probe each). Each hit carries its caseload row, so
            // the page reads this table alone — named `caseload` here, so the filters
            // below apply to it unchanged.
            let tok = |c: caseload_token::Column| Expr::col((caseload::Entity, c));
            let any_of = |e: Expr, ts: &[String]| match ts {
                [one] => e.eq(one.clone()),
                many => e.is_in(many.iter().cloned()),
            };
            q.from_as(caseload_token::Entity, caseload::Entity)
                .and_where(tok(caseload_token::Column::OrgId).eq(org_id))
                .and_where(any_of(tok(caseload_token::Column::Token), first));
            for t in rest {
                let with_token = Query::select()
                    .column(caseload_token::Column::CaseId)
                    .from(caseload_token::Entity)
                    .and_where(Expr::col(caseload_token::Column::OrgId).eq(org_id))
                    .and_where(any_of(Expr::col(caseload_token::Column::Token), t))
                    .to_owned();
                q.and_where(tok(caseload_token::Column::CaseId).in_subquery(with_token));
            }
            tokens_only = Some(q.clone());
            q.order_by((caseload::Entity, caseload::Column::CaseId), Order::Desc);
        } else {
            q.from(caseload::Entity)
                .and_where(col(caseload::Column::OrgId).eq(org_id))
                .order_by((caseload::Entity, caseload::Column::UpdatedAt), Order::Desc)
                .order_by((caseload::Entity, caseload::Column::CaseId), Order::Desc);
        }
        let row_filters = code.is_some()
            || f.stage.is_some()
            || f.risk.is_some()
            || f.form.is_some()
            || f.reflection_overdue_on.is_some();
        if let Some(c) = &code {
            q.and_where(col(caseload::Column::Code).eq(c.as_str()));
        }
        if let Some(s) = &f.stage {
            q.and_where(col(caseload::Column::Stage).eq(s.clone()));
        }
        if let Some(r) = &f.risk {
            q.and_where(col(caseload::Column::RiskLevel).eq(r.clone()));
        }
        if let Some(form) = &f.form {
            // `forms` is a comma-separated list of snake_case codes: match whole items.
            q.and_where(
                Expr::cust(r#"(',' || "caseload"."forms" || ',')"#).like(format!("%,{form},%")),
            );
        }
        if let Some(today) = &f.reflection_overdue_on {
            q.and_where(col(caseload::Column::Stage).eq("reflection"))
                .and_where(col(caseload::Column::ReflectionEnds).lt(today.clone()));
        }
        let mut counted = match tokens_only {
            Some(t) if !row_filters => t,
            _ => q.clone(),
        };
        counted.clear_order_by().expr(Expr::val(1));
        for c in caseload::Column::iter() {
            q.column((caseload::Entity, c));
        }
        // The whole caseload is not counted: its size is kept (`caseload::count`).
        let whole = tokens.is_empty() && !row_filters;
        let cap = if tokens.is_empty() {
            TOTAL_CAP
        } else {
            NAME_SEARCH_CAP
        };
        let (counted, items) = self
            .count_and_page(
                (!whole).then_some((counted, cap)),
                q,
                per_page,
                crate::read::page_offset(f.page, per_page),
            )
            .await?;
        if whole {
            let held = self.read_one(super::caseload::counted(org_id)).await?;
            return Ok(CasePage {
                items,
                total: held.map_or(0, |h| u64::try_from(h.cases).unwrap_or(0)),
                total_capped: false,
            });
        }
        Ok(CasePage {
            items,
            total: std::cmp::min(counted, cap),
            total_capped: counted > cap,
        })
    }

    /// `org_id` and the organisations that registered the cases referred to it and
    /// accepted: whose keys a name search in its caseload needs.
    async fn owners_held_by(&self, org_id: &str) -> Result<Vec<String>, StoreError> {
        let q = Query::select()
            .distinct()
            .column((case::Entity, case::Column::OrgId))
            .from(referral::Entity)
            .inner_join(
                case::Entity,
                Expr::col((case::Entity, case::Column::Id))
                    .equals((referral::Entity, referral::Column::CaseId)),
            )
            .and_where(Expr::col((referral::Entity, referral::Column::ToOrg)).eq(org_id))
            .and_where(
                Expr::col((referral::Entity, referral::Column::Status))
                    .eq(ReferralStatus::Accepted.as_str()),
            )
            .to_owned();
        let mut owners = self
            .reads
            .query_all(&q)
            .await?
            .iter()
            .map(|r| r.try_get::<String>("", "org_id"))
            .collect::<Result<Vec<_>, _>>()?;
        owners.retain(|o| o != org_id);
        owners.sort();
        owners.insert(0, org_id.to_owned());
        Ok(owners)
    }

    /// The cases (with their persons) of caseload rows, in the rows' order: what an
    /// export shows beyond the list.
    pub async fn cases_of_rows(
        &self,
        rows: &[caseload::Model],
    ) -> Result<Vec<CaseListItem>, StoreError> {
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let found = case::Entity::find()
            .filter(case::Column::Id.is_in(rows.iter().map(|r| r.case_id.clone())))
            .find_also_related(person::Entity)
            .all(&self.reads)
            .await?;
        let mut by_id: std::collections::HashMap<String, (case::Model, Option<person::Model>)> =
            found
                .into_iter()
                .map(|(c, p)| (c.id.clone(), (c, p)))
                .collect();
        Ok(rows
            .iter()
            .filter_map(|r| {
                by_id.remove(&r.case_id).map(|(case, person)| CaseListItem {
                    case,
                    person,
                    referred: r.referred,
                })
            })
            .collect())
    }

    /// The count of `counted`'s rows (reading at most `cap + 1` of them; 0
    /// when there is nothing to count) and the rows of `page` from `offset`, at most
    /// `limit`: two bounded reads (`read.rs`), one statement shape and one decoder on
    /// every backend.
    ///
    /// LIMIT and OFFSET are written into the SQL as numbers: SQLite re-prepares a
    /// statement with a bound LIMIT on every run (see `read.rs`); a handful of
    /// page numbers are a handful of statements in the cache.
    async fn count_and_page(
        &self,
        counted: Option<(SelectStatement, u64)>,
        page: SelectStatement,
        limit: u64,
        offset: u64,
    ) -> Result<(u64, Vec<caseload::Model>), StoreError> {
        let backend = self.reads.get_database_backend();
        let with_sql = |st: Statement, sql: String| {
            Statement::from_sql_and_values(backend, sql, st.values.map(|v| v.0).unwrap_or_default())
        };
        let n = match counted {
            Some((c, cap)) => {
                let c = backend.build(&c);
                let sql = format!(
                    r#"SELECT COUNT(*) FROM ({} LIMIT {}) "capped""#,
                    c.sql,
                    cap + 1
                );
                self.read_page(Int(with_sql(c, sql)))
                    .await?
                    .pop()
                    .unwrap_or(0)
            }
            None => 0,
        };
        let page = backend.build(&page);
        let sql = format!("{} LIMIT {limit} OFFSET {offset}", page.sql);
        let rows = self
            .read_page(Rows::<caseload::Entity>::of(with_sql(page, sql)))
            .await?;
        Ok((u64::try_from(n).unwrap_or(0), rows))
    }
}
