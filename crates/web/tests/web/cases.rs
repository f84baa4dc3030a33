//! Victim cases through the API and the pages: registration, search in either
//! script, scoping between organisations (404, not 403), referrals and consent,
//! optimistic concurrency, refusal of bad input, and no plaintext identity at rest.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::{Backend, TestApp, User};

async fn register(api: &User<'_>, given: &str, family: &str) -> (String, String) {
    let (status, v) = api
        .post("/api/v1/cases", json!({"person": {"given_name": given, "family_name": family, "birth_date": "1998-04-12", "sex": "female", "citizenship": "BGR"}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}: {v}", api.app.label);
    (
        v["id"].as_str().unwrap().to_owned(),
        v["code"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn register_and_find_by_code_and_by_name_in_either_script() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (id, code) = register(&iom, "Мария", "Иванова").await;
        assert!(
            code.starts_with("BG-20") && code.len() == "BG-2025-000001".len(),
            "{}: {code}",
            app.label
        );
        let one: Value = iom.get(&format!("/api/v1/cases/{id}")).await.1;
        assert_eq!(one["code"], code.as_str());
        assert_eq!(one["citizenship"], "BGR");
        for q in ["Ivanova", "иванова", "IVANOVA maria", code.as_str()] {
            let found: Value = iom.post("/api/v1/cases/search", json!({"q": q})).await.1;
            assert_eq!(found["total"], 1, "{}: search {q:?}", app.label);
            assert_eq!(found["items"][0]["id"], id.as_str());
        }
        let none: Value = iom
            .post("/api/v1/cases/search", json!({"q": "Petrova"}))
            .await
            .1;
        assert_eq!(none["total"], 0, "{}", app.label);
        // The identity comes back only from its own endpoint, and the read is audited.
        let ident: Value = iom.get(&format!("/api/v1/cases/{id}/identity")).await.1;
        assert_eq!(ident["family_name"], "Иванова");
        let reads = zakrila_store::audit::list(
            &app.store.reads,
            &zakrila_store::audit::AuditQuery {
                action_prefix: Some("case.identity_read".into()),
                entity_id: Some(id.clone()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
        assert_eq!(reads.len(), 1, "{}", app.label);
    }
}

#[tokio::test]
async fn a_second_registration_of_the_same_person_is_flagged() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (_, first) = register(&iom, "Мария", "Иванова").await;
        // Latin spelling, names swapped: still the same person.
        let r: Value = iom
            .post("/api/v1/cases", json!({"person": {"given_name": "Ivanova", "family_name": "Maria", "birth_date": "1998-04-12", "sex": "female"}}))
            .await.1;
        assert_eq!(r["possible_duplicates"], json!([first]), "{}", app.label);
        // Another organisation's caseload is not searched: no leak through the warning.
        let a21 = app
            .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let r: Value = a21.post("/api/v1/cases", json!({"person": {"given_name": "Мария", "family_name": "Иванова", "birth_date": "1998-04-12"}})).await.1;
        assert_eq!(r["possible_duplicates"], json!([]), "{}", app.label);
    }
}

#[tokio::test]
async fn another_organisations_case_is_invisible_until_a_referral_is_accepted() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let a21 = app
            .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let (id, _) = register(&iom, "Мария", "Иванова").await;
        let version = 1;
        let probes = |api: &User<'_>| {
            vec![
                api.request(Method::GET, &format!("/api/v1/cases/{id}")),
                api.request(Method::GET, &format!("/api/v1/cases/{id}/identity")),
                api.request(Method::POST, &format!("/api/v1/cases/{id}/stage"))
                    .json(&json!({"to": "closed", "version": version, "closure_reason": "other"})),
                api.request(Method::POST, &format!("/api/v1/cases/{id}/consents"))
                    .json(&json!({"kind": "referral", "state": "given"})),
                api.request(Method::POST, &format!("/api/v1/cases/{id}/referrals"))
                    .json(&json!({"to_org": "animus", "purpose": "x"})),
                api.request(Method::POST, &format!("/api/v1/cases/{id}/services"))
                    .json(&json!({"service": "legal"})),
            ]
        };
        for req in probes(&a21) {
            assert_eq!(
                req.send().await.unwrap().status(),
                StatusCode::NOT_FOUND,
                "{}: another organisation's case",
                app.label
            );
        }
        let list: Value = a21.get("/api/v1/cases").await.1;
        assert_eq!(list["total"], 0, "{}", app.label);
        // The page is 404 too.
        let (page, _) = a21.page(&format!("/cases/{id}")).await;
        assert_eq!(page, StatusCode::NOT_FOUND, "{}", app.label);

        // Referral without consent: refused, nothing saved.
        let r = iom
            .post(
                &format!("/api/v1/cases/{id}/referrals"),
                json!({"to_org": "a21", "purpose": "Подслон"}),
            )
            .await;
        assert_eq!(r.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        let p: Value = r.1;
        assert_eq!(
            p["errors"][0]["detail"], "Липсва необходимото съгласие на лицето.",
            "{}",
            app.label
        );
        assert!(
            app.store.referrals_of_case(&id).await.unwrap().is_empty(),
            "{}",
            app.label
        );

        assert_eq!(
            iom.post(
                &format!("/api/v1/cases/{id}/consents"),
                json!({"kind": "referral", "state": "given"})
            )
            .await
            .0,
            StatusCode::NO_CONTENT
        );
        let r = iom
            .post(
                &format!("/api/v1/cases/{id}/referrals"),
                json!({"to_org": "a21", "purpose": "Подслон"}),
            )
            .await;
        assert_eq!(r.0, StatusCode::CREATED, "{}", app.label);
        let rid = r.1["id"].as_str().unwrap().to_owned();
        // Pending: still invisible, but in A21's inbox (by code, without identity).
        assert_eq!(
            a21.get(&format!("/api/v1/cases/{id}")).await.0,
            StatusCode::NOT_FOUND,
            "{}",
            app.label
        );
        let inbox: Value = a21.get("/api/v1/referrals").await.1;
        assert_eq!(inbox[0]["id"], rid.as_str(), "{}", app.label);
        // The sender cannot accept its own referral.
        assert_eq!(
            iom.post(&format!("/api/v1/referrals/{rid}/accept"), json!({}))
                .await
                .0,
            StatusCode::FORBIDDEN,
            "{}",
            app.label
        );
        assert_eq!(
            a21.post(&format!("/api/v1/referrals/{rid}/accept"), json!({}))
                .await
                .0,
            StatusCode::OK,
            "{}",
            app.label
        );
        assert_eq!(
            a21.get(&format!("/api/v1/cases/{id}")).await.0,
            StatusCode::OK,
            "{}",
            app.label
        );
        let list: Value = a21.get("/api/v1/cases").await.1;
        assert_eq!(list["items"][0]["referred"], true, "{}", app.label);
        assert_eq!(
            list["total"], 1,
            "{}: the accepted case is counted",
            app.label
        );
        // The partner finds the person by name, in either script, like the owner.
        for q in ["Ivanova", "Иванова"] {
            let found: Value = a21.post("/api/v1/cases/search", json!({"q": q})).await.1;
            assert_eq!(found["items"][0]["id"], id.as_str(), "{}: {q}", app.label);
        }
        // The partner adds a service…
        assert_eq!(
            a21.post(
                &format!("/api/v1/cases/{id}/services"),
                json!({"service": "psychological", "cost_bgn": "120,50"})
            )
            .await
            .0,
            StatusCode::CREATED,
            "{}",
            app.label
        );
        // …but does not move the case along the NRM: the owner does.
        assert_eq!(
            a21.post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "closed", "version": 1, "closure_reason": "other"})
            )
            .await
            .0,
            StatusCode::FORBIDDEN,
            "{}",
            app.label
        );
        // Revoked: access ends at once.
        assert_eq!(
            iom.post(&format!("/api/v1/referrals/{rid}/revoke"), json!({}))
                .await
                .0,
            StatusCode::OK,
            "{}",
            app.label
        );
        assert_eq!(
            a21.get(&format!("/api/v1/cases/{id}")).await.0,
            StatusCode::NOT_FOUND,
            "{}",
            app.label
        );
        // …and the case leaves the partner's caseload and name search.
        let listed: Value = a21.get("/api/v1/cases").await.1;
        let searched: Value = a21
            .post("/api/v1/cases/search", json!({"q": "Ivanova"}))
            .await
            .1;
        for list in [listed, searched] {
            assert_eq!(list["total"], 0, "{}", app.label);
            assert_eq!(list["items"], json!([]), "{}", app.label);
        }
    }
}

