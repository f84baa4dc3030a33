//! Placements of cases in shelters, crisis and transit centres, and what they add
//! up to: occupancy per shelter on a day and the persons counted for the
//! Programme. A placement is open while it has no end date; capacity is checked
//! against the open ones in the transaction that adds one.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::Date;
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    accommodation::{BedGroup, Capacity, LeavingReason},
    outreach::PlaceKind,
};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{place, placement},
    new_id, now_ms,
};

pub(crate) fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// A placement to add, already validated.
#[derive(Debug, Clone)]
pub struct NewPlacement {
    pub place_id: String,
    pub group: BedGroup,
    pub from_on: Date,
}

/// The capacity a place records.
pub fn capacity_of(p: &place::Model) -> Capacity {
    let n = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
    Capacity {
        total: n(p.capacity),
        women: n(p.capacity_women),
        men: n(p.capacity_men),
        children: n(p.capacity_children),
        mothers_with_children: n(p.capacity_mothers),
    }
}

/// Placements taking a place on `day`: begun by then and not yet ended.
fn occupying(day: &str) -> Condition {
    Condition::all()
        .add(placement::Column::FromOn.lte(day))
        .add(
            Condition::any()
                .add(placement::Column::ToOn.is_null())
                .add(placement::Column::ToOn.gt(day)),
        )
}

impl Store {
    /// The places that house people (shelters, crisis and transit centres), by name.
    pub async fn shelters(&self) -> Result<Vec<place::Model>, StoreError> {
        let kinds: Vec<&str> = PlaceKind::ALL
            .iter()
            .filter(|k| k.houses_people())
            .map(|k| k.as_str())
            .collect();
        Ok(place::Entity::find()
            .filter(place::Column::Kind.is_in(kinds))
            .filter(place::Column::Active.eq(true))
            .order_by_asc(place::Column::NameBg)
            .all(&self.reads)
            .await?)
    }

