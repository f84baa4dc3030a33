//! Offenders, described only as far as the statistics need (Eurostat crim_thb): never
//! by name in this layer.

use serde::{Deserialize, Serialize};

use super::country::Country;
use super::person::{AgeBand, Sex};

vocabulary! {
    pub enum OffenderRole in "role" {
        Recruiter = "recruiter", "вербовчик", "recruiter";
        Transporter = "transporter", "превозвач", "transporter";
        Exploiter = "exploiter", "експлоататор", "exploiter";
        Other = "other", "друга роля", "other role";
    }
}

vocabulary! {
    /// The Eurostat stages: suspected, prosecuted, convicted.
    pub enum LegalStatus in "legal_status" {
        Suspected = "suspected", "заподозрян", "suspected";
        Prosecuted = "prosecuted", "обвиняем/подсъдим", "prosecuted";
        Convicted = "convicted", "осъден", "convicted";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offender {
    pub sex: Sex,
    pub age_band: Option<AgeBand>,
    pub citizenship: Option<Country>,
    pub role: OffenderRole,
    pub legal_status: LegalStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offender_is_stored_with_stable_strings() {
        let o = Offender {
            sex: Sex::Male,
            age_band: Some(AgeBand::Age30To38),
            citizenship: Some(Country::BULGARIA),
            role: OffenderRole::Recruiter,
            legal_status: LegalStatus::Prosecuted,
        };
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(
            json,
            r#"{"sex":"male","age_band":"30-38","citizenship":"BGR","role":"recruiter","legal_status":"prosecuted"}"#
        );
        assert_eq!(serde_json::from_str::<Offender>(&json).unwrap(), o);
        assert!(serde_json::from_str::<Offender>(&json.replace("BGR", "XYZ")).is_err());
    }
}
