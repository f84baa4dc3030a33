//! Cross-organisation record linkage in the browser and the API: an NCCTHB
//! coordinator reviews probable matches by case code, organisation, similarity and
//! profile — never a name; caseworkers cannot reach the queue; a confirmed link is
//! shown on both case pages only when the person consented to data sharing.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::{TestApp, User, location};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    Client::new()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// Registers the person at `org` by API; returns (case id, case code).
async fn register(app: &TestApp, token: &str, given: &str, family: &str) -> (String, String) {
    let r = post(app, token, "/api/v1/cases", json!({"person": {"given_name": given, "family_name": family, "birth_date": "1998-04-12", "sex": "female", "citizenship": "BGR"}, "exploitation": {"forms": ["sexual"]}})).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", app.label);
    let v: Value = r.json().await.unwrap();
    (
        v["id"].as_str().unwrap().to_owned(),
        v["code"].as_str().unwrap().to_owned(),
    )
}

struct Scene<'a> {
    iom: User<'a>,
    a21: User<'a>,
    coordinator: User<'a>,
    iom_case: (String, String),
    a21_case: (String, String),
}

/// IOM registers Мария Иванова in Cyrillic; A21 the same woman in Latin, with a typo.
async fn scene(app: &TestApp) -> Scene<'_> {
    let iom = app
        .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
        .await;
    let a21 = app
        .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
        .await;
    let coordinator = app
        .with_user_email(Role::Coordinator, "nccthb", "coord@nccthb.bg")
        .await;
    let iom_case = register(app, &iom.token, "Мария", "Иванова").await;
    let a21_case = register(app, &a21.token, "Mariya", "Ivanvoa").await;
    Scene {
        iom,
        a21,
        coordinator,
        iom_case,
        a21_case,
    }
}

const IDENTITY: [&str; 7] = [
    "Мария",
    "Иванова",
    "Mariya",
    "Ivanvoa",
    "Ivanova",
    "1998-04-12",
    "12.04.1998",
];

