//! The service catalogue as an organisation sees it: the national entries (IOM's
//! 15) for everyone, and its own entries, which its admins add and retire. The case
//! page offers exactly the entries the organisation may plan (`plannable_services`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::{entity::service, service_catalogue::NewCatalogueEntry};

use crate::{App, AppError, Authed, Errors};

/// One entry of the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueEntry {
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    pub description_bg: String,
    pub description_en: String,
    /// The caller's organisation's own entry (else a national one).
    pub own: bool,
    /// Offered when planning services; a retired entry is kept for the services
    /// planned with it.
    pub active: bool,
}

impl CatalogueEntry {
    fn of(s: service::Model) -> Self {
        CatalogueEntry {
            own: s.org_id.is_some(),
            code: s.code,
            name_bg: s.name_bg,
            name_en: s.name_en,
            description_bg: s.description_bg,
            description_en: s.description_en,
            active: s.active,
        }
    }
}

/// A new entry of the caller's organisation: page and API post the same.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCatalogueEntryBody {
    pub name_bg: String,
    pub name_en: String,
    #[serde(default)]
    pub description_bg: String,
    #[serde(default)]
    pub description_en: String,
}

const NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 2_000;

fn text(errs: &mut Errors, field: &'static str, s: &str, max: usize, required: bool) -> String {
    let s = s.trim();
    errs.check(
        required && s.is_empty(),
        field,
        "error-catalogue-name-missing",
    );
    errs.check(s.chars().count() > max, field, "error-text-too-long");
    s.to_owned()
}

impl App {
    /// The national entries and the caller's organisation's own (retired ones too).
    pub async fn service_catalogue(&self, a: &Authed) -> Result<Vec<CatalogueEntry>, AppError> {
        let mut out: Vec<CatalogueEntry> = self
            .store
            .services_for_org(&a.org.id)
            .await?
            .into_iter()
            .filter(|s| s.org_id.is_none())
            .map(CatalogueEntry::of)
            .collect();
        out.extend(
            self.store
                .own_services(&a.org.id)
                .await?
                .into_iter()
                .map(CatalogueEntry::of),
        );
        Ok(out)
    }

    /// The entries the caller's organisation may plan: `(code, name_bg, name_en)`.
    pub async fn plannable_services(
        &self,
        a: &Authed,
    ) -> Result<Vec<(String, String, String)>, AppError> {
        Ok(self
            .store
            .services_for_org(&a.org.id)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name_bg, s.name_en))
            .collect())
    }

    /// Adds an entry of the caller's organisation.
    pub async fn add_catalogue_entry(
        &self,
        a: &Authed,
        b: NewCatalogueEntryBody,
    ) -> Result<CatalogueEntry, AppError> {
        a.require(
            Action::ManageServiceCatalogue,
            &Resource::Org(a.actor.org_id),
        )?;
        let mut errs = Errors::default();
        let entry = NewCatalogueEntry {
            name_bg: text(&mut errs, "name_bg", &b.name_bg, NAME_MAX, true),
            name_en: text(&mut errs, "name_en", &b.name_en, NAME_MAX, true),
            description_bg: text(
                &mut errs,
                "description_bg",
                &b.description_bg,
                DESCRIPTION_MAX,
                false,
            ),
            description_en: text(
                &mut errs,
                "description_en",
                &b.description_en,
                DESCRIPTION_MAX,
                false,
            ),
        };
        errs.finish()?;
        let m = self
            .store
            .add_catalogue_entry(a.user_uuid(), &a.org.id, &a.org.slug, entry)
            .await?;
        Ok(CatalogueEntry::of(m))
    }

    /// Retires an entry of the caller's organisation; another's is not found.
    pub async fn retire_catalogue_entry(
        &self,
        a: &Authed,
        code: &str,
    ) -> Result<CatalogueEntry, AppError> {
        a.require(
            Action::ManageServiceCatalogue,
            &Resource::Org(a.actor.org_id),
        )?;
        let m = self
            .store
            .retire_catalogue_entry(a.user_uuid(), &a.org.id, code)
            .await?;
        Ok(CatalogueEntry::of(m))
    }
}
