//! Privacy-preserving record linkage for Zakrila: find the same person in two
//! organisations' registers without either revealing a name.
//!
//! Each organisation encodes its records into CLKs (cryptographic long-term
//! keys: Bloom filters of keyed hashes of the identifiers, Schnell et al. 2011)
//! with the deployment's linkage secret; the matcher sees only CLKs and scores
//! pairs by their Dice coefficient.
//!
//! Compatibility is exact, and tested against fixtures made by the reference
//! implementations (`bench/linkage/make_fixtures.py`):
//! - encoding follows clkhash 0.18.3's linkage schema v3 bit for bit: n-gram,
//!   exact and numeric comparisons, bitsPerToken / bitsPerFeature, doubleHash
//!   (optionally non-singular) and blakeHash, HKDF with salt / info / key size,
//!   any length, XOR folding, missing values, string / integer / date / enum
//!   formats. Two deliberate differences: a `pattern` in a string format is not
//!   enforced (it only validates), and the documented-but-ignored `xorFolds` is
//!   refused rather than silently ignored.
//! - matching finds anonlink 0.15.3's candidate pairs, in its order, and
//!   [`greedy_solve`] its greedy solution.
//!
//! # Use
//!
//! ```
//! use zakrila_linkage::{ClkSet, Encoder, PersonRecord, Schema, Secret};
//!
//! let schema = Schema::zakrila_person_v1();
//! let secret = Secret::from("the deployment's linkage secret");
//! let encoder = Encoder::new(&schema, &secret);
//! let person = |given: &str, family: &str| PersonRecord {
//!     given_name: given.into(),
//!     family_name: family.into(),
//!     birth_date: Some("1994-03-17".into()),
//!     ..Default::default()
//! };
//! let ours = encoder.encode_all(&[person("Мария", "Иванова").to_record()])?;
//! let theirs = encoder.encode_all(&[
//!     person("MARIYA", "IVANOVA").to_record(),
//!     person("Petar", "Petrov").to_record(),
//! ])?;
//! // CLKs travel as clkhash's base64.
//! let theirs: Vec<_> = theirs.iter().map(|c| c.to_base64()).collect();
//! let theirs = theirs.iter().map(|s| zakrila_linkage::Clk::from_base64(s)).collect::<Result<Vec<_>, _>>()?;
//!
//! let (a, b) = (ClkSet::new(&ours)?, ClkSet::new(&theirs)?);
//! let candidates = zakrila_linkage::find_candidates(&a, &b, zakrila_linkage::DEFAULT_THRESHOLD)?;
//! let matches = zakrila_linkage::greedy_solve(&candidates);
//! assert_eq!((matches[0].a, matches[0].b), (0, 0));
//! assert_eq!(matches.len(), 1);
//! # Ok::<(), zakrila_linkage::Error>(())
//! ```
//!
//! - [`Schema::from_json`] / [`Schema::zakrila_person_v1`]: the linkage schema.
//! - [`Encoder`] (or [`encode`] / [`encode_all`]): records → [`Clk`]s;
//!   `encode_all` runs on rayon's threads. [`PersonRecord::to_record`]
//!   normalises and transliterates names for the built-in schema.
//! - [`Clk::to_base64`] / [`Clk::from_base64`]: clkhash's serialisation.
//! - [`find_candidates`], [`find_candidates_blocked`] (with keys such as
//!   [`PersonRecord::block_keys`]), and [`stream_candidates`] for outputs too
//!   large for memory.
//! - [`greedy_solve`]: one-to-one matches from the candidates.

mod candidates;
mod clk;
mod dice;
mod encode;
mod error;
mod format;
mod hashing;
mod person;
mod schema;
mod solve;
mod tokenize;

pub use candidates::{Candidate, find_candidates, find_candidates_blocked, stream_candidates};
pub use clk::Clk;
pub use dice::ClkSet;
pub use encode::{Encoder, Secret, encode, encode_all};
pub use error::{Error, Result};
pub use person::{PERSON_COLUMNS, PersonRecord, phonetic_key};
pub use schema::Schema;
pub use solve::greedy_solve;

/// The similarity threshold for the built-in schema, chosen on the accuracy
/// experiment of `bench/linkage/RESULTS.md`.
pub const DEFAULT_THRESHOLD: f64 = 0.8;
