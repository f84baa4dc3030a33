//! Anchors: the chain's head (sequence number and hash) written down outside the
//! database — a write-once log, a remote syslog, a printout. The HMAC stops anyone
//! without the key from rewriting the chain, but deleting the newest events and
//! moving the head back leaves a shorter chain that is still intact; a recorded
//! anchor the chain no longer reaches shows it.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    Store, StoreError,
    audit::GENESIS,
    entity::{audit_event, audit_head},
};

/// The chain's head at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl Anchor {
    /// The `seq=… hash=…` part of an anchor line; whatever else the line holds (a
    /// timestamp) is for people.
    pub fn fields(&self) -> String {
        format!("seq={} hash={}", self.seq, self.hash)
    }

    /// Reads an anchor from a line holding `seq=N` and `hash=H` among other words;
    /// `None` for a line without them (blank, a comment).
    pub fn parse_line(line: &str) -> Option<Self> {
        let mut seq = None;
        let mut hash = None;
        for word in line.split_whitespace() {
            if let Some(v) = word.strip_prefix("seq=") {
                seq = v.parse().ok();
            } else if let Some(v) = word.strip_prefix("hash=") {
                hash = Some(v.to_owned());
            }
        }
        Some(Self {
            seq: seq?,
            hash: hash?,
        })
    }
}

/// Why the chain no longer extends an anchor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorBreak {
    #[error(
        "the chain ends at event {last} but an anchor recorded event {seq} (the newest events were removed)"
    )]
    Truncated { seq: i64, last: i64 },
    #[error("audit event {0} is not the one an anchor recorded (the chain was rewritten)")]
    Diverged(i64),
}

impl Store {
    /// The chain's head now.
    pub async fn audit_anchor(&self) -> Result<Anchor, StoreError> {
        let head = self
            .read_one(audit_head::Entity::find_by_id(1))
            .await?
            .ok_or(StoreError::AuditHeadMissing)?;
        Ok(Anchor {
            seq: head.seq,
            hash: head.hash,
        })
    }

    /// Checks that the chain still reaches every anchor with the hash recorded. Run
    /// it after [`Store::verify_audit`]: that one proves the chain intact up to its
    /// head, this one that the head has not moved back.
    pub async fn check_anchors(
        &self,
        anchors: &[Anchor],
    ) -> Result<Result<(), AnchorBreak>, StoreError> {
        let last = self.audit_anchor().await?.seq;
        for a in anchors {
            if a.seq == 0 {
                if a.hash != GENESIS {
                    return Ok(Err(AnchorBreak::Diverged(0)));
                }
                continue;
            }
            let event = crate::read::one_in(
                audit_event::Entity::find().filter(audit_event::Column::Seq.eq(a.seq)),
                &self.reads,
            )
            .await?;
            match event {
                None if a.seq > last => {
                    return Ok(Err(AnchorBreak::Truncated { seq: a.seq, last }));
                }
                None => return Ok(Err(AnchorBreak::Diverged(a.seq))),
                Some(e) if e.hash != a.hash => return Ok(Err(AnchorBreak::Diverged(a.seq))),
                Some(_) => {}
            }
        }
        Ok(Ok(()))
    }
}
