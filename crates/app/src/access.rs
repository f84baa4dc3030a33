//! Loading a case or referral together with the facts the policy needs about it,
//! then asking the policy. A case the actor may not see is "not found", whatever
//! the reason, so its existence does not leak.
//!
//! These return store rows: they are for the operations of this crate. (While the
//! web layer moves onto typed operations, some of its modules still call them.)

use zakrila_domain::policy::{Action, Resource};
use zakrila_store::entity::{case, person, referral};

use crate::{App, AppError, Authed, session::uuid_of};

/// Whether `action` on a case changes it (or its referrals, consents, services…).
/// Erasing is left to the erasure itself, which refuses a second one with its own
/// message.
fn changes_case(action: Action) -> bool {
    matches!(
        action,
        Action::EditCase
            | Action::MoveCaseStage
            | Action::ReferCase
            | Action::OverrideConsent
            | Action::RespondReferral
            | Action::AttachDocument
    )
}

/// The policy's view of a case already known to be held by the actor's organisation
/// (read through `case_for`, which judged the caseload row's `referred` fact): for
/// the modules that hold only the case. New code uses the resource `case_for`'s
/// operations build from the row itself.
pub fn held_case_resource(a: &Authed, c: &case::Model) -> Resource {
    let owner = uuid_of(&c.org_id);
    Resource::Case {
        owner,
        shared_with: if owner == a.actor.org_id {
            vec![]
        } else {
            vec![a.actor.org_id]
        },
    }
}

impl App {
    /// The case `id` if the actor may do `action` to it; not found otherwise.
    pub async fn case_for(
        &self,
        a: &Authed,
        id: &str,
        action: Action,
    ) -> Result<case::Model, AppError> {
        self.case_and_person_for(a, id, action)
            .await
            .map(|(c, _)| c)
    }

    /// `case_for` with the case's person, read in the same query. Only a case the
    /// actor's organisation holds is read at all; any other is not found, exactly as
    /// the policy would hide it.
    pub async fn case_and_person_for(
        &self,
        a: &Authed,
        id: &str,
        action: Action,
    ) -> Result<(case::Model, person::Model), AppError> {
        let (c, p, referred) = self
            .store
            .case_held_by(id, &a.org.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let res = crate::cases::case_resource(a, &c, referred);
        // Not being allowed to see it at all hides it; seeing it but not this action
        // is 403.
        if !a.can(Action::ViewCase, &res) {
            return Err(AppError::NotFound);
        }
        a.require(action, &res)?;
        self.refuse_erased(&c.id, action).await?;
        Ok((c, p))
    }

    /// Refuses a change to an erased case: it keeps its structured record for the
    /// statistics but takes nothing new, which could bring personal data back or
    /// act for a person no longer identifiable. Every case access that acts on a
    /// case (`case_for`, `held`) asks this, so no operation has to remember to.
    pub(crate) async fn refuse_erased(
        &self,
        case_id: &str,
        action: Action,
    ) -> Result<(), AppError> {
        if changes_case(action) && self.store.erasure_of_case(case_id).await?.is_some() {
            return Err(AppError::Conflict("erased"));
        }
        Ok(())
    }

    /// The referral `id` if the actor may respond to it (its receiver) or revoke it
    /// (its sender, who must be allowed to refer the case).
    pub async fn referral_for(
        &self,
        a: &Authed,
        id: &str,
        revoke: bool,
    ) -> Result<referral::Model, AppError> {
        let r = self
            .store
            .referral_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if revoke {
            self.case_for(a, &r.case_id, Action::ReferCase).await?;
        } else {
            a.require(
                Action::RespondReferral,
                &Resource::Referral {
                    from: uuid_of(&r.from_org),
                    to: uuid_of(&r.to_org),
                },
            )?;
        }
        Ok(r)
    }
}
