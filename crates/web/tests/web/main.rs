//! End-to-end tests of the HTTP layer: each spawns the real application on port 0
//! with a fresh database — SQLite always, PostgreSQL too when
//! `ZAKRILA_TEST_DATABASE_URL` is set — and talks to it over HTTP like a browser
//! or an API client would.

mod accommodation;
mod api;
mod audit_hardening;
mod browser;
mod bulgarian_pages;
mod case_child;
mod case_details;
mod case_import;
mod case_journey;
mod case_pages;
mod case_rights;
mod cases;
mod corrections;
mod court_dates;
mod credentials;
mod documents;
mod downloads;
mod feedback;
mod free_text;
mod frontdoor_browser;
mod hardening;
mod homes;
mod hotline;
mod json_shapes;
mod keys;
mod linkage;
mod open_data;
mod outreach;
mod programme;
mod public_site;
mod referral_pages;
mod responsive;
mod scope_probe;
mod service_catalogue;
mod signal_duplicates;
mod signal_places;
mod signin;
mod stats;
mod support;

pub use support::*;
