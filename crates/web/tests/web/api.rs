//! The JSON API: authentication, problem+json errors, OpenAPI, health.

use reqwest::StatusCode;
use serde_json::json;
use zakrila_domain::role::Role;

use crate::TestApp;

#[tokio::test]
async fn me_with_a_bearer_token() {
    for app in TestApp::each_backend().await {
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let me = analyst.json("/api/v1/me").await;
        assert_eq!(me["organisation"], "nccthb", "{}", app.label);
        assert_eq!(me["email"], analyst.email.as_str(), "{}", app.label);
        let r = reqwest::Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth("zk_not-a-token")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{}", app.label);
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn organisations_are_listed_with_both_languages() {
    for app in TestApp::each_backend().await {
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let orgs = analyst.json("/api/v1/organisations").await;
        let iom = orgs
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["slug"] == "iom")
            .expect("iom listed");
        assert_eq!(iom["abbrev_bg"], "МОМ", "{}", app.label);
        assert!(
            iom["name_en"]
                .as_str()
                .unwrap()
                .contains("International Organization for Migration"),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn admins_create_users_and_bad_input_is_explained_in_bulgarian() {
    for app in TestApp::each_backend().await {
        let admin = app.with_user(Role::Admin, "iom").await;
        let (status, body) = admin
            .post(
                "/api/v1/users",
                json!({"email": "new@iom.int", "display_name": "Нов", "organisation": "iom", "role": "caseworker"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {body}", app.label);
        assert_eq!(
            body["one_time_password"].as_str().unwrap().len(),
            20,
            "{}",
            app.label
        );

        let before = app.store.count_users().await.unwrap();
        let (status, p) = admin
            .post(
                "/api/v1/users",
                json!({"email": "not-an-email", "display_name": "", "organisation": "iom", "role": "king"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["email", "role", "display_name"], "{}", app.label);
        assert_eq!(
            p["errors"][0]["detail"], "Невалиден имейл адрес.",
            "{}",
            app.label
        );
        assert_eq!(
            app.store.count_users().await.unwrap(),
            before,
            "{}: nothing written",
            app.label
        );

        // An admin of IOM cannot create accounts in another organisation.
        let (status, _) = admin
            .post(
                "/api/v1/users",
                json!({"email": "x@a21.bg", "display_name": "X", "organisation": "a21", "role": "caseworker"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_problem_json() {
    for app in TestApp::each_backend().await {
        let admin = app.with_user(Role::Admin, "iom").await;
        let r = admin
            .request(reqwest::Method::POST, "/api/v1/users")
            .header("content-type", "application/json")
            .body("{\"email\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{}", app.label);
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{}",
            app.label
        );
        let big = format!(
            "{{\"email\": \"{}\"}}",
            "a".repeat(zakrila_web::BODY_LIMIT + 10)
        );
        let r = admin
            .request(reqwest::Method::POST, "/api/v1/users")
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "{}", app.label);
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn openapi_describes_the_api_and_health_probes_answer() {
    for app in TestApp::each_backend().await {
        let c = reqwest::Client::new();
        let doc: serde_json::Value = c
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            app.label
        );
        for path in [
            "/api/v1/me",
            "/api/v1/organisations",
            "/api/v1/users",
            "/api/v1/audit",
        ] {
            assert!(
                doc["paths"].get(path).is_some(),
                "{}: {path} documented",
                app.label
            );
        }
        let docs = c
            .get(app.url("/api/docs"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(docs.contains("/api/v1/me"), "{}", app.label);
        assert_eq!(
            c.get(app.url("/healthz")).send().await.unwrap().status(),
            StatusCode::OK
        );
        assert_eq!(
            c.get(app.url("/readyz")).send().await.unwrap().status(),
            StatusCode::OK
        );
        let nf = c.get(app.url("/no/such/page")).send().await.unwrap();
        assert_eq!(nf.status(), StatusCode::NOT_FOUND);
        assert!(
            nf.text().await.unwrap().contains("не съществува"),
            "{}: localised 404",
            app.label
        );
    }
}

#[tokio::test]
async fn auditors_read_the_trail_and_export_it() {
    for app in TestApp::each_backend().await {
        let auditor = app.with_user(Role::Auditor, "nccthb").await;
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let events = auditor.json("/api/v1/audit?action=user.").await;
        assert!(
            events
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "user.create"),
            "{}",
            app.label
        );
        assert_eq!(
            analyst.get("/api/v1/audit").await.0,
            StatusCode::FORBIDDEN,
            "{}",
            app.label
        );
        let b = auditor.browser().await;
        let csv = b.get(app.url("/audit.csv")).send().await.unwrap();
        assert_eq!(
            csv.headers()["content-type"],
            "text/csv; charset=utf-8",
            "{}",
            app.label
        );
        assert!(
            csv.text()
                .await
                .unwrap()
                .starts_with("\u{feff}#,Кога,Извършител,Идентификатор на извършителя,Действие"),
            "{}",
            app.label
        );
        // Page and API parse the filter alike: a malformed actor id is named, never
        // silently dropped (which would show the whole trail as if filtered).
        let (status, page) = auditor.page("/audit?actor=nobody").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            page.contains("Невалиден идентификатор") && !page.contains("user.create"),
            "{}",
            app.label
        );
        assert_eq!(
            auditor.get("/api/v1/audit?actor=nobody").await.0,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn commission_admins_add_organisations_and_others_cannot() {
    for app in TestApp::each_backend().await {
        let c = app
            .with_user_email(Role::Admin, "nccthb", "adm@nccthb.bg")
            .await;
        let other = app.with_user_email(Role::Admin, "iom", "adm@iom.int").await;
        let r = c
            .form(
                "/organisations",
                &[
                    ("slug", "Bad Slug"),
                    ("abbrev_bg", "X"),
                    ("name_bg", "Х"),
                    ("name_en", "X"),
                    ("kind", "ngo"),
                ],
            )
            .await;
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
                .contains("Невалиден код на организация"),
            "{}",
            app.label
        );
        let r = c
            .form(
                "/organisations",
                &[
                    ("slug", "caritas"),
                    ("abbrev_bg", "Каритас"),
                    ("name_bg", "Каритас България"),
                    ("name_en", "Caritas Bulgaria"),
                    ("kind", "ngo"),
                    ("parent", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert!(
            app.store.org_by_slug("caritas").await.unwrap().is_some(),
            "{}",
            app.label
        );
        let r = other
            .form(
                "/organisations",
                &[
                    ("slug", "x-org"),
                    ("abbrev_bg", "X"),
                    ("name_bg", "Х"),
                    ("name_en", "X"),
                    ("kind", "ngo"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", app.label);
    }
}

#[tokio::test]
async fn an_organisations_admin_lists_only_its_own_accounts() {
    for app in TestApp::each_backend().await {
        let admin = app.with_user_email(Role::Admin, "iom", "adm@iom.int").await;
        app.with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        app.with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let users = admin.json("/api/v1/users").await;
        let emails: Vec<&str> = users
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        assert_eq!(emails, ["adm@iom.int", "cw@iom.int"], "{}", app.label);
    }
}

/// An organisation's admins and auditors read only the trail about their own
/// organisation; the Commission's auditors read all of it; no event carries the
/// guessable digest of its change.
#[tokio::test]
async fn the_trail_is_scoped_to_the_readers_organisation() {
    for app in TestApp::each_backend().await {
        let caseworker = app.with_user(Role::Caseworker, "iom").await;
        let case = crate::case_details::register(&caseworker, "Мария", "Иванова").await;
        let code = caseworker.json(&format!("/api/v1/cases/{case}")).await["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let iom_admin = app.with_user(Role::Admin, "iom").await;
        let a21_auditor = app.with_user(Role::Auditor, "a21").await;
        let a21_admin = app.with_user(Role::Admin, "a21").await;
        let commission = app.with_user(Role::Auditor, "nccthb").await;
        let about_case = |v: &serde_json::Value| {
            v.as_array()
                .unwrap()
                .iter()
                .any(|e| e["entity_id"] == case.as_str() || e["actor_id"] == caseworker.id.as_str())
        };
        for reader in [&iom_admin, &commission] {
            let events = reader.json("/api/v1/audit?limit=1000").await;
            assert!(about_case(&events), "{}: {}", app.label, reader.email);
            assert!(
                events
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|e| e.get("digest").is_none()),
                "{}: no digest",
                app.label
            );
        }
        for reader in [&a21_auditor, &a21_admin] {
            let events = reader.json("/api/v1/audit?limit=1000").await;
            assert!(!about_case(&events), "{}: {}", app.label, reader.email);
            // Its own organisation's events are there (the reader's creation).
            assert!(
                events
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["entity_id"] == reader.id.as_str()),
                "{}: own users",
                app.label
            );
            let (status, page) = reader.page("/audit").await;
            assert_eq!(status, StatusCode::OK, "{}", app.label);
            assert!(!page.contains(&code), "{}: page", app.label);
            let csv = reader
                .browser()
                .await
                .get(app.url("/audit.csv"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(!csv.contains(&case), "{}: export", app.label);
        }
        let (_, page) = iom_admin.page("/audit").await;
        // Who did what to which case, in words: the case by its code, not an id.
        assert!(
            page.contains(&format!("Случай {code}")),
            "{}: own page",
            app.label
        );
        assert!(!page.contains(&case), "{}: no ids on the page", app.label);
        assert!(
            page.contains("Тест (МОМ)"),
            "{}: the actor by name",
            app.label
        );
        assert!(
            page.contains("Регистриран случай") && !page.contains("case.register"),
            "{}: action labels",
            app.label
        );
    }
}

#[tokio::test]
async fn a_malformed_registration_names_what_is_wrong_and_registers_nothing() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        // Fields in order, as an array: serde's structs would take it.
        let (status, p) = cw
            .post(
                "/api/v1/cases",
                json!([{"given_name": "Мария", "family_name": "Иванова"}]),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}: {p}", app.label);
        assert_eq!(
            p["errors"][0]["code"], "error-json-object",
            "{}: {p}",
            app.label
        );
        // A misspelt field is named, in the reader's language.
        let (status, p) = cw
            .post(
                "/api/v1/cases",
                json!({"person": {"given_name": "Мария", "famly_name": "Иванова"}}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}: {p}", app.label);
        assert_eq!(p["errors"][0]["field"], "famly_name", "{}: {p}", app.label);
        assert_eq!(
            p["errors"][0]["detail"], "Непознато поле: проверете името му.",
            "{}: {p}",
            app.label
        );
        // A value of the wrong type is refused without echoing the value.
        let (status, p) = cw
            .post(
                "/api/v1/cases",
                json!({"person": {"given_name": ["Мария"]}}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}: {p}", app.label);
        assert!(!p.to_string().contains("Мария"), "{}: {p}", app.label);
        let list = cw.json("/api/v1/cases").await;
        assert_eq!(
            list["items"],
            json!([]),
            "{}: nothing registered",
            app.label
        );
        // The document describes the body instead of `{}`.
        let doc = cw.json("/api/openapi.json").await;
        let body = &doc["paths"]["/api/v1/cases"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"];
        assert_eq!(
            body["$ref"], "#/components/schemas/RawNewCase",
            "{}",
            app.label
        );
        assert!(
            doc["components"]["schemas"]["RawPerson"]["properties"]["family_name"].is_object(),
            "{}",
            app.label
        );
        // Every answer an operation can give is documented, for generated clients.
        let answers = |path: &str, method: &str| -> Vec<String> {
            doc["paths"][path][method]["responses"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        for code in ["201", "400", "401", "403", "415", "422", "429", "500"] {
            assert!(
                answers("/api/v1/cases", "post").iter().any(|c| c == code),
                "{code}"
            );
        }
        for code in ["200", "401", "404"] {
            assert!(
                answers("/api/v1/cases/{id}", "get")
                    .iter()
                    .any(|c| c == code),
                "{code}"
            );
        }
    }
}
