//! SeaORM entities, one file per table. Ids are UUIDv7 as text and times are UTC
//! milliseconds since the epoch, so the same columns mean the same on SQLite and
//! PostgreSQL.

pub mod api_token;
pub mod audit_event;
pub mod audit_head;
pub mod case;
pub mod case_assessment;
pub mod case_child;
pub mod case_counter;
pub mod case_erasure;
pub mod case_offender;
pub mod case_proceedings;
pub mod case_return;
pub mod case_service;
pub mod caseload;
pub mod caseload_count;
pub mod caseload_token;
pub mod child_proposal;
pub mod consent;
pub mod follow_up;
pub mod linkage_candidate;
pub mod org_contact;
pub mod organisation;
pub mod person;
pub mod person_clk;
pub mod person_token;
pub mod programme;
pub mod programme_activity;
pub mod programme_activity_org;
pub mod programme_indicator;
pub mod programme_issue;
pub mod programme_objective;
pub mod programme_section;
pub mod progress_note;
pub mod progress_report;
pub mod referral;
pub mod reintegration_goal;
pub mod service;
pub mod session;
pub mod setting;
pub mod stage_change;
pub mod throttle;
pub mod user;
