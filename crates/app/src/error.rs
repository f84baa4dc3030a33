//! The one error of the application layer. Every operation answers with it; the
//! HTTP layer maps each variant to a status and a localised body in one place
//! (`zakrila_web::error`). Nothing in it carries identifying data: field errors are
//! message keys, conflicts are fixed words.

use zakrila_domain::DomainError;
use zakrila_store::StoreError;

/// One invalid field: which field (when there is one) and the message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<&'static str>,
    pub key: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// No valid credentials.
    #[error("unauthorised")]
    Unauthorized,
    /// The policy refused openly.
    #[error("forbidden")]
    Forbidden,
    /// Absent, or hidden by the policy so that its existence does not leak.
    #[error("not found")]
    NotFound,
    /// Input that does not parse into domain types; nothing was changed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The request collides with the current state (`stale` for a lost update).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Sign-in attempts are paused for the typed account or the client address
    /// until this time (ms since the epoch); says nothing about whether it exists.
    #[error("attempts paused")]
    Paused(i64),
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn invalid(key: &'static str, field: Option<&'static str>) -> Self {
        AppError::Invalid(vec![FieldError { field, key }])
    }

    /// The message keys of an `Invalid` error (empty for the others), for a page
    /// that shows them beside its form.
    pub fn keys(&self) -> Vec<&'static str> {
        match self {
            AppError::Invalid(fs) => fs.iter().map(|f| f.key).collect(),
            _ => vec![],
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Invalid(vec![FieldError {
            field: e.field,
            key: e.key,
        }])
    }
}

impl From<Vec<DomainError>> for AppError {
    fn from(es: Vec<DomainError>) -> Self {
        AppError::Invalid(
            es.into_iter()
                .map(|e| FieldError {
                    field: e.field,
                    key: e.key,
                })
                .collect(),
        )
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Domain(d) => d.into(),
            StoreError::Conflict(c) => AppError::Conflict(c),
            other => {
                // Store errors never carry identity data (values are encrypted and
                // messages name tables and columns only), so they may be logged.
                tracing::error!(error = %other, "storage error");
                AppError::Internal
            }
        }
    }
}

/// Collects the field errors of a whole input before failing, so a form shows
/// every problem at once: `let x = errs.take(Email::parse(..))`, then `errs.finish()?`.
#[derive(Debug, Default)]
pub struct Errors(Vec<DomainError>);

impl Errors {
    /// The value, or `None` with its error kept.
    pub fn take<T>(&mut self, r: Result<T, DomainError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    /// Keeps an error when `bad` holds.
    pub fn check(&mut self, bad: bool, field: &'static str, key: &'static str) {
        if bad {
            self.0.push(DomainError::field(field, key));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was kept, else every kept error as one `Invalid`.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.into())
        }
    }
}
