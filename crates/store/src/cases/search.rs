//! The caseload: an organisation's own cases and those referred to it and accepted,
//! filtered, searched (by case code, or by name through the blind index, in either
//! script) and paginated.

use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use zakrila_domain::case::{CaseCode, ReferralStatus};

use crate::{
    Store, StoreError,
    entity::{case, person, person_token, referral},
};

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

impl Store {
    pub async fn search_cases(&self, org_id: &str, f: &CaseFilter) -> Result<(Vec<CaseListItem>, u64), StoreError> {
        let referred_to_me = Query::select()
            .column(referral::Column::CaseId)
            .from(referral::Entity)
            .and_where(Expr::col(referral::Column::ToOrg).eq(org_id))
            .and_where(Expr::col(referral::Column::Status).eq(ReferralStatus::Accepted.as_str()))
            .to_owned();
        let mut q = case::Entity::find().filter(
            Condition::any().add(case::Column::OrgId.eq(org_id)).add(Expr::col(case::Column::Id).in_subquery(referred_to_me)),
        );
        if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            if let Ok(code) = CaseCode::parse(text) {
                q = q.filter(case::Column::Code.eq(code.as_str()));
            } else {
                let tokens = super::name_tokens(self, &[Some(text)]);
                if tokens.is_empty() {
                    return Ok((vec![], 0));
                }
                for t in tokens {
                    let with_token = Query::select()
                        .column(person_token::Column::PersonId)
                        .from(person_token::Entity)
                        .and_where(Expr::col(person_token::Column::Token).eq(t))
                        .to_owned();
                    q = q.filter(Expr::col(case::Column::PersonId).in_subquery(with_token));
                }
            }
        }
        if let Some(s) = &f.stage {
            q = q.filter(case::Column::Stage.eq(s.clone()));
        }
        if let Some(r) = &f.risk {
            q = q.filter(case::Column::RiskLevel.eq(r.clone()));
        }
        if let Some(form) = &f.form {
            // `forms` is a comma-separated list of snake_case codes: match whole items.
            q = q.filter(Expr::cust_with_values("(',' || forms || ',') LIKE ?", [format!("%,{form},%")]));
        }
        if let Some(today) = &f.reflection_overdue_on {
            q = q.filter(case::Column::Stage.eq("reflection")).filter(case::Column::ReflectionEnds.lt(today.clone()));
        }
        let total = q.clone().count(&self.db).await?;
        let per_page = f.per_page.clamp(1, 200);
        let cases = q
            .order_by_desc(case::Column::UpdatedAt)
            .order_by_desc(case::Column::Id)
            .offset(f.page * per_page)
            .limit(per_page)
            .all(&self.db)
            .await?;
        let ids: Vec<String> = cases.iter().map(|c| c.person_id.clone()).collect();
        let persons = person::Entity::find().filter(person::Column::Id.is_in(ids)).all(&self.db).await?;
        let items = cases
            .into_iter()
            .map(|c| CaseListItem {
                person: persons.iter().find(|p| p.id == c.person_id).cloned(),
                referred: c.org_id != org_id,
                case: c,
            })
            .collect();
        Ok((items, total))
    }
}
