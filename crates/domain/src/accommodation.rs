//! Accommodation: the shelters, crisis and transit centres of the one directory of
//! places, their capacity by group, and a case's placements in them. A placement
//! takes one place of its group for as long as it is open; the Programme counts the
//! persons placed (objective 4.2).

use crate::{DomainError, outreach::PlaceKind};

vocabulary! {
    /// Whom a place of a shelter is for; a placement takes one place of its group.
    pub enum BedGroup in "group" {
        Women = "women", "жени", "women";
        Men = "men", "мъже", "men";
        Children = "children", "деца", "children";
        MothersWithChildren = "mothers_with_children", "майки с деца", "mothers with children";
    }
}

vocabulary! {
    /// Why a placement ended.
    pub enum LeavingReason in "reason" {
        Reintegrated = "reintegrated", "реинтеграция в общността", "reintegrated in the community";
        ReturnedHome = "returned_home", "завръщане в семейството или страната", "returned to family or country";
        OtherService = "other_service", "насочване към друга услуга", "moved to another service";
        TermEnded = "term_ended", "изтекъл срок на настаняване", "term of stay ended";
        LeftVoluntarily = "left_voluntarily", "напускане по собствено желание", "left of own will";
        Other = "other", "друга причина", "other reason";
    }
}

impl PlaceKind {
    /// The kinds of place where people are accommodated and placements recorded.
    pub fn houses_people(self) -> bool {
        matches!(
            self,
            PlaceKind::Shelter | PlaceKind::CrisisCentre | PlaceKind::TransitCentre
        )
    }
}

/// A shelter's places: in total and per group. `None` is "not limited separately".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capacity {
    pub total: Option<u32>,
    pub women: Option<u32>,
    pub men: Option<u32>,
    pub children: Option<u32>,
    pub mothers_with_children: Option<u32>,
}

impl Capacity {
    pub fn of(&self, group: BedGroup) -> Option<u32> {
        match group {
            BedGroup::Women => self.women,
            BedGroup::Men => self.men,
            BedGroup::Children => self.children,
            BedGroup::MothersWithChildren => self.mothers_with_children,
        }
    }

    /// Whether one more person of `group` fits, given the open placements now.
    pub fn admit(
        &self,
        group: BedGroup,
        occupied_total: u32,
        occupied_group: u32,
    ) -> Result<(), DomainError> {
        if self.total.is_some_and(|t| occupied_total >= t) {
            return Err(DomainError::field("place", "error-shelter-full"));
        }
        if self.of(group).is_some_and(|t| occupied_group >= t) {
            return Err(DomainError::field("group", "error-shelter-group-full"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_shelter_or_group_refuses_one_more() {
        let c = Capacity {
            total: Some(3),
            women: Some(2),
            ..Default::default()
        };
        assert!(c.admit(BedGroup::Women, 1, 1).is_ok());
        assert_eq!(
            c.admit(BedGroup::Women, 2, 2).unwrap_err(),
            DomainError::field("group", "error-shelter-group-full")
        );
        assert!(c.admit(BedGroup::Men, 2, 0).is_ok());
        assert_eq!(
            c.admit(BedGroup::Men, 3, 0).unwrap_err(),
            DomainError::field("place", "error-shelter-full")
        );
        assert!(
            Capacity::default()
                .admit(BedGroup::Children, 50, 50)
                .is_ok()
        );
    }
}
