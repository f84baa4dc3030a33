//! Referrals between organisations. Access to a case follows its referral: the
//! receiving organisation sees the case while the referral is accepted, and only then.

use crate::DomainError;

vocabulary! {
    pub enum ReferralStatus in "status" {
        Pending = "pending", "очаква отговор", "pending";
        Accepted = "accepted", "прието", "accepted";
        Declined = "declined", "отказано", "declined";
        Completed = "completed", "изпълнено", "completed";
        Revoked = "revoked", "оттеглено", "revoked";
    }
}

vocabulary! {
    /// Why a receiving organisation declined; the free-text note beside it is stored
    /// encrypted with the case, this value is what statistics count.
    pub enum DeclineReason in "decline_reason" {
        NoCapacity = "no_capacity", "няма капацитет", "no capacity";
        OutOfScope = "out_of_scope", "извън обхвата на организацията", "outside the organisation's scope";
        NotEligible = "not_eligible", "лицето не отговаря на условията", "the person is not eligible";
        PersonRefused = "person_refused", "лицето отказа", "the person refused";
        Other = "other", "друга причина", "other reason";
    }
}

/// What someone does to a referral: the receiver accepts, declines or completes it;
/// the sender revokes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralAction {
    Accept,
    Decline(DeclineReason),
    Complete,
    Revoke,
}

impl ReferralStatus {
    /// pending → accepted | declined | revoked; accepted → completed | revoked.
    /// Declined, completed and revoked are final: a new need is a new referral, so the
    /// history of who had access when stays readable.
    pub fn apply(self, action: ReferralAction) -> Result<ReferralStatus, DomainError> {
        use ReferralAction as A;
        use ReferralStatus as S;
        match (self, action) {
            (S::Pending, A::Accept) => Ok(S::Accepted),
            (S::Pending, A::Decline(_)) => Ok(S::Declined),
            (S::Pending | S::Accepted, A::Revoke) => Ok(S::Revoked),
            (S::Accepted, A::Complete) => Ok(S::Completed),
            _ => Err(DomainError::field("status", "error-referral-transition")),
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Declined | Self::Completed | Self::Revoked)
    }
}

/// Whether a referral in this status lets the receiving organisation see the case.
/// Only an accepted one: pending must not leak the case before the partner commits,
/// and completing a referral ends the partner's part in the case.
pub fn grants_access(status: ReferralStatus) -> bool {
    status == ReferralStatus::Accepted
}

/// Whether the receiving organisation sees a referral's purpose: while it decides
/// (pending) and while it works on the case (accepted); once declined, revoked or
/// completed the purpose, which may describe the person's situation, is no longer
/// its business.
pub fn purpose_shown_to_receiver(status: ReferralStatus) -> bool {
    matches!(status, ReferralStatus::Pending | ReferralStatus::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralAction as A;
    use ReferralStatus as S;

    #[test]
    fn the_partner_sees_the_case_only_once_it_accepts_and_loses_it_on_revoke() {
        let s = S::Pending;
        assert!(!grants_access(s));
        let s = s.apply(A::Accept).unwrap();
        assert!(grants_access(s));
        let s = s.apply(A::Revoke).unwrap();
        assert_eq!(s, S::Revoked);
        assert!(!grants_access(s));
    }

    #[test]
    fn a_referral_runs_pending_accepted_completed() {
        let s = S::Pending
            .apply(A::Accept)
            .and_then(|s| s.apply(A::Complete))
            .unwrap();
        assert_eq!(s, S::Completed);
        assert!(s.is_final() && !grants_access(s));
    }

    #[test]
    fn a_pending_referral_can_be_declined_or_revoked() {
        assert_eq!(
            S::Pending.apply(A::Decline(DeclineReason::NoCapacity)),
            Ok(S::Declined)
        );
        assert_eq!(S::Pending.apply(A::Revoke), Ok(S::Revoked));
    }

    #[test]
    fn forbidden_moves_are_refused() {
        let err = Err(DomainError::field("status", "error-referral-transition"));
        assert_eq!(S::Pending.apply(A::Complete), err);
        assert_eq!(S::Accepted.apply(A::Accept), err);
        assert_eq!(S::Accepted.apply(A::Decline(DeclineReason::Other)), err);
        for s in [S::Declined, S::Completed, S::Revoked] {
            for a in [
                A::Accept,
                A::Decline(DeclineReason::Other),
                A::Complete,
                A::Revoke,
            ] {
                assert_eq!(s.apply(a), err, "{s} {a:?}");
            }
        }
    }
}
