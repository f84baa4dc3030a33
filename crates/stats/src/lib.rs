//! National statistics that expose no one. Pure functions over non-identifying
//! records (never a name, never a birth date):
//!
//! - [`tables`]: the harmonised tables — Eurostat `crim_thb` breakdowns of victims and
//!   offenders and the child-victims table of the Programme (5.1.4);
//! - [`ctdc`]: the CTDC 2024 CSV with exactly the codebook's columns and spellings,
//!   made k-anonymous by generalising rare records before suppressing them;
//! - [`noise`]: exact discrete Laplace and Gaussian samplers (Canonne, Kamath and
//!   Steinke 2020) in integer arithmetic, so no floating-point low bits leak;
//! - [`release`]: a differentially private snapshot of chosen tables and the budget
//!   rule that refuses to spend more ε than a year allows.

mod csv;
pub mod ctdc;
pub mod groups;
pub mod noise;
pub mod record;
pub mod release;
pub mod tables;

pub use record::{OffenderRecord, VictimRecord};
