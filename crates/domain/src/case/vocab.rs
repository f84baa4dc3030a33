//! The case's trafficking vocabulary, aligned with the CTDC 2024 codebook (variables
//! 6–27) and the forms of exploitation of Art. 159a of the Bulgarian Criminal Code.
//! Each value keeps a stable snake_case string; `ctdc_*` methods give the codebook
//! variable a value maps to, so the CTDC export is a lookup and not a second copy of
//! the vocabulary.

vocabulary! {
    /// Purposes of exploitation. The codebook groups them into three flags
    /// (`ctdc_variable`); the finer list is what the Bulgarian law and the Eurostat
    /// tables distinguish.
    pub enum ExploitationForm in "forms" {
        Sexual = "sexual", "сексуална експлоатация", "sexual exploitation";
        Labour = "labour", "трудова експлоатация", "labour exploitation";
        ForcedMarriage = "forced_marriage", "принудителен брак", "forced marriage";
        ForcedCriminalActivity = "forced_criminal_activity",
            "принуда към престъпна дейност", "forced criminal activity";
        Begging = "begging", "просия", "forced begging";
        OrganRemoval = "organ_removal",
            "отнемане на органи, тъкани, клетки или телесни течности", "organ removal";
        SlaveryPractices = "slavery_practices",
            "робство и сходни практики (принудително подчинение)", "slavery and similar practices";
        Other = "other", "друга форма", "other form";
    }
}

impl ExploitationForm {
    /// CTDC 2024 variables 15–17. Begging and forced criminal activity are forced
    /// labour in the codebook's definition ("all work or service exacted … under the
    /// threat of a penalty"); marriage, organs and slavery fall under "other".
    pub fn ctdc_variable(self) -> &'static str {
        match self {
            Self::Sexual => "isSexualExploit",
            Self::Labour | Self::Begging | Self::ForcedCriminalActivity => "isForcedLabour",
            Self::ForcedMarriage | Self::OrganRemoval | Self::SlaveryPractices | Self::Other => {
                "isOtherExploit"
            }
        }
    }
}

vocabulary! {
    /// Sectors of labour exploitation: CTDC variables 18–21 by ISIC section, plus
    /// `other` (the codebook's former `typeOfLabourOther`, no longer exported).
    pub enum LabourSector in "labour_sectors" {
        Agriculture = "agriculture", "селско стопанство", "agriculture";
        Construction = "construction", "строителство", "construction";
        DomesticWork = "domestic_work", "домашна работа", "domestic work";
        Hospitality = "hospitality", "хотелиерство и ресторантьорство", "hospitality";
        Other = "other", "друг отрасъл", "other sector";
    }
}

impl LabourSector {
    /// CTDC 2024 variables 18–21; `None` for `other`, which the codebook folds away.
    pub fn ctdc_variable(self) -> Option<&'static str> {
        match self {
            Self::Agriculture => Some("typeOfLabourAgriculture"),
            Self::Construction => Some("typeOfLabourConstruction"),
            Self::DomesticWork => Some("typeOfLabourDomesticWork"),
            Self::Hospitality => Some("typeOfLabourHospitality"),
            Self::Other => None,
        }
    }
}

vocabulary! {
    /// Types of sexual exploitation: CTDC variables 22–23 plus `other`.
    pub enum SexualExploitationType in "sexual_types" {
        Prostitution = "prostitution", "проституция", "prostitution";
        Pornography = "pornography", "порнография", "pornography";
        Other = "other", "друг вид", "other type";
    }
}

impl SexualExploitationType {
    pub fn ctdc_variable(self) -> Option<&'static str> {
        match self {
            Self::Prostitution => Some("typeOfSexProstitution"),
            Self::Pornography => Some("typeOfSexPornography"),
            Self::Other => None,
        }
    }
}

vocabulary! {
    /// Means of control, in the merged form of the CTDC 2024 codebook (variables 7–14).
    pub enum MeansOfControl in "means_of_control" {
        DebtBondageEarnings = "debt_bondage_earnings",
            "дългово робство и/или отнемане на заработка", "debt bondage and/or withheld wages";
        Threats = "threats",
            "заплахи към лицето и/или семейството", "threats to the person and/or family";
        Abuse = "abuse",
            "психическо, физическо и/или сексуално насилие", "psychological, physical and/or sexual abuse";
        FalsePromises = "false_promises", "лъжливи обещания", "false promises";
        DrugsAlcohol = "drugs_alcohol", "психоактивни вещества", "psychoactive substances";
        DenyBasicNeeds = "deny_basic_needs",
            "ограничаване на средства, движение, медицинска помощ и/или основни нужди",
            "restricted finances, movement, medical care and/or necessities";
        ExcessiveWorkHours = "excessive_work_hours", "прекомерно работно време", "excessive working hours";
        WithholdDocuments = "withhold_documents", "отнемане на документи", "withheld documents";
    }
}

impl MeansOfControl {
    pub fn ctdc_variable(self) -> &'static str {
        match self {
            Self::DebtBondageEarnings => "meansDebtBondageEarnings",
            Self::Threats => "meansThreats",
            Self::Abuse => "meansAbusePsyPhySex",
            Self::FalsePromises => "meansFalsePromises",
            Self::DrugsAlcohol => "meansDrugsAlcohol",
            Self::DenyBasicNeeds => "meansDenyBasicNeeds",
            Self::ExcessiveWorkHours => "meansExcessiveWorkHours",
            Self::WithholdDocuments => "meansWithholdDocuments",
        }
    }
}

