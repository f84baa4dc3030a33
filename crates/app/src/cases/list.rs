//! The caseload: the organisation's own cases and those referred to it, a page of
//! 50 at a time, filtered by stage, form and risk or searched by code or name.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::cases::CaseFilter;

use super::CaseSummary;
use crate::{App, AppError, Authed};

/// Cases on one page of the caseload.
pub const PER_PAGE: u64 = 50;

/// What the list is asked for: the API's query and the page's form alike. Empty
/// fields mean "any".
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// A case code (BG-2025-000123) or a name, in Cyrillic or Latin.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub stage: Option<String>,
    /// A form of exploitation (`sexual`, `labour`…).
    #[serde(default)]
    pub form: Option<String>,
    #[serde(default)]
    pub risk: Option<String>,
    /// Zero-based page of 50.
    #[serde(default)]
    pub page: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseList {
    /// Matching cases: the whole caseload exactly; a filtered list counted up to
    /// 1000, a name search up to 200.
    pub total: u64,
    /// There are more matching cases than `total` (counting stopped at the cap).
    pub total_capped: bool,
    /// A next page exists.
    pub has_next: bool,
    pub items: Vec<CaseSummary>,
}

fn given(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl App {
    /// One page of the caller's caseload; blank filters mean "any".
    pub async fn caseload(&self, a: &Authed, q: &CaseQuery) -> Result<CaseList, AppError> {
        a.require(Action::ViewCase, &Resource::Org(a.actor.org_id))?;
        // An unknown code matches no case, as the list has always answered it.
        let (stage, form, risk) = (given(&q.stage), given(&q.form), given(&q.risk));
        let filter = CaseFilter {
            q: given(&q.q),
            stage,
            form,
            risk,
            reflection_overdue_on: None,
            page: q.page.unwrap_or(0),
            per_page: PER_PAGE,
        };
        let page = self.store.search_cases(&a.org.id, &filter).await?;
        let has_next = page.has_next(filter.page, filter.per_page);
        // Each other owner's slug is looked up once per page, not once per row.
        let mut slugs: HashMap<String, String> = HashMap::new();
        slugs.insert(a.org.id.clone(), a.org.slug.clone());
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            let slug = match slugs.get(&r.owner_org_id) {
                Some(s) => s.clone(),
                None => {
                    let s = self.owner_slug(a, &r.owner_org_id).await?;
                    slugs.insert(r.owner_org_id.clone(), s.clone());
                    s
                }
            };
            items.push(CaseSummary::of(r, slug));
        }
        Ok(CaseList {
            total: page.total,
            total_capped: page.total_capped,
            has_next,
            items,
        })
    }
}
