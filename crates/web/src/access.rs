//! Being retired: the loaders moved to `zakrila_app::access`; these forward to them
//! for the modules not yet moved onto typed operations.

use zakrila_domain::policy::Action;
use zakrila_store::entity::case;

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
