//! Accommodation: shelters, crisis and transit centres with their occupancy today,
//! a case's placements in them, and the persons placed as the Programme counts
//! them (objective 4.2: "currently receiving support", "received support").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    accommodation::{BedGroup, LeavingReason},
    case::parse_date,
    policy::{Action, Resource},
};
use zakrila_store::{
    accommodation::{NewPlacement, capacity_of},
    entity::{place, placement},
};

use crate::{
    App, AppError, Authed, Errors,
    case_details::{finish, past_date, today},
};

/// Places per group: women, men, children, mothers with children.
#[derive(Serialize, ToSchema, Debug, Clone, Default, PartialEq, Eq)]
pub struct ByGroup {
    pub women: Option<u32>,
    pub men: Option<u32>,
    pub children: Option<u32>,
    pub mothers_with_children: Option<u32>,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ShelterOut {
    pub id: String,
    /// shelter, crisis_centre, transit_centre.
    pub kind: String,
    pub name_bg: String,
    pub name_en: String,
    pub region: Option<String>,
    /// Places in total; absent when not limited.
    pub capacity: Option<u32>,
    /// Places per group; absent ones are limited only by the total.
    pub capacity_by_group: ByGroup,
    /// Persons placed today.
    pub occupied: u32,
    /// Persons placed today per group (every group given, 0 when none).
    pub occupied_by_group: ByGroup,
    /// Places free today; absent when the total is not limited.
    pub free: Option<u32>,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ShelterCounts {
    /// The day counted for "currently receiving support", `YYYY-MM-DD`.
    pub day: String,
    pub year: i32,
    /// Distinct persons placed in a shelter, crisis or transit centre on `day`.
    pub currently_supported: u64,
    /// Distinct persons placed at any time in `year`.
    pub supported_in_year: u64,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct PlacementOut {
    pub id: String,
    pub place_id: String,
    pub place_bg: String,
    pub place_en: String,
    /// women, men, children, mothers_with_children.
    pub group: String,
    pub from_on: String,
    /// Absent while the person is still placed.
    pub to_on: Option<String>,
    /// reintegrated, returned_home, other_service, term_ended, left_voluntarily, other.
    pub leaving_reason: Option<String>,
    pub version: i32,
}

#[derive(Deserialize, Serialize, ToSchema, Debug, Default)]
#[serde(default, deny_unknown_fields)]
pub struct PlacementBody {
    /// The shelter's id (`GET /api/v1/shelters`).
    pub place: String,
    /// women, men, children, mothers_with_children.
    pub group: String,
    /// `YYYY-MM-DD`, not in the future; today when absent.
    pub from_on: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Debug, Default)]
#[serde(default, deny_unknown_fields)]
pub struct EndPlacementBody {
    /// `YYYY-MM-DD`, not in the future nor before the start; today when absent.
    pub to_on: Option<String>,
    /// reintegrated, returned_home, other_service, term_ended, left_voluntarily, other.
    pub reason: String,
    /// The version read.
    pub version: i32,
}

fn placement_out(m: placement::Model, places: &[place::Model]) -> PlacementOut {
    let p = places.iter().find(|p| p.id == m.place_id);
    PlacementOut {
        place_bg: p.map(|p| p.name_bg.clone()).unwrap_or_default(),
        place_en: p.map(|p| p.name_en.clone()).unwrap_or_default(),
        id: m.id,
        place_id: m.place_id,
        group: m.bed_group,
        from_on: m.from_on,
        to_on: m.to_on,
        leaving_reason: m.leaving_reason,
        version: m.version,
    }
}

fn day_str(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

impl App {
    /// Every shelter, crisis and transit centre with its occupancy today.
    pub async fn shelters(&self, a: &Authed) -> Result<Vec<ShelterOut>, AppError> {
        a.require(Action::ViewShelters, &Resource::System)?;
        self.shelters_today().await
    }

    async fn shelters_today(&self) -> Result<Vec<ShelterOut>, AppError> {
        let places = self.store.shelters().await?;
        let occ = self.store.occupancy_on(&day_str(today())).await?;
        Ok(places
            .into_iter()
            .map(|p| {
                let mut by = ByGroup {
                    women: Some(0),
                    men: Some(0),
                    children: Some(0),
                    mothers_with_children: Some(0),
                };
                let mut occupied = 0u32;
                for (_, g, n) in occ.iter().filter(|(pid, _, _)| *pid == p.id) {
                    let n = u32::try_from(*n).unwrap_or(0);
                    occupied += n;
                    let slot = match BedGroup::parse(g) {
                        Ok(BedGroup::Women) => &mut by.women,
                        Ok(BedGroup::Men) => &mut by.men,
                        Ok(BedGroup::Children) => &mut by.children,
                        Ok(BedGroup::MothersWithChildren) => &mut by.mothers_with_children,
                        Err(_) => continue,
                    };
                    *slot = Some(slot.unwrap_or(0) + n);
                }
                let cap = capacity_of(&p);
                ShelterOut {
                    capacity_by_group: ByGroup {
                        women: cap.women,
                        men: cap.men,
                        children: cap.children,
                        mothers_with_children: cap.mothers_with_children,
                    },
                    free: cap.total.map(|t| t.saturating_sub(occupied)),
                    capacity: cap.total,
                    occupied,
                    occupied_by_group: by,
                    id: p.id,
                    kind: p.kind,
                    name_bg: p.name_bg,
                    name_en: p.name_en,
                    region: p.region,
                }
            })
            .collect())
    }

    /// The persons placed, counted for the Programme: today and in `year` (this
    /// year when absent). Counts across the network, never persons.
    pub async fn shelter_counts(
        &self,
        a: &Authed,
        year: Option<i32>,
    ) -> Result<ShelterCounts, AppError> {
        a.require(Action::ViewShelters, &Resource::System)?;
        let day = day_str(today());
        let year = year.unwrap_or(today().year());
        if !(1990..=2100).contains(&year) {
            return Err(AppError::invalid("error-year", Some("year")));
        }
        let (now, in_year) = self
            .store
            .placed_persons(
                &day,
                &format!("{year:04}-01-01"),
                &format!("{year:04}-12-31"),
            )
            .await?;
        Ok(ShelterCounts {
            day,
            year,
            currently_supported: now,
            supported_in_year: in_year,
        })
    }

    /// A case's placements, newest first.
    pub async fn placements(&self, a: &Authed, id: &str) -> Result<Vec<PlacementOut>, AppError> {
        let c = self.case_for(a, id, Action::ViewCase).await?;
        self.placements_of(&c.id).await
    }

    pub(crate) async fn placements_of(&self, case_id: &str) -> Result<Vec<PlacementOut>, AppError> {
        let places = self.store.list_places().await?;
        Ok(self
            .store
            .placements_of(case_id)
            .await?
            .into_iter()
            .map(|m| placement_out(m, &places))
            .collect())
    }

    /// Places the case's person in a shelter; refused when it is full for them.
    pub async fn place_in_shelter(
        &self,
        a: &Authed,
        id: &str,
        b: PlacementBody,
    ) -> Result<PlacementOut, AppError> {
        let c = self.case_for(a, id, Action::PlaceInShelter).await?;
        let mut e = Errors::default();
        e.check(b.place.trim().is_empty(), "place", "error-shelter-unknown");
        let group = e.take(BedGroup::parse(b.group.trim()));
        let from_on = match b
            .from_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => past_date(&mut e, Some(s), "from_on"),
            None => Some(today()),
        };
        let (group, from_on) = finish(e, group.zip(from_on))?;
        let m = self
            .store
            .place_in_shelter(
                a.user_uuid(),
                &a.org.id,
                &c.id,
                NewPlacement {
                    place_id: b.place.trim().to_owned(),
                    group,
                    from_on,
                },
            )
            .await?;
        let places = self.store.list_places().await?;
        Ok(placement_out(m, &places))
    }

    /// Ends a placement of the case with the day the person left and why.
    pub async fn end_placement(
        &self,
        a: &Authed,
        id: &str,
        placement_id: &str,
        b: EndPlacementBody,
    ) -> Result<PlacementOut, AppError> {
        let c = self.case_for(a, id, Action::PlaceInShelter).await?;
        let mut e = Errors::default();
        let reason = e.take(LeavingReason::parse(b.reason.trim()));
        let to_on = match b.to_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => {
                let d = e.take(parse_date(s, "to_on"));
                e.check(d.is_some_and(|d| d > today()), "to_on", "error-date-future");
                d
            }
            None => Some(today()),
        };
        let (reason, to_on) = finish(e, reason.zip(to_on))?;
        let m = self
            .store
            .end_placement(a.user_uuid(), &c.id, placement_id, b.version, to_on, reason)
            .await?;
        let places = self.store.list_places().await?;
        Ok(placement_out(m, &places))
    }

    /// What the case page's accommodation section shows: the case's placements and
    /// referrals abroad, the shelters to choose from and what the caller may do.
    /// Part of the case page's one operation (`case_view`), which has already loaded
    /// and authorised the case: `res` is the case as the policy sees it.
    pub(crate) async fn accommodation_section(
        &self,
        a: &Authed,
        c: &zakrila_store::entity::case::Model,
        res: &Resource,
    ) -> Result<AccommodationSection, AppError> {
        let can_place = a.can(Action::PlaceInShelter, res);
        let can_refer_abroad = a.can(Action::ReferAbroad, res);
        Ok(AccommodationSection {
            placements: self.placements_of(&c.id).await?,
            shelters: if can_place {
                self.shelters_today().await?
            } else {
                vec![]
            },
            abroad: self.abroad_of(a, &c.id, false).await?,
            can_place,
            can_refer_abroad,
            case_id: c.id.clone(),
        })
    }
}

/// The case page's accommodation and referrals-abroad section.
#[derive(Debug, Clone)]
pub struct AccommodationSection {
    pub case_id: String,
    pub placements: Vec<PlacementOut>,
    pub shelters: Vec<ShelterOut>,
    pub abroad: Vec<crate::abroad::AbroadOut>,
    pub can_place: bool,
    pub can_refer_abroad: bool,
}
