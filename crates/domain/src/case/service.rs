//! Services delivered to a person (IOM's catalogue or an organisation's own).

use time::Date;

use crate::DomainError;

vocabulary! {
    pub enum ServiceStatus in "status" {
        Planned = "planned", "планирана", "planned";
        InProgress = "in_progress", "в изпълнение", "in progress";
        Delivered = "delivered", "предоставена", "delivered";
        Cancelled = "cancelled", "отменена", "cancelled";
    }
}

impl ServiceStatus {
    /// planned → in progress | delivered | cancelled; in progress → delivered |
    /// cancelled. A one-off service (a consultation, a ticket) goes from planned to
    /// delivered directly. Delivered and cancelled are final.
    pub fn move_to(self, to: ServiceStatus) -> Result<ServiceStatus, DomainError> {
        use ServiceStatus::*;
        match (self, to) {
            (Planned, InProgress | Delivered | Cancelled) | (InProgress, Delivered | Cancelled) => {
                Ok(to)
            }
            _ => Err(DomainError::field("status", "error-service-transition")),
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Planned | Self::InProgress)
    }
}

/// A service is overdue when it is still open (planned or in progress) after its due
/// date; the due day itself is not late yet. Without a due date nothing is overdue.
pub fn is_overdue(status: ServiceStatus, due: Option<Date>, today: Date) -> bool {
    status.is_open() && due.is_some_and(|due| due < today)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use ServiceStatus::*;

    #[test]
    fn a_planned_service_past_its_due_date_is_overdue() {
        let due = Some(date!(2025 - 03 - 10));
        assert!(!is_overdue(Planned, due, date!(2025 - 03 - 10)));
        assert!(is_overdue(Planned, due, date!(2025 - 03 - 11)));
        assert!(is_overdue(InProgress, due, date!(2025 - 03 - 11)));
    }

    #[test]
    fn delivered_cancelled_or_undated_services_are_never_overdue() {
        let due = Some(date!(2025 - 03 - 10));
        assert!(!is_overdue(Delivered, due, date!(2025 - 04 - 01)));
        assert!(!is_overdue(Cancelled, due, date!(2025 - 04 - 01)));
        assert!(!is_overdue(Planned, None, date!(2025 - 04 - 01)));
    }

    #[test]
    fn services_move_forward_only() {
        assert_eq!(Planned.move_to(InProgress), Ok(InProgress));
        assert_eq!(Planned.move_to(Delivered), Ok(Delivered));
        assert_eq!(InProgress.move_to(Cancelled), Ok(Cancelled));
        let err = Err(DomainError::field("status", "error-service-transition"));
        assert_eq!(InProgress.move_to(Planned), err);
        assert_eq!(Delivered.move_to(InProgress), err);
        assert_eq!(Cancelled.move_to(Delivered), err);
        assert_eq!(Planned.move_to(Planned), err);
    }
}