vocabulary! {
    /// How the person was recruited. The 2024 codebook exports no recruitment variable;
    /// these are the methods Bulgarian caseworkers and the National Programme name, kept
    /// coarse enough to count.
    pub enum RecruitmentType in "recruitment" {
        JobOffer = "job_offer", "предложение за работа", "job offer";
        RomanticRelationship = "romantic_relationship",
            "интимна връзка („лавърбой“)", "romantic relationship (\"loverboy\")";
        MarriageOffer = "marriage_offer", "предложение за брак", "marriage offer";
        Online = "online", "чрез интернет или социални мрежи", "online or social media";
        SoldByFamily = "sold_by_family", "продаден(а) от близки", "sold by relatives";
        Abduction = "abduction", "отвличане", "abduction";
        Other = "other", "друг начин", "other";
    }
}

vocabulary! {
    /// The person's relation to the recruiter: CTDC variables 24–27.
    pub enum RecruiterRelation in "recruiter_relations" {
        IntimatePartner = "intimate_partner", "интимен партньор", "intimate partner";
        Friend = "friend", "приятел или познат", "friend or acquaintance";
        Family = "family", "член на семейството", "family member";
        Other = "other", "друг (работодател, посредник и др.)", "other (employer, broker, etc.)";
    }
}

impl RecruiterRelation {
    pub fn ctdc_variable(self) -> &'static str {
        match self {
            Self::IntimatePartner => "recruiterRelationIntimatePartner",
            Self::Friend => "recruiterRelationFriend",
            Self::Family => "recruiterRelationFamily",
            Self::Other => "recruiterRelationOther",
        }
    }
}

vocabulary! {
    /// Formal identification is made by a competent authority or a designated
    /// organisation under the National Referral Mechanism and opens the rights that
    /// follow (the reflection period among them); informal identification is a
    /// caseworker's presumption, enough to start assisting.
    pub enum IdentificationKind in "identification_kind" {
        Formal = "formal", "официална", "formal";
        Informal = "informal", "неофициална", "informal";
    }
}

vocabulary! {
    /// CTDC's `traffickMonths` bands for the duration of exploitation.
    pub enum TraffickingDuration in "duration" {
        UpToOneYear = "0-12", "до 1 година (0–12 месеца)", "up to 1 year (0–12 months)";
        OneToTwoYears = "13-24", "1–2 години (13–24 месеца)", "1–2 years (13–24 months)";
        OverTwoYears = "25+", "над 2 години (25+ месеца)", "over 2 years (25+ months)";
    }
}

impl TraffickingDuration {
    pub fn from_months(months: u32) -> Self {
        match months {
            0..=12 => Self::UpToOneYear,
            13..=24 => Self::OneToTwoYears,
            _ => Self::OverTwoYears,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn every_value_round_trips_through_its_string_and_serde() {
        fn check<T>(
            all: &[T],
            as_str: fn(&T) -> &'static str,
            parse: fn(&str) -> Result<T, DomainError>,
        ) where
            T: PartialEq + std::fmt::Debug + serde::Serialize,
        {
            for v in all {
                assert_eq!(parse(as_str(v)).as_ref(), Ok(v));
                assert_eq!(
                    serde_json::to_string(v).unwrap(),
                    format!("\"{}\"", as_str(v))
                );
            }
        }
        check(
            ExploitationForm::ALL,
            |v| v.as_str(),
            ExploitationForm::parse,
        );
        check(LabourSector::ALL, |v| v.as_str(), LabourSector::parse);
        check(
            SexualExploitationType::ALL,
            |v| v.as_str(),
            SexualExploitationType::parse,
        );
        check(MeansOfControl::ALL, |v| v.as_str(), MeansOfControl::parse);
        check(RecruitmentType::ALL, |v| v.as_str(), RecruitmentType::parse);
        check(
            RecruiterRelation::ALL,
            |v| v.as_str(),
            RecruiterRelation::parse,
        );
        check(
            IdentificationKind::ALL,
            |v| v.as_str(),
            IdentificationKind::parse,
        );
        check(
            TraffickingDuration::ALL,
            |v| v.as_str(),
            TraffickingDuration::parse,
        );
    }

    #[test]
    fn forced_begging_counts_as_forced_labour_for_ctdc() {
        assert_eq!(ExploitationForm::Begging.ctdc_variable(), "isForcedLabour");
        assert_eq!(ExploitationForm::Sexual.ctdc_variable(), "isSexualExploit");
        assert_eq!(
            ExploitationForm::OrganRemoval.ctdc_variable(),
            "isOtherExploit"
        );
        assert_eq!(LabourSector::Other.ctdc_variable(), None);
        assert_eq!(
            MeansOfControl::WithholdDocuments.ctdc_variable(),
            "meansWithholdDocuments"
        );
    }

    #[test]
    fn unknown_strings_are_refused_with_the_field_named() {
        assert_eq!(
            ExploitationForm::parse("Sexual"),
            Err(DomainError::field("forms", "error-unknown-value"))
        );
        assert!(serde_json::from_str::<MeansOfControl>("\"violence\"").is_err());
    }

    #[test]
    fn duration_bands_follow_the_codebook() {
        assert_eq!(
            TraffickingDuration::from_months(12),
            TraffickingDuration::UpToOneYear
        );
        assert_eq!(
            TraffickingDuration::from_months(13),
            TraffickingDuration::OneToTwoYears
        );
        assert_eq!(
            TraffickingDuration::from_months(25),
            TraffickingDuration::OverTwoYears
        );
    }

    #[test]
    fn labels_exist_in_both_languages() {
        for f in ExploitationForm::ALL {
            assert!(!f.label_bg().is_empty() && !f.label_en().is_empty());
        }
        assert_eq!(ExploitationForm::Labour.label_bg(), "трудова експлоатация");
    }
}
