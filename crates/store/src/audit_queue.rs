//! Group commit for events that stand alone (an identity read, a sign-in, an export):
//! requests hand their event to one task, which appends whatever has queued up
//! meanwhile in a single transaction (the chain's head moves once per batch, one
//! multi-row `INSERT`, one commit) and then answers each request. Every request still
//! waits for its own event to be committed before it responds — an identity is never
//! shown without its audit record — but sixteen readers cost one commit, not sixteen.
//!
//! Nothing here outlives the requests that are waiting: the queue holds only their
//! pending events, and the chain's order across servers is still kept by the head
//! row's lock (`audit.rs`).

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::{OnceCell, mpsc, oneshot};

use crate::{
    StoreError,
    audit::{self, AuditEntry, ChainKey},
};

/// At most this many events per transaction.
const MAX_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<i64, String>>;

#[derive(Debug, Default)]
pub struct AuditQueue {
    tx: OnceCell<mpsc::UnboundedSender<(AuditEntry<'static>, Reply)>>,
}

impl AuditQueue {
    /// Appends the event and waits until it is committed.
    pub async fn append(
        &self,
        writer: &DatabaseConnection,
        key: &Arc<ChainKey>,
        entry: AuditEntry<'static>,
    ) -> Result<i64, StoreError> {
        // Started on first use, on the runtime that uses it.
        let tx = self
            .tx
            .get_or_init(|| async { spawn(writer.clone(), key.clone()) })
            .await;
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::error::SendError((entry, _))) = tx.send((entry, reply)) {
            // The task is gone (its runtime ended): append directly.
            return direct(writer, key.clone(), entry).await;
        }
        match answer.await {
            Ok(Ok(seq)) => Ok(seq),
            Ok(Err(e)) => Err(StoreError::Db(sea_orm::DbErr::Custom(e))),
            Err(_) => Err(StoreError::Db(sea_orm::DbErr::Custom(
                "the audit queue stopped".into(),
            ))),
        }
    }
}

async fn direct(
    writer: &DatabaseConnection,
    key: Arc<ChainKey>,
    entry: AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let txn = crate::WriteTxn::begin(writer, key).await?;
    let seq = audit::append(&txn, entry).await?;
    txn.commit().await?;
    Ok(seq)
}

fn spawn(
    writer: DatabaseConnection,
    key: Arc<ChainKey>,
) -> mpsc::UnboundedSender<(AuditEntry<'static>, Reply)> {
    let (tx, mut rx) = mpsc::unbounded_channel::<(AuditEntry<'static>, Reply)>();
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
            let (entries, replies): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
            let result = async {
                let txn = crate::WriteTxn::begin(&writer, key.clone()).await?;
                let seqs = audit::append_many(&txn, entries).await?;
                txn.commit().await?;
                Ok::<_, StoreError>(seqs)
            }
            .await;
            match result {
                Ok(seqs) => {
                    for (reply, seq) in replies.into_iter().zip(seqs) {
                        let _ = reply.send(Ok(seq));
                    }
                }
                Err(e) => {
                    // Nothing of the batch was committed: every waiting request fails.
                    tracing::error!(error = %e, "audit batch failed");
                    for reply in replies {
                        let _ = reply.send(Err(e.to_string()));
                    }
                }
            }
        }
    });
    tx
}
