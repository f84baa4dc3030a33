//! Outreach and projects: a mobile team records consultations (pseudonymous, its own
//! organisation's only) and turns one into a case in the same step; events are
//! refused when the participants do not add up; projects' targets are counted
//! live from the data and checked against counts made here from the rows created.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::{TestApp, User, case_details::register, location};

/// The id of the first seeded place of `kind`.
async fn a_place(user: &User<'_>) -> String {
    let places = user.json("/api/v1/places").await;
    let list = places.as_array().unwrap();
    assert_eq!(list.len(), 8, "{}: the seeded places", user.app.label);
    list.iter()
        .find(|p| p["name_en"].as_str().unwrap().contains("Harmanli"))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn consultation(place: &str, code: &str) -> Value {
    json!({
        "place": place,
        "held_on": "2025-03-04",
        "team": ["social_worker", "lawyer"],
        "beneficiary_code": code,
        "sex": "female",
        "age_band": "24-26",
        "citizenship": "AFG",
        "languages": ["fa"],
        "topics": ["legal", "documents"],
        "duration_min": 40,
        "vulnerabilities": ["single_parent"],
        "donations": ["hygiene kit: 2"],
        "medical_bgn": "35,50"
    })
}

#[tokio::test]
async fn consultations_count_persons_by_code_and_stay_in_the_organisation() {
    for app in TestApp::each_backend().await {
        let mobile = app.with_user(Role::Mobile, "iom").await;
        let place = a_place(&mobile).await;
        for code in ["HAR-001", "HAR-002", "har-001"] {
            let (status, v) = mobile
                .post("/api/v1/consultations", consultation(&place, code))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{}: {v}", app.label);
            assert!(v["case"].is_null(), "{}", app.label);
        }
        let list = mobile.json("/api/v1/consultations").await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 3, "{}", app.label);
        assert_eq!(list[0]["medical_stotinki"], 3550, "{}", app.label);
        assert_eq!(
            list[0]["topics"],
            json!(["legal", "documents"]),
            "{}",
            app.label
        );

        // A project counting consultations and distinct persons over 2025.
        let coordinator = app.with_user(Role::Coordinator, "nccthb").await;
        let (status, p) = coordinator
            .post(
                "/api/v1/projects",
                json!({"slug": "sar-2025", "name_bg": "Мобилни екипи 2025", "name_en": "Mobile teams 2025",
                    "org": "iom", "starts_on": "2025-01-01", "ends_on": "2025-12-31",
                    "targets": [
                        {"name_bg": "Консултации", "name_en": "Consultations", "metric": "consultations", "target": 1500},
                        {"name_bg": "Лица", "name_en": "Persons", "metric": "consultation_persons", "target": 500}
                    ]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {p}", app.label);
        let codes: std::collections::HashSet<String> = list
            .iter()
            .map(|c| c["beneficiary_code"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(p["targets"][0]["achieved"], list.len(), "{}", app.label);
        assert_eq!(p["targets"][1]["achieved"], codes.len(), "{}", app.label);
        assert_eq!(
            codes.len(),
            2,
            "{}: codes are compared in capitals",
            app.label
        );

        // Another organisation's team sees none of it.
        let a21 = app.with_user(Role::Mobile, "a21").await;
        let id = list[0]["id"].as_str().unwrap();
        let (status, _) = a21.get(&format!("/api/v1/consultations/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        assert_eq!(
            a21.json("/api/v1/consultations").await,
            json!([]),
            "{}",
            app.label
        );
        // Analysts do not read consultations.
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let (status, _) = analyst.get("/api/v1/consultations").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}

#[tokio::test]
async fn bad_consultations_are_refused_and_nothing_is_stored() {
    for app in TestApp::each_backend().await {
        let mobile = app.with_user(Role::Mobile, "iom").await;
        let place = a_place(&mobile).await;
        let mut bad = consultation(&place, "x");
        bad["team"] = json!([]);
        bad["topics"] = json!(["weather"]);
        let (status, v) = mobile.post("/api/v1/consultations", bad).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        let fields: Vec<&str> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        for f in ["team", "topics", "beneficiary_code"] {
            assert!(fields.contains(&f), "{}: {f} in {v}", app.label);
        }
        let mut unknown = consultation("no-such-place", "HAR-9");
        unknown["held_on"] = json!("2999-01-01");
        let (status, v) = mobile.post("/api/v1/consultations", unknown).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(
            mobile.json("/api/v1/consultations").await,
            json!([]),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn a_consultation_with_trafficking_indicators_opens_a_case_in_one_step() {
    for app in TestApp::each_backend().await {
        let mobile = app.with_user(Role::Mobile, "iom").await;
        let place = a_place(&mobile).await;
        let mut body = consultation(&place, "HAR-077");
        body["vulnerabilities"] = json!(["trafficking_indicators"]);
        body["open_case"] = json!(true);
        body["person"] = json!({"given_name": "Ариана", "family_name": "Хосейни"});
        let (status, v) = mobile.post("/api/v1/consultations", body).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {v}", app.label);
        let case_id = v["case"]["id"].as_str().unwrap().to_owned();
        assert_eq!(v["consultation"]["case_id"], case_id, "{}", app.label);
        let case = mobile.json(&format!("/api/v1/cases/{case_id}")).await;
        assert_eq!(case["citizenship"], "AFG", "{}: {case}", app.label);

        // An earlier consultation turned into a case afterwards, once only.
        let (_, v) = mobile
            .post("/api/v1/consultations", consultation(&place, "HAR-078"))
            .await;
        let cid = v["consultation"]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/consultations/{cid}/case");
        let (status, r) = mobile.post(&path, json!({"given_name": "Мина"})).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {r}", app.label);
        let (again, _) = mobile.post(&path, json!({"given_name": "Мина"})).await;
        assert_eq!(again, StatusCode::CONFLICT, "{}", app.label);
        // Without a name no case can be opened, and the consultation is not stored.
        let mut nameless = consultation(&place, "HAR-079");
        nameless["open_case"] = json!(true);
        let (status, _) = mobile.post("/api/v1/consultations", nameless).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            mobile
                .json("/api/v1/consultations")
                .await
                .as_array()
                .unwrap()
                .len(),
            2,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn events_must_add_up_and_feed_participant_targets() {
    for app in TestApp::each_backend().await {
        let caseworker = app.with_user(Role::Caseworker, "iom").await;
        let training = |total: u32| {
            json!({"kind": "training", "title": "Идентификация и насочване", "starts_on": "2025-05-12",
                "ends_on": "2025-05-13", "partners": ["nccthb"], "participants": {"police": 12, "border_police": 8, "social_workers": 5},
                "participants_total": total, "women": 14, "men": 11, "activities": ["3.1.2"]})
        };
        let (status, v) = caseworker.post("/api/v1/events", training(26)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(
            v["errors"][0]["code"], "error-participants-sum",
            "{}: {v}",
            app.label
        );
        assert_eq!(
            caseworker.json("/api/v1/events").await,
            json!([]),
            "{}",
            app.label
        );

        let (status, v) = caseworker.post("/api/v1/events", training(25)).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {v}", app.label);
        let (status, v2) = caseworker
            .post(
                "/api/v1/events",
                json!({"kind": "information_session", "title": "Среща в училище", "starts_on": "2025-06-02",
                    "participants": {"pupils": 40, "teachers": 3}, "participants_total": 43}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {v2}", app.label);
        let one = caseworker
            .json(&format!("/api/v1/events/{}", v["id"].as_str().unwrap()))
            .await;
        assert_eq!(
            one["participants"].as_array().unwrap().len(),
            3,
            "{}",
            app.label
        );

        let admin = app.with_user(Role::Admin, "iom").await;
        let (status, p) = admin
            .post(
                "/api/v1/projects",
                json!({"slug": "training-2025", "name_bg": "Обучения", "name_en": "Trainings",
                    "starts_on": "2025-01-01", "ends_on": "2025-12-31",
                    "targets": [
                        {"name_bg": "Обучени полицаи", "name_en": "Police trained", "metric": "participants", "params": ["police", "border_police"], "target": 40},
                        {"name_bg": "Всички участници", "name_en": "All participants", "metric": "participants", "target": 100},
                        {"name_bg": "Събития", "name_en": "Events", "metric": "events", "target": 4}
                    ]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {p}", app.label);
        assert_eq!(p["targets"][0]["achieved"], 12 + 8, "{}", app.label);
        assert_eq!(p["targets"][0]["percent"], 50, "{}", app.label);
        assert_eq!(p["targets"][1]["achieved"], 25 + 43, "{}", app.label);
        assert_eq!(p["targets"][2]["achieved"], 2, "{}", app.label);
        // Another organisation's admin cannot create a project for IOM.
        let a21 = app.with_user(Role::Admin, "a21").await;
        let (status, _) = a21
            .post("/api/v1/projects", json!({"slug": "x-1", "name_bg": "x", "name_en": "x", "org": "iom", "starts_on": "2025-01-01", "ends_on": "2025-02-01", "targets": [{"name_bg": "a", "name_en": "a", "metric": "events", "target": 1}]}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}

#[tokio::test]
async fn the_seed_project_and_targets_counted_from_delivered_services() {
    for app in TestApp::each_backend().await {
        let caseworker = app.with_user(Role::Caseworker, "iom").await;
        let list = caseworker.json("/api/v1/projects").await;
        let seed = list
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["slug"] == "iom-return-reintegration")
            .unwrap_or_else(|| panic!("{}: seed 001's project in {list}", app.label))
            .clone();
        let targets: Vec<i64> = seed["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["target"].as_i64().unwrap())
            .collect();
        assert_eq!(targets, [100, 90, 120], "{}", app.label);
        assert_eq!(seed["org"], "iom", "{}", app.label);

        // Cases with services: three returns delivered (one case twice), one
        // reintegration delivered, one planned (not counted), one return attributed
        // to the seed project.
        let mut delivered_returns = std::collections::HashSet::new();
        let seed_id = seed["id"].as_str().unwrap().to_owned();
        let mut attributed = 0;
        for (i, (service, deliver, project)) in [
            ("return", true, false),
            ("return", true, false),
            ("reintegration", true, false),
            ("reintegration", false, false),
            ("return", true, true),
        ]
        .into_iter()
        .enumerate()
        {
            let family = ["Иванова", "Петрова", "Георгиева", "Димитрова", "Николова"][i];
            let case = register(&caseworker, "Мария", family).await;
            let mut body = json!({"service": service});
            if project {
                body["project_id"] = json!(seed_id);
            }
            let (status, s) = caseworker
                .post(&format!("/api/v1/cases/{case}/services"), body)
                .await;
            assert_eq!(status, StatusCode::CREATED, "{}: {s}", app.label);
            if deliver {
                let (status, _) = caseworker
                    .post(
                        &format!("/api/v1/services/{}/status", s["id"].as_str().unwrap()),
                        json!({"status": "delivered"}),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{}", app.label);
                if service == "return" {
                    if project {
                        attributed += 1;
                    } else {
                        delivered_returns.insert(case);
                    }
                }
            }
        }
        let (status, v) = caseworker
            .post(
                &format!(
                    "/api/v1/cases/{}/services",
                    delivered_returns.iter().next().unwrap()
                ),
                json!({"service": "return", "project_id": "no-such-project"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );

        let coordinator = app.with_user(Role::Coordinator, "nccthb").await;
        let today = time::OffsetDateTime::now_utc().date();
        let (status, p) = coordinator
            .post(
                "/api/v1/projects",
                json!({"slug": "now", "name_bg": "Сега", "name_en": "Now", "org": "iom",
                    "starts_on": format!("{}-01-01", today.year()), "ends_on": format!("{}-12-31", today.year()),
                    "targets": [
                        {"name_bg": "Завръщания", "name_en": "Returns", "metric": "cases_served", "params": ["return"], "target": 100},
                        {"name_bg": "Реинтеграция", "name_en": "Reintegration", "metric": "cases_served", "params": ["reintegration"], "target": 90}
                    ]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {p}", app.label);
        assert_eq!(
            p["targets"][0]["achieved"],
            delivered_returns.len() + attributed,
            "{}",
            app.label
        );
        assert_eq!(p["targets"][1]["achieved"], 1, "{}", app.label);
        // The seed project counts the attributed return only (its period is 2016–2017).
        let seed_now = caseworker
            .json(&format!("/api/v1/projects/{seed_id}"))
            .await;
        assert_eq!(
            seed_now["targets"][0]["achieved"], attributed,
            "{}",
            app.label
        );
        assert_eq!(
            seed_now["burn_up"].as_array().unwrap().len(),
            24,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn pages_record_a_consultation_and_show_projects() {
    for app in TestApp::each_backend().await {
        let mobile = app.with_user(Role::Mobile, "iom").await;
        let place = a_place(&mobile).await;
        let (status, html) = mobile.page("/outreach").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(html.contains("РПЦ – Харманли"), "{}", app.label);
        assert!(html.contains("Нова консултация"), "{}", app.label);

        // Participants that do not add up: a localised message, nothing stored.
        let r = mobile
            .form(
                "/outreach/events",
                &[
                    ("kind", "training"),
                    ("title", "Обучение"),
                    ("starts_on", "2025-05-12"),
                    ("p_police", "3"),
                    ("participants_total", "4"),
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
            r.text().await.unwrap().contains("сбора по категории"),
            "{}",
            app.label
        );

        let r = mobile
            .form(
                "/outreach/consultations",
                &[
                    ("place", place.as_str()),
                    ("held_on", "2025-03-04"),
                    ("team", "psychologist"),
                    ("beneficiary_code", "HAR-100"),
                    ("sex", "male"),
                    ("topics", "trafficking_risk"),
                    ("vulnerabilities", "trafficking_indicators"),
                    ("open_case", "1"),
                    ("given_name", "Омар"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert!(location(&r).starts_with("/cases/"), "{}", app.label);
        let (_, html) = mobile.page("/outreach").await;
        assert!(html.contains("HAR-100"), "{}", app.label);
        // The place and the team of the day are offered again.
        assert!(
            html.contains(&format!("value=\"{place}\" selected")),
            "{}",
            app.label
        );

        let reporter = app.with_user(Role::Reporter, "sacp").await;
        let (status, html) = reporter.page("/projects").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            html.contains("Връщане и реинтеграция на жертви на трафик на хора"),
            "{}",
            app.label
        );
        let list = reporter.json("/api/v1/projects").await;
        let id = list[0]["id"].as_str().unwrap();
        let (status, html) = reporter.page(&format!("/projects/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(html.contains("<polyline"), "{}", app.label);
        assert!(html.contains("01.01.2016"), "{}", app.label);
        let (status, _) = reporter.page("/outreach").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}
