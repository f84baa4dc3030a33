//! A case registration as it arrives: plain strings, not yet checked. Parsed into
//! [`NewCase`](super::NewCase).

use serde::{Deserialize, Serialize};

/// The submission as it arrives. Absent and empty fields mean "not known"; unknown
/// fields are refused so a misspelt field name is not silently dropped.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawNewCase {
    pub person: RawPerson,
    /// The stage to start at; `signal` when absent.
    pub stage: Option<String>,
    pub identification: Option<RawIdentification>,
    pub exploitation: RawExploitation,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawPerson {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(format = Date, example = "1998-04-12")]
    pub birth_date: Option<String>,
    pub personal_number: Option<String>,
    /// `egn` or `lnch`; `egn` when absent, the usual case for this network.
    pub personal_number_kind: Option<String>,
    pub phone: Option<String>,
    pub sex: Option<String>,
    pub citizenship: Option<String>,
    pub languages: Vec<String>,
    /// Presumed a child when the age is unknown (the presumption of minority).
    pub child: bool,
    pub unaccompanied: bool,
    pub disability: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawIdentification {
    pub kind: String,
    /// The identifying organisation's slug.
    pub by: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub date: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawExploitation {
    pub forms: Vec<String>,
    pub labour_sectors: Vec<String>,
    pub sexual_types: Vec<String>,
    pub means_of_control: Vec<String>,
    pub recruitment: Option<String>,
    pub recruiter_relations: Vec<String>,
    pub countries_of_origin: Vec<String>,
    pub transit_countries: Vec<String>,
    pub exploitation_countries: Vec<String>,
    pub duration_months: Option<u32>,
}
