//! Being retired: the loaders moved to `zakrila_app::access`; these forward to them
//! for the modules not yet moved onto typed operations.

use zakrila_domain::policy::Action;
use zakrila_store::entity::{case, person, referral};

pub use zakrila_app::access::held_case_resource;

use crate::{auth::Authed, error::AppError, state::AppState};

pub async fn case_for(
    state: &AppState,
    a: &Authed,
    id: &str,
    action: Action,
) -> Result<case::Model, AppError> {
    state.app.case_for(a, id, action).await
}

pub async fn case_and_person_for(
    state: &AppState,
    a: &Authed,
    id: &str,
    action: Action,
) -> Result<(case::Model, person::Model), AppError> {
    state.app.case_and_person_for(a, id, action).await
}

pub async fn referral_for(
    state: &AppState,
    a: &Authed,
    id: &str,
    revoke: bool,
) -> Result<referral::Model, AppError> {
    state.app.referral_for(a, id, revoke).await
}
