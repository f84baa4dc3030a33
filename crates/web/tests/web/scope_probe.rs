//! The scope probe, generated from the OpenAPI document: every operation on a
//! case (`/api/v1/cases/{id}…`), called by every role of another organisation with
//! the owner's real case id and a body built from the operation's own schema,
//! answers 404 — the case does not exist for them. The owner's same call does not
//! answer 404, so the probe can fail. A new route is covered without editing this.

use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};
use zakrila_domain::role::Role;

use crate::TestApp;

/// A minimal value of `schema`: required properties only, the first of an enum,
/// dates as dates.
fn example(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return example(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[key]
            .as_array()
            .and_then(|e| e.iter().find(|s| s["type"] != "null").or_else(|| e.first()))
        {
            return example(doc, first, depth + 1);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .find(|k| *k != "null")
            .cloned()
            .unwrap_or(Value::Null),
        k => k.clone(),
    };
    match kind.as_str() {
        Some("object") => {
            let mut out = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap();
                out.insert(
                    name.to_owned(),
                    example(doc, &schema["properties"][name], depth + 1),
                );
            }
            Value::Object(out)
        }
        Some("array") => json!([]),
        Some("integer") | Some("number") => json!(0),
        Some("boolean") => json!(false),
        Some("string") => match schema["format"].as_str() {
            Some("date") => json!("2025-01-15"),
            Some("date-time") => json!("2025-01-15T10:00:00Z"),
            Some("uuid") => json!(uuid::Uuid::nil().to_string()),
            _ => json!("x"),
        },
        _ => Value::Null,
    }
}

#[tokio::test]
async fn every_case_operation_in_the_document_is_404_to_other_organisations() {
    for app in TestApp::each_backend().await {
        let owner = app.with_user(Role::Caseworker, "iom").await;
        let id = crate::case_details::register(&owner, "Мария", "Иванова").await;
        let doc = owner.json("/api/openapi.json").await;
        let mut operations = vec![];
        for (path, item) in doc["paths"].as_object().unwrap() {
            let Some(rest) = path.strip_prefix("/api/v1/cases/{id}") else {
                continue;
            };
            // Sub-resources with an id of their own are probed by hand in
            // case_rights (they need the owner's real ids of each kind).
            if rest.contains('{') {
                continue;
            }
            for (method, op) in item.as_object().unwrap() {
                let Ok(method) = method.to_uppercase().parse::<Method>() else {
                    continue;
                };
                let body = op["requestBody"]["content"]["application/json"]["schema"]
                    .is_object()
                    .then(|| {
                        example(
                            &doc,
                            &op["requestBody"]["content"]["application/json"]["schema"],
                            0,
                        )
                    })
                    .unwrap_or(Value::Null);
                operations.push((method, path.replace("{id}", &id), body));
            }
        }
        assert!(
            operations.len() >= 20,
            "{}: only {} case operations found in the document",
            app.label,
            operations.len()
        );
        let mut others = vec![];
        for (role, org) in [
            (Role::Caseworker, "a21"),
            (Role::Admin, "a21"),
            (Role::Hotline, "a21"),
            (Role::Coordinator, "nccthb"),
            (Role::Analyst, "nccthb"),
            (Role::Auditor, "nccthb"),
            (Role::Admin, "nccthb"),
        ] {
            others.push(app.with_user(role, org).await);
        }
        // Writes by others first (they must change nothing), then the owner's.
        for other in &others {
            for (method, path, body) in &operations {
                let (status, v) = other.send(method.clone(), path, body.clone()).await;
                assert_eq!(
                    status,
                    StatusCode::NOT_FOUND,
                    "{}: {} (another organisation): {method} {path} with {body}: {v}",
                    app.label,
                    other.email,
                );
            }
        }
        for (method, path, body) in &operations {
            // Erasure would end the case for the rest of the probe.
            if path.ends_with("/erase") {
                continue;
            }
            let (status, v) = owner.send(method.clone(), path, body.clone()).await;
            assert_ne!(
                status,
                StatusCode::NOT_FOUND,
                "{}: the owner's {method} {path} answered 404: {v}",
                app.label
            );
        }
    }
}
