//! The caseload: the organisation's own cases and those referred to it, a page of
//! 50 at a time, filtered by stage, form and risk or searched by code or name.
//!
//! Searching a name confirms whether a person is a registered victim, so a name
//! search is its own operation ([`App::search_caseload`]): it arrives in a request
//! body (never a URL, which proxies and browsers keep), is limited per user and is
//! audited — how many name words and how many hits, never the words themselves.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::{
    case::CaseCode,
    policy::{Action, Resource},
};
use zakrila_store::{
    audit::AuditEntry,
    cases::{CaseFilter, name_word_count},
    throttle::Attempt,
};

use super::CaseSummary;
use crate::{App, AppError, Authed};

/// Cases on one page of the caseload.
pub const PER_PAGE: u64 = 50;

/// The window of the per-user limit on name searches (`Limits`): enough searches in
/// it to find the people one works with, too few to sweep a list of names through
/// the caseload.
pub const NAME_SEARCH_WINDOW_MS: i64 = 10 * 60 * 1000;

/// The throttle key of a user's name searches (kept in the database, so the limit
/// holds across servers and restarts).
fn name_search_key(a: &Authed) -> String {
    format!("name_search:{}", a.user.id)
}

/// What the list is asked for: the API's query and the page's form alike. Empty
/// fields mean "any".
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// A case code (BG-2025-000123). A name is refused here (422): names are
    /// searched with `POST /api/v1/cases/search`, so they never appear in a URL.
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

/// A search of the caseload as the API posts it: the text (a case code, or a name
/// in Cyrillic or Latin) travels in the body, with the same filters as the list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseSearch {
    /// A case code or words of a name.
    pub q: String,
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

impl From<CaseSearch> for CaseQuery {
    fn from(s: CaseSearch) -> Self {
        CaseQuery {
            q: Some(s.q),
            stage: s.stage,
            form: s.form,
            risk: s.risk,
            page: s.page,
        }
    }
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
    /// How many name words a search text has, when it is a name (not blank, not a
    /// case code, at least one word that indexes).
    fn name_words_in(&self, q: &CaseQuery) -> Option<usize> {
        let text = given(&q.q)?;
        if CaseCode::parse(&text).is_ok() {
            return None;
        }
        Some(name_word_count(&[Some(&text)])).filter(|n| *n > 0)
    }

    /// One page of the caller's caseload, as a link or URL asks for it: filters and
    /// a case code only. A name is refused, so that it never travels in a URL.
    pub async fn caseload(&self, a: &Authed, q: &CaseQuery) -> Result<CaseList, AppError> {
        a.require(Action::ViewCase, &Resource::Org(a.actor.org_id))?;
        if self.name_words_in(q).is_some() {
            return Err(AppError::invalid("error-name-search-in-url", Some("q")));
        }
        self.list_cases(a, q).await
    }

    /// A search of the caller's caseload by a case code or a name, sent in a body.
    /// A name search counts against the user's limit before it runs, and is audited
    /// (the number of name words and of hits — never the words) before it answers.
    pub async fn search_caseload(&self, a: &Authed, q: &CaseQuery) -> Result<CaseList, AppError> {
        a.require(Action::ViewCase, &Resource::Org(a.actor.org_id))?;
        let Some(words) = self.name_words_in(q) else {
            return self.list_cases(a, q).await;
        };
        let key = name_search_key(a);
        let attempt = self
            .store
            .begin_attempt_per(
                &key,
                self.limits.name_searches_per_10_minutes,
                NAME_SEARCH_WINDOW_MS,
            )
            .await?;
        if let Attempt::Locked { until } = attempt {
            return Err(AppError::Paused(until));
        }
        let found = self.list_cases(a, q).await?;
        // The trail shows an event's entity id, not its change (kept only as a
        // digest): the counts are written there, for auditors to read.
        let hits = if found.total_capped {
            format!("{}+", found.total)
        } else {
            found.total.to_string()
        };
        let entry = AuditEntry::new(Some(a.user_uuid()), "case.name_search", "name_search")
            .id(format!("tokens={words};hits={hits}"));
        self.store.record(entry).await?;
        Ok(found)
    }

    /// One page of the caseload; blank filters mean "any". Callers decided whether
    /// the text may be a name.
    async fn list_cases(&self, a: &Authed, q: &CaseQuery) -> Result<CaseList, AppError> {
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
