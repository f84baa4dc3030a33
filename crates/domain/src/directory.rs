//! The public face of the organisation directory: how to reach an organisation
//! (phones, e-mail, address, web site, opening hours) and whom it helps (the regions
//! it serves, the needs it meets, the services of the catalogue it provides). Each
//! organisation's own admins keep it, and the Commission's; the public "where to get
//! help" pages are built from it.

mod need;
mod phone;
pub mod seed;

pub use need::Need;
pub use phone::{Phone, PhoneNumber};

use serde::{Deserialize, Serialize};

use crate::{DomainError, region::Region};

/// Longest free text of a contact field (an address, opening hours, a label).
pub const MAX_TEXT: usize = 300;
/// At most this many phones per organisation.
pub const MAX_PHONES: usize = 8;

/// An organisation's contacts, checked. No regions means the whole country.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    pub phones: Vec<Phone>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address_bg: String,
    pub address_en: String,
    pub hours_bg: String,
    pub hours_en: String,
    pub regions: Vec<Region>,
    pub needs: Vec<Need>,
    /// Codes of the service catalogue.
    pub services: Vec<String>,
}

impl Contacts {
    /// Whether the public can reach the organisation through these contacts: only
    /// such organisations are listed on the public pages.
    pub fn reachable(&self) -> bool {
        !self.phones.is_empty() || self.email.is_some()
    }

    /// Whether the organisation serves `region` (the whole country, or that region).
    pub fn serves(&self, region: Region) -> bool {
        self.regions.is_empty() || self.regions.contains(&region)
    }
}

/// A free-text field: trimmed, at most [`MAX_TEXT`] characters.
pub fn text(field: &'static str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.chars().count() > MAX_TEXT {
        return Err(DomainError::field(field, "error-contact-too-long"));
    }
    Ok(s.to_owned())
}

/// An e-mail address for the public: something@host.tld, no spaces.
pub fn email(s: &str) -> Result<Option<String>, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = s.len() <= 254
        && !s.chars().any(char::is_whitespace)
        && s.split_once('@')
            .is_some_and(|(u, h)| !u.is_empty() && h.contains('.') && !h.starts_with('.'));
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(DomainError::field("email", "error-contact-email"))
    }
}

/// A web site: an `https://` or `http://` address (a link on the public pages must
/// not run script).
pub fn website(s: &str) -> Result<Option<String>, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let ok = s.len() <= MAX_TEXT
        && rest.is_some_and(|r| {
            let host = r.split('/').next().unwrap_or("");
            host.contains('.') && !r.chars().any(|c| c.is_whitespace() || c == '"' || c == '<')
        });
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(DomainError::field("website", "error-contact-website"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_web_sites_are_checked() {
        assert_eq!(
            email(" iomsofia@iom.int ").unwrap().as_deref(),
            Some("iomsofia@iom.int")
        );
        assert_eq!(email("").unwrap(), None);
        assert!(email("iom at iom.int").is_err());
        assert!(email("x@localhost").is_err());
        assert!(website("https://bulgaria.iom.int/bg").unwrap().is_some());
        assert!(website("javascript:alert(1)").is_err());
        assert!(website("iom.int").is_err());
    }

    #[test]
    fn no_regions_means_the_whole_country() {
        let sofia = Region::parse("BG-22").unwrap();
        let burgas = Region::parse("BG-02").unwrap();
        let mut c = Contacts::default();
        assert!(c.serves(sofia) && c.serves(burgas));
        c.regions = vec![burgas];
        assert!(!c.serves(sofia) && c.serves(burgas));
        assert!(!c.reachable());
    }
}
