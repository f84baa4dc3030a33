//! Zakrila's HTTP layer (axum): HTML views under `/`, the JSON API under `/api/v1`,
//! health probes, embedded assets. Handlers only translate: a request into the input
//! of an operation of the application layer (`zakrila_app`), its output into a page
//! or JSON, its error into a response (`error.rs`). Only this wiring sees the store,
//! to build the application.

pub mod api;
mod assets;
pub mod auth;
mod documents;
pub mod error;
pub mod export;
pub mod flash;
pub mod form;
pub mod format;
pub mod i18n;
pub mod lang;
mod security;
pub mod state;
pub mod views;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{DefaultBodyLimit, State},
    http::StatusCode,
    middleware,
    routing::{get, post},
};
pub use state::{AppState, Surface, WebConfig};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    csrf::CsrfLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
};
use zakrila_store::Store;

/// Request bodies above this are refused with 413 (forms and JSON are small;
/// documents' uploads have their own limit on their own routes).
pub const BODY_LIMIT: usize = 1024 * 1024;

pub fn app_state(store: Store, cfg: WebConfig) -> (AppState, Router<AppState>) {
    let (api, mut spec) = api::router().split_for_parts();
    let (_, public_spec) = api::public_router().split_for_parts();
    spec.merge(public_spec);
    api::document_common_answers(&mut spec);
    (
        AppState {
            app: match cfg.signin_per_minute {
                Some(n) => zakrila_app::App::new(store).with_signin_limit(n),
                None => zakrila_app::App::new(store),
            }
            .with_limits(cfg.limits),
            cfg: Arc::new(cfg),
            spec: Arc::new(spec),
            public: Default::default(),
        },
        api,
    )
}

