//! Signals that repeat one another: the same situation reported twice (a mother
//! calls, then her son writes; two neighbours phone about the same house). The
//! hotline marks the later one a duplicate of the other, which closes it with the
//! outcome "duplicate"; each shows the other. Both must be visible to the operator
//! (one may be a signal another hotline referred here); an original the operator
//! cannot see is answered as if it did not exist.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    policy::{Action, Resource},
    signal::{Outcome, Status},
};

use crate::{
    App, AppError, Authed,
    signals::{Held, SignalOut, out},
};

/// How many signals the page offers as the one a signal repeats.
const CANDIDATES: u64 = 100;

/// Marks a signal as a duplicate of another.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DuplicateBody {
    /// The id of the signal it repeats.
    pub of: String,
}

/// A signal linked as original or duplicate, as the other one shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignalLink {
    pub id: String,
    /// Milliseconds since the epoch.
    pub received_at: i64,
    pub channel: String,
}

fn link(s: &SignalOut) -> SignalLink {
    SignalLink {
        id: s.id.clone(),
        received_at: s.received_at,
        channel: s.channel.clone(),
    }
}

impl App {
    /// The signal `of` as the caller sees it, or `None` when it does not exist
    /// for the caller.
    async fn visible_signal(&self, a: &Authed, of: &str) -> Result<Option<Held>, AppError> {
        let Some(row) = self.store.signal_by_id(of).await? else {
            return Ok(None);
        };
        let referrals = self.store.signal_referrals(of).await?;
        let h = Held { row, referrals };
        Ok(a.can(Action::ViewSignal, &h.resource()?).then_some(h))
    }

    /// Marks signal `id` as a duplicate of `b.of`, closing it with the outcome
    /// "duplicate" (audited). The original must be another signal the caller sees
    /// and must not itself repeat `id`.
    pub async fn mark_duplicate(
        &self,
        a: &Authed,
        id: &str,
        b: DuplicateBody,
    ) -> Result<SignalOut, AppError> {
        let h = self.held_signal(a, id, Action::TriageSignal).await?;
        let of = b.of.trim();
        let unknown = || AppError::invalid("error-signal-duplicate", Some("duplicate_of"));
        if of.is_empty() || of == id {
            return Err(unknown());
        }
        let original = self.visible_signal(a, of).await?.ok_or_else(unknown)?;
        if original.row.duplicate_of.as_deref() == Some(id) {
            return Err(AppError::invalid(
                "error-signal-duplicate-loop",
                Some("duplicate_of"),
            ));
        }
        if !Status::parse(&h.row.status)
            .map_err(|_| AppError::Internal)?
            .can_close()
        {
            return Err(AppError::Conflict("signal closed"));
        }
        let m = self
            .store
            .mark_duplicate(a.user_uuid(), id, &original.row.id)
            .await?;
        Ok(out(m, &h.referrals))
    }

    /// The signals of the caller's hotline that `id` may be marked a duplicate of:
    /// the latest of its queue (open first), other than `id` and not duplicates
    /// themselves. Empty for those who do not take signals.
    pub async fn duplicate_candidates(
        &self,
        a: &Authed,
        id: &str,
    ) -> Result<Vec<SignalOut>, AppError> {
        if !a.can(Action::ViewSignal, &Resource::Org(a.actor.org_id)) {
            return Ok(vec![]);
        }
        Ok(self
            .store
            .signal_queue(&a.org.id, CANDIDATES)
            .await?
            .into_iter()
            .filter(|s| s.id != id && s.outcome.as_deref() != Some(Outcome::Duplicate.as_str()))
            .map(|s| out(s, &[]))
            .collect())
    }

    /// What a signal is linked to: the original it repeats and the duplicates of
    /// it, those the caller sees.
    pub(crate) async fn signal_links(
        &self,
        a: &Authed,
        s: &SignalOut,
    ) -> Result<(Option<SignalLink>, Vec<SignalLink>), AppError> {
        let original = match s.duplicate_of.as_deref() {
            Some(of) if s.outcome.as_deref() == Some(Outcome::Duplicate.as_str()) => self
                .visible_signal(a, of)
                .await?
                .map(|h| link(&out(h.row, &h.referrals))),
            _ => None,
        };
        let mut duplicates = vec![];
        for row in self.store.duplicates_of(&s.id).await? {
            let referrals = self.store.signal_referrals(&row.id).await?;
            let h = Held { row, referrals };
            if a.can(Action::ViewSignal, &h.resource()?) {
                duplicates.push(link(&out(h.row, &h.referrals)));
            }
        }
        Ok((original, duplicates))
    }
}
