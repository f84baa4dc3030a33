//! The JSON API under `/api/v1`, one module per resource, each handler annotated
//! for the OpenAPI 3.1 document served at `/api/openapi.json`.

pub mod abroad;
pub mod accommodation;
pub mod audit;
pub mod case_child;
pub mod case_details;
pub mod case_proceedings;
pub mod case_rights;
pub mod cases;
pub mod docs;
pub mod documents;
pub mod linkage;
pub mod me;
mod object;
pub mod orgs;
pub mod outreach;
pub mod programme;
pub mod projects;
pub mod referrals;
pub mod service_catalogue;
pub mod signals;
pub mod stats;
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
        .routes(routes!(cases::search))
        .routes(routes!(cases::get, cases::correct))
        .routes(routes!(cases::corrections))
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
        .routes(routes!(case_child::decide_proposal))
        .routes(routes!(case_proceedings::list, case_proceedings::create))
        .routes(routes!(case_proceedings::update))
        .routes(routes!(case_proceedings::add_hearing))
        .routes(routes!(
            case_proceedings::offenders,
            case_proceedings::add_offender
        ))
        .routes(routes!(case_proceedings::offender_status))
        .routes(routes!(case_rights::export_csv))
        .routes(routes!(case_rights::export_xlsx))
        .routes(routes!(case_rights::identity_export))
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
        .routes(routes!(service_catalogue::list, service_catalogue::add))
        .routes(routes!(service_catalogue::retire))
        .routes(routes!(linkage::candidates))
        .routes(routes!(linkage::confirm))
        .routes(routes!(linkage::reject))
        .routes(routes!(linkage::run))
        .routes(routes!(linkage::unique_persons))
        .routes(routes!(stats::tables))
        .routes(routes!(stats::export))
        .routes(routes!(stats::budget))
        .routes(routes!(stats::releases, stats::release))
        .routes(routes!(outreach::places, outreach::create_place))
        .routes(routes!(outreach::consultations, outreach::record))
        .routes(routes!(outreach::consultation))
        .routes(routes!(outreach::open_case))
        .routes(routes!(outreach::events, outreach::record_event))
        .routes(routes!(outreach::event))
        .routes(routes!(projects::list, projects::create))
        .routes(routes!(projects::get))
        .routes(routes!(accommodation::shelters))
        .routes(routes!(accommodation::counts))
        .routes(routes!(accommodation::placements, accommodation::place))
        .routes(routes!(accommodation::end))
        .routes(routes!(abroad::list, abroad::create))
        .routes(routes!(abroad::status))
        .routes(routes!(abroad::counts))
        .routes(routes!(signals::list, signals::record))
        .routes(routes!(signals::get))
        .routes(routes!(signals::triage))
        .routes(routes!(signals::refer))
        .routes(routes!(signals::acknowledge))
        .routes(routes!(signals::close))
        .routes(routes!(signals::duplicate))
        .routes(routes!(signals::open_case))
        .merge(documents_router())
}

/// The documents' routes: an upload is bounded by the configured document size
/// as it streams (`zakrila_app::documents`), not by the body limit of forms.
fn documents_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(documents::list, documents::attach))
        .routes(routes!(documents::download, documents::remove))
        .layer(axum::extract::DefaultBodyLimit::disable())
}

/// The public tip API, outside [`router`] so that the public surface can serve it
/// without the staff API; documented with the rest (see `lib.rs`).
pub fn public_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signals::tip))
        .routes(routes!(signals::tip_more))
}

/// Adds to every operation of the document the answers every operation can give,
/// so that generated clients know them: 401 and 403 (unless the operation needs no
/// token), 400 and 415 for a body that is not the JSON described, 404 for a path
/// naming something the caller cannot see, 429 when paused, 500. Each is RFC 9457
/// problem+json. Answers an operation documents itself are kept.
pub fn document_common_answers(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let answer = |text: &str| {
        ResponseBuilder::new()
            .description(text)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ProblemDoc")))
                    .build(),
            )
            .build()
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        let has_id = path.contains('{');
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let public = op.security.as_ref().is_some_and(|s| {
                s.iter()
                    .all(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({})))
            });
            let mut add = |code: &str, text: &str| {
                op.responses
                    .responses
                    .entry(code.to_owned())
                    .or_insert_with(|| answer(text).into());
            };
            if !public {
                add("401", "No valid token (sign in or issue one).");
                add("403", "The caller's role may not do this.");
            }
            if op.request_body.is_some() {
                add(
                    "400",
                    "The body is not the JSON described (the field is named).",
                );
                add("415", "The body is not `application/json`.");
                add("413", "The body is larger than allowed.");
            }
            if has_id {
                add(
                    "404",
                    "No such thing, or not visible to the caller's organisation.",
                );
            }
            add("429", "Too many requests: paused for a while.");
            add(
                "500",
                "An internal error (reported, nothing identifying logged).",
            );
        }
    }
}
