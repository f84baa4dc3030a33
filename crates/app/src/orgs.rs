//! The organisation directory: every organisation of the network, readable by every
//! signed-in person; the Commission's admins add to it.

use zakrila_domain::{
    org::{OrgKind, OrgSlug},
    policy::{Action, Resource},
};
use zakrila_store::orgs::NewOrg;

use crate::{App, AppError, Authed, Errors, Org};

/// An organisation with its parent's slug, as the directory lists it.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    pub org: Org,
    pub parent_slug: Option<String>,
}

/// The directory page: every organisation, and whether the caller may add one.
#[derive(Debug, Clone)]
pub struct Directory {
    pub orgs: Vec<DirectoryEntry>,
    pub can_manage: bool,
}

/// What an admin fills in to add an organisation (the parent as a slug, blank for
/// none).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NewOrganisation {
    pub slug: String,
    pub abbrev_bg: String,
    pub name_bg: String,
    pub name_en: String,
    pub kind: String,
    #[serde(default)]
    pub parent: String,
}

impl App {
    /// Every organisation, each with its parent's slug.
    pub async fn organisations(&self, a: &Authed) -> Result<Directory, AppError> {
        a.require(Action::ViewOrganisations, &Resource::System)?;
        let all: Vec<Org> = self.all_orgs().await?;
        let orgs = all
            .iter()
            .map(|o| DirectoryEntry {
                parent_slug: o
                    .parent_id
                    .as_ref()
                    .and_then(|p| all.iter().find(|x| &x.id == p))
                    .map(|p| p.slug.clone()),
                org: o.clone(),
            })
            .collect();
        Ok(Directory {
            orgs,
            can_manage: a.can(Action::ManageOrganisations, &Resource::System),
        })
    }

    /// One organisation by its slug.
    pub async fn organisation(&self, a: &Authed, slug: &str) -> Result<DirectoryEntry, AppError> {
        self.organisations(a)
            .await?
            .orgs
            .into_iter()
            .find(|e| e.org.slug == slug)
            .ok_or(AppError::NotFound)
    }

    /// Adds an organisation. Every invalid field is reported at once.
    pub async fn create_organisation(
        &self,
        a: &Authed,
        f: NewOrganisation,
    ) -> Result<Org, AppError> {
        a.require(Action::ManageOrganisations, &Resource::System)?;
        let mut errs = Errors::default();
        let slug = errs.take(OrgSlug::parse(f.slug.trim()));
        let kind = errs.take(OrgKind::parse(&f.kind));
        let parent = match f.parent.trim() {
            "" => None,
            p => errs.take(OrgSlug::parse(p)),
        };
        errs.check(
            [&f.name_bg, &f.name_en, &f.abbrev_bg]
                .iter()
                .any(|s| s.trim().is_empty()),
            "name_bg",
            "error-name-empty",
        );
        errs.finish()?;
        let (Some(slug), Some(kind)) = (slug, kind) else {
            return Err(AppError::Internal);
        };
        let new = NewOrg {
            slug,
            abbrev_bg: f.abbrev_bg.trim().into(),
            name_bg: f.name_bg.trim().into(),
            name_en: f.name_en.trim().into(),
            kind,
            parent,
        };
        Ok(self.store.create_org(a.user_uuid(), new).await?.into())
    }
}
