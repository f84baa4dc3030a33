//! The parts of a case beyond registration: needs and risk assessment (history and
//! risk level), criminal proceedings (compensation cap), exports (audited, identity
//! only on request), the subject report, and erasure (refused under a legal hold,
//! then leaving no trace of the names). Another organisation sees none of it.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use zakrila_domain::role::Role;
use zakrila_store::audit::{AuditQuery, list};

use crate::TestApp;

pub(crate) struct Api {
    pub(crate) c: Client,
    pub(crate) token: String,
}

impl Api {
    pub(crate) async fn new(app: &TestApp, email: &str, org: &str) -> Api {
        app.add_user(email, org, Role::Caseworker).await;
        Api {
            c: Client::new(),
            token: app.token(email).await,
        }
    }
    pub(crate) async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        self.c
            .get(app.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }
    pub(crate) async fn send(
        &self,
        app: &TestApp,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> reqwest::Response {
        self.c
            .request(method, app.url(path))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
    pub(crate) async fn post(&self, app: &TestApp, path: &str, body: Value) -> reqwest::Response {
        self.send(app, reqwest::Method::POST, path, body).await
    }
    pub(crate) async fn json(&self, app: &TestApp, path: &str) -> Value {
        self.get(app, path).await.json().await.unwrap()
    }
}

pub(crate) async fn register(app: &TestApp, api: &Api, given: &str, family: &str) -> String {
    let r = api.post(app, "/api/v1/cases", json!({"person": {"given_name": given, "family_name": family, "birth_date": "1994-02-17", "sex": "female", "citizenship": "BGR"}})).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", app.label);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn audited(app: &TestApp, action: &str, entity_id: Option<&str>) -> usize {
    let q = AuditQuery {
        action_prefix: Some(action.into()),
        entity_id: entity_id.map(str::to_owned),
        ..Default::default()
    };
    list(&app.store.db, &q, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

#[tokio::test]
async fn a_reassessment_keeps_the_history_and_sets_the_risk_level() {
    for app in TestApp::all().await {
        let iom = Api::new(&app, "cw@iom.int", "iom").await;
        let id = register(&app, &iom, "Мария", "Иванова").await;
        let path = format!("/api/v1/cases/{id}/assessments");
        let r = iom.post(&app, &path, json!({"on": "2025-03-05", "items": [{"domain": "safety", "score": 2}, {"domain": "housing", "score": 1}], "version": 1})).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{}", app.label);
        assert_eq!(
            r.json::<Value>().await.unwrap()["risk_level"],
            "high",
            "{}",
            app.label
        );
        assert_eq!(
            iom.json(&app, &format!("/api/v1/cases/{id}")).await["risk_level"],
            "high",
            "{}",
            app.label
        );
        // Someone saved the case in between: the old version is a conflict.
        let stale = iom
            .post(
                &app,
                &path,
                json!({"items": [{"domain": "health", "score": 1}], "version": 1}),
            )
            .await;
        assert_eq!(stale.status(), StatusCode::CONFLICT, "{}", app.label);
        // A later re-assessment lowers the level; the first one stays in the history.
        let r = iom.post(&app, &path, json!({"on": "2025-04-05", "items": [{"domain": "safety", "score": 0}, {"domain": "health", "score": 1}], "version": 2})).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{}", app.label);
        let history = iom.json(&app, &path).await;
        let levels: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["risk_level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["low", "high"], "{}: newest first", app.label);
        assert_eq!(
            history[1]["items"][0],
            json!({"domain": "safety", "score": 2}),
            "{}",
            app.label
        );
        let list: Value = iom.json(&app, "/api/v1/cases?risk=low").await;
        assert_eq!(
            list["total"], 1,
            "{}: the caseload filters on the current level",
            app.label
        );
        // Bad scores are refused, in the reader's language, and nothing is saved.
        let r = iom.post(&app, &path, json!({"items": [{"domain": "safety", "score": 4}, {"domain": "safety", "score": 1}]})).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        assert_eq!(
            r.json::<Value>().await.unwrap()["errors"][0]["detail"],
            "Оценката трябва да е от 0 до 3.",
            "{}",
            app.label
        );
        assert_eq!(
            iom.json(&app, &path).await.as_array().unwrap().len(),
            2,
            "{}",
            app.label
        );
        // The page shows the level and the history, and its form saves a new one.
        let browser = app.signed_in("cw@iom.int").await;
        let page = browser
            .get(app.url(&format!("/cases/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Оценка на нуждите и риска") && page.contains("05.03.2025"),
            "{}",
            app.label
        );
        let version = iom.json(&app, &format!("/api/v1/cases/{id}")).await["version"].to_string();
        let r = browser
            .post(app.url(&format!("/cases/{id}/assessments")))
            .form(&[
                ("version", version.as_str()),
                ("score_safety", "3"),
                ("score_health", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert_eq!(
            iom.json(&app, &format!("/api/v1/cases/{id}")).await["risk_level"],
            "critical",
            "{}",
            app.label
        );
        assert_eq!(
            audited(&app, "case.assessment", Some(&id)).await,
            3,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn compensation_above_the_cap_is_refused_with_a_localised_message() {
    for app in TestApp::all().await {
        let iom = Api::new(&app, "cw@iom.int", "iom").await;
        let id = register(&app, &iom, "Мария", "Иванова").await;
        let path = format!("/api/v1/cases/{id}/proceedings");
        let r = iom.post(&app, &path, json!({"stage": "first_instance", "court": "Софийски градски съд", "witness_status": "protected_witness", "compensation_bgn": "10 000,01"})).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        assert_eq!(
            r.json::<Value>().await.unwrap()["errors"][0]["detail"],
            "Държавното обезщетение е най-много 10 000 лв.",
            "{}",
            app.label
        );
        let r = iom.c.post(app.url(&path)).bearer_auth(&iom.token).header("accept-language", "en").json(&json!({"stage": "concluded", "final_act_date": "2024-01-10", "compensation_bgn": "5000", "compensation_filed_on": "2025-02-01"})).send().await.unwrap();
        assert_eq!(
            r.json::<Value>().await.unwrap()["errors"][0]["code"],
            "error-compensation-late",
            "{}",
            app.label
        );
        assert_eq!(
            iom.json(&app, &path).await,
            json!([]),
            "{}: nothing saved",
            app.label
        );
        // The page form says the same and keeps nothing.
        let browser = app.signed_in("cw@iom.int").await;
        let r = browser
            .post(app.url(&format!("/cases/{id}/proceedings")))
            .form(&[("stage", "pre_trial"), ("compensation_bgn", "12000")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Държавното обезщетение е най-много 10 000 лв."),
            "{}",
            app.label
        );
        let ok = iom.post(&app, &path, json!({"stage": "pre_trial", "protection_measures": ["physical_protection"], "compensation_bgn": "10000"})).await;
        assert_eq!(ok.status(), StatusCode::CREATED, "{}", app.label);
        let p: Value = ok.json().await.unwrap();
        assert_eq!(
            (p["compensation_stotinki"].as_i64(), p["open"].as_bool()),
            (Some(1_000_000), Some(true)),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn status_changes_of_offenders_and_goals_refuse_a_stale_version() {
    for app in TestApp::all().await {
        let iom = Api::new(&app, "cw@iom.int", "iom").await;
        let id = register(&app, &iom, "Мария", "Иванова").await;
        let o: Value = iom
            .post(&app, &format!("/api/v1/cases/{id}/offenders"), json!({"sex": "male", "age_band": "30-38", "citizenship": "BGR", "role": "recruiter", "legal_status": "suspected"}))
            .await
            .json()
            .await
            .unwrap();
        let (oid, v) = (
            o["id"].as_str().unwrap().to_owned(),
            o["version"].as_i64().unwrap(),
        );
        let r = iom
            .post(
                &app,
                &format!("/api/v1/cases/{id}/offenders/{oid}"),
                json!({"legal_status": "prosecuted", "version": v}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let r = iom
            .post(
                &app,
                &format!("/api/v1/cases/{id}/offenders/{oid}"),
                json!({"legal_status": "convicted", "version": v}),
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::CONFLICT,
            "{}: the version read is stale",
            app.label
        );

        let g: Value = iom
            .post(
                &app,
                &format!("/api/v1/cases/{id}/reintegration/goals"),
                json!({"goal": "Работа"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let (gid, v) = (
            g["id"].as_str().unwrap().to_owned(),
            g["version"].as_i64().unwrap(),
        );
        let r = iom
            .post(
                &app,
                &format!("/api/v1/cases/{id}/reintegration/goals/{gid}"),
                json!({"status": "achieved", "version": v}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let r = iom
            .post(
                &app,
                &format!("/api/v1/cases/{id}/reintegration/goals/{gid}"),
                json!({"status": "dropped", "version": v}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "{}", app.label);
    }
}
