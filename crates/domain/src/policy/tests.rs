//! The full role × action matrix, written out so that a change to the policy shows
//! up as a change to this table. `A` allow, `F` forbidden (403), `H` hidden (404).

use super::*;
use Action as A;

const IOM: Uuid = Uuid::from_u128(1);
const A21: Uuid = Uuid::from_u128(2);
const NCCTHB: Uuid = Uuid::from_u128(3);

fn actor(role: Role, org: Uuid) -> Actor {
    Actor {
        user_id: Uuid::from_u128(99),
        org_id: org,
        role,
        in_commission: org == NCCTHB,
    }
}

/// Checks one matrix: `rows` are (action, resource, expected decisions for the roles
/// in `Role::ALL` order: admin coordinator caseworker hotline mobile reporter analyst auditor).
fn check(org: Uuid, rows: &[(Action, Resource, &str)]) {
    let mut failures = Vec::new();
    for (action, resource, expected) in rows {
        let expected: Vec<char> = expected.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(expected.len(), Role::ALL.len(), "row for {action:?}");
        for (role, want) in Role::ALL.iter().zip(expected) {
            let got = match authorize(&actor(*role, org), *action, resource) {
                Decision::Allow => 'A',
                Decision::Forbidden => 'F',
                Decision::Hidden => 'H',
            };
            if got != want {
                failures.push(format!(
                    "{role:?} {action:?} on {resource:?}: want {want}, got {got}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "policy differs from the matrix:\n{}",
        failures.join("\n")
    );
}

fn own_case() -> Resource {
    Resource::Case {
        owner: IOM,
        shared_with: vec![],
    }
}
fn foreign_case() -> Resource {
    Resource::Case {
        owner: A21,
        shared_with: vec![],
    }
}
fn referred_case() -> Resource {
    Resource::Case {
        owner: A21,
        shared_with: vec![IOM],
    }
}

fn account(org: Uuid, role: Role) -> Resource {
    Resource::Account { org, role }
}
fn own_signal() -> Resource {
    Resource::Signal {
        org: IOM,
        referred_to: vec![],
    }
}
fn foreign_signal() -> Resource {
    Resource::Signal {
        org: A21,
        referred_to: vec![NCCTHB],
    }
}
fn signal_sent_here() -> Resource {
    Resource::Signal {
        org: A21,
        referred_to: vec![IOM],
    }
}

fn trail(about: Option<Uuid>) -> Resource {
    Resource::AuditTrail { about }
}

/// A confirmed link from a case owned by `owner` to another organisation's case.
fn linked(owner: Uuid, consent_here: bool, consent_there: bool) -> Resource {
    Resource::LinkedCase {
        owner,
        shared_with: vec![],
        consent_here,
        consent_there,
    }
}

#[test]
fn matrix_for_an_organisation_of_the_network() {
    //            adm coo cas hot mob rep ana aud
    check(
        IOM,
        &[
            (A::ViewOrganisations, Resource::System, "A A A A A A A A"),
            (A::ManageOrganisations, Resource::System, "F F F F F F F F"),
            (A::ViewUsers, Resource::Org(IOM), "A F F F F F F F"),
            (A::ManageUsers, Resource::Org(IOM), "A F F F F F F F"),
            (A::ManageUsers, Resource::Org(A21), "F F F F F F F F"),
            (
                A::ManageUsers,
                account(IOM, Role::Caseworker),
                "A F F F F F F F",
            ),
            (
                A::ManageUsers,
                account(IOM, Role::Hotline),
                "A F F F F F F F",
            ),
            (
                A::ManageUsers,
                account(IOM, Role::Auditor),
                "A F F F F F F F",
            ),
            (
                A::ManageUsers,
                account(A21, Role::Caseworker),
                "F F F F F F F F",
            ),
            (
                A::ManageUsers,
                account(A21, Role::Analyst),
                "F F F F F F F F",
            ),
            (A::ViewAudit, Resource::System, "A F F F F F F A"),
            (A::ViewAudit, trail(Some(IOM)), "A F F F F F F A"),
            (A::ViewAudit, trail(Some(A21)), "F F F F F F F F"),
            (A::ViewAudit, trail(None), "F F F F F F F F"),
            (A::IssueOwnToken, Resource::System, "A A A A A A A A"),
            (A::RegisterCase, Resource::Org(IOM), "F F A A A F F F"),
            (A::RegisterCase, Resource::Org(A21), "F F F F F F F F"),
            (A::ViewCase, own_case(), "H H A A A H H H"),
            (A::ViewIdentity, own_case(), "H H A A A H H H"),
            (A::EditCase, own_case(), "H H A A A H H H"),
            (A::MoveCaseStage, own_case(), "H H A F F H H H"),
            (A::OverrideConsent, own_case(), "H H A F F H H H"),
            (A::ReferCase, own_case(), "H H A F F H H H"),
            (A::ExportCases, own_case(), "H H A A A H H H"),
            (A::EraseCase, own_case(), "H H A F F H H H"),
            (A::EraseCase, foreign_case(), "H H H H H H H H"),
            (A::EraseCase, referred_case(), "H H F F F H H H"),
            (A::CorrectCase, own_case(), "H H A A A H H H"),
            (A::CorrectCase, foreign_case(), "H H H H H H H H"),
            (A::CorrectCase, referred_case(), "H H F F F H H H"),
            (A::ImportCases, Resource::Org(IOM), "A F A F F F F F"),
            (A::ImportCases, Resource::Org(A21), "F F F F F F F F"),
            (
                A::ManageServiceCatalogue,
                Resource::Org(IOM),
                "A F F F F F F F",
            ),
            (
                A::ManageServiceCatalogue,
                Resource::Org(A21),
                "F F F F F F F F",
            ),
            (A::ExportCases, Resource::Org(IOM), "F F A A A F F F"),
            (A::ViewCase, Resource::Org(IOM), "F F A A A F F F"),
            (A::ViewCase, Resource::Org(A21), "F F F F F F F F"),
            (A::ViewCase, foreign_case(), "H H H H H H H H"),
            (A::ViewIdentity, foreign_case(), "H H H H H H H H"),
            (A::EditCase, foreign_case(), "H H H H H H H H"),
            (A::ReferCase, foreign_case(), "H H H H H H H H"),
            (A::ViewCase, referred_case(), "H H A A A H H H"),
            (A::EditCase, referred_case(), "H H A A A H H H"),
            (A::MoveCaseStage, referred_case(), "H H F F F H H H"),
            (A::ReferCase, referred_case(), "H H F F F H H H"),
            (
                A::RespondReferral,
                Resource::Referral { from: A21, to: IOM },
                "F F A A A F F F",
            ),
            (
                A::RespondReferral,
                Resource::Referral { from: IOM, to: A21 },
                "H H F F F H H H",
            ),
            (
                A::RespondReferral,
                Resource::Referral {
                    from: A21,
                    to: NCCTHB,
                },
                "H H H H H H H H",
            ),
            (A::LogSignal, Resource::Org(IOM), "F F A A F F F F"),
            (A::ViewSignal, Resource::Org(IOM), "F F A A F F F F"),
            (A::ViewSignal, Resource::Org(A21), "F F F F F F F F"),
            (A::ViewSignal, own_signal(), "H H A A H H H H"),
            (A::ViewSignal, foreign_signal(), "H H H H H H H H"),
            (A::ViewSignal, signal_sent_here(), "H H A A A H H H"),
            (A::TriageSignal, own_signal(), "H H A A H H H H"),
            (A::TriageSignal, foreign_signal(), "H H H H H H H H"),
            (A::TriageSignal, signal_sent_here(), "H H F F F H H H"),
            (A::AcknowledgeSignal, own_signal(), "H H F F H H H H"),
            (A::AcknowledgeSignal, signal_sent_here(), "H H A A A H H H"),
            (A::ViewProgramme, Resource::System, "A A A A A A A A"),
            (A::ManageProgramme, Resource::System, "F F F F F F F F"),
            (A::ApproveProgress, Resource::System, "F F F F F F F F"),
            (
                A::ReportProgress,
                Resource::Activity {
                    leads: vec![IOM],
                    partners: vec![],
                },
                "F F F F F A F F",
            ),
            (
                A::ReportProgress,
                Resource::Activity {
                    leads: vec![A21],
                    partners: vec![IOM],
                },
                "F F F F F F F F",
            ),
            (
                A::AddProgressNote,
                Resource::Activity {
                    leads: vec![A21],
                    partners: vec![IOM],
                },
                "F F F F F A F F",
            ),
            (
                A::AddProgressNote,
                Resource::Activity {
                    leads: vec![A21],
                    partners: vec![],
                },
                "F F F F F F F F",
            ),
            (A::ViewInternalStats, Resource::System, "F F F F F F A F"),
            (A::ReviewLinkage, Resource::System, "F F F F F F F F"),
            (A::ExportStatistics, Resource::System, "F F F F F F A F"),
            (A::ReleaseStatistics, Resource::System, "F F F F F F F F"),
            (
                A::ViewInvolvedOrganisation,
                linked(IOM, true, true),
                "H H A A A H H H",
            ),
            (
                A::ViewInvolvedOrganisation,
                linked(IOM, true, false),
                "H H F F F H H H",
            ),
            (
                A::ViewInvolvedOrganisation,
                linked(IOM, false, true),
                "H H F F F H H H",
            ),
            (
                A::ViewInvolvedOrganisation,
                linked(A21, true, true),
                "H H H H H H H H",
            ),
            (
                A::ViewInvolvedOrganisation,
                Resource::LinkedCase {
                    owner: A21,
                    shared_with: vec![IOM],
                    consent_here: true,
                    consent_there: true,
                },
                "H H A A A H H H",
            ),
            (A::RecordOutreach, Resource::Org(IOM), "F F A F A F F F"),
            (A::RecordOutreach, Resource::Org(A21), "F F F F F F F F"),
            (A::ViewOutreach, Resource::Org(IOM), "F F A F A F F F"),
            (
                A::ViewOutreach,
                Resource::Consultation { org: IOM },
                "H H A H A H H H",
            ),
            (
                A::ViewOutreach,
                Resource::Consultation { org: A21 },
                "H H H H H H H H",
            ),
            (
                A::RecordOutreach,
                Resource::Consultation { org: A21 },
                "H H H H H H H H",
            ),
            (A::RecordEvent, Resource::Org(IOM), "F A A F A A F F"),
            (A::RecordEvent, Resource::Org(A21), "F F F F F F F F"),
            (A::ViewProjects, Resource::System, "A A A A A A A A"),
            (A::ManageProjects, Resource::Org(IOM), "A F F F F F F F"),
            (A::ManageProjects, Resource::Org(A21), "F F F F F F F F"),
            (A::ManagePlaces, Resource::System, "F F F F F F F F"),
            (A::ViewShelters, Resource::System, "A A A A A F A F"),
            (A::PlaceInShelter, own_case(), "H H A A A H H H"),
            (A::PlaceInShelter, referred_case(), "H H A A A H H H"),
            (A::PlaceInShelter, foreign_case(), "H H H H H H H H"),
            (A::ViewDocuments, own_case(), "H H A A A H H H"),
            (A::ViewDocuments, referred_case(), "H H A A A H H H"),
            (A::ViewDocuments, foreign_case(), "H H H H H H H H"),
            (A::AttachDocument, own_case(), "H H A A A H H H"),
            (A::AttachDocument, referred_case(), "H H A A A H H H"),
            (A::AttachDocument, foreign_case(), "H H H H H H H H"),
            (A::ReferAbroad, own_case(), "H H A F F H H H"),
            (A::ReferAbroad, referred_case(), "H H F F F H H H"),
            (A::ReferAbroad, foreign_case(), "H H H H H H H H"),
            (
                A::EditDirectoryContacts,
                Resource::Org(IOM),
                "A F F F F F F F",
            ),
            (
                A::EditDirectoryContacts,
                Resource::Org(A21),
                "F F F F F F F F",
            ),
            (
                A::EditDirectoryContacts,
                Resource::System,
                "F F F F F F F F",
            ),
            (A::ExportIdentities, Resource::Org(IOM), "F F A F F F F F"),
            (A::ExportIdentities, Resource::Org(A21), "F F F F F F F F"),
            (A::ExportIdentities, Resource::System, "F F F F F F F F"),
        ],
    );
}

#[test]
fn matrix_for_the_commission() {
    //            adm coo cas hot mob rep ana aud
    check(
        NCCTHB,
        &[
            (A::ManageOrganisations, Resource::System, "A F F F F F F F"),
            (A::ViewUsers, Resource::Org(IOM), "A F F F F F F F"),
            (A::ManageUsers, Resource::Org(IOM), "A F F F F F F F"),
            // The Commission's admins never create a way into a partner's files.
            (
                A::ManageUsers,
                account(IOM, Role::Caseworker),
                "F F F F F F F F",
            ),
            (
                A::ManageUsers,
                account(IOM, Role::Mobile),
                "F F F F F F F F",
            ),
            (
                A::ManageUsers,
                account(IOM, Role::Hotline),
                "F F F F F F F F",
            ),
            (A::ManageUsers, account(IOM, Role::Admin), "A F F F F F F F"),
            (
                A::ManageUsers,
                account(IOM, Role::Reporter),
                "A F F F F F F F",
            ),
            (
                A::ManageUsers,
                account(NCCTHB, Role::Caseworker),
                "A F F F F F F F",
            ),
            (A::ViewAudit, Resource::System, "A F F F F F F A"),
            (A::ViewAudit, trail(Some(NCCTHB)), "A F F F F F F A"),
            (A::ViewAudit, trail(Some(IOM)), "F F F F F F F A"),
            (A::ViewAudit, trail(None), "F F F F F F F A"),
            (A::ViewCase, foreign_case(), "H H H H H H H H"),
            (A::ManageProgramme, Resource::System, "F A F F F F F F"),
            (A::ApproveProgress, Resource::System, "F A F F F F F F"),
            (A::ViewInternalStats, Resource::System, "F A F F F F A F"),
            (A::ReviewLinkage, Resource::System, "F A F F F F F F"),
            (A::ExportStatistics, Resource::System, "F A F F F F A F"),
            (A::ReleaseStatistics, Resource::System, "F A F F F F A F"),
            (
                A::EditDirectoryContacts,
                Resource::Org(IOM),
                "A F F F F F F F",
            ),
            (
                A::EditDirectoryContacts,
                Resource::Org(NCCTHB),
                "A F F F F F F F",
            ),
            (
                A::ViewInvolvedOrganisation,
                linked(IOM, true, true),
                "H H H H H H H H",
            ),
            (A::ManageProjects, Resource::Org(IOM), "F A F F F F F F"),
            (A::ManageProjects, Resource::Org(NCCTHB), "A A F F F F F F"),
            (A::ManagePlaces, Resource::System, "A A F F F F F F"),
            (A::ViewOutreach, Resource::Org(IOM), "F F F F F F F F"),
            (A::ExportIdentities, Resource::Org(IOM), "F F F F F F F F"),
            (
                A::ExportIdentities,
                Resource::Org(NCCTHB),
                "F F A F F F F F",
            ),
        ],
    );
}
