//! The parts of a case beyond registration: needs and risk assessment (history and
//! risk level), criminal proceedings (compensation cap), exports (audited, identity
//! only on request), the subject report, and erasure (refused under a legal hold,
//! then leaving no trace of the names). Another organisation sees none of it.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zakrila_domain::role::Role;
use zakrila_store::audit::{AuditQuery, list};

use crate::{TestApp, User};

/// Registers a case through the API and returns its id.
pub(crate) async fn register(user: &User<'_>, given: &str, family: &str) -> String {
    let (status, v) = user
        .post(
            "/api/v1/cases",
            json!({"person": {"given_name": given, "family_name": family, "birth_date": "1994-02-17", "sex": "female", "citizenship": "BGR"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}: {v}", user.app.label);
    v["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn audited(app: &TestApp, action: &str, entity_id: Option<&str>) -> usize {
    let q = AuditQuery {
        action_prefix: Some(action.into()),
        entity_id: entity_id.map(str::to_owned),
        ..Default::default()
    };
    list(&app.store.reads, &q, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

#[tokio::test]
async fn a_reassessment_keeps_the_history_and_sets_the_risk_level() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let path = format!("/api/v1/cases/{id}/assessments");
        let (status, r) = iom.post(&path, json!({"on": "2025-03-05", "items": [{"domain": "safety", "score": 2}, {"domain": "housing", "score": 1}], "version": 1})).await;
        assert_eq!(status, StatusCode::CREATED, "{}", app.label);
        assert_eq!(r["risk_level"], "high", "{}", app.label);
        assert_eq!(
            iom.json(&format!("/api/v1/cases/{id}")).await["risk_level"],
            "high",
            "{}",
            app.label
        );
        // Someone saved the case in between: the old version is a conflict.
        let (stale, _) = iom
            .post(
                &path,
                json!({"items": [{"domain": "health", "score": 1}], "version": 1}),
            )
            .await;
        assert_eq!(stale, StatusCode::CONFLICT, "{}", app.label);
        // A later re-assessment lowers the level; the first one stays in the history.
        let (status, _) = iom.post(&path, json!({"on": "2025-04-05", "items": [{"domain": "safety", "score": 0}, {"domain": "health", "score": 1}], "version": 2})).await;
        assert_eq!(status, StatusCode::CREATED, "{}", app.label);
        let history = iom.json(&path).await;
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
        let list: Value = iom.json("/api/v1/cases?risk=low").await;
        assert_eq!(
            list["total"], 1,
            "{}: the caseload filters on the current level",
            app.label
        );
        // Bad scores are refused, in the reader's language, and nothing is saved.
        let (status, r) = iom.post(&path, json!({"items": [{"domain": "safety", "score": 4}, {"domain": "safety", "score": 1}]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            r["errors"][0]["detail"], "Оценката трябва да е от 0 до 3.",
            "{}",
            app.label
        );
        assert_eq!(
            iom.json(&path).await.as_array().unwrap().len(),
            2,
            "{}",
            app.label
        );
        // The page shows the level and the history, and its form saves a new one.
        let browser = iom.browser().await;
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
        let version = iom.json(&format!("/api/v1/cases/{id}")).await["version"].to_string();
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
            iom.json(&format!("/api/v1/cases/{id}")).await["risk_level"],
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
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let path = format!("/api/v1/cases/{id}/proceedings");
        let (status, r) = iom.post(&path, json!({"stage": "first_instance", "court": "Софийски градски съд", "witness_status": "protected_witness", "compensation_bgn": "10 000,01"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            r["errors"][0]["detail"],
            "Държавното обезщетение е най-много 5 112,92 € (10 000,00 лв.).",
            "{}",
            app.label
        );
        let r = iom.request(reqwest::Method::POST, &path).header("accept-language", "en").json(&json!({"stage": "concluded", "final_act_date": "2024-01-10", "compensation_bgn": "5000", "compensation_filed_on": "2025-02-01"})).send().await.unwrap();
        assert_eq!(
            r.json::<Value>().await.unwrap()["errors"][0]["code"],
            "error-compensation-late",
            "{}",
            app.label
        );
        assert_eq!(
            iom.json(&path).await,
            json!([]),
            "{}: nothing saved",
            app.label
        );
        // The page form says the same and keeps nothing.
        let browser = iom.browser().await;
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
                .contains("Държавното обезщетение е най-много 5 112,92 € (10 000,00 лв.)."),
            "{}",
            app.label
        );
        let (ok, p) = iom.post(&path, json!({"stage": "pre_trial", "protection_measures": ["physical_protection"], "compensation_bgn": "10000"})).await;
        assert_eq!(ok, StatusCode::CREATED, "{}", app.label);
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
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let (_, o) = iom
            .post(&format!("/api/v1/cases/{id}/offenders"), json!({"sex": "male", "age_band": "30-38", "citizenship": "BGR", "role": "recruiter", "legal_status": "suspected"}))
            .await;
        let (oid, v) = (
            o["id"].as_str().unwrap().to_owned(),
            o["version"].as_i64().unwrap(),
        );
        let (r, _) = iom
            .post(
                &format!("/api/v1/cases/{id}/offenders/{oid}"),
                json!({"legal_status": "prosecuted", "version": v}),
            )
            .await;
        assert_eq!(r, StatusCode::OK, "{}", app.label);
        let (r, _) = iom
            .post(
                &format!("/api/v1/cases/{id}/offenders/{oid}"),
                json!({"legal_status": "convicted", "version": v}),
            )
            .await;
        assert_eq!(
            r,
            StatusCode::CONFLICT,
            "{}: the version read is stale",
            app.label
        );

        let (_, g) = iom
            .post(
                &format!("/api/v1/cases/{id}/reintegration/goals"),
                json!({"goal": "Работа"}),
            )
            .await;
        let (gid, v) = (
            g["id"].as_str().unwrap().to_owned(),
            g["version"].as_i64().unwrap(),
        );
        let (r, _) = iom
            .post(
                &format!("/api/v1/cases/{id}/reintegration/goals/{gid}"),
                json!({"status": "achieved", "version": v}),
            )
            .await;
        assert_eq!(r, StatusCode::OK, "{}", app.label);
        let (r, _) = iom
            .post(
                &format!("/api/v1/cases/{id}/reintegration/goals/{gid}"),
                json!({"status": "dropped", "version": v}),
            )
            .await;
        assert_eq!(r, StatusCode::CONFLICT, "{}", app.label);
    }
}

#[tokio::test]
async fn the_compensation_decision_and_payment_show_in_euro_and_lev() {
    for app in TestApp::each_backend().await {
        let l = &app.label;
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let path = format!("/api/v1/cases/{id}/proceedings");
        let base = json!({"stage": "concluded", "final_act_date": "2025-01-10", "compensation_bgn": "5000", "compensation_filed_on": "2025-02-01"});
        let (status, p) = iom.post(&path, base.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {p}");
        let pid = p["id"].as_str().unwrap().to_owned();
        let with = |extra: Value, version: i64| {
            let mut b = base.clone();
            b.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            b["version"] = json!(version);
            b
        };
        let one = format!("{path}/{pid}");

        // An award needs its amount; more paid than awarded is refused; nothing kept.
        let (status, e) = iom
            .put(
                &one,
                with(json!({"compensation_decision": "awarded", "compensation_decided_on": "2025-04-01"}), 1),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}: {e}");
        assert_eq!(
            e["errors"][0]["code"], "error-compensation-awarded-required",
            "{l}"
        );
        let (status, e) = iom
            .put(
                &one,
                with(json!({"compensation_decision": "awarded", "compensation_decided_on": "2025-04-01",
                    "compensation_awarded_eur": "1000", "compensation_paid_eur": "1000,01", "compensation_paid_on": "2025-05-01"}), 1),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}: {e}");
        assert_eq!(
            e["errors"][0]["code"], "error-compensation-paid-over",
            "{l}"
        );

        let (status, p) = iom
            .put(
                &one,
                with(json!({"compensation_decision": "awarded", "compensation_decided_on": "2025-04-01",
                    "compensation_awarded_eur": "1000", "compensation_paid_eur": "400", "compensation_paid_on": "2025-05-02"}), 1),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{l}: {p}");
        assert_eq!(p["compensation_decision"], "awarded", "{l}");
        assert_eq!(p["compensation_awarded_cents"], 100_000, "{l}");
        assert_eq!(p["compensation_paid_cents"], 40_000, "{l}");
        assert_eq!(p["compensation_paid_on"], "2025-05-02", "{l}");

        // The case page: the award in euro with the lev at 1.95583 beside it.
        let (_, html) = iom.page(&format!("/cases/{id}")).await;
        assert!(html.contains("присъдено · 01.04.2025"), "{l}");
        assert!(html.contains("1 000,00 € (1 955,83 лв.)"), "{l}");
        assert!(html.contains("400,00 € (782,33 лв.) · 02.05.2025"), "{l}");

        // The page form records a refusal in the same operation.
        let r = iom
            .form(
                &format!("/cases/{id}/proceedings/{pid}"),
                &[
                    ("stage", "concluded"),
                    ("final_act_date", "2025-01-10"),
                    ("compensation_bgn", "5000"),
                    ("compensation_filed_on", "2025-02-01"),
                    ("compensation_decision", "refused"),
                    ("compensation_decided_on", "2025-04-01"),
                    ("version", "2"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{l}");
        let v = iom.json(&path).await;
        assert_eq!(v[0]["compensation_decision"], "refused", "{l}");
        assert_eq!(v[0]["compensation_awarded_cents"], Value::Null, "{l}");
    }
}
