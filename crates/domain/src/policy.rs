//! The one authorisation policy of Zakrila: may this actor do this action to this
//! resource? Every handler asks here and nowhere else, so the whole access model can
//! be read — and tested as a role × action matrix — in one file.
//!
//! A refusal says whether the resource should look absent (`Hidden`, answered as 404
//! so that another organisation's case does not even leak its existence) or present
//! but forbidden (`Forbidden`, 403).

use uuid::Uuid;

use crate::role::Role;

/// Who is acting: a signed-in user (or a bearer token standing for one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    /// The actor's organisation is the National Commission (NCCTHB), which runs the
    /// Programme and the national statistics.
    pub in_commission: bool,
}

/// Everything a user can ask Zakrila to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the organisation directory (every signed-in user).
    ViewOrganisations,
    /// Add or edit organisations of the directory.
    ManageOrganisations,
    /// See the user accounts of an organisation.
    ViewUsers,
    /// Create, disable, reset second factor of accounts of an organisation.
    ManageUsers,
    /// Browse and export the audit trail.
    ViewAudit,
    /// Issue a bearer token for oneself.
    IssueOwnToken,
    /// Register a new case in one's organisation.
    RegisterCase,
    /// See a case's non-identifying record.
    ViewCase,
    /// See a person's identity (names, birth date, personal number, contacts).
    ViewIdentity,
    /// Edit a case, record consent, assessments, services.
    EditCase,
    /// Move a case along the National Referral Mechanism.
    MoveCaseStage,
    /// Proceed without the person's consent, with a written reason.
    OverrideConsent,
    /// Refer a case to another organisation, or revoke a referral.
    ReferCase,
    /// Accept or decline a referral addressed to one's organisation.
    RespondReferral,
    /// Export case lists.
    ExportCases,
    /// Erase (anonymise) the personal data of a closed case.
    EraseCase,
    /// Log and triage a hotline signal.
    LogSignal,
    /// Read the National Programme.
    ViewProgramme,
    /// Import or copy forward a year's Programme.
    ManageProgramme,
    /// Enter progress on an activity's indicators.
    ReportProgress,
    /// Add a partner's note to an activity's progress.
    AddProgressNote,
    /// Approve or return submitted progress.
    ApproveProgress,
    /// See exact internal statistics.
    ViewInternalStats,
    /// Review cross-organisation linkage candidates.
    ReviewLinkage,
    /// Name, on a case, another organisation whose case a confirmed link shows to
    /// be the same person.
    ViewInvolvedOrganisation,
    /// Download the shared exports (CTDC, Eurostat) with small cells suppressed.
    ExportStatistics,
    /// Publish a differentially private snapshot, spending the year's privacy budget.
    ReleaseStatistics,
    /// Record a mobile team's consultation (and open a case from it).
    RecordOutreach,
    /// See an organisation's consultations (pseudonymous beneficiaries).
    ViewOutreach,
    /// Record a training, information session, campaign or other event.
    RecordEvent,
    /// See projects with their targets and live progress, and the events.
    ViewProjects,
    /// Create projects and define their targets.
    ManageProjects,
    /// Add or edit places (reception centres, homes, shelters).
    ManagePlaces,
    /// Keep an organisation's public contacts in the directory (phones, hours,
    /// regions and needs served).
    EditDirectoryContacts,
    /// Correct a case's identity, profile or exploitation record (rectification):
    /// the owner's, not a receiving organisation's, since the record is the owner's.
    CorrectCase,
}

impl Action {
    pub const ALL: [Action; 35] = [
        Action::ViewOrganisations,
        Action::ManageOrganisations,
        Action::ViewUsers,
        Action::ManageUsers,
        Action::ViewAudit,
        Action::IssueOwnToken,
        Action::RegisterCase,
        Action::ViewCase,
        Action::ViewIdentity,
        Action::EditCase,
        Action::MoveCaseStage,
        Action::OverrideConsent,
        Action::ReferCase,
        Action::RespondReferral,
        Action::ExportCases,
        Action::EraseCase,
        Action::LogSignal,
        Action::ViewProgramme,
        Action::ManageProgramme,
        Action::ReportProgress,
        Action::AddProgressNote,
        Action::ApproveProgress,
        Action::ViewInternalStats,
        Action::ReviewLinkage,
        Action::ViewInvolvedOrganisation,
        Action::ExportStatistics,
        Action::ReleaseStatistics,
        Action::RecordOutreach,
        Action::ViewOutreach,
        Action::RecordEvent,
        Action::ViewProjects,
        Action::ManageProjects,
        Action::ManagePlaces,
        Action::EditDirectoryContacts,
        Action::CorrectCase,
    ];
}