#[tokio::test]
async fn the_caseload_shows_the_latest_change_first() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (first, _) = register(&iom, "Елена", "Петрова").await;
        let (second, _) = register(&iom, "Ана", "Колева").await;
        let ids = |list: &Value| -> Vec<String> {
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect()
        };
        let list: Value = iom.get("/api/v1/cases").await.1;
        assert_eq!(ids(&list), [second.clone(), first.clone()], "{}", app.label);
        assert_eq!(list["total"], 2, "{}", app.label);
        assert_eq!(list["total_capped"], false, "{}", app.label);
        assert_eq!(list["has_next"], false, "{}", app.label);
        // Work on the older case brings it back to the top.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        assert_eq!(
            iom.post(
                &format!("/api/v1/cases/{first}/stage"),
                json!({"to": "closed", "version": 1, "closure_reason": "other"})
            )
            .await
            .0,
            StatusCode::OK,
            "{}",
            app.label
        );
        let list: Value = iom.get("/api/v1/cases").await.1;
        assert_eq!(ids(&list), [first.clone(), second], "{}", app.label);
        // The row shows the case as it is now, and the filters see the new stage.
        assert_eq!(list["items"][0]["stage"], "closed", "{}", app.label);
        assert_eq!(list["items"][0]["version"], 2, "{}", app.label);
        let closed: Value = iom.get("/api/v1/cases?stage=closed").await.1;
        assert_eq!(ids(&closed), [first.clone()], "{}", app.label);
        let signal: Value = iom
            .post(
                "/api/v1/cases/search",
                json!({"q": "Petrova", "stage": "signal"}),
            )
            .await
            .1;
        assert_eq!(signal["total"], 0, "{}", app.label);
        // A name search shows the same row, and filters on it.
        let found: Value = iom
            .post(
                "/api/v1/cases/search",
                json!({"q": "Petrova", "stage": "closed"}),
            )
            .await
            .1;
        assert_eq!(ids(&found), [first.clone()], "{}", app.label);
        assert_eq!(
            (&found["items"][0]["stage"], &found["items"][0]["version"]),
            (&json!("closed"), &json!(2)),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn a_consent_override_needs_a_reason_and_is_audited() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (id, _) = register(&iom, "Мария", "Иванова").await;
        let r = iom.post(&format!("/api/v1/cases/{id}/referrals"), json!({"to_org": "sacp", "purpose": "Дете в риск", "consent_override_reason": "Непосредствена опасност за дете"})).await;
        assert_eq!(r.0, StatusCode::CREATED, "{}", app.label);
        let overrides = zakrila_store::audit::list(
            &app.store.reads,
            &zakrila_store::audit::AuditQuery {
                action_prefix: Some("referral.create_consent_override".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
        assert_eq!(overrides.len(), 1, "{}", app.label);
    }
}

#[tokio::test]
async fn two_people_saving_the_same_case_get_a_conflict_not_an_overwrite() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (id, _) = register(&iom, "Мария", "Иванова").await;
        let ident = json!({"kind": "formal", "by": "mvr", "date": "2025-03-01"});
        let first = iom
            .post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "identified", "version": 1, "identification": ident}),
            )
            .await;
        assert_eq!(first.0, StatusCode::OK, "{}", app.label);
        let second = iom
            .post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "closed", "version": 1, "closure_reason": "lost_contact"}),
            )
            .await;
        assert_eq!(second.0, StatusCode::CONFLICT, "{}", app.label);
        let p: Value = second.1;
        assert!(
            p["title"]
                .as_str()
                .unwrap()
                .contains("променен от друг потребител"),
            "{}",
            app.label
        );
        let now: Value = iom.get(&format!("/api/v1/cases/{id}")).await.1;
        assert_eq!(now["stage"], "identified", "{}", app.label);
        // With the current version the reflection period opens: 30 days from identification.
        let r: Value = iom
            .post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "reflection", "version": now["version"]}),
            )
            .await
            .1;
        assert_eq!(r["reflection_ends"], "2025-03-31", "{}", app.label);
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_localised_messages_and_nothing_is_saved() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let r = iom
            .post("/api/v1/cases", json!({"person": {"given_name": "Мария", "birth_date": "2999-01-01", "citizenship": "XXX"}}))
            .await;
        assert_eq!(r.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        let p: Value = r.1;
        let codes: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"error-birth-date-future") && codes.contains(&"error-country-unknown"),
            "{}: {codes:?}",
            app.label
        );
        // The rejected values are not echoed back.
        assert!(
            !p.to_string().contains("2999") && !p.to_string().contains("XXX"),
            "{}",
            app.label
        );
        let list: Value = iom.get("/api/v1/cases").await.1;
        assert_eq!(list["total"], 0, "{}", app.label);
        // A move the state machine forbids.
        let (id, _) = register(&iom, "Мария", "Иванова").await;
        let r = iom
            .post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "reintegration", "version": 1}),
            )
            .await;
        assert_eq!(r.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        let now: Value = iom.get(&format!("/api/v1/cases/{id}")).await.1;
        assert_eq!(
            (now["stage"].as_str(), now["version"].as_i64()),
            (Some("signal"), Some(1)),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn the_database_file_holds_no_identity_in_plaintext() {
    let app = TestApp::new().on(Backend::Sqlite).await.unwrap();
    assert_eq!(app.label, "sqlite");
    let iom = app
        .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
        .await;
    let r = iom
        .post("/api/v1/cases", json!({"person": {"given_name": "Златомира", "family_name": "Вълчанова", "birth_date": "1991-07-23", "personal_number": "9107237859", "phone": "+359888123456"}}))
        .await;
    assert_eq!(r.0, StatusCode::CREATED, "{}", r.1);
    let id = r.1["id"].as_str().unwrap().to_owned();
    // Everything that reads or carries the identity: the API and the page with the
    // identity shown, searches in both scripts, the exports, the subject report,
    // a referral accepted by another organisation that then reads it too.
    let a21 = app.with_user(Role::Caseworker, "a21").await;
    for path in [
        format!("/api/v1/cases/{id}/identity"),
        "/api/v1/cases.csv".into(),
        "/api/v1/cases.xlsx".into(),
        format!("/api/v1/cases/{id}/subject-report"),
    ] {
        iom.get(&path).await;
    }
    for path in [
        format!("/cases/{id}/identity"),
        format!("/cases/{id}/subject-report"),
    ] {
        iom.page(&path).await;
    }
    for q in ["Вълчанова", "valchanova"] {
        iom.post("/api/v1/cases/search", json!({"q": q})).await;
    }
    iom.form("/cases/search", &[("q", "Златомира")]).await;
    iom.post(
        &format!("/api/v1/cases/{id}/consents"),
        json!({"kind": "referral", "state": "given"}),
    )
    .await;
    let (status, referral) = iom
        .post(
            &format!("/api/v1/cases/{id}/referrals"),
            json!({"to_org": "a21", "purpose": "Подслон"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{referral}");
    let rid = referral["id"].as_str().unwrap();
    a21.post(&format!("/api/v1/referrals/{rid}/accept"), json!({}))
        .await;
    let (status, seen) = a21.get(&format!("/api/v1/cases/{id}/identity")).await;
    assert_eq!(status, StatusCode::OK, "the receiver reads it: {seen}");
    assert_eq!(
        seen["given_name"], "Златомира",
        "the scan below would be vacuous"
    );

    // The database, its WAL and a backup taken the way `zakrila backup` takes one.
    let path = app.sqlite_path().unwrap();
    let backup = path.with_extension("backup");
    {
        use zakrila_store::sea_orm::ConnectionTrait;
        app.store
            .writer
            .execute_unprepared(&format!("VACUUM INTO '{}'", backup.display()))
            .await
            .unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(format!("{}-wal", path.display())).unwrap_or_default());
    bytes.extend(std::fs::read(&backup).unwrap());
    let bytes = String::from_utf8_lossy(&bytes).to_lowercase();
    for secret in [
        "Златомира",
        "Вълчанова",
        "Zlatomira",
        "Valchanova",
        "Vulchanova",
        "1991-07-23",
        "23.07.1991",
        "9107237859",
        "359888123456",
        "888123456",
        // The referral's purpose: free text kept in the vault (`free_text.rs`).
        "Подслон",
    ] {
        assert!(
            !bytes.contains(&secret.to_lowercase()),
            "{secret:?} found in the database, its WAL or its backup"
        );
    }
}

#[tokio::test]
async fn the_caseload_filters_by_form_and_stage() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let r = iom
            .post(
                "/api/v1/cases",
                json!({"person": {"given_name": "Ана"}, "exploitation": {"forms": ["labour"]}}),
            )
            .await;
        assert_eq!(r.0, StatusCode::CREATED, "{}", app.label);
        register(&iom, "Мария", "Иванова").await;
        let labour: Value = iom.get("/api/v1/cases?form=labour").await.1;
        assert_eq!(labour["total"], 1, "{}", app.label);
        let none: Value = iom.get("/api/v1/cases?form=sexual").await.1;
        assert_eq!(none["total"], 0, "{}", app.label);
        let signal: Value = iom
            .post(
                "/api/v1/cases/search",
                json!({"q": "Ivanova", "stage": "signal"}),
            )
            .await
            .1;
        assert_eq!(signal["total"], 1, "{}", app.label);
    }
}

#[tokio::test]
async fn a_page_number_far_past_the_end_is_an_empty_page_not_an_error() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        register(&iom, "Мария", "Иванова").await;
        let (status, first) = iom.get("/api/v1/cases?page=0").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert_eq!(first["items"].as_array().unwrap().len(), 1, "{}", app.label);
        // The first overflows page × per_page; the second wraps to a negative
        // OFFSET when bound as a signed integer.
        for page in [
            "184467440737095517",
            "9223372036854775808",
            "18446744073709551615",
        ] {
            let (status, body) = iom.get(&format!("/api/v1/cases?page={page}")).await;
            assert_eq!(status, StatusCode::OK, "{}: page {page}: {body}", app.label);
            assert_eq!(body["items"], json!([]), "{}: page {page}", app.label);
            let page_no: u64 = page.parse().unwrap();
            let (status, body) = iom
                .post(
                    "/api/v1/cases/search",
                    json!({"q": "Мария", "page": page_no}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{}: page {page}: {body}", app.label);
            assert_eq!(body["items"], json!([]), "{}: page {page}", app.label);
            let (status, _) = iom.page(&format!("/cases?page={page}")).await;
            assert_eq!(status, StatusCode::OK, "{}: page {page}", app.label);
            let (status, _) = iom
                .page(&format!("/referrals?page={page}&sent_page={page}"))
                .await;
            assert_eq!(status, StatusCode::OK, "{}: page {page}", app.label);
        }
    }
}
