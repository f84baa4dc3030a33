//! Zakrila's domain: the nouns of the counter-trafficking network, the rules that
//! bind them and the one authorisation policy. Nothing here does I/O, so every rule
//! is unit-testable and the store and web layers stay thin.

pub mod error;
pub mod org;
pub mod reference;
pub mod role;
pub mod translit;

pub use error::DomainError;
