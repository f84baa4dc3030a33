//! SeaORM entities, one file per table. Ids are UUIDv7 as text and times are UTC
//! milliseconds since the epoch, so the same columns mean the same on SQLite and
//! PostgreSQL.

pub mod api_token;
pub mod audit_event;
pub mod audit_head;
pub mod organisation;
pub mod service;
pub mod session;
pub mod setting;
pub mod throttle;
pub mod user;