/// The whole application as one router, answering the pages of `cfg.surface`.
pub fn router(store: Store, cfg: WebConfig) -> Router {
    let surface = cfg.surface;
    let https = cfg.secure_cookies;
    let (state, api) = app_state(store, cfg);
    let common = Router::new()
        .route("/lang", post(views::signin::switch_lang))
        .route("/assets/{*path}", get(assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    let pages = match surface {
        Surface::Public => common
            .merge(public_routes())
            .route("/", get(views::help::root)),
        Surface::Staff => common
            .merge(staff_routes())
            .route("/", get(views::home::home))
            .merge(api),
        Surface::All => common
            .merge(public_routes())
            .merge(staff_routes())
            .route("/", get(views::home::home))
            .merge(api),
    };
    let router = pages
        // Inside the router, where the matched route pattern is known.
        .route_layer(middleware::from_fn(security::log_requests))
        .layer(middleware::from_fn(flash::context))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(state.clone())
        // Inner layers first: everything they answer (a panic, a timeout, a refused
        // cross-site post) passes through `render_errors` and gets a localised body.
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CsrfLayer::new())
        .layer(middleware::from_fn_with_state(state, error::render_errors))
        .layer(middleware::from_fn(security::headers))
        // Outside `headers`, which marks the responses that may be compressed.
        .layer(CompressionLayer::new().compress_when(security::compressible()))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    if https {
        router.layer(middleware::from_fn(security::hsts))
    } else {
        router
    }
}

/// The public site: no sign-in, nothing of the case system. (The anonymous tip
/// form is here.)
pub fn public_routes() -> Router<AppState> {
    let (tips, _) = api::public_router().split_for_parts();
    tips.route("/help", get(views::help::home))
        .route("/help/where", get(views::help::where_to))
        .route("/help/services", get(views::help::services))
        .route("/help/signs", get(views::help::signs))
        .route("/open/iati/{file}", get(views::open_data::iati))
        .route("/tip", get(views::tips::form).post(views::tips::submit))
        .route(
            "/tip/more",
            get(views::tips::more_form).post(views::tips::more),
        )
}

/// The staff system: sign-in, cases, the Programme, administration, API docs.
pub fn staff_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(views::signin::signin_form).post(views::signin::signin),
        )
        .route(
            "/login/totp",
            get(views::signin::totp_form).post(views::signin::totp_submit),
        )
        .route("/login/totp/enrol", get(views::signin::enrol_form))
        .route("/logout", post(views::signin::signout))
        .route("/account", get(views::account::page))
        .route(
            "/account/password",
            get(views::signin::password_form).post(views::signin::password_submit),
        )
        .route("/account/tokens", post(views::account::issue_token))
        .route(
            "/account/sign-out-everywhere",
            post(views::account::sign_out_everywhere),
        )
        .route(
            "/organisations",
            get(views::orgs::list).post(views::orgs::create),
        )
        .route("/organisations/{slug}", get(views::orgs::show))
        .route(
            "/organisations/{slug}/contacts",
            post(views::orgs::save_contacts),
        )
        .route(
            "/admin/users",
            get(views::users::list).post(views::users::create),
        )
        .route("/admin/users/{id}/disable", post(views::users::disable))
        .route(
            "/admin/users/{id}/reset-totp",
            post(views::users::reset_totp),
        )
        .route("/cases", get(views::cases::list).post(views::cases::create))
        .route("/notices/{id}/dismiss", post(views::home::dismiss_notice))
        .route("/cases/new", get(views::cases::new_form))
        .route(
            "/cases/import",
            get(views::case_import::page)
                .post(views::case_import::submit)
                .layer(DefaultBodyLimit::max(views::case_import::IMPORT_BODY_LIMIT)),
        )
        .route(
            "/cases/import/template.xlsx",
            get(views::case_import::template_xlsx),
        )
        .route(
            "/cases/import/template.csv",
            get(views::case_import::template_csv),
        )
        .route("/cases/search", post(views::cases::search))
        .route("/cases/lists", get(views::case_page::lists))
        .route("/cases/{id}", get(views::case_page::show))
        .route("/cases/{id}/identity", get(views::case_page::show_identity))
        .route(
            "/cases/{id}/correct",
            get(views::case_correct::show).post(views::case_correct::save),
        )
        .route("/cases/{id}/stage", post(views::case_page::move_stage))
        .route("/cases/{id}/consents", post(views::case_page::consent))
        .route("/cases/{id}/referrals", post(views::case_page::referral))
        .route(
            "/cases/{id}/referrals/{rid}/revoke",
            post(views::case_page::revoke_referral),
        )
        .route("/cases/{id}/services", post(views::case_page::add_service))
        .route(
            "/cases/{id}/services/{sid}/status",
            post(views::case_page::service_status),
        )
        .route(
            "/cases/{id}/documents",
            // Bounded by the document size limit as it streams (see `documents`).
            post(views::case_documents::attach).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/cases/{id}/documents/{doc}",
            get(views::case_documents::download),
        )
        .route(
            "/cases/{id}/documents/{doc}/remove",
            post(views::case_documents::remove),
        )
        .route("/cases.csv", get(views::case_rights::cases_csv))
        .route("/cases.xlsx", get(views::case_rights::cases_xlsx))
        .route(
            "/cases/identity-export",
            post(views::case_rights::identity_export),
        )
        .route(
            "/cases/{id}/subject-report",
            get(views::case_rights::report_page),
        )
        .route("/cases/{id}/erase", post(views::case_details::forms::erase))
        .route(
            "/cases/{id}/assessments",
            post(views::case_details::forms::assess),
        )
        .route(
            "/cases/{id}/return",
            post(views::case_details::forms::save_return),
        )
        .route(
            "/cases/{id}/goals",
            post(views::case_details::forms::add_goal),
        )
        .route(
            "/cases/{id}/goals/{gid}",
            post(views::case_details::forms::goal_status),
        )
        .route(
            "/cases/{id}/follow-ups",
            post(views::case_details::forms::schedule),
        )
        .route(
            "/cases/{id}/follow-ups/{fid}",
            post(views::case_details::forms::held),
        )
        .route(
            "/cases/{id}/child",
            post(views::case_details::forms::save_child),
        )
        .route(
            "/cases/{id}/child/proposals",
            post(views::case_details::forms::add_proposal),
        )
        .route(
            "/cases/{id}/child/proposals/{pid}",
            post(views::case_details::forms::decide_proposal),
        )
        .route(
            "/cases/{id}/proceedings",
            post(views::case_details::forms::add_proceedings),
        )
        .route(
            "/cases/{id}/proceedings/{pid}",
            post(views::case_details::forms::update_proceedings),
        )
        .route(
            "/cases/{id}/proceedings/{pid}/hearings",
            post(views::case_details::forms::add_hearing),
        )
        .route(
            "/cases/{id}/offenders",
            post(views::case_details::forms::add_offender),
        )
        .route(
            "/cases/{id}/offenders/{oid}",
            post(views::case_details::forms::offender_status),
        )
        .route("/outreach", get(views::outreach::page))
        .route("/outreach/consultations", post(views::outreach::record))
        .route(
            "/outreach/events",
            get(views::outreach::events).post(views::outreach::record_event),
        )
        .route(
            "/service-catalogue",
            get(views::service_catalogue::page).post(views::service_catalogue::add),
        )
        .route(
            "/service-catalogue/{code}/retire",
            post(views::service_catalogue::retire),
        )
        .route("/shelters", get(views::accommodation::page))
        .route("/cases/{id}/placements", post(views::accommodation::place))
        .route(
            "/cases/{id}/placements/{pid}/end",
            post(views::accommodation::end),
        )
        .route(
            "/cases/{id}/referrals-abroad",
            post(views::accommodation::refer),
        )
        .route(
            "/cases/{id}/referrals-abroad/{rid}/status",
            post(views::accommodation::status),
        )
        .route(
            "/signals",
            get(views::signals::queue).post(views::signals::create),
        )
        .route("/signals/new", get(views::signals::new_form))
        .route("/signals/report", get(views::hotline_report::page))
        .route("/signals/report.csv", get(views::hotline_report::csv))
        .route(
            "/signals/report.xlsx",
            get(views::hotline_report::xlsx_file),
        )
        .route("/signals/{id}", get(views::signals::show))
        .route("/signals/{id}/triage", post(views::signals::triage))
        .route("/signals/{id}/referrals", post(views::signals::refer))
        .route(
            "/signals/{id}/acknowledge",
            post(views::signals::acknowledge),
        )
        .route("/signals/{id}/close", post(views::signals::close))
        .route("/signals/{id}/duplicate", post(views::duplicates::mark))
        .route("/signals/{id}/case", post(views::signals::open_case))
        .route("/projects", get(views::projects::list))
        .route("/projects/{id}", get(views::projects::show))
        .route("/referrals", get(views::referrals::page))
        .route("/referrals/{rid}/accept", post(views::referrals::accept))
        .route("/referrals/{rid}/decline", post(views::referrals::decline))
        .route(
            "/referrals/{rid}/complete",
            post(views::referrals::complete),
        )
        .route("/programme", get(views::programme::latest))
        .route("/programme/compare", get(views::programme::compare::page))
        .route(
            "/programme/import",
            get(views::programme::files::import_form).post(views::programme::files::import),
        )
        .route("/programme/copy", post(views::programme::files::copy))
        .route("/programme/{year}", get(views::programme::overview))
        .route(
            "/programme/{year}/institutions",
            get(views::programme::institutions::page),
        )
        .route(
            "/programme/{year}/activities/{code}",
            get(views::programme::activity::show),
        )
        .route(
            "/programme/{year}/activities/{code}/reports",
            post(views::programme::reporting::save),
        )
        .route(
            "/programme/{year}/activities/{code}/notes",
            post(views::programme::reporting::note),
        )
        .route(
            "/programme/{year}/reports/{id}/{step}",
            post(views::programme::reporting::review),
        )
        .route(
            "/programme/{year}/report",
            get(views::programme::files::printable),
        )
        .route(
            "/programme/{year}/report.xlsx",
            get(views::programme::files::xlsx),
        )
        .route(
            "/programme/{year}/report.docx",
            get(views::programme::files::docx),
        )
        .route(
            "/programme/{year}/iati.xml",
            get(views::programme::files::iati),
        )
        .route(
            "/programme/{year}/template.csv",
            get(views::programme::files::csv_template),
        )
        .route("/linkage", get(views::linkage::page))
        .route("/linkage/run", post(views::linkage::run))
        .route(
            "/linkage/candidates/{id}/confirm",
            post(views::linkage::confirm),
        )
        .route(
            "/linkage/candidates/{id}/reject",
            post(views::linkage::reject),
        )
        .route("/stats", get(views::stats::page))
        .route("/stats/abroad", get(views::abroad_stats::page))
        .route("/stats/export.csv", get(views::stats::export_csv))
        .route("/stats/releases", post(views::stats::release))
        .route("/open/stats", get(views::stats::open))
        .route("/audit", get(views::audit::page))
        .route("/audit.csv", get(views::audit::export_csv))
        .route("/api/openapi.json", get(api::docs::openapi_json))
        .route("/api/docs", get(api::docs::page))
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.app.ready().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
