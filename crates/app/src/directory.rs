//! The directory's public contacts: read by every signed-in person, kept by each
//! organisation's own admins and the Commission's, and published without sign-in
//! on the "where to get help" pages.
//!
//! The public operations take no caller: what they return is what the network
//! publishes (organisations the public can reach, their phones and services),
//! never anything the policy guards.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    directory::{self, Contacts, MAX_PHONES, Need, Phone, PhoneNumber},
    policy::{Action, Resource},
    region::Region,
};

use crate::{App, AppError, Authed, Errors, Org};

/// One phone as typed: the number, what it is for in both languages, and whether
/// it is a hotline (listed first on the public home page).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct PhoneInput {
    pub number: String,
    #[serde(default)]
    pub label_bg: String,
    #[serde(default)]
    pub label_en: String,
    #[serde(default)]
    pub hotline: bool,
}

/// An organisation's contacts as its admin fills them in. Regions are ISO
/// 3166-2:BG codes (`BG-22`), none for the whole country; needs are `shelter`,
/// `legal`, `psychological`, `medical`, `return`; services are codes of the
/// service catalogue.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ContactsInput {
    #[serde(default)]
    pub phones: Vec<PhoneInput>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub address_bg: String,
    #[serde(default)]
    pub address_en: String,
    #[serde(default)]
    pub hours_bg: String,
    #[serde(default)]
    pub hours_en: String,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
}

impl ContactsInput {
    /// The form of the stored contacts, to fill an edit form with.
    pub fn of(c: &Contacts) -> Self {
        ContactsInput {
            phones: c
                .phones
                .iter()
                .map(|p| PhoneInput {
                    number: p.number.as_str().to_owned(),
                    label_bg: p.label_bg.clone(),
                    label_en: p.label_en.clone(),
                    hotline: p.hotline,
                })
                .collect(),
            email: c.email.clone().unwrap_or_default(),
            website: c.website.clone().unwrap_or_default(),
            address_bg: c.address_bg.clone(),
            address_en: c.address_en.clone(),
            hours_bg: c.hours_bg.clone(),
            hours_en: c.hours_en.clone(),
            regions: c.regions.iter().map(|r| r.code().to_owned()).collect(),
            needs: c.needs.iter().map(|n| n.as_str().to_owned()).collect(),
            services: c.services.clone(),
        }
    }
}

/// An organisation with its contacts, whether the caller may edit them, and the
/// service catalogue to choose the organisation's services from.
#[derive(Debug, Clone)]
pub struct OrgContacts {
    pub org: Org,
    pub contacts: Contacts,
    pub can_edit: bool,
    pub catalogue: Vec<CatalogueService>,
}

/// A service of the catalogue, by code and name.
#[derive(Debug, Clone)]
pub struct CatalogueService {
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
}

/// An organisation the public can reach, with its contacts.
#[derive(Debug, Clone)]
pub struct Listing {
    pub org: Org,
    pub contacts: Contacts,
}

/// A service of the catalogue with the organisations that provide it.
#[derive(Debug, Clone)]
pub struct PublicService {
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    pub description_bg: String,
    pub description_en: String,
    pub providers: Vec<Org>,
}

/// What the public pages are built from.
#[derive(Debug, Clone)]
pub struct PublicDirectory {
    /// Changes whenever any contacts change: the key the pages are cached under.
    pub version: String,
    pub listings: Vec<Listing>,
    pub services: Vec<PublicService>,
}

impl PublicDirectory {
    /// The organisations serving `region` (all, without one) that meet `need` (any,
    /// without one); those serving only that region before the nationwide ones.
    pub fn where_to(&self, region: Option<Region>, need: Option<Need>) -> Vec<&Listing> {
        let mut v: Vec<&Listing> = self
            .listings
            .iter()
            .filter(|l| region.is_none_or(|r| l.contacts.serves(r)))
            .filter(|l| need.is_none_or(|n| l.contacts.needs.contains(&n)))
            .collect();
        v.sort_by_key(|l| l.contacts.regions.is_empty());
        v
    }

    /// Every hotline with its organisation.
    pub fn hotlines(&self) -> Vec<(&Org, &Phone)> {
        self.listings
            .iter()
            .flat_map(|l| l.contacts.phones.iter().map(move |p| (&l.org, p)))
            .filter(|(_, p)| p.hotline)
            .collect()
    }
}

/// Checks every field of the input, reporting all problems at once.
fn parse(f: ContactsInput, catalogue: &[String]) -> Result<Contacts, AppError> {
    let mut errs = Errors::default();
    let mut phones = vec![];
    errs.check(
        f.phones.len() > MAX_PHONES,
        "phones",
        "error-contact-phones-many",
    );
    for p in f.phones.into_iter().take(MAX_PHONES) {
        if p.number.trim().is_empty()
            && p.label_bg.trim().is_empty()
            && p.label_en.trim().is_empty()
        {
            continue;
        }
        let number = errs.take(PhoneNumber::parse(&p.number));
        let label_bg = errs.take(directory::text("phones", &p.label_bg));
        let label_en = errs.take(directory::text("phones", &p.label_en));
        if let (Some(number), Some(label_bg), Some(label_en)) = (number, label_bg, label_en) {
            phones.push(Phone {
                number,
                label_bg,
                label_en,
                hotline: p.hotline,
            });
        }
    }
    let email = errs.take(directory::email(&f.email)).flatten();
    let website = errs.take(directory::website(&f.website)).flatten();
    let mut text = |field, s: &str| errs.take(directory::text(field, s)).unwrap_or_default();
    let address_bg = text("address_bg", &f.address_bg);
    let address_en = text("address_en", &f.address_en);
    let hours_bg = text("hours_bg", &f.hours_bg);
    let hours_en = text("hours_en", &f.hours_en);
    let mut regions = vec![];
    for r in &f.regions {
        match Region::parse(r) {
            Some(r) if !regions.contains(&r) => regions.push(r),
            Some(_) => {}
            None => errs.check(true, "regions", "error-contact-region"),
        }
    }
    regions.sort();
    let mut needs = vec![];
    for n in &f.needs {
        if let Some(n) = errs.take(Need::parse(n))
            && !needs.contains(&n)
        {
            needs.push(n);
        }
    }
    needs.sort();
    let mut services = vec![];
    for s in &f.services {
        let s = s.trim().to_owned();
        errs.check(!catalogue.contains(&s), "services", "error-contact-service");
        if catalogue.contains(&s) && !services.contains(&s) {
            services.push(s);
        }
    }
    errs.finish()?;
    Ok(Contacts {
        phones,
        email,
        website,
        address_bg,
        address_en,
        hours_bg,
        hours_en,
        regions,
        needs,
        services,
    })
}

