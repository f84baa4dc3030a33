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
    /// Export the caseload with the persons' identities (names, birth dates,
    /// personal numbers, phones) in one file.
    ExportIdentities,
    /// See shelters' occupancy today and the placements counted for the Programme
    /// (counts, never persons).
    ViewShelters,
    /// Place a case's person in a shelter, or end the placement.
    PlaceInShelter,
    /// Record a referral to or from a counterpart abroad, or change its status.
    ReferAbroad,
    /// See a hotline signal (the hotline's own, or one referred to one's
    /// organisation) and the queue.
    ViewSignal,
    /// Triage, refer, close a signal or open a case from it.
    TriageSignal,
    /// Acknowledge a signal referred to one's organisation.
    AcknowledgeSignal,
    /// Correct a case's identity, profile or exploitation record (rectification):
    /// the owner's, not a receiving organisation's, since the record is the owner's.
    CorrectCase,
    /// Bring in the organisation's existing records from a spreadsheet (cases with
    /// identities, created in bulk).
    ImportCases,
    /// Add or retire the organisation's own entries of the service catalogue.
    ManageServiceCatalogue,
    /// List a case's documents and download one (each download audited): like
    /// the identity, for the caseworkers of the owner and of an organisation with
    /// an accepted referral.
    ViewDocuments,
    /// Attach a document to a case, or remove one.
    AttachDocument,
}

impl Action {
    pub const ALL: [Action; 46] = [
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
        Action::ExportIdentities,
        Action::ViewShelters,
        Action::PlaceInShelter,
        Action::ReferAbroad,
        Action::ViewSignal,
        Action::TriageSignal,
        Action::AcknowledgeSignal,
        Action::CorrectCase,
        Action::ImportCases,
        Action::ManageServiceCatalogue,
        Action::ViewDocuments,
        Action::AttachDocument,
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
    /// An account of `role` in the organisation `org` (to be created).
    Account { org: Uuid, role: Role },
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
    /// A hotline signal received by `org`, and the organisations it was referred to.
    Signal { org: Uuid, referred_to: Vec<Uuid> },
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

/// Roles whose accounts see the identities of the victims of their organisation
/// (`Action::ViewIdentity`): creating one is creating a way into those files.
pub fn sees_identities(role: Role) -> bool {
    works_cases(role)
}

/// Roles that meet people in the reception centres and homes.
fn does_outreach(role: Role) -> bool {
    matches!(role, Role::Mobile | Role::Caseworker)
}

/// Roles that answer the hotline and triage its signals.
fn takes_signals(role: Role) -> bool {
    matches!(role, Role::Hotline | Role::Caseworker)
}

/// The policy. Pure, total and cheap: call it for every request.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource) -> Decision {
    use Action as A;
    let role = actor.role;
    match (action, resource) {
        (A::ViewOrganisations | A::ViewProgramme, _) => Decision::Allow,
        (A::ManageOrganisations, _) => allow_if(role == Role::Admin && actor.in_commission),
        // An account that sees identities opens the organisation's victims' files:
        // only the organisation's own admins create one, never the Commission's.
        (A::ManageUsers, Resource::Account { org, role: target }) if sees_identities(*target) => {
            allow_if(role == Role::Admin && *org == actor.org_id)
        }
        (A::ManageUsers, Resource::Account { org, .. }) => {
            allow_if(role == Role::Admin && (actor.in_commission || *org == actor.org_id))
        }
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
        (A::LogSignal | A::ViewSignal, Resource::Org(org)) => {
            allow_if(takes_signals(role) && *org == actor.org_id)
        }
        // A signal stays with the hotline that took it; an institution it was
        // referred to reads it and acknowledges it, but does not triage it.
        (
            A::ViewSignal | A::TriageSignal | A::AcknowledgeSignal,
            Resource::Signal { org, referred_to },
        ) => {
            let mine = *org == actor.org_id && takes_signals(role);
            let sent_here = referred_to.contains(&actor.org_id) && works_cases(role);
            match action {
                _ if !(mine || sent_here) => Decision::Hidden,
                A::ViewSignal => Decision::Allow,
                A::TriageSignal => allow_if(mine),
                _ => allow_if(sent_here),
            }
        }
        (
            A::ViewCase
            | A::ViewIdentity
            | A::EditCase
            | A::MoveCaseStage
            | A::ExportCases
            | A::PlaceInShelter
            | A::ViewDocuments
            | A::AttachDocument,
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
            A::OverrideConsent | A::ReferCase | A::EraseCase | A::ReferAbroad,
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
        // A file of identities outlives every audit of who looked at what: only the
        // caseworkers of the organisation, who keep the persons' files, take one.
        (A::ExportIdentities, Resource::Org(org)) => {
            allow_if(role == Role::Caseworker && *org == actor.org_id)
        }
        // Occupancy and the Programme's counts help whoever finds a bed for a person
        // or reports on the Programme.
        (A::ViewShelters, _) => allow_if(
            works_cases(role) || matches!(role, Role::Coordinator | Role::Analyst | Role::Admin),
        ),
        // Registering many cases at once: the caseworkers who register them one by
        // one, and the organisation's admins, who bring over its records when it
        // starts with Zakrila (they write identities but the import never shows one).
        (A::ImportCases, Resource::Org(org)) => {
            allow_if(matches!(role, Role::Caseworker | Role::Admin) && *org == actor.org_id)
        }
        // An organisation answers for the services it offers, as for its contacts.
        (A::ManageServiceCatalogue, Resource::Org(org)) => {
            allow_if(role == Role::Admin && *org == actor.org_id)
        }
        // Any other pairing of action and resource is a programming error upstream;
        // refusing is the safe answer.
        _ => Decision::Forbidden,
    }
}

#[cfg(test)]
mod tests;
