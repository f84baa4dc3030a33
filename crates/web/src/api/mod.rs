//! The JSON API under `/api/v1`, one module per resource, each handler annotated
//! for the OpenAPI 3.1 document served at `/api/openapi.json`.

pub mod audit;
pub mod case_child;
pub mod case_details;
pub mod case_proceedings;
pub mod case_rights;
pub mod cases;
pub mod docs;
pub mod linkage;
pub mod me;
pub mod orgs;
pub mod programme;
pub mod referrals;
pub mod users;

use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zakrila API",
        description = "Закрила — информационна система за борба с трафика на хора. Zakrila — the information system of Bulgaria's counter-trafficking network.\n\nAuthenticate with `Authorization: Bearer <token>` (issue one with `zakrila token issue` or on the account page). Errors are RFC 9457 problem+json.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(ProblemDoc)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// RFC 9457 problem details, as every error is answered.
#[derive(utoipa::ToSchema, serde::Serialize)]
#[allow(dead_code)]
pub struct ProblemDoc {
    title: String,
    status: u16,
    #[serde(rename = "type")]
    kind: String,
    /// Field errors: `field`, machine `code`, localised `detail`.
    errors: Vec<serde_json::Value>,
}

struct BearerAuth;
impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::me))
        .routes(routes!(orgs::list))
        .routes(routes!(orgs::get))
        .routes(routes!(orgs::get_contacts, orgs::put_contacts))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::disable))
        .routes(routes!(audit::list))
        .routes(routes!(programme::get))
        .routes(routes!(programme::activities))
        .routes(routes!(programme::save))
        .routes(routes!(programme::submit))
        .routes(routes!(programme::approve))
        .routes(routes!(programme::return_report))
        .routes(routes!(cases::register, cases::list))
        .routes(routes!(cases::get))
        .routes(routes!(cases::identity))
        .routes(routes!(cases::move_stage))
        .routes(routes!(cases::consent))
        .routes(routes!(case_details::assessments, case_details::assess))
        .routes(routes!(case_details::get_return, case_details::put_return))
        .routes(routes!(case_details::reintegration))
        .routes(routes!(case_details::add_goal))
        .routes(routes!(case_details::goal_status))
        .routes(routes!(case_details::follow_ups, case_details::schedule))
        .routes(routes!(case_details::held))
        .routes(routes!(case_child::get_child, case_child::put_child))
        .routes(routes!(case_child::add_proposal))
        .routes(routes!(case_proceedings::list, case_proceedings::create))
        .routes(routes!(case_proceedings::update))
        .routes(routes!(
            case_proceedings::offenders,
            case_proceedings::add_offender
        ))
        .routes(routes!(case_proceedings::offender_status))
        .routes(routes!(case_rights::export_csv))
        .routes(routes!(case_rights::export_xlsx))
        .routes(routes!(case_rights::report))
        .routes(routes!(case_rights::erase))
        .routes(routes!(referrals::create))
        .routes(routes!(referrals::inbox))
        .routes(routes!(referrals::accept))
        .routes(routes!(referrals::decline))
        .routes(routes!(referrals::complete))
        .routes(routes!(referrals::revoke))
        .routes(routes!(referrals::add_service))
        .routes(routes!(referrals::service_status))
        .routes(routes!(linkage::candidates))
        .routes(routes!(linkage::confirm))
        .routes(routes!(linkage::reject))
        .routes(routes!(linkage::run))
        .routes(routes!(linkage::unique_persons))
}
