//! The JSON the API answers, held by insta snapshots (committed under
//! `snapshots/`): the OpenAPI document, and a representative answer of each kind a
//! client parses — a case, a caseload page, a programme activity, `/api/v1/me` and a
//! problem+json error. A change of shape shows up as a snapshot diff to review; with
//! `CI=true` a missing or different snapshot fails. Both backends must give the same
//! snapshot; ids, codes and times are redacted because they differ run to run.
//! After a deliberate change: `INSTA_UPDATE=always cargo test -p zakrila-web --test
//! web -- json_shapes::`, then review the diff of `snapshots/` before committing.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::TestApp;
use crate::case_details::register;

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    for app in TestApp::each_backend().await {
        let (status, spec) = crate::reply(
            reqwest::get(app.url("/api/openapi.json"))
                .await
                .expect("fetch the document"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        insta::assert_json_snapshot!("openapi", spec);
    }
}

#[tokio::test]
async fn api_answers_keep_their_shape() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let id = register(&iom, "Мария", "Иванова").await;

        let case = iom.json(&format!("/api/v1/cases/{id}")).await;
        insta::assert_json_snapshot!("case_summary", case, {
            ".id" => "[id]",
            ".code" => "[code]",
            ".updated_at" => "[time]",
        });

        let caseload = iom.json("/api/v1/cases").await;
        insta::assert_json_snapshot!("caseload_page", caseload, {
            ".items[].id" => "[id]",
            ".items[].code" => "[code]",
            ".items[].updated_at" => "[time]",
        });

        let me = iom.json("/api/v1/me").await;
        insta::assert_json_snapshot!("me", me, {
            ".id" => "[id]",
        });

        let invalid = json!({"person": {"given_name": "", "family_name": "Иванова", "birth_date": "2099-01-01", "sex": "x", "citizenship": "BGR"}});
        let r = iom
            .request(reqwest::Method::POST, "/api/v1/cases")
            .json(&invalid)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{}",
            app.label
        );
        let (status, error) = crate::reply(r).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {error}",
            app.label
        );
        insta::assert_json_snapshot!("problem", error);

        app.store
            .ensure_programme_2025()
            .await
            .unwrap()
            .expect("seed 003 loaded");
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let activities = analyst.json("/api/v1/programmes/2025/activities").await;
        let activity: Value = activities
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == "1.2.2")
            .cloned()
            .expect("1.2.2 listed");
        insta::assert_json_snapshot!("programme_activity", activity, {
            ".id" => "[id]",
            ".indicators[].id" => "[id]",
        });
    }
}
