//! A person's rights over their data: exports of the caseload, the subject report,
//! erasure with its legal hold, and scoping of the case-detail endpoints.

use crate::TestApp;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use zakrila_domain::role::Role;
use zakrila_store::{entity::person_token, sea_orm};

use crate::case_details::{audited, register};

#[tokio::test]
async fn exports_are_audited_and_carry_identity_only_when_asked_and_allowed() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let a21 = app.with_user(Role::Caseworker, "a21").await;
        let id = register(&iom, "Мария", "Иванова").await;
        register(&a21, "Елена", "Петрова").await;
        let code = iom.json(&format!("/api/v1/cases/{id}")).await["code"]
            .as_str()
            .unwrap()
            .to_owned();

        let plain = iom
            .request(Method::GET, "/api/v1/cases.csv")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let header = plain.lines().next().unwrap();
        assert!(
            header.starts_with("code,stage,organisation") && !header.contains("family_name"),
            "{}: {header}",
            app.label
        );
        assert!(
            plain.contains(&code) && !plain.contains("Иванова"),
            "{}",
            app.label
        );
        assert!(
            !plain.contains("Петрова") && plain.lines().count() == 2,
            "{}: only the own caseload",
            app.label
        );
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            0,
            "{}",
            app.label
        );

        // Identities no longer leave through a GET (see `hardening.rs` for the POST
        // with the second factor): asking is refused, and nothing is read.
        let (status, _) = iom.get("/api/v1/cases.csv?identity=true").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            0,
            "{}",
            app.label
        );

        let browser = iom.browser().await;
        let xlsx = browser.get(app.url("/cases.xlsx")).send().await.unwrap();
        assert_eq!(xlsx.status(), StatusCode::OK, "{}", app.label);
        assert!(
            xlsx.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml"),
            "{}",
            app.label
        );
        assert!(
            xlsx.bytes().await.unwrap().starts_with(b"PK"),
            "{}: a zip container",
            app.label
        );
        assert_eq!(
            browser
                .get(app.url("/cases.csv"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK,
            "{}",
            app.label
        );
        assert_eq!(
            audited(&app, "case.export", None).await,
            3,
            "{}: every export",
            app.label
        );
        // Roles that do not work with cases export nothing.
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let (status, _) = analyst.get("/api/v1/cases.csv").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}

#[tokio::test]
async fn erasure_waits_for_the_proceedings_and_then_leaves_no_trace_of_the_names() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Златомира", "Вълчанова").await;
        let erase = format!("/api/v1/cases/{id}/erase");
        let detail = |r: Value| {
            r["errors"][0]["detail"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };

        let (status, r) = iom.post(&erase, json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            detail(r),
            "Заличаване е възможно само за приключен случай.",
            "{}",
            app.label
        );

        let (_, p) = iom
            .post(
                &format!("/api/v1/cases/{id}/proceedings"),
                json!({"stage": "pre_trial", "case_number": "ДП 512/2025"}),
            )
            .await;
        let (moved, _) = iom
            .post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "closed", "version": 1, "closure_reason": "other"}),
            )
            .await;
        assert_eq!(moved, StatusCode::OK, "{}", app.label);
        let (status, r) = iom.post(&erase, json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            detail(r),
            "Случаят не може да бъде заличен, докато има незавършено наказателно производство.",
            "{}",
            app.label
        );
        assert_eq!(
            iom.post("/api/v1/cases/search", json!({"q": "Valchanova"}))
                .await
                .1["total"],
            1,
            "{}: nothing erased",
            app.label
        );

        let pid = p["id"].as_str().unwrap();
        let (r, _) = iom
            .put(
                &format!("/api/v1/cases/{id}/proceedings/{pid}"),
                json!({"stage": "concluded", "final_act_date": "2025-01-15", "version": 1}),
            )
            .await;
        assert_eq!(r, StatusCode::OK, "{}", app.label);

        // What would betray the person at rest: the ciphertexts and the name tokens.
        let case = app.store.case_by_id(&id).await.unwrap().unwrap();
        let person = app.store.person_of(&case).await.unwrap();
        let mut traces: Vec<String> = [
            person.given_name.clone(),
            person.family_name.clone(),
            person.birth_date.clone(),
            person.dup_index.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        traces.extend(
            person_token::Entity::find()
                .filter(person_token::Column::PersonId.eq(person.id.clone()))
                .all(&app.store.reads)
                .await
                .unwrap()
                .into_iter()
                .map(|t| t.token),
        );
        assert!(traces.len() >= 5, "{}", app.label);

        let file_bytes = |path: &std::path::Path| {
            let mut bytes = std::fs::read(path).unwrap();
            bytes.extend(std::fs::read(format!("{}-wal", path.display())).unwrap_or_default());
            bytes
        };
        let found = |bytes: &[u8], t: &str| bytes.windows(t.len()).any(|w| w == t.as_bytes());
        if let Some(path) = app.sqlite_path() {
            let bytes = file_bytes(&path);
            assert!(
                traces.iter().all(|t| found(&bytes, t)),
                "the check below can see what it looks for"
            );
        }

        assert_eq!(
            iom.post(&erase, json!({})).await.0,
            StatusCode::NO_CONTENT,
            "{}",
            app.label
        );
        assert_eq!(
            iom.post("/api/v1/cases/search", json!({"q": "Valchanova"}))
                .await
                .1["total"],
            0,
            "{}",
            app.label
        );
        assert_eq!(
            iom.post("/api/v1/cases/search", json!({"q": "Вълчанова"}))
                .await
                .1["total"],
            0,
            "{}",
            app.label
        );
        let ident = iom.json(&format!("/api/v1/cases/{id}/identity")).await;
        assert_eq!(
            (ident["given_name"].clone(), ident["family_name"].clone()),
            (Value::Null, Value::Null),
            "{}",
            app.label
        );
        // The profile stays for statistics; the case number is gone.
        let summary = iom.json(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(
            (summary["sex"].as_str(), summary["citizenship"].as_str()),
            (Some("female"), Some("BGR")),
            "{}",
            app.label
        );
        assert_eq!(
            iom.json(&format!("/api/v1/cases/{id}/proceedings")).await[0]["case_number_recorded"],
            false,
            "{}",
            app.label
        );
        let report = iom
            .json(&format!("/api/v1/cases/{id}/subject-report"))
            .await;
        assert!(
            report["erased_at"].is_i64() && report["identity"]["family_name"].is_null(),
            "{}",
            app.label
        );
        assert_eq!(
            iom.post(&erase, json!({})).await.0,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: only once",
            app.label
        );
        assert_eq!(
            audited(&app, "case.erase", Some(&id)).await,
            1,
            "{}",
            app.label
        );

        if let Some(path) = app.sqlite_path() {
            let bytes = file_bytes(&path);
            for t in &traces {
                assert!(
                    !found(&bytes, t),
                    "an erased value is still in the database file"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_subject_report_holds_everything_and_is_audited() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let (put, _) = iom.put(&format!("/api/v1/cases/{id}/return"), json!({"from_country": "DEU", "from_city": "Dortmund", "travel_date": "2025-05-02", "escort": "iom", "documents": "temporary_passport", "transport": "air"})).await;
        assert_eq!(put, StatusCode::OK, "{}", app.label);
        // Editing it again needs the version read.
        let (again, _) = iom
            .put(
                &format!("/api/v1/cases/{id}/return"),
                json!({"from_country": "DEU"}),
            )
            .await;
        assert_eq!(again, StatusCode::CONFLICT, "{}", app.label);
        assert_eq!(
            iom.post(
                &format!("/api/v1/cases/{id}/reintegration/goals"),
                json!({"goal": "Работа в родния град", "area": "employment"})
            )
            .await
            .0,
            StatusCode::CREATED
        );
        let (_, f) = iom
            .post(
                &format!("/api/v1/cases/{id}/follow-ups"),
                json!({"due_on": "2025-06-01"}),
            )
            .await;
        let due = app
            .store
            .follow_ups_due(
                &app.store.case_by_id(&id).await.unwrap().unwrap().org_id,
                "2025-06-30",
            )
            .await
            .unwrap();
        assert_eq!(due.len(), 1, "{}: on the dashboard", app.label);
        let (held, _) = iom
            .post(
                &format!(
                    "/api/v1/cases/{id}/follow-ups/{}",
                    f["id"].as_str().unwrap()
                ),
                json!({"held_on": "2025-06-02", "outcome": "stable", "version": 1}),
            )
            .await;
        assert_eq!(held, StatusCode::OK, "{}", app.label);
        assert_eq!(iom.post(&format!("/api/v1/cases/{id}/offenders"), json!({"sex": "male", "age_band": "30-38", "citizenship": "BGR", "role": "recruiter", "legal_status": "suspected"})).await.0, StatusCode::CREATED);

        let r = iom
            .json(&format!("/api/v1/cases/{id}/subject-report"))
            .await;
        assert_eq!(r["identity"]["family_name"], "Иванова", "{}", app.label);
        assert_eq!(r["return"]["from_city"], "Dortmund", "{}", app.label);
        assert_eq!(r["follow_ups"][0]["outcome"], "stable", "{}", app.label);
        assert_eq!(r["offenders"][0]["role"], "recruiter", "{}", app.label);
        assert!(
            r["history"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["action"] == "case.register"),
            "{}",
            app.label
        );
        let (page, html) = iom.page(&format!("/cases/{id}/subject-report")).await;
        assert_eq!(page, StatusCode::OK, "{}", app.label);
        assert!(
            html.contains("Иванова") && html.contains("Dortmund"),
            "{}",
            app.label
        );
        assert_eq!(
            html.matches("<dd>").count(),
            html.matches("</dt><dd>").count(),
            "{}: every value has its label",
            app.label
        );
        assert!(
            !html.contains("<dd>{") && !html.contains("<li>{"),
            "{}: no raw JSON",
            app.label
        );
        // No identity in the page title.
        let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
        assert!(!title.contains("Иванова"), "{}", app.label);
        assert_eq!(
            audited(&app, "case.subject_report", Some(&id)).await,
            2,
            "{}",
            app.label
        );
    }
}

/// Each probe is a valid request for the case's owner, so the test fails when a
/// route answers 404 to everyone (or not at all) as well as when it leaks to
/// another organisation.
#[tokio::test]
async fn another_organisation_gets_404_on_every_new_endpoint() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let a21 = app.with_user(Role::Caseworker, "a21").await;
        let id = register(&iom, "Мария", "Иванова").await;
        // Real records under the case, so the probes on them reach the record.
        let created = |what: &'static str, body: Value| {
            let iom = &iom;
            let path = format!("/api/v1/cases/{id}/{what}");
            async move {
                let (status, v) = iom.post(&path, body).await;
                assert_eq!(
                    status,
                    StatusCode::CREATED,
                    "{}: {path}: {v}",
                    iom.app.label
                );
                v["id"].as_str().unwrap().to_owned()
            }
        };
        let goal = created("reintegration/goals", json!({"goal": "Работа"})).await;
        let follow_up = created("follow-ups", json!({"due_on": "2025-06-01"})).await;
        let proceeding = created("proceedings", json!({"stage": "pre_trial"})).await;
        let offender = created(
            "offenders",
            json!({"sex": "male", "role": "recruiter", "legal_status": "suspected"}),
        )
        .await;
        let case_version = iom.json(&format!("/api/v1/cases/{id}")).await["version"].clone();
        let probes: Vec<(Method, String, Value)> = vec![
            (
                Method::GET,
                format!("/api/v1/cases/{id}/assessments"),
                json!(null),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/assessments"),
                json!({"items": [{"domain": "safety", "score": 1}], "version": case_version}),
            ),
            (
                Method::GET,
                format!("/api/v1/cases/{id}/return"),
                json!(null),
            ),
            (
                Method::PUT,
                format!("/api/v1/cases/{id}/return"),
                json!({"from_country": "DEU"}),
            ),
            (
                Method::GET,
                format!("/api/v1/cases/{id}/reintegration"),
                json!(null),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/reintegration/goals"),
                json!({"goal": "Жилище"}),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/reintegration/goals/{goal}"),
                json!({"status": "achieved", "version": 1}),
            ),
            (
                Method::GET,
                format!("/api/v1/cases/{id}/follow-ups"),
                json!(null),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/follow-ups"),
                json!({"due_on": "2025-07-01"}),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/follow-ups/{follow_up}"),
                json!({"held_on": "2025-06-01", "outcome": "stable", "version": 1}),
            ),
            (
                Method::GET,
                format!("/api/v1/cases/{id}/child"),
                json!(null),
            ),
            (
                Method::PUT,
                format!("/api/v1/cases/{id}/child"),
                json!({"mechanism_engaged": true}),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/child/proposals"),
                json!({"proposed_on": "2025-01-01"}),
            ),
            (
                Method::GET,
                format!("/api/v1/cases/{id}/proceedings"),
                json!(null),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/proceedings"),
                json!({"stage": "pre_trial"}),
            ),
            (
                Method::PUT,
                format!("/api/v1/cases/{id}/proceedings/{proceeding}"),
                json!({"stage": "pre_trial", "court": "СГС", "version": 1}),
            ),
            (
                Method::GET,
                format!("/api/v1/cases/{id}/offenders"),
                json!(null),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/offenders"),
                json!({"sex": "female", "role": "recruiter", "legal_status": "suspected"}),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{id}/offenders/{offender}"),
                json!({"legal_status": "prosecuted", "version": 1}),
            ),
            (
                Method::GET,
                format!("/api/v1/cases/{id}/subject-report"),
                json!(null),
            ),
        ];
        // The other organisation first, so its probes meet the records unchanged.
        let erase = format!("/api/v1/cases/{id}/erase");
        for (method, path, body) in probes
            .iter()
            .chain([(Method::POST, erase.clone(), json!({}))].iter())
        {
            let (status, v) = a21.send(method.clone(), path, body.clone()).await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{}: {method} {path}: {v}",
                app.label
            );
        }
        let browser = a21.browser().await;
        assert_eq!(
            browser
                .get(app.url(&format!("/cases/{id}/subject-report")))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND,
            "{}",
            app.label
        );
        for section in [
            "assessments",
            "return",
            "goals",
            "follow-ups",
            "child",
            "child/proposals",
            "proceedings",
            "offenders",
            "erase",
        ] {
            let r = browser
                .post(app.url(&format!("/cases/{id}/{section}")))
                .form(&[("confirm", "1")])
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                StatusCode::NOT_FOUND,
                "{}: /cases/{{id}}/{section}",
                app.label
            );
        }
        for (method, path, body) in &probes {
            let (status, v) = iom.send(method.clone(), path, body.clone()).await;
            assert!(
                status.is_success(),
                "{}: the owner's {method} {path} answered {status}: {v}",
                app.label
            );
        }
        // Erasure needs a closed case without open proceedings; then the owner may.
        let open: Vec<Value> = iom
            .json(&format!("/api/v1/cases/{id}/proceedings"))
            .await
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["open"] == true)
            .cloned()
            .collect();
        for p in open {
            let (status, v) = iom
                .put(
                    &format!("/api/v1/cases/{id}/proceedings/{}", p["id"].as_str().unwrap()),
                    json!({"stage": "concluded", "final_act_date": "2025-01-15", "version": p["version"]}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{}: {v}", app.label);
        }
        let version = iom.json(&format!("/api/v1/cases/{id}")).await["version"].clone();
        let (status, v) = iom
            .post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "closed", "version": version, "closure_reason": "other"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {v}", app.label);
        let (status, v) = iom.post(&erase, json!({})).await;
        assert_eq!(
            status,
            StatusCode::NO_CONTENT,
            "{}: the owner erases: {v}",
            app.label
        );

        // And the owner's endpoints are all in the OpenAPI document.
        let spec = iom.json("/api/openapi.json").await;
        for p in [
            "/api/v1/cases/{id}/assessments",
            "/api/v1/cases/{id}/return",
            "/api/v1/cases/{id}/follow-ups",
            "/api/v1/cases/{id}/child",
            "/api/v1/cases/{id}/proceedings",
            "/api/v1/cases/{id}/offenders",
            "/api/v1/cases/{id}/subject-report",
            "/api/v1/cases/{id}/erase",
            "/api/v1/cases.csv",
            "/api/v1/cases.xlsx",
        ] {
            assert!(
                spec["paths"].get(p).is_some(),
                "{p} in the OpenAPI document"
            );
        }
    }
}
