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
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IdenStatic, Iterable, QueryFilter,
    Statement,
    sea_query::{Expr, ExprTrait, Order, Query, SelectStatement},
};
use zakrila_domain::case::CaseCode;

use crate::{
    Store, StoreError,
    entity::{case, caseload, caseload_token, person},
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
    /// Whether a page after `page` (of `per_page`) has cases.
    pub fn has_next(&self, page: u64, per_page: u64) -> bool {
        self.total_capped || (page + 1) * per_page < self.total
    }
}

impl Store {
    /// One page of the caseload of `org_id`.
    pub async fn search_cases(&self, org_id: &str, f: &CaseFilter) -> Result<CasePage, StoreError> {
        let per_page = f.per_page.clamp(1, 200);
        let text = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let code = text.and_then(|t| CaseCode::parse(t).ok());
        // Name search: blind-index tokens of the query; a case matches when its person
        // has every one of them.
        let tokens: Vec<String> = match (text, &code) {
            (Some(t), None) => super::name_tokens(self, &[Some(t)]),
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
            q.from_as(caseload_token::Entity, caseload::Entity)
                .and_where(tok(caseload_token::Column::OrgId).eq(org_id))
                .and_where(tok(caseload_token::Column::Token).eq(first.clone()));
            for t in rest {
                let with_token = Query::select()
                    .column(caseload_token::Column::CaseId)
                    .from(caseload_token::Entity)
                    .and_where(Expr::col(caseload_token::Column::OrgId).eq(org_id))
                    .and_where(Expr::col(caseload_token::Column::Token).eq(t.clone()))
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
        let (counted, mut items) = self
            .count_and_page(
                (!whole).then_some((counted, cap)),
                q,
                per_page,
                f.page * per_page,
            )
            .await?;
        // In the order asked for, whatever order the aggregate kept.
        if tokens.is_empty() {
            items.sort_by(|a, b| (b.updated_at, &b.case_id).cmp(&(a.updated_at, &a.case_id)));
        } else {
            items.sort_by(|a, b| b.case_id.cmp(&a.case_id));
        }
        if whole {
            let held = self.lookup(super::caseload::counted(org_id)).await?;
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
            .all(&self.db)
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
    /// `limit`.
    ///
    /// LIMIT and OFFSET are written into the SQL as numbers: SQLite re-prepares a
    /// statement with a bound LIMIT on every run (see `unique.rs`); a handful of
    /// page numbers are a handful of statements in the cache.
    async fn count_and_page(
        &self,
        counted: Option<(SelectStatement, u64)>,
        page: SelectStatement,
        limit: u64,
        offset: u64,
    ) -> Result<(u64, Vec<caseload::Model>), StoreError> {
        let backend = self.db.get_database_backend();
        let (agg, array) = match backend {
            DbBackend::Postgres => ("json_agg", "json_build_array"),
            _ => ("json_group_array", "json_array"),
        };
        let fields = caseload::Column::iter()
            .map(|c| format!(r#""page"."{}""#, c.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let page = backend.build(&page);
        // Capped: LIMIT and OFFSET as numbers, see above.
        let counted = counted.map(|(c, cap)| {
            let c = backend.build(&c);
            let sql = format!(
                r#"SELECT COUNT(*) FROM ({} LIMIT {}) "capped""#,
                c.sql,
                cap + 1
            );
            Statement::from_sql_and_values(backend, sql, c.values.map(|v| v.0).unwrap_or_default())
        });
        if let Some(r) = &self.inline {
            // On the calling thread (`inline_reads.rs`): the rows as they are.
            let n = match &counted {
                Some(c) => r.ranges.first_int(c)?.unwrap_or(0),
                None => 0,
            };
            let rows = r
                .ranges
                .models_of::<caseload::Entity>(&Statement::from_sql_and_values(
                    backend,
                    format!("{} LIMIT {limit} OFFSET {offset}", page.sql),
                    page.values.map(|v| v.0).unwrap_or_default(),
                ))?;
            return Ok((u64::try_from(n).unwrap_or(0), rows));
        }
        // Through the pool the page comes back as one JSON row: sqlx's SQLite driver
        // hands every result row across threads separately.
        let n: i64 = match counted {
            Some(c) => match self.db.query_one_raw(c).await? {
                Some(row) => row.try_get_by_index(0)?,
                None => 0,
            },
            None => 0,
        };
        let page_sql = format!(
            r#"SELECT CAST({agg}({array}({fields})) AS TEXT) FROM ({} LIMIT {limit} OFFSET {offset}) "page""#,
            page.sql
        );
        let page = Statement::from_sql_and_values(
            backend,
            page_sql,
            page.values.map(|v| v.0).unwrap_or_default(),
        );
        let json: Option<String> = match self.db.query_one_raw(page).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => None,
        };
        let rows: Vec<Vec<serde_json::Value>> = match json {
            Some(j) => serde_json::from_str(&j)
                .map_err(|e| sea_orm::DbErr::Custom(format!("caseload page: {e}")))?,
            None => vec![],
        };
        let rows = rows
            .iter()
            .map(|r| row_of_json(r))
            .collect::<Result<_, _>>()?;
        Ok((u64::try_from(n).unwrap_or(0), rows))
    }
}

/// A caseload row from its JSON array (fields in `caseload::Column` order). SQLite
/// writes booleans as 0 and 1, PostgreSQL as `false` and `true`.
fn row_of_json(r: &[serde_json::Value]) -> Result<caseload::Model, StoreError> {
    use serde_json::Value as J;
    let bad = || StoreError::Db(sea_orm::DbErr::Custom("caseload page: bad row".into()));
    let text = |i: usize| {
        r.get(i)
            .and_then(J::as_str)
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    let opt = |i: usize| match r.get(i) {
        Some(J::Null) => Ok(None),
        Some(J::String(s)) => Ok(Some(s.clone())),
        _ => Err(bad()),
    };
    let int = |i: usize| r.get(i).and_then(J::as_i64).ok_or_else(bad);
    let flag = |i: usize| match r.get(i) {
        Some(J::Bool(b)) => Ok(*b),
        Some(n) => n.as_i64().map(|n| n != 0).ok_or_else(bad),
        None => Err(bad()),
    };
    Ok(caseload::Model {
        org_id: text(0)?,
        case_id: text(1)?,
        updated_at: int(2)?,
        referred: flag(3)?,
        code: text(4)?,
        owner_org_id: text(5)?,
        stage: text(6)?,
        forms: text(7)?,
        risk_level: opt(8)?,
        reflection_ends: opt(9)?,
        version: i32::try_from(int(10)?).map_err(|_| bad())?,
        sex: text(11)?,
        age_band: opt(12)?,
        citizenship: opt(13)?,
        is_child: flag(14)?,
    })
}
