//! Referrals to and from counterparts abroad (an IOM mission, an NGO, the police,
//! an embassy or consulate, a social service), recorded on the case without giving
//! the counterpart an account, and counted apart in the statistics.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    abroad::{AbroadStatus, CounterpartKind, Direction, foreign_country},
    policy::{Action, Resource},
};
use zakrila_store::{abroad::NewReferralAbroad, entity::referral_abroad};

use crate::{
    App, AppError, Authed, Errors,
    case_details::{finish, past_date, today},
};

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AbroadOut {
    pub id: String,
    /// outgoing, incoming.
    pub direction: String,
    /// ISO 3166-1 alpha-3.
    pub country: String,
    /// iom_mission, ngo, police, consulate, social_service.
    pub kind: String,
    /// The counterpart organisation, e.g. "IOM Romania".
    pub counterpart: String,
    pub contact_recorded: bool,
    /// Only with `?identity=true` (an audited identity read).
    pub contact: Option<String>,
    /// sent, acknowledged, accepted, declined, closed.
    pub status: String,
    /// The statuses it may move to next.
    pub next: Vec<String>,
    pub referred_on: String,
    pub version: i32,
}

fn out(m: referral_abroad::Model, contact: Option<String>) -> AbroadOut {
    let next = AbroadStatus::parse(&m.status)
        .map(|s| s.next().iter().map(|n| n.as_str().to_owned()).collect())
        .unwrap_or_default();
    AbroadOut {
        contact_recorded: m.contact.is_some(),
        contact,
        id: m.id,
        direction: m.direction,
        country: m.country,
        kind: m.kind,
        counterpart: m.counterpart,
        status: m.status,
        next,
        referred_on: m.referred_on,
        version: m.version,
    }
}

#[derive(Deserialize, Serialize, ToSchema, Debug, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralAbroadBody {
    /// outgoing (default), incoming.
    pub direction: Option<String>,
    /// ISO 3166-1 alpha-3; not Bulgaria.
    pub country: String,
    /// iom_mission, ngo, police, consulate, social_service.
    pub kind: String,
    /// The counterpart organisation, e.g. "IOM Romania" (up to 200 characters).
    pub counterpart: String,
    /// A contact person, phone or e-mail (encrypted; up to 300 characters).
    pub contact: Option<String>,
    /// `YYYY-MM-DD`, not in the future; today when absent.
    pub referred_on: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Debug, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AbroadStatusBody {
    /// acknowledged, accepted, declined, closed.
    pub status: String,
    /// The version read.
    pub version: i32,
}

/// Referrals abroad counted by year, direction, country and kind.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct AbroadCount {
    pub year: String,
    pub direction: String,
    pub country: String,
    pub kind: String,
    pub referrals: u64,
    /// Of them, those whose status now is "accepted".
    pub accepted: u64,
}

impl ReferralAbroadBody {
    fn parse(&self) -> Result<NewReferralAbroad, AppError> {
        let mut e = Errors::default();
        let direction = match self
            .direction
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(d) => e.take(Direction::parse(d)),
            None => Some(Direction::Outgoing),
        };
        let country = e.take(foreign_country(&self.country));
        let kind = e.take(CounterpartKind::parse(self.kind.trim()));
        let counterpart = self.counterpart.trim();
        e.check(
            counterpart.is_empty(),
            "counterpart",
            "error-counterpart-empty",
        );
        e.check(
            counterpart.chars().count() > 200,
            "counterpart",
            "error-text-too-long",
        );
        e.check(
            self.contact
                .as_deref()
                .is_some_and(|c| c.chars().count() > 300),
            "contact",
            "error-text-too-long",
        );
        let referred_on = match self
            .referred_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => past_date(&mut e, Some(s), "referred_on"),
            None => Some(today()),
        };
        let built = match (direction, country, kind, referred_on) {
            (Some(direction), Some(country), Some(kind), Some(referred_on)) => {
                Some(NewReferralAbroad {
                    direction,
                    country,
                    kind,
                    counterpart: counterpart.to_owned(),
                    contact: self.contact.clone(),
                    referred_on,
                })
            }
            _ => None,
        };
        finish(e, built)
    }
}

impl App {
    /// A case's referrals abroad; with `identity` the contacts too, which needs the
    /// right to see identities and is an audited read.
    pub async fn referrals_abroad(
        &self,
        a: &Authed,
        id: &str,
        identity: bool,
    ) -> Result<Vec<AbroadOut>, AppError> {
        let action = if identity {
            Action::ViewIdentity
        } else {
            Action::ViewCase
        };
        let c = self.case_for(a, id, action).await?;
        self.abroad_of(a, &c.id, identity).await
    }

    pub(crate) async fn abroad_of(
        &self,
        a: &Authed,
        case_id: &str,
        identity: bool,
    ) -> Result<Vec<AbroadOut>, AppError> {
        let rows = self.store.referrals_abroad_of(case_id).await?;
        let contacts = if identity {
            self.store
                .read_abroad_contacts(a.user_uuid(), case_id, &rows, "api")
                .await?
        } else {
            vec![]
        };
        Ok(rows
            .into_iter()
            .map(|m| {
                let c = contacts
                    .iter()
                    .find(|(id, _)| *id == m.id)
                    .map(|(_, c)| c.clone());
                out(m, c)
            })
            .collect())
    }

    /// Records a referral to or from a counterpart abroad, with status "sent".
    pub async fn refer_abroad(
        &self,
        a: &Authed,
        id: &str,
        b: ReferralAbroadBody,
    ) -> Result<AbroadOut, AppError> {
        let c = self.case_for(a, id, Action::ReferAbroad).await?;
        let r = b.parse()?;
        let m = self
            .store
            .refer_abroad(a.user_uuid(), &a.org.id, &c.id, r)
            .await?;
        Ok(out(m, None))
    }

    /// Moves a referral abroad along: acknowledged, accepted, declined, closed.
    pub async fn set_abroad_status(
        &self,
        a: &Authed,
        id: &str,
        referral_id: &str,
        b: AbroadStatusBody,
    ) -> Result<AbroadOut, AppError> {
        let c = self.case_for(a, id, Action::ReferAbroad).await?;
        let status = AbroadStatus::parse(b.status.trim()).map_err(AppError::from)?;
        let m = self
            .store
            .set_abroad_status(a.user_uuid(), &c.id, referral_id, b.version, status)
            .await?;
        Ok(out(m, None))
    }

    /// Every referral abroad of the network counted by year, direction, country and
    /// kind: apart from the referrals between organisations of the network.
    pub async fn abroad_counts(&self, a: &Authed) -> Result<Vec<AbroadCount>, AppError> {
        a.require(Action::ViewInternalStats, &Resource::System)?;
        let mut by: BTreeMap<(String, String, String, String), (u64, u64)> = BTreeMap::new();
        for (on, direction, country, kind, status) in self.store.referrals_abroad_counted().await? {
            let year = on.get(..4).unwrap_or_default().to_owned();
            let e = by.entry((year, direction, country, kind)).or_default();
            e.0 += 1;
            if status == AbroadStatus::Accepted.as_str() {
                e.1 += 1;
            }
        }
        Ok(by
            .into_iter()
            .map(
                |((year, direction, country, kind), (referrals, accepted))| AbroadCount {
                    year,
                    direction,
                    country,
                    kind,
                    referrals,
                    accepted,
                },
            )
            .collect())
    }
}
