//! The JSON API under `/api/v1`, one module per resource, each handler annotated
//! for the OpenAPI 3.1 document served at `/api/openapi.json`.

pub mod audit;
pub mod cases;
pub mod docs;
pub mod me;
pub mod orgs;
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
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::disable))
        .routes(routes!(audit::list))
        .routes(routes!(cases::register, cases::list))
        .routes(routes!(cases::get))
        .routes(routes!(cases::identity))
        .routes(routes!(cases::move_stage))
        .routes(routes!(cases::consent))
        .routes(routes!(referrals::create))
        .routes(routes!(referrals::inbox))
        .routes(routes!(referrals::accept))
        .routes(routes!(referrals::decline))
        .routes(routes!(referrals::complete))
        .routes(routes!(referrals::revoke))
        .routes(routes!(referrals::add_service))
        .routes(routes!(referrals::service_status))
}
