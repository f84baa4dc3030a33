//! Compatibility with the reference implementations: CLKs bit-identical to
//! clkhash 0.18.3, candidate pairs and greedy solutions identical to anonlink
//! 0.15.3. Fixtures come from `bench/linkage/make_fixtures.py`.

#[path = "linkage/encoding.rs"]
mod encoding;
#[path = "linkage/matching.rs"]
mod matching;
#[path = "linkage/robustness.rs"]
mod robustness;
