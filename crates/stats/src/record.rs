//! The rows statistics are made from: one per registered victim and one per offender,
//! holding only the profile and the exploitation record, in the domain's vocabulary.

use zakrila_domain::case::{
    AgeBand, Country, ExploitationForm, LabourSector, LegalStatus, MeansOfControl,
    RecruiterRelation, Sex, SexualExploitationType, TraffickingDuration,
};

/// One registration of a victim (a case). Where linkage has joined registrations of
/// the same person, the caller passes one record per person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimRecord {
    pub year: i32,
    pub sex: Sex,
    pub age_band: Option<AgeBand>,
    /// Presumed or known to be a child (the presumption of minority holds where the
    /// age is unknown).
    pub is_child: bool,
    pub unaccompanied: bool,
    pub citizenship: Option<Country>,
    pub exploitation_country: Option<Country>,
    pub duration: Option<TraffickingDuration>,
    pub forms: Vec<ExploitationForm>,
    pub means_of_control: Vec<MeansOfControl>,
    pub labour_sectors: Vec<LabourSector>,
    pub sexual_types: Vec<SexualExploitationType>,
    pub recruiter_relations: Vec<RecruiterRelation>,
    /// Referred to the child protection mechanism.
    pub child_mechanism: bool,
}

impl VictimRecord {
    /// A record with only the year and sex known, for building test data.
    pub fn new(year: i32, sex: Sex) -> Self {
        VictimRecord {
            year,
            sex,
            age_band: None,
            is_child: false,
            unaccompanied: false,
            citizenship: None,
            exploitation_country: None,
            duration: None,
            forms: Vec::new(),
            means_of_control: Vec::new(),
            labour_sectors: Vec::new(),
            sexual_types: Vec::new(),
            recruiter_relations: Vec::new(),
            child_mechanism: false,
        }
    }
}

/// One offender of a case, as Eurostat counts them (suspected, prosecuted, convicted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffenderRecord {
    pub year: i32,
    pub sex: Sex,
    pub citizenship: Option<Country>,
    pub legal_status: LegalStatus,
}
