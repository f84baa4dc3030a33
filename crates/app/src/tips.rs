//! The anonymous tip form of the public site: anyone may tell what happened, where
//! and when, and leave a contact if they wish. The tip lands in the tip desk's
//! signal queue as a web form; the sender gets a receipt code, shown once, with
//! which they may add information later but never read anything back. Nothing of
//! the sender's connection is stored with the tip; the per-address rate limit
//! keeps only a keyed hash of the address, for at most a day.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::signal::{self, Channel, Location, Urgency};
use zakrila_store::{signals::NewSignal, throttle::Attempt};

use crate::{App, AppError, Errors, case_details::opt, signals::forms};

/// Tips accepted from one address per window.
pub const TIPS_PER_ADDRESS: i32 = 5;
/// The window: one hour.
pub const TIP_WINDOW_MS: i64 = 60 * 60 * 1000;
/// The organisation whose queue receives tips unless configured otherwise.
pub const DEFAULT_TIP_DESK: &str = "a21";

/// What a sender tells.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TipBody {
    /// What happened (required).
    pub what: String,
    /// A region of Bulgaria (`BG-22`) or a country abroad (ISO alpha-3).
    #[serde(rename = "where")]
    pub where_: Option<String>,
    /// When, in the sender's words.
    pub when: Option<String>,
    /// Suspected forms of exploitation (the case vocabulary).
    pub forms: Vec<String>,
    /// How to reach the sender, if they wish.
    pub contact: Option<String>,
}

/// The code with which the sender may add information later; shown only now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Receipt {
    pub receipt: String,
}

/// More information for an earlier tip.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TipAddition {
    pub receipt: String,
    pub text: String,
}

/// A fresh random receipt code.
pub fn new_receipt() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    signal::receipt_from_bytes(&bytes)
}

impl TipBody {
    fn parse(&self, e: &mut Errors) -> NewSignal {
        let location = opt(e, self.where_.as_deref(), Location::parse);
        let what = e.take(signal::parse_text("what", &self.what));
        let when = self
            .when
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty());
        e.check(
            when.is_some_and(|w| w.chars().count() > signal::MAX_CONTACT),
            "when",
            "error-signal-when-long",
        );
        let summary = match (what, when) {
            (Some(w), Some(at)) => format!("{w}\n\n— {at}"),
            (Some(w), None) => w,
            _ => String::new(),
        };
        e.check(
            summary.chars().count() > signal::MAX_TEXT,
            "what",
            "error-signal-text-long",
        );
        NewSignal {
            received_at: crate::now_ms(),
            channel: Channel::WebForm.as_str().to_owned(),
            caller_type: "anonymous".to_owned(),
            urgency: Urgency::Routine.as_str().to_owned(),
            urgency_rank: 2,
            location: location.map(|l| l.code().to_owned()),
            municipality: None,
            forms: forms(e, &self.forms),
            persons: None,
            children: false,
            summary,
            contact: e
                .take(signal::parse_contact(self.contact.as_deref().unwrap_or("")))
                .flatten(),
        }
    }
}

impl App {
    /// Accepts a tip for the tip desk `desk` (an organisation's slug) from the
    /// client address `addr`: a bad tip stores nothing and is not counted; a good
    /// one over the address's limit is refused (`Paused`) without touching the
    /// tips already accepted.
    pub async fn submit_tip(
        &self,
        desk: &str,
        addr: &str,
        b: TipBody,
    ) -> Result<Receipt, AppError> {
        let mut e = Errors::default();
        let s = b.parse(&mut e);
        e.finish()?;
        let org = self
            .store
            .org_by_slug(desk)
            .await?
            .ok_or(AppError::Internal)?;
        if let Attempt::Locked { until } = self
            .store
            .count_tip_from(addr, TIPS_PER_ADDRESS, TIP_WINDOW_MS)
            .await?
        {
            return Err(AppError::Paused(until));
        }
        let receipt = new_receipt();
        let code = signal::normalise_receipt(&receipt).ok_or(AppError::Internal)?;
        self.store.record_tip(&org.id, s, &code).await?;
        Ok(Receipt { receipt })
    }

    /// Adds information to an earlier tip by its receipt; an unknown receipt is
    /// a field error and stores nothing. Nothing is ever read back.
    pub async fn add_to_tip(&self, b: TipAddition) -> Result<(), AppError> {
        let mut e = Errors::default();
        let text = e.take(signal::parse_text("text", &b.text));
        let code = signal::normalise_receipt(&b.receipt);
        e.check(code.is_none(), "receipt", "error-tip-receipt");
        e.finish()?;
        let (Some(text), Some(code)) = (text, code) else {
            return Err(AppError::Internal);
        };
        if !self.store.add_to_tip(&code, &text).await? {
            return Err(AppError::invalid("error-tip-receipt", Some("receipt")));
        }
        Ok(())
    }
}
