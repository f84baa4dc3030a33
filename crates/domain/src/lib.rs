//! Zakrila's domain: the nouns of the counter-trafficking network, the rules that
//! bind them and the one authorisation policy. Nothing here does I/O, so every rule
//! is unit-testable and the store and web layers stay thin.

#[macro_use]
pub mod case;
pub mod abroad;
pub mod accommodation;
pub mod directory;
pub mod document;
pub mod error;
pub mod municipality;
pub mod org;
pub mod outreach;
pub mod password;
pub mod policy;
pub mod programme;
pub mod reference;
pub mod region;
pub mod role;
pub mod signal;
pub mod translit;
pub mod user;

pub use error::DomainError;
