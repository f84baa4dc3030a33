//! A linkage schema comes from outside (another organisation's configuration):
//! random and mutated schemas are refused with an error, never a panic, and a
//! valid schema encodes any record text without panicking.

use proptest::prelude::*;
use zakrila_linkage::{Encoder, Schema, Secret};

use crate::encoding::fixture;

/// Replaces `count` bytes of a schema's JSON with bytes that keep it JSON-ish.
fn mutate(json: &str, at: &[(usize, u8)]) -> String {
    let mut b = json.as_bytes().to_vec();
    for (i, c) in at {
        let k = i % b.len();
        b[k] = *c;
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn json_byte() -> impl Strategy<Value = u8> {
    prop::sample::select(b"0123456789-.eE{}[]:,\" tfnulrsa".to_vec())
}

proptest! {
    #[test]
    fn a_mutated_schema_is_refused_or_read(at in prop::collection::vec((any::<usize>(), json_byte()), 1..8)) {
        let json = fixture("double_bpt_1024.schema.json");
        let _ = Schema::from_json(&mutate(&json, &at));
    }

    #[test]
    fn random_text_is_not_a_schema(t in prop::collection::vec(any::<char>(), 0..300)) {
        let t: String = t.into_iter().collect();
        let object = t.trim_start().starts_with('{');
        prop_assert!(Schema::from_json(&t).is_err() || object, "accepted {:?}", t);
    }

    #[test]
    fn any_record_text_is_encoded_or_refused(
        fields in prop::collection::vec(prop::collection::vec(any::<char>(), 0..40), 0..12)
    ) {
        let schema = Schema::zakrila_person_v1();
        let encoder = Encoder::new(&schema, &Secret::from("robustness"));
        let record: Vec<String> = fields.into_iter().map(String::from_iter).collect();
        let _ = encoder.encode(&record);
    }
}
