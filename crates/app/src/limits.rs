//! Operator-set ceilings on what one user may take out of the system at a time:
//! how many name searches, how many identities in one export, how large a document. Set from the
//! configuration (`zakrila.toml` / environment) at start-up.

/// The limits an [`crate::App`] enforces; [`Limits::default`] is what ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Name searches one user may run per 10 minutes (config
    /// `name_searches_per_10_minutes`).
    pub name_searches_per_10_minutes: i32,
    /// Most cases one export with identities may hold (config
    /// `identity_export_max_rows`); a larger export is refused, to be narrowed.
    pub identity_export_max_rows: u64,
    /// Largest document that may be attached to a case, in bytes (config
    /// `document_max_mb`).
    pub document_max_bytes: u64,
}

pub const NAME_SEARCHES_PER_10_MINUTES: i32 = 30;
pub const IDENTITY_EXPORT_MAX_ROWS: u64 = 500;
pub const DOCUMENT_MAX_BYTES: u64 = 20 * 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            name_searches_per_10_minutes: NAME_SEARCHES_PER_10_MINUTES,
            identity_export_max_rows: IDENTITY_EXPORT_MAX_ROWS,
            document_max_bytes: DOCUMENT_MAX_BYTES,
        }
    }
}
