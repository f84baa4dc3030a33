//! Referrals abroad: a case referred to, or received from, a counterpart in another
//! country (an IOM mission, an NGO, the police, an embassy or consulate, a social
//! service). The counterpart gets no account; the referral is recorded on the case
//! with its status and counted apart from referrals within the network.

use crate::{DomainError, case::Country};

vocabulary! {
    pub enum Direction in "direction" {
        Outgoing = "outgoing", "към чужбина", "to a counterpart abroad";
        Incoming = "incoming", "от чужбина", "from a counterpart abroad";
    }
}

vocabulary! {
    /// What the foreign counterpart is.
    pub enum CounterpartKind in "kind" {
        IomMission = "iom_mission", "мисия на МОМ", "IOM mission";
        Ngo = "ngo", "неправителствена организация", "NGO";
        Police = "police", "полиция", "police";
        Consulate = "consulate", "посолство или консулство", "embassy or consulate";
        SocialService = "social_service", "социална служба", "social service";
    }
}

vocabulary! {
    pub enum AbroadStatus in "status" {
        Sent = "sent", "изпратено", "sent";
        Acknowledged = "acknowledged", "потвърдено получаване", "acknowledged";
        Accepted = "accepted", "прието", "accepted";
        Declined = "declined", "отказано", "declined";
        Closed = "closed", "приключено", "closed";
    }
}

impl AbroadStatus {
    /// The statuses a referral may move to from this one: forward only, and a
    /// closed referral stays closed.
    pub fn next(self) -> &'static [AbroadStatus] {
        use AbroadStatus as S;
        match self {
            S::Sent => &[S::Acknowledged, S::Accepted, S::Declined, S::Closed],
            S::Acknowledged => &[S::Accepted, S::Declined, S::Closed],
            S::Accepted | S::Declined => &[S::Closed],
            S::Closed => &[],
        }
    }

    pub fn move_to(self, to: AbroadStatus) -> Result<AbroadStatus, DomainError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(DomainError::field("status", "error-abroad-status"))
        }
    }
}

/// The counterpart's country: any but Bulgaria.
pub fn foreign_country(s: &str) -> Result<Country, DomainError> {
    let c = Country::parse(s)?;
    if c == Country::BULGARIA {
        return Err(DomainError::field("country", "error-abroad-bulgaria"));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_forward_only() {
        use AbroadStatus as S;
        assert_eq!(S::Sent.move_to(S::Accepted), Ok(S::Accepted));
        assert_eq!(S::Accepted.move_to(S::Closed), Ok(S::Closed));
        assert!(S::Closed.move_to(S::Sent).is_err());
        assert!(S::Accepted.move_to(S::Declined).is_err());
    }

    #[test]
    fn the_counterpart_is_abroad() {
        assert_eq!(foreign_country("rou").unwrap().code(), "ROU");
        assert_eq!(
            foreign_country("BGR").unwrap_err(),
            DomainError::field("country", "error-abroad-bulgaria")
        );
        assert!(foreign_country("XXX").is_err());
    }
}
