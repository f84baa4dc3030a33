//! The caller's own in-app notices (e.g. that an account which sees identities was
//! created in their organisation): shown on the start page until dismissed. A
//! notice belongs to one user; nobody else reads or dismisses it.

use zakrila_store::entity::notice;

use crate::{App, AppError, Authed};

/// A notice as the start page shows it.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: String,
    /// What happened (`identity_account`).
    pub kind: String,
    pub at: i64,
    /// Who did it, when a person did (not the command line).
    pub actor: Option<String>,
    /// The account it is about.
    pub email: String,
    /// The role it was given.
    pub role: String,
}

impl From<notice::Model> for Notice {
    fn from(n: notice::Model) -> Self {
        let p: serde_json::Value = serde_json::from_str(&n.params).unwrap_or_default();
        let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        Notice {
            actor: text("actor"),
            email: text("email").unwrap_or_default(),
            role: text("role").unwrap_or_default(),
            id: n.id,
            kind: n.kind,
            at: n.created_at,
        }
    }
}

impl App {
    /// The caller's notices not yet dismissed, newest first.
    pub async fn notices(&self, a: &Authed) -> Result<Vec<Notice>, AppError> {
        Ok(self
            .store
            .notices_of(&a.user.id)
            .await?
            .into_iter()
            .map(Notice::from)
            .collect())
    }

    /// Dismisses one of the caller's notices.
    pub async fn dismiss_notice(&self, a: &Authed, id: &str) -> Result<(), AppError> {
        Ok(self.store.dismiss_notice(&a.user.id, id).await?)
    }
}
