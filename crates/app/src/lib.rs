//! Zakrila's application layer: every operation a person can ask for, shared by the
//! HTML pages and the JSON API. An operation takes the caller (`Authed`) and a typed
//! input, loads what it needs once, asks the policy (`zakrila_domain::policy`) once
//! with the real facts, acts through the store in one transaction and returns typed
//! data. It knows nothing of HTTP: the `web` crate only translates requests into
//! inputs and outputs into pages or JSON.
//!
//! One module per domain noun; a new feature gets its own module here first.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod case_details;
pub mod case_rights;
pub mod cases;
pub mod child;
pub mod directory;
mod error;
pub mod home;
pub mod linkage;
pub mod orgs;
pub mod proceedings;
pub mod programme;
pub mod referrals;
pub mod reintegration;
pub mod session;
pub mod signin;

use zakrila_store::Store;

pub use error::{AppError, Errors, FieldError};
pub use session::{Account, Authed, Org, PendingSession, Via};

/// The application: cheap to clone, holds no state another server would need (that
/// lives in the database, behind the store).
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
}

impl App {
    pub fn new(store: Store) -> Self {
        App { store }
    }

    /// The store, for the wiring that builds the application and for tests.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The clock every operation reads: milliseconds since the Unix epoch, UTC.
pub fn now_ms() -> i64 {
    zakrila_store::now_ms()
}

impl App {
    /// Whether the database answers: the readiness probe.
    pub async fn ready(&self) -> bool {
        self.store.ping().await.is_ok()
    }
}