#[tokio::test]
async fn a_coordinator_reviews_a_candidate_by_codes_and_similarity_without_names() {
    for app in TestApp::each_backend().await {
        let s = scene(&app).await;
        let coord = s.coordinator.browser().await;
        let r = coord.post(app.url("/linkage/run")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert_eq!(location(&r), "/linkage?matches=1&queued=1", "{}", app.label);
        let page = coord
            .get(app.url("/linkage"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&s.iom_case.1) && page.contains(&s.a21_case.1),
            "{}: both case codes shown",
            app.label
        );
        assert!(
            page.contains("href=\"/linkage\""),
            "{}: in the coordinator's navigation",
            app.label
        );
        let sim = page
            .split("<td><strong>")
            .nth(1)
            .and_then(|t| t.split('<').next())
            .unwrap_or_default()
            .to_owned();
        assert!(
            sim.starts_with("0,") || sim == "1",
            "{}: a decimal comma in Bulgarian, got {sim:?}",
            app.label
        );
        let sim: f64 = sim.replace(',', ".").parse().unwrap_or_else(|_| {
            panic!(
                "{}: a similarity in the first column, got {sim:?}",
                app.label
            )
        });
        assert!((0.8..=1.0).contains(&sim), "{}: {sim}", app.label);
        assert!(
            page.contains("жена · ")
                && page.contains("България")
                && !page.contains("BGR")
                && page.contains("сексуална експлоатация"),
            "{}: the profile is shown, the country by its name",
            app.label
        );
        for word in IDENTITY {
            assert!(
                !page.contains(word),
                "{}: the review page must not show {word:?}",
                app.label
            );
        }
        // The API gives the same candidate, without identity either.
        let api = get(&app, &s.coordinator.token, "/api/v1/linkage/candidates").await;
        assert_eq!(api.status(), StatusCode::OK, "{}", app.label);
        let text = api.text().await.unwrap();
        for word in IDENTITY {
            assert!(
                !text.contains(word),
                "{}: the API must not return {word:?}",
                app.label
            );
        }
        let list: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1, "{}", app.label);
        let codes = [
            list[0]["a"]["case_code"].as_str().unwrap(),
            list[0]["b"]["case_code"].as_str().unwrap(),
        ];
        assert!(
            codes.contains(&s.iom_case.1.as_str()) && codes.contains(&s.a21_case.1.as_str()),
            "{}",
            app.label
        );

        // Confirming through the page (a plain form post) counts one person less.
        let id = list[0]["id"].as_str().unwrap();
        let r = coord
            .post(app.url(&format!("/linkage/candidates/{id}/confirm")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            (r.status(), location(&r)),
            (StatusCode::SEE_OTHER, "/linkage".to_owned()),
            "{}",
            app.label
        );
        let u: Value = get(&app, &s.coordinator.token, "/api/v1/linkage/unique-persons")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (u["persons"].as_u64(), u["unique_persons"].as_u64()),
            (Some(2), Some(1)),
            "{}",
            app.label
        );
        // A second decision on the same candidate is a conflict.
        assert_eq!(
            post(
                &app,
                &s.coordinator.token,
                &format!("/api/v1/linkage/candidates/{id}/reject"),
                json!({})
            )
            .await
            .status(),
            StatusCode::CONFLICT,
            "{}",
            app.label
        );
        let page = coord
            .get(app.url("/linkage"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(">2<") && page.contains("<strong>1</strong>"),
            "{}: persons 2, unique 1",
            app.label
        );
    }
}

#[tokio::test]
async fn caseworkers_cannot_reach_the_review_queue() {
    for app in TestApp::each_backend().await {
        let s = scene(&app).await;
        let cw = s.iom.browser().await;
        for status in [
            cw.get(app.url("/linkage")).send().await.unwrap().status(),
            cw.post(app.url("/linkage/run"))
                .send()
                .await
                .unwrap()
                .status(),
            get(&app, &s.iom.token, "/api/v1/linkage/candidates")
                .await
                .status(),
            post(&app, &s.iom.token, "/api/v1/linkage/run", json!({}))
                .await
                .status(),
            get(&app, &s.a21.token, "/api/v1/linkage/unique-persons")
                .await
                .status(),
        ] {
            assert!(
                matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{}: {status}",
                app.label
            );
        }
        let home = cw
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !home.contains("href=\"/linkage\""),
            "{}: not in a caseworker's navigation",
            app.label
        );
        assert!(
            app.store
                .linkage_candidates(zakrila_store::linkage::LinkStatus::Pending, 10)
                .await
                .unwrap()
                .is_empty(),
            "{}: nothing ran",
            app.label
        );
    }
}

