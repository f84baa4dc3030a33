//! Organisations of the network: ministries, agencies, NGOs, courts, IOM.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// What kind of body an organisation is. Stored as its snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The National Commission (NCCTHB): runs the Programme and the national
    /// statistics. The policy's Commission membership is this kind, read from the
    /// directory, not a slug.
    NationalCommission,
    Government,
    LocalCommission,
    Ngo,
    International,
    Court,
    Prosecution,
    Police,
    Municipality,
    Academic,
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 11] = [
        OrgKind::NationalCommission,
        OrgKind::Government,
        OrgKind::LocalCommission,
        OrgKind::Ngo,
        OrgKind::International,
        OrgKind::Court,
        OrgKind::Prosecution,
        OrgKind::Police,
        OrgKind::Municipality,
        OrgKind::Academic,
        OrgKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::NationalCommission => "national_commission",
            OrgKind::Government => "government",
            OrgKind::LocalCommission => "local_commission",
            OrgKind::Ngo => "ngo",
            OrgKind::International => "international",
            OrgKind::Court => "court",
            OrgKind::Prosecution => "prosecution",
            OrgKind::Police => "police",
            OrgKind::Municipality => "municipality",
            OrgKind::Academic => "academic",
            OrgKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(DomainError::field("kind", "error-org-kind"))
    }
}

/// A stable Latin slug naming an organisation (`iom`, `nccthb`, `mvr-gdbop`).
/// Lower-case ASCII letters, digits and hyphens; 2–40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgSlug(String);

impl OrgSlug {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let ok = (2..=40).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::field("org", "error-org-slug"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgSlug {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}
impl From<OrgSlug> for String {
    fn from(s: OrgSlug) -> String {
        s.0
    }
}
impl std::fmt::Display for OrgSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_latin() {
        assert!(OrgSlug::parse("iom").is_ok());
        assert!(OrgSlug::parse("mvr-gdbop").is_ok());
        assert!(OrgSlug::parse("МОМ").is_err());
        assert!(OrgSlug::parse("IOM").is_err());
        assert!(OrgSlug::parse("-x").is_err());
        assert!(OrgSlug::parse("a").is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Ok(k));
        }
    }
}