    /// Placements taking a place on `day`, as (place, group, count).
    pub async fn occupancy_on(&self, day: &str) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(placement::Entity::find()
            .select_only()
            .column(placement::Column::PlaceId)
            .column(placement::Column::BedGroup)
            .column_as(placement::Column::Id.count(), "n")
            .filter(occupying(day))
            .group_by(placement::Column::PlaceId)
            .group_by(placement::Column::BedGroup)
            .into_tuple()
            .all(&self.reads)
            .await?)
    }

    /// Distinct cases placed on `day`, and placed at any time from `from` to `to`
    /// (inclusive): the Programme's "currently receiving support" and "received
    /// support in the year".
    pub async fn placed_persons(
        &self,
        day: &str,
        from: &str,
        to: &str,
    ) -> Result<(u64, u64), StoreError> {
        let distinct = |cond: Condition| {
            placement::Entity::find()
                .select_only()
                .column(placement::Column::CaseId)
                .distinct()
                .filter(cond)
        };
        use sea_orm::PaginatorTrait;
        let now = distinct(occupying(day)).count(&self.reads).await?;
        let in_period = distinct(
            Condition::all().add(placement::Column::FromOn.lte(to)).add(
                Condition::any()
                    .add(placement::Column::ToOn.is_null())
                    .add(placement::Column::ToOn.gte(from)),
            ),
        )
        .count(&self.reads)
        .await?;
        Ok((now, in_period))
    }

    /// A case's placements, newest first.
    pub async fn placements_of(&self, case_id: &str) -> Result<Vec<placement::Model>, StoreError> {
        Ok(placement::Entity::find()
            .filter(placement::Column::CaseId.eq(case_id))
            .order_by_desc(placement::Column::FromOn)
            .order_by_desc(placement::Column::Id)
            .all(&self.reads)
            .await?)
    }

    /// Places the case's person, audited. Refused when the case already has an
    /// open placement, the place is not a shelter, or it (or the group's places)
    /// is full.
    pub async fn place_in_shelter(
        &self,
        actor: Uuid,
        org_id: &str,
        case_id: &str,
        p: NewPlacement,
    ) -> Result<placement::Model, StoreError> {
        let txn = self.begin_write().await?;
        let shelter = crate::read::one_in(place::Entity::find_by_id(p.place_id.clone()), &txn)
            .await?
            .filter(|s| s.active && PlaceKind::parse(&s.kind).is_ok_and(|k| k.houses_people()))
            .ok_or(DomainError::field("place", "error-shelter-unknown"))?;
        let open = placement::Entity::find()
            .filter(placement::Column::ToOn.is_null())
            .filter(
                Condition::any()
                    .add(placement::Column::PlaceId.eq(&shelter.id))
                    .add(placement::Column::CaseId.eq(case_id)),
            )
            .all(&txn)
            .await?;
        if open.iter().any(|o| o.case_id == case_id) {
            return Err(DomainError::field("place", "error-placement-open").into());
        }
        let total = open.len() as u32;
        let in_group = open
            .iter()
            .filter(|o| o.bed_group == p.group.as_str())
            .count() as u32;
        capacity_of(&shelter).admit(p.group, total, in_group)?;
        let ms = now_ms();
        let m = placement::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            org_id: Set(org_id.to_owned()),
            place_id: Set(shelter.id.clone()),
            bed_group: Set(p.group.as_str().to_owned()),
            from_on: Set(date_str(p.from_on)),
            to_on: Set(None),
            leaving_reason: Set(None),
            version: Set(1),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.placement", "case")
                .id(case_id)
                .change(serde_json::json!({
                    "placement": m.id, "place": m.place_id, "group": m.bed_group, "from": m.from_on,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Ends an open placement of the case (optimistic: the version read).
    pub async fn end_placement(
        &self,
        actor: Uuid,
        case_id: &str,
        placement_id: &str,
        version: i32,
        to_on: Date,
        reason: LeavingReason,
    ) -> Result<placement::Model, StoreError> {
        let txn = self.begin_write().await?;
        let m = crate::read::one_in(
            placement::Entity::find_by_id(placement_id.to_owned())
                .filter(placement::Column::CaseId.eq(case_id)),
            &txn,
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        if m.to_on.is_some() {
            return Err(DomainError::field("to_on", "error-placement-ended").into());
        }
        if m.version != version {
            return Err(StoreError::Conflict("stale"));
        }
        let to = date_str(to_on);
        if to < m.from_on {
            return Err(DomainError::field("to_on", "error-placement-before-start").into());
        }
        let mut am: placement::ActiveModel = m.into();
        am.to_on = Set(Some(to));
        am.leaving_reason = Set(Some(reason.as_str().to_owned()));
        am.version = Set(version + 1);
        am.updated_at = Set(now_ms());
        let m = am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.placement_end", "case")
                .id(case_id)
                .change(serde_json::json!({
                    "placement": m.id, "to": m.to_on, "reason": m.leaving_reason,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }
}

/// `serve --demo`'s shelters: kind, operator slug, Bulgarian and English name,
/// region, places in total and for women, men, children, mothers with children.
#[allow(clippy::type_complexity)]
const DEMO_SHELTERS: &[(PlaceKind, &str, &str, &str, &str, [Option<i32>; 5])] = &[
    (
        PlaceKind::CrisisCentre,
        "a21",
        "Кризисен център за жертви на трафик (демо)",
        "Crisis centre for victims of trafficking (demo)",
        "BG-03",
        [Some(8), Some(6), None, None, Some(2)],
    ),
    (
        PlaceKind::Shelter,
        "animus",
        "Приют за временно настаняване (демо)",
        "Shelter for temporary accommodation (demo)",
        "BG-22",
        [Some(12), Some(6), Some(2), Some(4), None],
    ),
];

impl Store {
    /// Adds the demo shelters when the directory has none; returns how many.
    pub async fn seed_demo_shelters(&self) -> Result<usize, StoreError> {
        if !self.shelters().await?.is_empty() {
            return Ok(0);
        }
        let orgs = crate::entity::organisation::Entity::find()
            .all(&self.reads)
            .await?;
        let txn = self.begin_write().await?;
        let ms = now_ms();
        for (kind, operator, bg, en, region, cap) in DEMO_SHELTERS {
            place::ActiveModel {
                id: Set(new_id()),
                kind: Set(kind.as_str().to_owned()),
                name_bg: Set((*bg).to_owned()),
                name_en: Set((*en).to_owned()),
                region: Set(Some((*region).to_owned())),
                capacity: Set(cap[0]),
                operator_org: Set(orgs
                    .iter()
                    .find(|o| o.slug == *operator)
                    .map(|o| o.id.clone())),
                capacity_women: Set(cap[1]),
                capacity_men: Set(cap[2]),
                capacity_children: Set(cap[3]),
                capacity_mothers: Set(cap[4]),
                active: Set(true),
                created_at: Set(ms),
                updated_at: Set(ms),
            }
            .insert(&txn)
            .await?;
        }
        audit::append(
            &txn,
            AuditEntry::new(None, "place.demo", "place")
                .change(serde_json::json!({"places": DEMO_SHELTERS.len()})),
        )
        .await?;
        txn.commit().await?;
        Ok(DEMO_SHELTERS.len())
    }
}
