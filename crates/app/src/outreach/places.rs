//! The directory of places: readable by every signed-in person, kept by the
//! Commission.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    outreach::PlaceKind,
    policy::{Action, Resource},
    region::Region,
};
use zakrila_store::{entity::place, outreach::NewPlace};

use crate::{App, AppError, Authed, Errors, case_details::opt};

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PlaceBody {
    /// reception_centre, detention_home, shelter, crisis_centre, transit_centre, other.
    pub kind: String,
    pub name_bg: String,
    pub name_en: String,
    /// ISO 3166-2:BG, e.g. `BG-26`.
    pub region: Option<String>,
    pub capacity: Option<u32>,
    /// Places for women, men, children and mothers with children (shelters).
    pub capacity_women: Option<u32>,
    pub capacity_men: Option<u32>,
    pub capacity_children: Option<u32>,
    pub capacity_mothers: Option<u32>,
    /// The operating organisation's slug.
    pub operator: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlaceOut {
    pub id: String,
    pub kind: String,
    pub name_bg: String,
    pub name_en: String,
    pub region: Option<String>,
    pub capacity: Option<i32>,
    pub capacity_women: Option<i32>,
    pub capacity_men: Option<i32>,
    pub capacity_children: Option<i32>,
    pub capacity_mothers: Option<i32>,
}

impl From<place::Model> for PlaceOut {
    fn from(m: place::Model) -> Self {
        PlaceOut {
            id: m.id,
            kind: m.kind,
            name_bg: m.name_bg,
            name_en: m.name_en,
            region: m.region,
            capacity: m.capacity,
            capacity_women: m.capacity_women,
            capacity_men: m.capacity_men,
            capacity_children: m.capacity_children,
            capacity_mothers: m.capacity_mothers,
        }
    }
}

impl App {
    /// Every place of the directory.
    pub async fn places(&self, a: &Authed) -> Result<Vec<PlaceOut>, AppError> {
        a.require(Action::ViewOrganisations, &Resource::System)?;
        Ok(self
            .store
            .list_places()
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Adds a place.
    pub async fn create_place(&self, a: &Authed, b: PlaceBody) -> Result<PlaceOut, AppError> {
        a.require(Action::ManagePlaces, &Resource::System)?;
        let mut e = Errors::default();
        let kind = e.take(PlaceKind::parse(b.kind.trim()));
        let region = opt(&mut e, b.region.as_deref(), |s| {
            Region::parse(s).ok_or(zakrila_domain::DomainError::field(
                "region",
                "error-region-unknown",
            ))
        });
        e.check(
            b.name_bg.trim().is_empty() || b.name_en.trim().is_empty(),
            "name_bg",
            "error-name-empty",
        );
        let operator = match b
            .operator
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(slug) => {
                let o = self.store.org_by_slug(slug).await?;
                e.check(o.is_none(), "operator", "error-org-unknown");
                o.map(|o| o.id)
            }
            None => None,
        };
        e.finish()?;
        let kind = kind.ok_or(AppError::Internal)?;
        Ok(self
            .store
            .create_place(
                a.user_uuid(),
                NewPlace {
                    kind: kind.as_str().to_owned(),
                    name_bg: b.name_bg.trim().to_owned(),
                    name_en: b.name_en.trim().to_owned(),
                    region: region.map(|r| r.code().to_owned()),
                    capacity: b.capacity.map(|c| c as i32),
                    operator_org: operator,
                    by_group: [
                        b.capacity_women,
                        b.capacity_men,
                        b.capacity_children,
                        b.capacity_mothers,
                    ]
                    .map(|c| c.map(|c| c.min(i32::MAX as u32) as i32)),
                },
            )
            .await?
            .into())
    }
}
