//! The caseload: an organisation's own cases and those referred to it and accepted,
//! filtered, searched (by case code, or by name through the blind index, in either
//! script) and paginated.

use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
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
    /// One page of the caseload. The two halves — the organisation's own cases and
    /// those referred to it — are queried separately so that each uses its index
    /// (an `OR` across them makes SQLite sort the whole caseload), then merged.
    /// A name search starts from the name-token index, which is far more selective.
    pub async fn search_cases(
        &self,
        org_id: &str,
        f: &CaseFilter,
    ) -> Result<(Vec<CaseListItem>, u64), StoreError> {
        let per_page = f.per_page.clamp(1, 200);
        let wanted = (f.page + 1) * per_page;
        let mut code = None;
        // Name search: blind-index tokens of the query; a case matches when its person
        // has every one of them.
        let mut tokens: Vec<String> = vec![];
        if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            if let Ok(c) = CaseCode::parse(text) {
                code = Some(c);
            } else {
                tokens = super::name_tokens(self, &[Some(text)]);
                if tokens.is_empty() {
                    return Ok((vec![], 0));
                }
            }
        }
        let referred_to_me = || {
            sea_orm::sea_query::Query::select()
                .column(referral::Column::CaseId)
                .from(referral::Entity)
                .and_where(Expr::col(referral::Column::ToOrg).eq(org_id))
                .and_where(
                    Expr::col(referral::Column::Status).eq(ReferralStatus::Accepted.as_str()),
                )
                .to_owned()
        };
        let filtered = |mut q: sea_orm::Select<case::Entity>| {
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
            q
        };
        let mut own = if tokens.is_empty() {
            filtered(case::Entity::find().filter(case::Column::OrgId.eq(org_id)))
        } else {
            // With a name, the few matching persons should drive the lookup through
            // `cases_person`; `org_id || ''` keeps SQLite's planner off the
            // organisation index, which would scan the whole caseload (portable SQL,
            // so PostgreSQL runs it too).
            filtered(case::Entity::find().filter(Expr::cust("(org_id || '')").eq(org_id)))
        };
        for t in &tokens {
            // The token index, narrowed to the organisation's own persons, drives
            // the lookup; no id list travels to the database.
            let with_token = sea_orm::sea_query::Query::select()
                .column(person_token::Column::PersonId)
                .from(person_token::Entity)
                .and_where(Expr::col(person_token::Column::Token).eq(t.clone()))
                .and_where(Expr::col(person_token::Column::OrgId).eq(org_id))
                .to_owned();
            own = own.filter(Expr::col(case::Column::PersonId).in_subquery(with_token));
        }
        // A bare COUNT over the index; `Select::count` would wrap the full-row select in
        // a subquery, which SQLite then reads row by row.
        let mut total = own
            .clone()
            .select_only()
            .column_as(case::Column::Id.count(), "n")
            .into_tuple::<i64>()
            .one(&self.db)
            .await?
            .unwrap_or(0) as u64;
        let mut cases = own
            .order_by_desc(case::Column::UpdatedAt)
            .order_by_desc(case::Column::Id)
            .limit(wanted)
            .all(&self.db)
            .await?;
        // Cases referred to the organisation: through the referrals index, never as
        // an id list (an organisation may have thousands of accepted referrals).
        let mut theirs = filtered(
            case::Entity::find().filter(Expr::col(case::Column::Id).in_subquery(referred_to_me())),
        );
        for t in &tokens {
            let with_token = sea_orm::sea_query::Query::select()
                .column(person_token::Column::PersonId)
                .from(person_token::Entity)
                .and_where(Expr::col(person_token::Column::Token).eq(t.clone()))
                .to_owned();
            theirs = theirs.filter(Expr::col(case::Column::PersonId).in_subquery(with_token));
        }
        let theirs_total = theirs
            .clone()
            .select_only()
            .column_as(case::Column::Id.count(), "n")
            .into_tuple::<i64>()
            .one(&self.db)
            .await?
            .unwrap_or(0) as u64;
        if theirs_total > 0 {
            total += theirs_total;
            cases.extend(
                theirs
                    .order_by_desc(case::Column::UpdatedAt)
                    .order_by_desc(case::Column::Id)
                    .limit(wanted)
                    .all(&self.db)
                    .await?,
            );
            cases.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
        }
        let cases: Vec<case::Model> = cases
            .into_iter()
            .skip((f.page * per_page) as usize)
            .take(per_page as usize)
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.person_id.clone()).collect();
        let people = person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        let items = cases
            .into_iter()
            .map(|c| CaseListItem {
                person: people.iter().find(|p| p.id == c.person_id).cloned(),
                referred: c.org_id != org_id,
                case: c,
            })
            .collect();
        Ok((items, total))
    }
}
