//! Zakrila's application layer: every operation a person can ask for, shared by the
//! HTML pages and the JSON API. An operation takes the caller (`Authed`) and a typed
//! input, loads what it needs once, asks the policy (`zakrila_domain::policy`) once
//! with the real facts, acts through the store in one transaction and returns typed
//! data. It knows nothing of HTTP: the `web` crate only translates requests into
//! inputs and outputs into pages or JSON.
//!
//! One module per domain noun; a new feature gets its own module here first.

pub mod abroad;
pub mod access;
pub mod accommodation;
pub mod accounts;
pub mod audit;
pub mod case_details;
pub mod case_export;
pub mod case_rights;
pub mod cases;
pub mod child;
pub mod directory;
pub mod documents;
pub mod duplicates;
mod error;
pub mod hearings;
pub mod home;
pub mod hotline_report;
pub mod identity_export;
mod limits;
pub mod linkage;
pub mod notices;
pub mod orgs;
pub mod outreach;
pub mod proceedings;
pub mod programme;
pub mod projects;
pub mod referrals;
pub mod reintegration;
pub mod service_catalogue;
pub mod session;
pub mod signals;
pub mod signin;
pub mod stats;
pub mod tips;

use zakrila_store::Store;

pub use error::{AppError, Errors, FieldError};
pub use limits::{
    DOCUMENT_MAX_BYTES, IDENTITY_EXPORT_MAX_ROWS, Limits, NAME_SEARCHES_PER_10_MINUTES,
};
pub use session::{Account, Authed, Org, PendingSession, Via};

/// The application: cheap to clone, holds no state another server would need (that
/// lives in the database, behind the store).
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    /// Password hashing runs on blocking threads, at most one hash per core: a
    /// flood of sign-ins then waits here instead of stalling every request's
    /// async worker. A local CPU bound, not shared state.
    hashing: std::sync::Arc<tokio::sync::Semaphore>,
    /// Sign-in attempts allowed per minute across every address and account.
    signin_per_minute: i32,
    limits: Limits,
}

/// The default of [`App::with_signin_limit`].
pub const SIGNIN_PER_MINUTE: i32 = 120;

impl App {
    pub fn new(store: Store) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        App {
            store,
            hashing: std::sync::Arc::new(tokio::sync::Semaphore::new(cores)),
            signin_per_minute: SIGNIN_PER_MINUTE,
            limits: Limits::default(),
        }
    }

    /// Sets how many sign-in attempts per minute the whole system evaluates (a
    /// ceiling over every address, so that guesses spread over many addresses, or
    /// through one proxy, are bounded without locking any one account out).
    pub fn with_signin_limit(mut self, per_minute: i32) -> Self {
        self.signin_per_minute = per_minute.max(1);
        self
    }

    /// Sets the per-user ceilings (name searches, identity export size).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = Limits {
            name_searches_per_10_minutes: limits.name_searches_per_10_minutes.max(1),
            identity_export_max_rows: limits.identity_export_max_rows.max(1),
            document_max_bytes: limits.document_max_bytes.max(1),
        };
        self
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
