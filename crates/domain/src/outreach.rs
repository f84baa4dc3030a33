//! Outreach: the mobile teams' consultations in the refugee agency's reception
//! centres and the Migration Directorate's homes, the events (trainings, campaigns…)
//! and the projects whose targets are counted from the data. The vocabularies here
//! are what the forms offer and the API exchanges.

use crate::DomainError;

vocabulary! {
    /// What a place of the directory is.
    pub enum PlaceKind in "kind" {
        ReceptionCentre = "reception_centre",
            "регистрационно-приемателен център (ДАБ)", "reception centre (State Agency for Refugees)";
        DetentionHome = "detention_home",
            "дом за временно настаняване на чужденци", "home for temporary accommodation of foreigners";
        Shelter = "shelter", "приют", "shelter";
        CrisisCentre = "crisis_centre", "кризисен център", "crisis centre";
        TransitCentre = "transit_centre", "преходно жилище / транзитен център", "transit centre";
        Other = "other", "друго място", "other place";
    }
}

vocabulary! {
    /// A mobile team member's profession.
    pub enum Profession in "team" {
        SocialWorker = "social_worker", "социален работник", "social worker";
        Psychologist = "psychologist", "психолог", "psychologist";
        Lawyer = "lawyer", "юрист", "lawyer";
        Interpreter = "interpreter", "преводач", "interpreter";
        Doctor = "doctor", "медицинско лице", "health worker";
    }
}

vocabulary! {
    /// What a consultation dealt with.
    pub enum Topic in "topics" {
        Legal = "legal", "правни въпроси", "legal";
        Psychological = "psychological", "психологическа подкрепа", "psychological";
        Social = "social", "социални въпроси", "social";
        Health = "health", "здраве", "health";
        Documents = "documents", "документи", "documents";
        TraffickingRisk = "trafficking_risk", "риск от трафик", "trafficking risk";
    }
}

vocabulary! {
    /// Flags of the vulnerability assessment.
    pub enum Vulnerability in "vulnerabilities" {
        UnaccompaniedChild = "unaccompanied_child", "непридружено дете", "unaccompanied child";
        SingleParent = "single_parent", "самотен родител", "single parent";
        ViolenceSurvivor = "violence_survivor",
            "преживял насилие или изтезания", "survivor of violence or torture";
        SeriousIllness = "serious_illness", "тежко заболяване", "serious illness";
        Disability = "disability", "увреждане", "disability";
        TraffickingIndicators = "trafficking_indicators",
            "индикатори за трафик", "trafficking indicators";
    }
}

vocabulary! {
    /// Kinds of events.
    pub enum EventKind in "kind" {
        Training = "training", "обучение", "training";
        InformationSession = "information_session", "информационна среща", "information session";
        Campaign = "campaign", "кампания", "campaign";
        Conference = "conference", "конференция", "conference";
        WorkingMeeting = "working_meeting", "работна среща", "working meeting";
        Screening = "screening", "скринингова акция", "screening action";
    }
}

vocabulary! {
    /// Who took part in an event.
    pub enum ParticipantCategory in "participants" {
        Police = "police", "полицаи", "police";
        BorderPolice = "border_police", "гранични полицаи", "border police";
        Prosecutors = "prosecutors", "прокурори", "prosecutors";
        Judges = "judges", "съдии", "judges";
        LabourInspectors = "labour_inspectors", "трудови инспектори", "labour inspectors";
        SocialWorkers = "social_workers", "социални работници", "social workers";
        HealthMediators = "health_mediators", "здравни медиатори", "health mediators";
        Teachers = "teachers", "учители", "teachers";
        Pupils = "pupils", "ученици", "pupils";
        Students = "students", "студенти", "students";
        Diplomats = "diplomats", "дипломати", "diplomats";
        Volunteers = "volunteers", "доброволци", "volunteers";
        Employers = "employers", "работодатели", "employers";
        Others = "others", "други", "others";
    }
}

vocabulary! {
    /// The catalogue of queries a project's target counts with.
    pub enum TargetMetric in "metric" {
        /// Distinct cases that received any of the target's services, delivered in
        /// the project's period by the implementing organisation or attributed to
        /// the project.
        CasesServed = "cases_served",
            "лица, получили някоя от услугите", "persons who received any of the services";
        Consultations = "consultations", "консултации", "consultations";
        ConsultationPersons = "consultation_persons",
            "различни консултирани лица", "distinct consultation beneficiaries";
        /// Participants of the implementing organisation's events in the period, of
        /// the target's categories (all when none).
        Participants = "participants",
            "участници в обучения и събития", "participants trained";
        Events = "events", "проведени събития", "events held";
    }
}

/// Participants of an event by category, checked against the total given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participants {
    pub by_category: Vec<(ParticipantCategory, u32)>,
    pub women: u32,
    pub men: u32,
}

impl Participants {
    /// The categories must add up to `total`, and the women and men (when given)
    /// must not exceed it.
    pub fn new(
        by_category: Vec<(ParticipantCategory, u32)>,
        total: u32,
        women: u32,
        men: u32,
    ) -> Result<Self, DomainError> {
        let sum: u32 = by_category.iter().map(|(_, n)| n).sum();
        if sum != total {
            return Err(DomainError::field(
                "participants_total",
                "error-participants-sum",
            ));
        }
        if women + men > total {
            return Err(DomainError::field(
                "participants_total",
                "error-participants-sex",
            ));
        }
        Ok(Participants {
            by_category,
            women,
            men,
        })
    }

    pub fn total(&self) -> u32 {
        self.by_category.iter().map(|(_, n)| n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_must_add_up_to_the_total() {
        let cats = vec![
            (ParticipantCategory::Police, 12),
            (ParticipantCategory::Judges, 3),
        ];
        assert!(Participants::new(cats.clone(), 15, 8, 7).is_ok());
        assert_eq!(
            Participants::new(cats.clone(), 16, 0, 0).unwrap_err(),
            DomainError::field("participants_total", "error-participants-sum")
        );
        assert!(Participants::new(cats, 15, 10, 6).is_err());
    }
}