/// The other organisation named in the case page's linkage notice, if any.
async fn notice(app: &TestApp, c: &Client, case_id: &str) -> Option<String> {
    let page = c
        .get(app.url(&format!("/cases/{case_id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("id=\"linkage-notice\"")?;
    Some(page[start..start + page[start..].find("</div>").unwrap()].to_owned())
}

#[tokio::test]
async fn the_other_organisation_is_named_only_with_consent_to_data_sharing() {
    for app in TestApp::each_backend().await {
        let s = scene(&app).await;
        assert_eq!(
            post(&app, &s.coordinator.token, "/api/v1/linkage/run", json!({}))
                .await
                .status(),
            StatusCode::OK,
            "{}",
            app.label
        );
        let list: Value = get(&app, &s.coordinator.token, "/api/v1/linkage/candidates")
            .await
            .json()
            .await
            .unwrap();
        let id = list[0]["id"].as_str().unwrap();
        assert_eq!(
            post(
                &app,
                &s.coordinator.token,
                &format!("/api/v1/linkage/candidates/{id}/confirm"),
                json!({})
            )
            .await
            .status(),
            StatusCode::OK,
            "{}",
            app.label
        );
        let (iom_page, a21_page) = (s.iom.browser().await, s.a21.browser().await);
        let iom_name = app.store.org_by_slug("iom").await.unwrap().unwrap().name_bg;
        let a21_name = app.store.org_by_slug("a21").await.unwrap().unwrap().name_bg;

        // No consent yet: neither caseworker is told.
        assert_eq!(
            notice(&app, &iom_page, &s.iom_case.0).await,
            None,
            "{}",
            app.label
        );
        assert_eq!(
            notice(&app, &a21_page, &s.a21_case.0).await,
            None,
            "{}",
            app.label
        );
        // Consent on one side only: still nothing (naming discloses both sides).
        let consent = json!({"kind": "data_sharing", "state": "given"});
        assert_eq!(
            post(
                &app,
                &s.iom.token,
                &format!("/api/v1/cases/{}/consents", s.iom_case.0),
                consent.clone()
            )
            .await
            .status(),
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            notice(&app, &iom_page, &s.iom_case.0).await,
            None,
            "{}",
            app.label
        );
        assert_eq!(
            notice(&app, &a21_page, &s.a21_case.0).await,
            None,
            "{}",
            app.label
        );
        // Both: each caseworker learns the other organisation's name, not its case code.
        assert_eq!(
            post(
                &app,
                &s.a21.token,
                &format!("/api/v1/cases/{}/consents", s.a21_case.0),
                consent
            )
            .await
            .status(),
            StatusCode::NO_CONTENT
        );
        let at_iom = notice(&app, &iom_page, &s.iom_case.0)
            .await
            .unwrap_or_else(|| panic!("{}: notice at IOM", app.label));
        assert!(
            at_iom.contains(&a21_name) && !at_iom.contains(&s.a21_case.1),
            "{}: {at_iom}",
            app.label
        );
        let at_a21 = notice(&app, &a21_page, &s.a21_case.0)
            .await
            .unwrap_or_else(|| panic!("{}: notice at A21", app.label));
        assert!(
            at_a21.contains(&iom_name) && !at_a21.contains(&s.iom_case.1),
            "{}: {at_a21}",
            app.label
        );
        // Withdrawn: the notice goes.
        let withdrawn = json!({"kind": "data_sharing", "state": "withdrawn"});
        assert_eq!(
            post(
                &app,
                &s.a21.token,
                &format!("/api/v1/cases/{}/consents", s.a21_case.0),
                withdrawn
            )
            .await
            .status(),
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            notice(&app, &iom_page, &s.iom_case.0).await,
            None,
            "{}",
            app.label
        );
    }
}

/// The organisations `App::involved_organisations` names on a case for the holder
/// of `token` (slugs), or the error.
async fn involved(
    app: &TestApp,
    token: &str,
    case_id: &str,
) -> Result<Vec<String>, zakrila_app::AppError> {
    let a = zakrila_app::App::new(app.store.clone());
    let caller = a.token_caller(token).await?;
    Ok(a.involved_organisations(&caller, case_id)
        .await?
        .into_iter()
        .map(|o| o.slug)
        .collect())
}

#[tokio::test]
async fn the_application_names_the_other_organisation_as_the_policy_allows() {
    for app in TestApp::each_backend().await {
        let s = scene(&app).await;
        post(&app, &s.coordinator.token, "/api/v1/linkage/run", json!({})).await;
        let list: Value = get(&app, &s.coordinator.token, "/api/v1/linkage/candidates")
            .await
            .json()
            .await
            .unwrap();
        let id = list[0]["id"].as_str().unwrap();
        let confirm = format!("/api/v1/linkage/candidates/{id}/confirm");
        post(&app, &s.coordinator.token, &confirm, json!({})).await;
        assert_eq!(
            involved(&app, &s.iom.token, &s.iom_case.0).await,
            Ok(vec![]),
            "{}: no consent",
            app.label
        );
        let consent = json!({"kind": "data_sharing", "state": "given"});
        for (token, case) in [(&s.iom.token, &s.iom_case.0), (&s.a21.token, &s.a21_case.0)] {
            let path = format!("/api/v1/cases/{case}/consents");
            post(&app, token, &path, consent.clone()).await;
        }
        assert_eq!(
            involved(&app, &s.iom.token, &s.iom_case.0).await,
            Ok(vec!["a21".to_owned()]),
            "{}",
            app.label
        );
        assert_eq!(
            involved(&app, &s.a21.token, &s.a21_case.0).await,
            Ok(vec!["iom".to_owned()]),
            "{}",
            app.label
        );
        // Another organisation's case does not exist for the caller.
        assert_eq!(
            involved(&app, &s.a21.token, &s.iom_case.0).await,
            Err(zakrila_app::AppError::NotFound),
            "{}",
            app.label
        );
    }
}
