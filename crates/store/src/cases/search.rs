//! The caseload: an organisation's own cases and those referred to it and accepted,
//! filtered, searched (by case code, or by name through the blind index, in either
//! script) and paginated.
//!
//! It reads the caseload projection (`caseload.rs`), so a page is one index range
//! scan in the order shown — recent changes first, or newest case first for a name
//! search — whatever the size of the organisation's caseload.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, RelationTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
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
        let mut q = case::Entity::find();
        if let Some((first, rest)) = tokens.split_first() {
            // The first token's key range, newest case first; every other token must
            // be there too (a primary-key probe each).
            q = q
                .join(JoinType::InnerJoin, caseload_token::Relation::Case.def().rev())
                .filter(caseload_token::Column::OrgId.eq(org_id))
                .filter(caseload_token::Column::Token.eq(first.clone()));
            for t in rest {
                let with_token = Query::select()
                    .column(caseload_token::Column::CaseId)
                    .from(caseload_token::Entity)
                    .and_where(Expr::col(caseload_token::Column::OrgId).eq(org_id))
                    .and_where(Expr::col(caseload_token::Column::Token).eq(t.clone()))
                    .to_owned();
                q = q.filter(Expr::col((case::Entity, case::Column::Id)).in_subquery(with_token));
            }
            q = q.order_by_desc(caseload_token::Column::CaseId);
        } else {
            q = q
                .join(JoinType::InnerJoin, caseload::Relation::Case.def().rev())
                .filter(caseload::Column::OrgId.eq(org_id))
                .order_by_desc(caseload::Column::UpdatedAt)
                .order_by_desc(caseload::Column::CaseId);
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
        let total = self.count_capped(&q).await?;
        let cases = q
            .offset(f.page * per_page)
            .limit(per_page)
            .all(&self.db)
            .await?;
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
    async fn count_capped(&self, q: &sea_orm::Select<case::Entity>) -> Result<u64, StoreError> {
        let limited = q
            .clone()
            .select_only()
            .expr(Expr::val(1))
            .limit(TOTAL_CAP + 1)
            .into_query();
        let stmt = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(limited, Alias::new("capped"))
            .to_owned();
        let backend = self.db.get_database_backend();
        let n: i64 = match self.db.query_one_raw(backend.build(&stmt)).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        Ok(n as u64)
    }
}
