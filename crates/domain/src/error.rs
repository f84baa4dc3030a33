//! Domain errors carry a message key (for the Fluent bundles) rather than prose, so
//! the web layer can say it in Bulgarian or English and nothing identifying leaks.

/// A rule of the domain was broken. `key` names a Fluent message; `field` names the
/// input that was wrong, when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}")]
pub struct DomainError {
    pub key: &'static str,
    pub field: Option<&'static str>,
}

impl DomainError {
    pub const fn new(key: &'static str) -> Self {
        Self { key, field: None }
    }
    pub const fn field(field: &'static str, key: &'static str) -> Self {
        Self {
            key,
            field: Some(field),
        }
    }
}
