//! Needs and risk assessment: each domain of the person's situation scored 0–3, and an
//! overall risk level computed from the scores by one documented rule.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::DomainError;

vocabulary! {
    pub enum AssessmentDomain in "domain" {
        Safety = "safety", "безопасност", "safety";
        Health = "health", "здраве", "health";
        Psychological = "psychological", "психично състояние", "psychological well-being";
        Housing = "housing", "жилище", "housing";
        Legal = "legal", "правни въпроси и документи", "legal matters and documents";
        Finances = "finances", "финанси", "finances";
        Family = "family", "семейство", "family";
        Employment = "employment", "заетост и образование", "employment and education";
    }
}

/// 0 no need, 1 low, 2 serious, 3 urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct NeedScore(u8);

impl NeedScore {
    pub const MAX: u8 = 3;

    pub fn parse(n: u8) -> Result<Self, DomainError> {
        if n <= Self::MAX {
            Ok(Self(n))
        } else {
            Err(DomainError::field("score", "error-assessment-score"))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for NeedScore {
    type Error = DomainError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Self::parse(n)
    }
}

impl From<NeedScore> for u8 {
    fn from(s: NeedScore) -> u8 {
        s.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentItem {
    pub domain: AssessmentDomain,
    pub score: NeedScore,
}

vocabulary! {
    pub enum RiskLevel in "risk" {
        Low = "low", "нисък", "low";
        Medium = "medium", "среден", "medium";
        High = "high", "висок", "high";
        Critical = "critical", "критичен", "critical";
    }
}

/// One assessment, made on a day. A re-assessment is a new `Assessment`; the history is
/// the list of them, so the trend stays visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    on: Date,
    items: Vec<AssessmentItem>,
}

impl Assessment {
    /// Each domain at most once; domains left out were not assessed (not "no need").
    pub fn new(on: Date, items: Vec<AssessmentItem>) -> Result<Self, DomainError> {
        for (i, item) in items.iter().enumerate() {
            if items[..i]
                .iter()
                .any(|earlier| earlier.domain == item.domain)
            {
                return Err(DomainError::field(
                    "domain",
                    "error-assessment-duplicate-domain",
                ));
            }
        }
        Ok(Self { on, items })
    }

    pub fn on(&self) -> Date {
        self.on
    }

    pub fn items(&self) -> &[AssessmentItem] {
        &self.items
    }

    pub fn score(&self, domain: AssessmentDomain) -> Option<NeedScore> {
        self.items
            .iter()
            .find(|i| i.domain == domain)
            .map(|i| i.score)
    }

    /// The overall risk level:
    /// - **critical**: safety scored 3 — the person is in immediate danger, whatever
    ///   else is true;
    /// - **high**: safety scored 2, or any other domain scored 3;
    /// - **medium**: any domain scored 2, or three or more domains scored 1 (many small
    ///   needs together weigh like a serious one);
    /// - **low**: otherwise, including an assessment with no items.
    pub fn risk_level(&self) -> RiskLevel {
        let safety = self
            .score(AssessmentDomain::Safety)
            .map_or(0, NeedScore::value);
        let max = self
            .items
            .iter()
            .map(|i| i.score.value())
            .max()
            .unwrap_or(0);
        let ones = self.items.iter().filter(|i| i.score.value() == 1).count();
        match (safety, max) {
            (3, _) => RiskLevel::Critical,
            (2, _) | (_, 3) => RiskLevel::High,
            (_, 2) => RiskLevel::Medium,
            _ if ones >= 3 => RiskLevel::Medium,
            _ => RiskLevel::Low,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use AssessmentDomain::*;

    fn assess(scores: &[(AssessmentDomain, u8)]) -> Assessment {
        let items = scores
            .iter()
            .map(|&(domain, s)| AssessmentItem {
                domain,
                score: NeedScore::parse(s).unwrap(),
            })
            .collect();
        Assessment::new(date!(2025 - 03 - 05), items).unwrap()
    }

    #[test]
    fn a_person_in_immediate_danger_is_critical_whatever_else() {
        assert_eq!(
            assess(&[(Safety, 3), (Health, 0)]).risk_level(),
            RiskLevel::Critical
        );
    }

    #[test]
    fn an_urgent_need_or_a_serious_safety_concern_is_high() {
        assert_eq!(assess(&[(Safety, 2)]).risk_level(), RiskLevel::High);
        assert_eq!(
            assess(&[(Safety, 0), (Housing, 3)]).risk_level(),
            RiskLevel::High
        );
    }

    #[test]
    fn serious_needs_or_many_small_ones_are_medium() {
        assert_eq!(
            assess(&[(Safety, 1), (Legal, 2)]).risk_level(),
            RiskLevel::Medium
        );
        assert_eq!(
            assess(&[(Health, 1), (Legal, 1), (Finances, 1)]).risk_level(),
            RiskLevel::Medium
        );
    }

    #[test]
    fn few_small_needs_are_low() {
        assert_eq!(
            assess(&[(Health, 1), (Legal, 1)]).risk_level(),
            RiskLevel::Low
        );
        assert_eq!(assess(&[]).risk_level(), RiskLevel::Low);
    }

    #[test]
    fn scores_run_from_0_to_3_and_each_domain_is_scored_once() {
        assert_eq!(
            NeedScore::parse(4),
            Err(DomainError::field("score", "error-assessment-score"))
        );
        assert!(serde_json::from_str::<NeedScore>("4").is_err());
        let item = AssessmentItem {
            domain: Health,
            score: NeedScore::parse(1).unwrap(),
        };
        assert_eq!(
            Assessment::new(date!(2025 - 03 - 05), vec![item, item]),
            Err(DomainError::field(
                "domain",
                "error-assessment-duplicate-domain"
            ))
        );
    }

    #[test]
    fn items_serialise_as_domain_and_number() {
        let item = AssessmentItem {
            domain: Safety,
            score: NeedScore::parse(2).unwrap(),
        };
        assert_eq!(
            serde_json::to_string(&item).unwrap(),
            r#"{"domain":"safety","score":2}"#
        );
    }
}