impl App {
    /// An organisation's contacts (every signed-in person reads the directory).
    pub async fn org_contacts(&self, a: &Authed, slug: &str) -> Result<OrgContacts, AppError> {
        a.require(Action::ViewOrganisations, &Resource::System)?;
        let org = self
            .store
            .org_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let contacts = self
            .store
            .org_contacts(&org.id)
            .await?
            .map(|m| zakrila_store::directory::contacts_of(&m))
            .unwrap_or_default();
        let org = Org::from(org);
        let catalogue = self
            .store
            .list_services()
            .await?
            .into_iter()
            .filter(|s| s.active)
            .map(|s| CatalogueService {
                code: s.code,
                name_bg: s.name_bg,
                name_en: s.name_en,
            })
            .collect();
        Ok(OrgContacts {
            can_edit: a.can(Action::EditDirectoryContacts, &Resource::Org(org.uuid())),
            org,
            contacts,
            catalogue,
        })
    }

    /// Replaces an organisation's contacts (its admins, the Commission's). Bad
    /// input stores nothing and names every problem.
    pub async fn edit_contacts(
        &self,
        a: &Authed,
        slug: &str,
        f: ContactsInput,
    ) -> Result<Contacts, AppError> {
        a.require(Action::ViewOrganisations, &Resource::System)?;
        let org = self
            .store
            .org_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound)?;
        a.require(
            Action::EditDirectoryContacts,
            &Resource::Org(Org::from(org.clone()).uuid()),
        )?;
        let catalogue: Vec<String> = self
            .store
            .list_services()
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        let contacts = parse(f, &catalogue)?;
        self.store
            .save_contacts(a.user_uuid(), &org, &contacts)
            .await?;
        Ok(contacts)
    }

    /// The directory's current version, cheap to ask on every public request.
    pub async fn directory_version(&self) -> Result<String, AppError> {
        Ok(self.store.directory_version().await?)
    }

    /// Everything the public pages show: the organisations the public can reach
    /// and the service catalogue with who provides each service.
    pub async fn public_directory(&self) -> Result<PublicDirectory, AppError> {
        let version = self.store.directory_version().await?;
        let orgs = self.all_orgs().await?;
        let mut listings: Vec<Listing> = self
            .store
            .all_contacts()
            .await?
            .iter()
            .filter_map(|m| {
                let org = orgs.iter().find(|o| o.id == m.org_id)?.clone();
                let contacts = zakrila_store::directory::contacts_of(m);
                contacts.reachable().then_some(Listing { org, contacts })
            })
            .collect();
        // Hotlines first, then by name.
        listings.sort_by(|a, b| {
            let hot = |l: &Listing| !l.contacts.phones.iter().any(|p| p.hotline);
            (hot(a), &a.org.name_bg).cmp(&(hot(b), &b.org.name_bg))
        });
        let services = self
            .store
            .list_services()
            .await?
            .into_iter()
            .filter(|s| s.active)
            .map(|s| PublicService {
                providers: listings
                    .iter()
                    .filter(|l| l.contacts.services.contains(&s.code))
                    .map(|l| l.org.clone())
                    .collect(),
                code: s.code,
                name_bg: s.name_bg,
                name_en: s.name_en,
                description_bg: s.description_bg,
                description_en: s.description_en,
            })
            .collect();
        Ok(PublicDirectory {
            version,
            listings,
            services,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_reported_and_blank_phone_rows_are_skipped() {
        let catalogue = vec!["legal".to_owned()];
        let bad = ContactsInput {
            phones: vec![
                PhoneInput {
                    number: "call me".into(),
                    ..Default::default()
                },
                PhoneInput::default(),
            ],
            email: "nope".into(),
            regions: vec!["BG-99".into()],
            needs: vec!["money".into()],
            services: vec!["flying".into()],
            ..Default::default()
        };
        let Err(AppError::Invalid(fs)) = parse(bad, &catalogue) else {
            panic!("invalid input accepted");
        };
        let keys: Vec<_> = fs.iter().map(|f| f.key).collect();
        for k in [
            "error-contact-phone",
            "error-contact-email",
            "error-contact-region",
            "error-contact-need",
            "error-contact-service",
        ] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        let ok = ContactsInput {
            phones: vec![PhoneInput::default()],
            regions: vec!["BG-02".into(), "BG-02".into()],
            services: vec!["legal".into()],
            ..Default::default()
        };
        let c = parse(ok, &catalogue).unwrap();
        assert!(c.phones.is_empty());
        assert_eq!(c.regions.len(), 1);
    }
}
