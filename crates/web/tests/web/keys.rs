//! Keys while the server runs: name tokens keyed per organisation still let the
//! receiving organisation of an accepted referral find the person, and a rotation
//! to a new master key leaves every identity readable and the audit chain intact.

use std::ops::ControlFlow;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zakrila_domain::role::Role;
use zakrila_store::vault::MasterKey;

use crate::{TestApp, User};

async fn register(api: &User<'_>, given: &str, family: &str) -> String {
    let (status, v) = api
        .post("/api/v1/cases", json!({"person": {"given_name": given, "family_name": family, "birth_date": "1998-04-12", "sex": "female", "citizenship": "BGR"}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}: {v}", api.app.label);
    v["id"].as_str().unwrap().to_owned()
}

async fn found(api: &User<'_>, q: &str) -> Vec<String> {
    let (status, v) = api.post("/api/v1/cases/search", json!({"q": q})).await;
    assert_eq!(status, StatusCode::OK, "{}: {v}", api.app.label);
    let mut ids: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn names_are_found_across_an_accepted_referral_and_after_a_master_key_rotation() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let a21 = app.with_user(Role::Caseworker, "a21").await;
        let referred = register(&iom, "Мария", "Иванова").await;
        let own = register(&a21, "Мария", "Иванова").await;
        assert_eq!(
            found(&iom, "Иванова").await,
            [referred.clone()],
            "{}",
            app.label
        );
        assert_eq!(found(&a21, "Ivanova").await, [own.clone()], "{}", app.label);

        assert_eq!(
            iom.post(
                &format!("/api/v1/cases/{referred}/consents"),
                json!({"kind": "referral", "state": "given"})
            )
            .await
            .0,
            StatusCode::NO_CONTENT
        );
        let (status, r) = iom
            .post(
                &format!("/api/v1/cases/{referred}/referrals"),
                json!({"to_org": "a21", "purpose": "Подслон"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {r}", app.label);
        let rid = r["id"].as_str().unwrap();
        assert_eq!(
            a21.post(&format!("/api/v1/referrals/{rid}/accept"), json!({}))
                .await
                .0,
            StatusCode::OK
        );
        let mut both = vec![referred.clone(), own.clone()];
        both.sort();
        for q in ["Иванова", "maria ivanova"] {
            assert_eq!(found(&a21, q).await, both, "{}: {q}", app.label);
        }
        assert_eq!(
            found(&iom, "Иванова").await,
            [referred.clone()],
            "{}",
            app.label
        );

        // A new master key, while the server runs.
        let (_, n) = app
            .store
            .rotate_master(
                MasterKey::from_bytes([7; 32]),
                |_| ControlFlow::Continue(()),
            )
            .await
            .unwrap()
            .expect("to the end");
        assert!(n >= 6, "{}: {n} values re-encrypted", app.label);
        let ident: Value = iom
            .json(&format!("/api/v1/cases/{referred}/identity"))
            .await;
        assert_eq!(
            (ident["given_name"].as_str(), ident["family_name"].as_str()),
            (Some("Мария"), Some("Иванова")),
            "{}",
            app.label
        );
        assert_eq!(found(&a21, "Иванова").await, both, "{}", app.label);
        let later = register(&iom, "Елена", "Иванова").await;
        let ident: Value = iom.json(&format!("/api/v1/cases/{later}/identity")).await;
        assert_eq!(ident["given_name"], "Елена", "{}", app.label);
        assert!(
            matches!(app.store.verify_audit().await.unwrap(), Ok(_)),
            "{}: the chain verifies",
            app.label
        );
    }
}
