//! Correcting a case (rectification): the corrected name finds the case and the old
//! one no longer does, the history names the fields but keeps no values, a stale
//! version is a conflict, bad input stores nothing, another organisation sees 404;
//! and the same through the correction page.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::{TestApp, User};

async fn register(api: &User<'_>) -> String {
    let (status, v) = api
        .post("/api/v1/cases", json!({"person": {"given_name": "Марйа", "family_name": "Иванова", "birth_date": "1998-04-12", "sex": "female", "citizenship": "BGR"}, "exploitation": {"forms": ["labour"], "labour_sectors": ["agriculture"]}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}: {v}", api.app.label);
    v["id"].as_str().unwrap().to_owned()
}

async fn found(api: &User<'_>, q: &str) -> u64 {
    let (status, v) = api.post("/api/v1/cases/search", json!({ "q": q })).await;
    assert_eq!(status, StatusCode::OK, "{}: {v}", api.app.label);
    v["total"].as_u64().unwrap()
}

fn corrected_name(version: i64) -> Value {
    json!({"version": version, "reason": "typo", "person": {"given_name": "Мария", "family_name": "Иванова", "birth_date": "1998-04-12", "sex": "female", "citizenship": "BGR"}})
}

#[tokio::test]
async fn a_misspelt_name_is_corrected_and_found_by_the_new_name_only() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let id = register(&iom).await;
        assert_eq!(found(&iom, "Marya").await, 1, "{}", app.label);
        let (status, v) = iom
            .send(
                Method::PATCH,
                &format!("/api/v1/cases/{id}"),
                corrected_name(1),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {v}", app.label);
        assert_eq!(v["fields"], json!(["given_name"]), "{}", app.label);
        assert_eq!(v["case"]["version"], 2);
        for old in ["Marya", "Марйа"] {
            assert_eq!(found(&iom, old).await, 0, "{}: {old}", app.label);
        }
        for new in ["Maria", "мария ivanova"] {
            assert_eq!(found(&iom, new).await, 1, "{}: {new}", app.label);
        }
        let ident = iom.json(&format!("/api/v1/cases/{id}/identity")).await;
        assert_eq!(ident["given_name"], "Мария");
        assert_eq!(ident["family_name"], "Иванова");

        let history = iom.json(&format!("/api/v1/cases/{id}/corrections")).await;
        assert_eq!(history[0]["reason"], "typo", "{}", app.label);
        assert_eq!(history[0]["fields"], json!(["given_name"]));
        assert!(!history[0]["by"].as_str().unwrap().is_empty());
        // Neither the history, nor the audit trail, nor the table keeps the old name.
        let trail = zakrila_store::audit::list(
            &app.store.reads,
            &zakrila_store::audit::AuditQuery {
                action_prefix: Some("case.correct".into()),
                entity_id: Some(id.clone()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
        assert_eq!(trail.len(), 1, "{}", app.label);
        let seen = format!("{history} {:?}", trail);
        assert!(!seen.contains("Марйа") && !seen.contains("Мария"), "{seen}");

        // The exploitation record alone: the sector without its form is refused.
        let (status, _) = iom
            .send(
                Method::PATCH,
                &format!("/api/v1/cases/{id}"),
                json!({"version": 2, "reason": "new_information", "exploitation": {"forms": ["sexual", "labour"], "labour_sectors": ["construction"]}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let one = iom.json(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(one["forms"], json!(["sexual", "labour"]), "{}", app.label);
        assert_eq!(one["version"], 3);
    }
}

#[tokio::test]
async fn a_stale_version_bad_input_and_another_organisation_change_nothing() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let id = register(&iom).await;
        let path = format!("/api/v1/cases/{id}");
        let (status, _) = iom.send(Method::PATCH, &path, corrected_name(1)).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        // Someone else saved in between: version 1 is stale.
        let (status, _) = iom.send(Method::PATCH, &path, corrected_name(1)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", app.label);

        // Bad input: a name with digits, an unknown reason — both reported, nothing stored.
        let (status, v) = iom
            .send(
                Method::PATCH,
                &path,
                json!({"version": 2, "reason": "whim", "person": {"given_name": "Ma3ria"}}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        let text = v.to_string();
        assert!(
            text.contains("reason") && text.contains("given_name"),
            "{text}"
        );
        assert_eq!(iom.json(&path).await["version"], 2);
        assert_eq!(found(&iom, "Maria").await, 1, "{}", app.label);
        let history = iom.json(&format!("{path}/corrections")).await;
        assert_eq!(history.as_array().unwrap().len(), 1);
        // The same record again changes nothing: refused, not recorded.
        let (status, _) = iom.send(Method::PATCH, &path, corrected_name(2)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);

        let a21 = app
            .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let (status, _) = a21.send(Method::PATCH, &path, corrected_name(2)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        let (status, _) = a21.get(&format!("{path}/corrections")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        let (status, _) = a21.page(&format!("/cases/{id}/correct")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        assert_eq!(iom.json(&path).await["version"], 2);
    }
}

#[tokio::test]
async fn the_correction_page_shows_the_whole_record_and_saves_it() {
    let app = TestApp::new().on(crate::Backend::Sqlite).await.unwrap();
    let iom = app
        .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
        .await;
    let id = register(&iom).await;
    let (status, html) = iom.page(&format!("/cases/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/cases/{id}/correct")),
        "link missing"
    );
    let (status, html) = iom.page(&format!("/cases/{id}/correct")).await;
    assert_eq!(status, StatusCode::OK);
    // Prefilled: the misspelt name, the sector entered through the API.
    assert!(html.contains("value=\"Марйа\""), "{html}");
    assert!(html.contains("name=\"labour_sectors\" value=\"agriculture\" checked"));
    for field in [
        "languages",
        "sexual_types",
        "recruitment",
        "recruiter_relations",
        "countries_of_origin",
        "transit_countries",
    ] {
        assert!(html.contains(&format!("name=\"{field}\"")), "{field}");
    }
    let base = [
        ("version", "1"),
        ("given_name", "Мария"),
        ("family_name", "Иванова"),
        ("birth_date", "1998-04-12"),
        ("sex", "female"),
        ("citizenship", "BGR"),
        ("forms", "labour"),
        ("labour_sectors", "agriculture"),
        ("languages", "bg"),
    ];
    // No reason: refused with the message beside the field, nothing stored.
    let r = iom.form(&format!("/cases/{id}/correct"), &base).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"reason-error\""), "{html}");
    assert_eq!(found(&iom, "Maria").await, 0);
    let mut fields = base.to_vec();
    fields.push(("reason", "document_checked"));
    let r = iom.form(&format!("/cases/{id}/correct"), &fields).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    assert_eq!(found(&iom, "Maria").await, 1);
    assert_eq!(found(&iom, "Marya").await, 0);
    let (_, html) = iom.page(&format!("/cases/{id}/correct")).await;
    assert!(html.contains("Проверено по документ"), "{html}");
    // Bulgarian field labels, not codes, in the history.
    assert!(html.contains("Собствено име, Езици"), "{html}");
}

#[tokio::test]
async fn the_subject_report_and_the_timeline_say_who_read_the_identity() {
    let app = TestApp::new().on(crate::Backend::Sqlite).await.unwrap();
    let iom = app
        .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
        .await;
    let id = register(&iom).await;
    iom.json(&format!("/api/v1/cases/{id}/identity")).await;
    let report = iom
        .json(&format!("/api/v1/cases/{id}/subject-report"))
        .await;
    let reads = report["identity_reads"].as_array().unwrap();
    // The API read above, then the report's own.
    assert_eq!(reads.len(), 2, "{report}");
    assert_eq!(reads[0]["organisation"], "iom");
    assert!(!reads[0]["by"].as_str().unwrap().is_empty());
    let (_, html) = iom.page(&format!("/cases/{id}/subject-report")).await;
    assert!(html.contains("Кой е преглеждал самоличността"), "{html}");
    let (_, html) = iom.page(&format!("/cases/{id}")).await;
    assert!(
        html.contains("Преглед на самоличността · <span class=\"by\">"),
        "{html}"
    );
}
