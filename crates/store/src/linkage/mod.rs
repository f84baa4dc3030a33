//! Privacy-preserving record linkage across organisations: the same victim
//! registered by IOM, an NGO and the police, under a Cyrillic name at home and a
//! Latin one abroad, found without any organisation seeing another's names.
//!
//! - `run`: each person's CLK is computed from their own organisation's decrypted
//!   record with the deployment's linkage secret and stored (only the matcher
//!   reads it); the matcher then compares CLKs of different organisations and
//!   puts probable matches into a review queue.
//! - `review`: an NCCTHB coordinator confirms or rejects each candidate, seeing
//!   case codes and non-identifying profiles only.
//! - here: what confirmed links mean — the count of unique persons for
//!   statistics, and the other organisations involved in a case.
//!
//! Authorisation is the caller's job (`Action::ReviewLinkage`).

mod review;
mod run;

pub use review::{CandidateView, CaseSide, Review};
pub use run::{Phase, RunProgress, RunSummary, SCHEMA_ID, Silent};

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    Store, StoreError,
    entity::{case, linkage_candidate, person},
};

/// Where a candidate stands in the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    Pending,
    Confirmed,
    Rejected,
}

impl LinkStatus {
    pub const ALL: [LinkStatus; 3] = [
        LinkStatus::Pending,
        LinkStatus::Confirmed,
        LinkStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Pending => "pending",
            LinkStatus::Confirmed => "confirmed",
            LinkStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<LinkStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Persons in the database, and how many distinct people they are once
/// confirmed links are taken into account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct UniquePersons {
    pub persons: u64,
    pub confirmed_links: u64,
    pub unique_persons: u64,
}

/// Union-find over indices, with path halving.
struct Groups(Vec<usize>);

impl Groups {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    /// Joins the groups of `a` and `b`; true when they were separate.
    fn join(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.0[ra] = rb;
        }
        ra != rb
    }
}

impl Store {
    async fn confirmed_links(&self) -> Result<Vec<linkage_candidate::Model>, StoreError> {
        Ok(linkage_candidate::Entity::find()
            .filter(linkage_candidate::Column::Status.eq(LinkStatus::Confirmed.as_str()))
            .all(&self.reads)
            .await?)
    }

    /// Persons minus those a confirmed link shows to be someone already counted
    /// (union-find over the confirmed pairs, so a chain of three links between
    /// four organisations' records counts one person). For statistics.
    pub async fn unique_persons(&self) -> Result<UniquePersons, StoreError> {
        let persons = person::Entity::find().count(&self.reads).await?;
        let links = self.confirmed_links().await?;
        let case_ids: HashSet<&str> = links
            .iter()
            .flat_map(|l| [l.case_a.as_str(), l.case_b.as_str()])
            .collect();
        let cases = case::Entity::find()
            .filter(case::Column::Id.is_in(case_ids.iter().copied()))
            .all(&self.reads)
            .await?;
        let person_of: HashMap<&str, &str> = cases
            .iter()
            .map(|c| (c.id.as_str(), c.person_id.as_str()))
            .collect();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for p in person_of.values() {
            let n = index.len();
            index.entry(p).or_insert(n);
        }
        let mut groups = Groups((0..index.len()).collect());
        let mut merged = 0u64;
        for l in &links {
            let (Some(a), Some(b)) = (
                person_of.get(l.case_a.as_str()),
                person_of.get(l.case_b.as_str()),
            ) else {
                continue;
            };
            if groups.join(index[a], index[b]) {
                merged += 1;
            }
        }
        Ok(UniquePersons {
            persons,
            confirmed_links: links.len() as u64,
            unique_persons: persons.saturating_sub(merged),
        })
    }

    /// The cases of other organisations that confirmed links (directly or through
    /// a chain) show to be the same person as `case_id`. Whether anyone may be
    /// told is the caller's question (consent to data sharing).
    pub async fn linked_cases(&self, case_id: &str) -> Result<Vec<case::Model>, StoreError> {
        let mut seen: HashSet<String> = HashSet::from([case_id.to_owned()]);
        let mut frontier = vec![case_id.to_owned()];
        // Chains are short (one link per pair of organisations at most): a few rounds.
        while !frontier.is_empty() {
            let links = linkage_candidate::Entity::find()
                .filter(linkage_candidate::Column::Status.eq(LinkStatus::Confirmed.as_str()))
                .filter(
                    Condition::any()
                        .add(linkage_candidate::Column::CaseA.is_in(frontier.clone()))
                        .add(linkage_candidate::Column::CaseB.is_in(frontier.clone())),
                )
                .all(&self.reads)
                .await?;
            frontier = links
                .into_iter()
                .flat_map(|l| [l.case_a, l.case_b])
                .filter(|c| seen.insert(c.clone()))
                .collect();
        }
        seen.remove(case_id);
        let own = self.case_by_id(case_id).await?.map(|c| c.org_id);
        let mut cases = case::Entity::find()
            .filter(case::Column::Id.is_in(seen))
            .all(&self.reads)
            .await?;
        cases.retain(|c| Some(&c.org_id) != own.as_ref());
        cases.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(cases)
    }
}
