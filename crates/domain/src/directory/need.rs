//! What a person looking for help needs: the public pages' filter. Stored as its
//! snake_case code.

use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// A safe place to stay.
    Shelter,
    Legal,
    Psychological,
    Medical,
    /// Going home safely, and help after the return.
    Return,
}

impl Need {
    pub const ALL: [Need; 5] = [
        Need::Shelter,
        Need::Legal,
        Need::Psychological,
        Need::Medical,
        Need::Return,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Need::Shelter => "shelter",
            Need::Legal => "legal",
            Need::Psychological => "psychological",
            Need::Medical => "medical",
            Need::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|n| n.as_str() == s.trim())
            .ok_or(DomainError::field("needs", "error-contact-need"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_round_trip() {
        for n in Need::ALL {
            assert_eq!(Need::parse(n.as_str()), Ok(n));
        }
        assert!(Need::parse("подслон").is_err());
    }
}
