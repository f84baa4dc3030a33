//! One error type for the crate: schema problems are found once at load time,
//! entry problems per record, matching problems per call.

/// Everything that can go wrong in linkage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The linkage schema is not valid JSON or not a schema we can honour.
    #[error("invalid linkage schema: {0}")]
    Schema(String),
    /// A record's value does not conform to its field's format (clkhash's
    /// `InvalidEntryError`).
    #[error("field `{field}`: {reason}")]
    Entry { field: String, reason: String },
    /// A record has a different number of values than the schema has fields.
    #[error("record has {got} values, the schema has {expected} fields")]
    RecordLength { expected: usize, got: usize },
    /// A CLK could not be decoded or does not fit the others.
    #[error("invalid CLK: {0}")]
    Clk(String),
    /// Matching was asked for something meaningless.
    #[error("invalid matching request: {0}")]
    Matching(String),
    /// A sink of streamed candidates failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn schema_err(msg: impl Into<String>) -> Error {
    Error::Schema(msg.into())
}
