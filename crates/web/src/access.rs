//! Loading a resource together with the facts the policy needs about it, then
//! asking the policy. A case the actor may not see is "not found", whatever the
//! reason, so its existence does not leak.

use uuid::Uuid;
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::entity::{case, person, referral};

use crate::{auth::Authed, error::AppError, state::AppState};

fn uuid(s: &str) -> Uuid {
    // Ids come from our own rows; a malformed one matches nobody.
    Uuid::parse_str(s).unwrap_or(Uuid::nil())
}

/// The policy's view of a case that the actor's organisation holds — owns it, or has
/// accepted a referral of it — as every case read through the caseload projection
/// (`Store::case_held_by`, the caseload list) is. Whether the actor's organisation is
/// among those with an accepted referral is the one sharing fact the policy asks.
pub fn held_case_resource(a: &Authed, c: &case::Model) -> Resource {
    let owner = uuid(&c.org_id);
    Resource::Case {
        owner,
        shared_with: if owner == a.actor.org_id {
            vec![]
        } else {
            vec![a.actor.org_id]
        },
    }
}

/// The case `id` if the actor may do `action` to it; 404 otherwise.
pub async fn case_for(
    state: &AppState,
    a: &Authed,
    id: &str,
    action: Action,
) -> Result<case::Model, AppError> {
    case_and_person_for(state, a, id, action)
        .await
        .map(|(c, _)| c)
}

/// `case_for` with the case's person, read in the same query. Only a case the
/// actor's organisation holds is read at all; any other is not found, exactly as the
/// policy would hide it.
pub async fn case_and_person_for(
    state: &AppState,
    a: &Authed,
    id: &str,
    action: Action,
) -> Result<(case::Model, person::Model), AppError> {
    let (c, p) = state
        .store
        .case_held_by(id, &a.org.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let res = held_case_resource(a, &c);
    // Not being allowed to see it at all hides it; seeing it but not this action is 403.
    if !a.can(Action::ViewCase, &res) {
        return Err(AppError::NotFound);
    }
    a.require(action, &res)?;
    Ok((c, p))
}

/// The referral `id` if the actor may respond to it (its receiver) or revoke it
/// (its sender, who must be allowed to refer the case).
pub async fn referral_for(
    state: &AppState,
    a: &Authed,
    id: &str,
    revoke: bool,
) -> Result<referral::Model, AppError> {
    let r = state
        .store
        .referral_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if revoke {
        case_for(state, a, &r.case_id, Action::ReferCase).await?;
    } else {
        a.require(
            Action::RespondReferral,
            &Resource::Referral {
                from: uuid(&r.from_org),
                to: uuid(&r.to_org),
            },
        )?;
    }
    Ok(r)
}

/// The account `id` if the actor may manage it (an admin of its organisation, or of
/// the Commission); 404 otherwise, so accounts of other organisations do not leak.
pub async fn user_for(
    state: &AppState,
    a: &Authed,
    id: &str,
) -> Result<zakrila_store::entity::user::Model, AppError> {
    let u = state
        .store
        .user_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !a.can(Action::ManageUsers, &Resource::Org(uuid(&u.org_id))) {
        return Err(AppError::NotFound);
    }
    Ok(u)
}
