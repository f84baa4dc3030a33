//! The caseload: an organisation's own cases and those referred to it and accepted,
//! filtered, searched (by case code, or by name through the blind index, in either
//! script) and paginated.
//!
//! It reads the caseload projection (`caseload.rs`), so a page is one index range
//! scan in the order shown — recent changes first, or newest case first for a name
//! search — whatever the size of the organisation's caseload.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, RelationTrait, Statement,
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
    pub items: Vec<CaseListItem>,
    /// Matching cases, counted up to [`TOTAL_CAP`].
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
        // The projection alone answers the count when no filter looks at the case.
        let case_filters = code.is_some()
            || f.stage.is_some()
            || f.risk.is_some()
            || f.form.is_some()
            || f.reflection_overdue_on.is_some();
        let mut q = case::Entity::find();
        // The same rows, from the projection alone (no filter on the case).
        let mut proj = Query::select();
        if let Some((first, rest)) = tokens.split_first() {
            // The first token's key range, newest case first; every other token must
            // be there too (a primary-key probe each).
            q = q
                .join(
                    JoinType::InnerJoin,
                    caseload_token::Relation::Case.def().rev(),
                )
                .filter(caseload_token::Column::OrgId.eq(org_id))
                .filter(caseload_token::Column::Token.eq(first.clone()));
            proj.from(caseload_token::Entity)
                .and_where(Expr::col(caseload_token::Column::OrgId).eq(org_id))
                .and_where(Expr::col(caseload_token::Column::Token).eq(first.clone()));
            for t in rest {
                let with_token = Query::select()
                    .column(caseload_token::Column::CaseId)
                    .from(caseload_token::Entity)
                    .and_where(Expr::col(caseload_token::Column::OrgId).eq(org_id))
                    .and_where(Expr::col(caseload_token::Column::Token).eq(t.clone()))
                    .to_owned();
                q = q.filter(
                    Expr::col((case::Entity, case::Column::Id)).in_subquery(with_token.clone()),
                );
                proj.and_where(
                    Expr::col((caseload_token::Entity, caseload_token::Column::CaseId))
                        .in_subquery(with_token),
                );
            }
        } else {
            q = q
                .join(JoinType::InnerJoin, caseload::Relation::Case.def().rev())
                .filter(caseload::Column::OrgId.eq(org_id));
            proj.from(caseload::Entity)
                .and_where(Expr::col(caseload::Column::OrgId).eq(org_id));
        }
        if let Some(c) = &code {
            q = q.filter(case::Column::Code.eq(c.as_str()));
        }
        if let Some(s) = &f.stage {
            q = q.filter(case::Column::Stage.eq(s.clone()));
        }
        if let Some(r) = &f.risk {
            q = q.filter(case::Column::RiskLevel.eq(r.clone()));
        }
        if let Some(form) = &f.form {
            // `forms` is a comma-separated list of snake_case codes: match whole items.
            q = q.filter(Expr::cust("(',' || forms || ',')").like(format!("%,{form},%")));
        }
        if let Some(today) = &f.reflection_overdue_on {
            q = q
                .filter(case::Column::Stage.eq("reflection"))
                .filter(case::Column::ReflectionEnds.lt(today.clone()));
        }
        let counted = if case_filters {
            q.clone().select_only().expr(Expr::val(1)).into_query()
        } else {
            proj.clone().expr(Expr::val(1)).to_owned()
        };
        let total = self.count_capped(counted).await?;
        let (limit, offset) = (per_page, f.page * per_page);
        let cases = if case_filters {
            let q = if tokens.is_empty() {
                q.order_by_desc(caseload::Column::UpdatedAt)
                    .order_by_desc(caseload::Column::CaseId)
            } else {
                q.order_by_desc(caseload_token::Column::CaseId)
            };
            self.page_of(q, limit, offset).await?
        } else {
            // Skip to the page in the projection's index, then read just its cases:
            // joining first would read every skipped case too.
            if tokens.is_empty() {
                proj.column(caseload::Column::CaseId)
                    .column(caseload::Column::UpdatedAt)
                    .order_by(caseload::Column::UpdatedAt, Order::Desc)
                    .order_by(caseload::Column::CaseId, Order::Desc);
            } else {
                proj.column(caseload_token::Column::CaseId)
                    .expr_as(Expr::val(0), "updated_at")
                    .order_by(caseload_token::Column::CaseId, Order::Desc);
            }
            self.cases_of_page(proj, limit, offset).await?
        };
        let ids: Vec<String> = cases.iter().map(|c| c.person_id.clone()).collect();
        let people = if ids.is_empty() {
            vec![]
        } else {
            person::Entity::find()
                .filter(person::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
        };
        let items = cases
            .into_iter()
            .map(|c| CaseListItem {
                person: people.iter().find(|p| p.id == c.person_id).cloned(),
                referred: c.org_id != org_id,
                case: c,
            })
            .collect();
        Ok(CasePage {
            items,
            total: std::cmp::min(total, TOTAL_CAP),
            total_capped: total > TOTAL_CAP,
        })
    }

    /// `COUNT` of the query's rows, reading at most `TOTAL_CAP + 1` of them.
    async fn count_capped(&self, counted: SelectStatement) -> Result<u64, StoreError> {
        let backend = self.db.get_database_backend();
        let inner = backend.build(&counted);
        let sql = format!(
            "SELECT COUNT(*) FROM ({} LIMIT {}) capped",
            inner.sql,
            TOTAL_CAP + 1
        );
        let stmt = Statement::from_sql_and_values(
            backend,
            sql,
            inner.values.map(|v| v.0).unwrap_or_default(),
        );
        let n: i64 = match self.db.query_one_raw(stmt).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        Ok(n as u64)
    }

    /// The cases of a page of projection keys (`case_id`, `updated_at`), in its order.
    async fn cases_of_page(
        &self,
        keys: SelectStatement,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<case::Model>, StoreError> {
        let backend = self.db.get_database_backend();
        let inner = backend.build(&keys);
        let sql = format!(
            r#"SELECT "cases".* FROM ({} LIMIT {limit} OFFSET {offset}) "page" JOIN "cases" ON "cases"."id" = "page"."case_id" ORDER BY "page"."updated_at" DESC, "page"."case_id" DESC"#,
            inner.sql
        );
        let stmt = Statement::from_sql_and_values(
            backend,
            sql,
            inner.values.map(|v| v.0).unwrap_or_default(),
        );
        Ok(case::Entity::find()
            .from_raw_sql(stmt)
            .all(&self.db)
            .await?)
    }

    /// The query's rows from `offset`, at most `limit`. LIMIT and OFFSET are written
    /// into the SQL as numbers: SQLite re-prepares a statement with a bound LIMIT on
    /// every run (see `unique.rs`); a handful of page numbers are a handful of
    /// statements in the cache.
    async fn page_of(
        &self,
        q: sea_orm::Select<case::Entity>,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<case::Model>, StoreError> {
        let backend = self.db.get_database_backend();
        let mut stmt = backend.build(&q.into_query());
        stmt.sql
            .push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
        Ok(case::Entity::find()
            .from_raw_sql(stmt)
            .all(&self.db)
            .await?)
    }
}
