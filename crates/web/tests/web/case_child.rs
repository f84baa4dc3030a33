//! A child's case: the decision on a proposal under Art. 76a of the Personal
//! Documents Act is recorded after the proposal (API and case page alike),
//! with its date, on the version read, audited; another organisation cannot.

use reqwest::StatusCode;
use serde_json::json;
use zakrila_domain::role::Role;

use crate::{TestApp, case_details::audited};

#[tokio::test]
async fn a_proposal_is_decided_later_with_its_date() {
    for app in TestApp::each_backend().await {
        let l = &app.label;
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let (status, v) = iom
            .post(
                "/api/v1/cases",
                json!({"person": {"given_name": "Ива", "family_name": "Петрова", "birth_date": "2012-05-01", "sex": "female", "citizenship": "BGR"}}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {v}");
        let id = v["id"].as_str().unwrap().to_owned();
        let (status, p) = iom
            .post(
                &format!("/api/v1/cases/{id}/child/proposals"),
                json!({"proposed_on": "2025-01-10"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {p}");
        assert_eq!(p["status"], "submitted", "{l}");
        let pid = p["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/cases/{id}/child/proposals/{pid}");

        // A decision needs its date, and not one before the proposal.
        let (status, e) = iom
            .put(&path, json!({"status": "granted", "version": 1}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}: {e}");
        assert!(e.to_string().contains("decided_on"), "{l}: {e}");
        let (status, _) = iom
            .put(
                &path,
                json!({"status": "granted", "decided_on": "2025-01-05", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}");

        let (status, d) = iom
            .put(
                &path,
                json!({"status": "granted", "decided_on": "2025-02-03", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{l}: {d}");
        assert_eq!(d["status"], "granted", "{l}");
        assert_eq!(d["decided_on"], "2025-02-03", "{l}");
        assert_eq!(d["version"], 2, "{l}");
        // The same version again is a lost update.
        let (status, _) = iom
            .put(
                &path,
                json!({"status": "refused", "decided_on": "2025-02-04", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{l}");
        assert_eq!(
            audited(&app, "case.child_proposal_decision", Some(&id)).await,
            1,
            "{l}"
        );

        // Another organisation neither sees nor changes it.
        let other = app.with_user(Role::Caseworker, "a21").await;
        let (status, _) = other
            .put(
                &path,
                json!({"status": "refused", "decided_on": "2025-02-04", "version": 2}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{l}");

        // The case page shows the decision and records a new one through its form.
        let (_, html) = iom.page(&format!("/cases/{id}")).await;
        assert!(html.contains("03.02.2025"), "{l}");
        let r = iom
            .form(
                &format!("/cases/{id}/child/proposals/{pid}"),
                &[
                    ("status", "refused"),
                    ("decided_on", "2025-03-01"),
                    ("version", "2"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{l}");
        let (_, html) = iom.page(&format!("/cases/{id}")).await;
        assert!(html.contains("01.03.2025"), "{l}");
        assert!(html.contains("отказано"), "{l}");
        let v = iom.json(&format!("/api/v1/cases/{id}/child")).await;
        assert_eq!(v["proposals"][0]["status"], "refused", "{l}");
        assert_eq!(v["proposals"][0]["version"], 3, "{l}");
    }
}