/// What the action is done to, with the facts the policy needs about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// The system as a whole (directory, audit trail, statistics).
    System,
    /// Something that belongs to one organisation (its users, a new case in it).
    Org(Uuid),
    /// A case: its owner, and the organisations with an accepted referral to it.
    Case { owner: Uuid, shared_with: Vec<Uuid> },
    /// A referral addressed to `to`.
    Referral { from: Uuid, to: Uuid },
    /// A confirmed link from a case (its owner and the organisations with an
    /// accepted referral to it) to another organisation's case of the same person,
    /// with whether the person consents to data sharing in each.
    LinkedCase {
        owner: Uuid,
        shared_with: Vec<Uuid>,
        consent_here: bool,
        consent_there: bool,
    },
    /// The audit trail's events about one organisation (its entities and its
    /// users), or about every organisation (`None`).
    AuditTrail { about: Option<Uuid> },
    /// A mobile team's consultation, recorded by `org`.
    Consultation { org: Uuid },
    /// A Programme activity with its lead and partner organisations.
    Activity {
        leads: Vec<Uuid>,
        partners: Vec<Uuid>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Refuse and act as if the resource did not exist (404).
    Hidden,
    /// Refuse openly (403).
    Forbidden,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

fn allow_if(cond: bool) -> Decision {
    if cond {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// Roles that work with victims' cases day to day.
fn works_cases(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Hotline | Role::Mobile)
}

/// Roles that meet people in the reception centres and homes.
fn does_outreach(role: Role) -> bool {
    matches!(role, Role::Mobile | Role::Caseworker)
}

/// The policy. Pure, total and cheap: call it for every request.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource) -> Decision {
    use Action as A;
    let role = actor.role;
    match (action, resource) {
        (A::ViewOrganisations | A::ViewProgramme, _) => Decision::Allow,
        (A::ManageOrganisations, _) => allow_if(role == Role::Admin && actor.in_commission),
        (A::ViewUsers | A::ManageUsers, Resource::Org(org)) => {
            allow_if(role == Role::Admin && (actor.in_commission || *org == actor.org_id))
        }
        (A::ViewUsers | A::ManageUsers, _) => allow_if(role == Role::Admin && actor.in_commission),
        // Only the Commission's auditors oversee the whole network; an organisation's
        // admins and auditors see what concerns their own organisation, never what
        // another organisation did (the trail reveals e.g. whom it referred to).
        (A::ViewAudit, Resource::AuditTrail { about: None }) => {
            allow_if(role == Role::Auditor && actor.in_commission)
        }
        (A::ViewAudit, Resource::AuditTrail { about: Some(org) }) => allow_if(
            matches!(role, Role::Admin | Role::Auditor)
                && (*org == actor.org_id || role == Role::Auditor && actor.in_commission),
        ),
        // Opening the trail at all (its page, the menu entry).
        (A::ViewAudit, _) => allow_if(matches!(role, Role::Admin | Role::Auditor)),
        (A::IssueOwnToken, _) => Decision::Allow,
        (A::RegisterCase, Resource::Org(org)) => {
            allow_if(works_cases(role) && *org == actor.org_id)
        }
        (A::LogSignal, Resource::Org(org)) => {
            allow_if(matches!(role, Role::Hotline | Role::Caseworker) && *org == actor.org_id)
        }
        (
            A::ViewCase | A::ViewIdentity | A::EditCase | A::MoveCaseStage | A::ExportCases,
            Resource::Case { owner, shared_with },
        ) => {
            let mine = *owner == actor.org_id;
            let shared = shared_with.contains(&actor.org_id);
            if !(mine || shared) || !works_cases(role) {
                // Another organisation's case does not exist for this actor.
                return Decision::Hidden;
            }
            match action {
                // A receiving organisation works on the case but does not move it along
                // the NRM: the owner stays responsible for the person's path.
                A::MoveCaseStage => allow_if(mine && role == Role::Caseworker),
                _ => Decision::Allow,
            }
        }
        // The caseload of one's own organisation (its cases and those referred to it).
        (A::ViewCase | A::ExportCases, Resource::Org(org)) => {
            allow_if(works_cases(role) && *org == actor.org_id)
        }
        (A::CorrectCase, Resource::Case { owner, shared_with }) => {
            if *owner != actor.org_id && !shared_with.contains(&actor.org_id) || !works_cases(role)
            {
                return Decision::Hidden;
            }
            allow_if(*owner == actor.org_id)
        }
        (
            A::OverrideConsent | A::ReferCase | A::EraseCase,
            Resource::Case { owner, shared_with },
        ) => {
            if *owner != actor.org_id && !shared_with.contains(&actor.org_id) || !works_cases(role)
            {
                return Decision::Hidden;
            }
            allow_if(*owner == actor.org_id && role == Role::Caseworker)
        }
        (A::RespondReferral, Resource::Referral { from, to }) => {
            if *to == actor.org_id {
                allow_if(works_cases(role))
            } else if *from == actor.org_id && works_cases(role) {
                Decision::Forbidden
            } else {
                Decision::Hidden
            }
        }
        (A::ManageProgramme | A::ApproveProgress, _) => {
            allow_if(role == Role::Coordinator && actor.in_commission)
        }
        (A::ReportProgress, Resource::Activity { leads, .. }) => {
            allow_if(role == Role::Reporter && leads.contains(&actor.org_id))
        }
        (A::AddProgressNote, Resource::Activity { leads, partners }) => allow_if(
            role == Role::Reporter
                && (leads.contains(&actor.org_id) || partners.contains(&actor.org_id)),
        ),
        (A::ViewInternalStats, _) => {
            allow_if(role == Role::Analyst || role == Role::Coordinator && actor.in_commission)
        }
        // Suppressed exports reveal less than the exact tables, so whoever reads
        // those may take them.
        (A::ExportStatistics, _) => {
            allow_if(role == Role::Analyst || role == Role::Coordinator && actor.in_commission)
        }
        // Public figures speak for the Commission and spend its privacy budget.
        (A::ReleaseStatistics, _) => {
            allow_if(matches!(role, Role::Analyst | Role::Coordinator) && actor.in_commission)
        }
        (A::ReviewLinkage, _) => allow_if(role == Role::Coordinator && actor.in_commission),
        // Naming the other organisation discloses both sides to each other, so the
        // person must consent to data sharing in both cases.
        (
            A::ViewInvolvedOrganisation,
            Resource::LinkedCase {
                owner,
                shared_with,
                consent_here,
                consent_there,
            },
        ) => {
            if *owner != actor.org_id && !shared_with.contains(&actor.org_id) || !works_cases(role)
            {
                return Decision::Hidden;
            }
            allow_if(*consent_here && *consent_there)
        }
        // Consultations stay with the organisation whose team held them.
        (A::RecordOutreach | A::ViewOutreach, Resource::Org(org)) => {
            allow_if(does_outreach(role) && *org == actor.org_id)
        }
        (A::RecordOutreach | A::ViewOutreach, Resource::Consultation { org }) => {
            if *org != actor.org_id || !does_outreach(role) {
                return Decision::Hidden;
            }
            Decision::Allow
        }
        (A::RecordEvent, Resource::Org(org)) => allow_if(
            matches!(
                role,
                Role::Caseworker | Role::Mobile | Role::Coordinator | Role::Reporter
            ) && *org == actor.org_id,
        ),
        // Projects' progress is made of counts, never of persons.
        (A::ViewProjects, _) => Decision::Allow,
        (A::ManageProjects, Resource::Org(org)) => allow_if(
            role == Role::Admin && *org == actor.org_id
                || role == Role::Coordinator && actor.in_commission,
        ),
        (A::ManagePlaces, _) => {
            allow_if(matches!(role, Role::Admin | Role::Coordinator) && actor.in_commission)
        }
        // An organisation answers for its own public contacts; the Commission keeps
        // the directory as a whole.
        (A::EditDirectoryContacts, Resource::Org(org)) => {
            allow_if(role == Role::Admin && (*org == actor.org_id || actor.in_commission))
        }
        // Any other pairing of action and resource is a programming error upstream;
        // refusing is the safe answer.
        _ => Decision::Forbidden,
    }
}

#[cfg(test)]
mod tests;
