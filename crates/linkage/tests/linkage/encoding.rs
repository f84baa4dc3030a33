use std::path::PathBuf;

use serde::Deserialize;
use zakrila_linkage::{Encoder, PersonRecord, Schema, Secret};

pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
struct ClkFixture {
    secret: String,
    records: Vec<Vec<String>>,
    clks: Vec<String>,
    rejected: Vec<Vec<String>>,
}

fn check_schema(name: &str) {
    let schema = Schema::from_json(&fixture(&format!("{name}.schema.json"))).unwrap();
    let fx: ClkFixture = serde_json::from_str(&fixture(&format!("{name}.clks.json"))).unwrap();
    let secret = Secret::from(fx.secret.as_str());
    let encoder = Encoder::new(&schema, &secret);
    let clks = encoder.encode_all(&fx.records).unwrap();
    for (i, (clk, expected)) in clks.iter().zip(&fx.clks).enumerate() {
        assert_eq!(
            &clk.to_base64(),
            expected,
            "{name}: record {i} {:?}",
            fx.records[i]
        );
    }
    assert_eq!(clks.len(), fx.clks.len());
    for record in &fx.rejected {
        assert!(
            encoder.encode(record).is_err(),
            "{name}: accepted {record:?}"
        );
    }
}

#[test]
fn double_hash_bits_per_token_1024() {
    check_schema("double_bpt_1024");
}

#[test]
fn blake_hash_bits_per_feature_512_sha512_kdf() {
    check_schema("blake_bpf_512_sha512");
}

#[test]
fn double_hash_non_singular_folded() {
    check_schema("double_nonsingular_fold1_512");
}

#[test]
fn blake_hash_folded_twice_2048() {
    check_schema("blake_fold2_2048");
}

#[test]
fn odd_length_folded() {
    check_schema("double_odd_100_fold1");
}

#[derive(Deserialize)]
struct Person {
    given_name: String,
    family_name: String,
    birth_date: String,
    sex: String,
    birth_year: String,
    citizenship: String,
}

#[derive(Deserialize)]
struct PersonFixture {
    secret: String,
    persons: Vec<Person>,
    records: Vec<Vec<String>>,
    clks: Vec<String>,
}

#[test]
fn built_in_schema_on_persons() {
    let fx: PersonFixture = serde_json::from_str(&fixture("persons.json")).unwrap();
    let schema = Schema::zakrila_person_v1();
    let secret = Secret::from(fx.secret.as_str());
    let encoder = Encoder::new(&schema, &secret);
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    for ((p, record), expected) in fx.persons.iter().zip(&fx.records).zip(&fx.clks) {
        let person = PersonRecord {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            birth_date: some(&p.birth_date),
            sex: some(&p.sex),
            birth_year: p.birth_year.parse().ok(),
            citizenship: some(&p.citizenship),
        };
        assert_eq!(
            &person.to_record()[..],
            &record[..],
            "normalising {}",
            p.given_name
        );
        assert_eq!(
            &encoder.encode(&person.to_record()).unwrap().to_base64(),
            expected
        );
    }
}

#[test]
fn schema_errors_are_reported_at_load() {
    let bad = [
        r#"{"version": 2, "clkConfig": {"l": 1024, "kdf": {"type": "HKDF"}}, "features": []}"#,
        r#"{"version": 3, "clkConfig": {"l": 1000, "kdf": {"type": "HKDF"}}, "features": [
            {"identifier": "a", "format": {"type": "string"}, "hashing": {
             "comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 5}}}]}"#,
        r#"{"version": 3, "clkConfig": {"l": 1024, "xorFolds": 1, "kdf": {"type": "HKDF"}},
            "features": []}"#,
        r#"{"version": 3, "clkConfig": {"l": 1024, "kdf": {"type": "HKDF"}}, "features": [
            {"identifier": "a", "format": {"type": "date", "format": "%H"}, "hashing": {
             "comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 5}}}]}"#,
    ];
    for json in bad {
        assert!(Schema::from_json(json).is_err(), "{json}");
    }
}
