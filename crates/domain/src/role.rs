//! Roles a user can hold. Each user holds exactly one, within one organisation.

use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Caseworker,
    Hotline,
    Mobile,
    Reporter,
    Analyst,
    Auditor,
}

/// Longest life of an API token for an account that needs a second factor: a
/// bearer token skips that factor, so it must not outlive a week.
pub const SECOND_FACTOR_TOKEN_MAX_MS: i64 = 7 * 24 * 3_600_000;

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Coordinator,
        Role::Caseworker,
        Role::Hotline,
        Role::Mobile,
        Role::Reporter,
        Role::Analyst,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Caseworker => "caseworker",
            Role::Hotline => "hotline",
            Role::Mobile => "mobile",
            Role::Reporter => "reporter",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(DomainError::field("role", "error-role"))
    }

    /// Whether this role must pass a second factor at sign-in: the roles whose work
    /// shows victims' identities.
    pub fn needs_second_factor(self) -> bool {
        matches!(
            self,
            Role::Caseworker | Role::Hotline | Role::Mobile | Role::Admin
        )
    }
}
