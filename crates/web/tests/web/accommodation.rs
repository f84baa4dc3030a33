//! Accommodation and referrals abroad: a caseworker places a person in a shelter
//! and sees the occupancy change, a full shelter is refused with a clear message,
//! the placement ends; a case is referred to the IOM mission in another country and
//! its status moves along; another organisation sees none of it; bad input stores
//! nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::{TestApp, User, case_details::register, location};

/// Adds a shelter with `total` places, `women` of them for women; returns its id.
async fn shelter(app: &TestApp, name: &str, total: u32, women: u32) -> String {
    let commission = app.with_user(Role::Coordinator, "nccthb").await;
    let (status, v) = commission
        .post(
            "/api/v1/places",
            json!({"kind": "shelter", "name_bg": name, "name_en": name, "region": "BG-03",
                "capacity": total, "capacity_women": women, "operator": "a21"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}: {v}", app.label);
    v["id"].as_str().unwrap().to_owned()
}

async fn occupancy(user: &User<'_>, id: &str) -> Value {
    let list = user.json("/api/v1/shelters").await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{}: shelter listed", user.app.label))
}

#[tokio::test]
async fn placing_a_person_fills_the_shelter_and_a_full_one_refuses() {
    for app in TestApp::each_backend().await {
        let id = shelter(&app, "Приют Варна", 2, 1).await;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let o = occupancy(&cw, &id).await;
        assert_eq!(
            (o["occupied"].as_u64(), o["free"].as_u64()),
            (Some(0), Some(2)),
            "{}",
            app.label
        );

        let first = register(&cw, "Мария", "Петрова").await;
        let (status, p) = cw
            .post(
                &format!("/api/v1/cases/{first}/placements"),
                json!({"place": id, "group": "women"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {p}", app.label);
        let o = occupancy(&cw, &id).await;
        assert_eq!(o["occupied"], 1, "{}", app.label);
        assert_eq!(o["free"], 1, "{}", app.label);
        assert_eq!(o["occupied_by_group"]["women"], 1, "{}", app.label);
        let counts = cw.json("/api/v1/shelters/counts").await;
        assert_eq!(counts["currently_supported"], 1, "{}", app.label);
        assert_eq!(counts["supported_in_year"], 1, "{}", app.label);

        // The women's one place is taken: a second woman is refused, in Bulgarian.
        let second = register(&cw, "Елена", "Иванова").await;
        let (status, v) = cw
            .post(
                &format!("/api/v1/cases/{second}/placements"),
                json!({"place": id, "group": "women"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(
            v["errors"][0]["code"], "error-shelter-group-full",
            "{}",
            app.label
        );
        assert_eq!(
            v["errors"][0]["detail"], "Няма свободни места за тази група в приюта.",
            "{}",
            app.label
        );
        // A mother with her child takes the last place; then the shelter is full.
        let (status, v) = cw
            .post(
                &format!("/api/v1/cases/{second}/placements"),
                json!({"place": id, "group": "mothers_with_children"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {v}", app.label);
        let third = register(&cw, "Анна", "Димова").await;
        let (status, v) = cw
            .post(
                &format!("/api/v1/cases/{third}/placements"),
                json!({"place": id, "group": "children"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(
            v["errors"][0]["code"], "error-shelter-full",
            "{}",
            app.label
        );
        assert!(
            cw.json(&format!("/api/v1/cases/{third}/placements"))
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );

        // The first person leaves: the place is free again, the stay is kept.
        let pid = p["id"].as_str().unwrap();
        let (status, v) = cw
            .post(
                &format!("/api/v1/cases/{first}/placements/{pid}/end"),
                json!({"reason": "reintegrated", "version": p["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {v}", app.label);
        assert!(v["to_on"].is_string(), "{}", app.label);
        let o = occupancy(&cw, &id).await;
        assert_eq!(o["occupied"], 1, "{}", app.label);
        let counts = cw.json("/api/v1/shelters/counts").await;
        assert_eq!(counts["supported_in_year"], 2, "{}", app.label);
        // Ending it twice is refused.
        let (status, _) = cw
            .post(
                &format!("/api/v1/cases/{first}/placements/{pid}/end"),
                json!({"reason": "other", "version": v["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);

        // The shelters page shows the occupancy.
        let (status, html) = cw.page("/shelters").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(html.contains("Приют Варна"), "{}", app.label);
    }
}

#[tokio::test]
async fn the_case_page_places_and_ends_a_placement() {
    for app in TestApp::each_backend().await {
        let id = shelter(&app, "Кризисен център Русе", 3, 3).await;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = register(&cw, "Десислава", "Колева").await;
        let (status, html) = cw.page(&format!("/cases/{case}")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(html.contains("Кризисен център Русе"), "{}", app.label);

        let r = cw
            .form(
                &format!("/cases/{case}/placements"),
                &[("place", &id), ("group", "women"), ("from_on", "")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert_eq!(location(&r), format!("/cases/{case}"));
        let list = cw.json(&format!("/api/v1/cases/{case}/placements")).await;
        assert_eq!(list.as_array().unwrap().len(), 1, "{}", app.label);
        let pid = list[0]["id"].as_str().unwrap().to_owned();

        // A second placement while one is open: the page says why.
        let r = cw
            .form(
                &format!("/cases/{case}/placements"),
                &[("place", &id), ("group", "women")],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        assert!(
            r.text().await.unwrap().contains("Лицето вече е настанено"),
            "{}",
            app.label
        );

        let r = cw
            .form(
                &format!("/cases/{case}/placements/{pid}/end"),
                &[("version", "1"), ("reason", "term_ended"), ("to_on", "")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let list = cw.json(&format!("/api/v1/cases/{case}/placements")).await;
        assert_eq!(list[0]["leaving_reason"], "term_ended", "{}", app.label);
        let (_, html) = cw.page(&format!("/cases/{case}")).await;
        assert!(
            html.contains("изтекъл срок на настаняване"),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn a_case_is_referred_to_the_iom_mission_abroad_and_moves_along() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = register(&cw, "Радка", "Стоянова").await;
        let path = format!("/api/v1/cases/{case}/referrals-abroad");
        let (status, r) = cw
            .post(
                &path,
                json!({"country": "ROU", "kind": "iom_mission", "counterpart": "IOM Romania",
                    "contact": "Ioana Popescu, +40 21 000 0000", "referred_on": "2025-05-02"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {r}", app.label);
        assert_eq!(r["status"], "sent", "{}", app.label);
        assert_eq!(r["direction"], "outgoing", "{}", app.label);
        assert!(
            r["contact"].is_null(),
            "{}: the contact is not echoed",
            app.label
        );
        let rid = r["id"].as_str().unwrap();

        let (status, v) = cw
            .post(
                &format!("{path}/{rid}/status"),
                json!({"status": "accepted", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {v}", app.label);
        assert_eq!(v["status"], "accepted", "{}", app.label);
        // Back to "sent" is not a move a referral makes.
        let (status, v) = cw
            .post(
                &format!("{path}/{rid}/status"),
                json!({"status": "sent", "version": 2}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(
            v["errors"][0]["code"], "error-abroad-status",
            "{}",
            app.label
        );
        // A stale version is a conflict.
        let (status, _) = cw
            .post(
                &format!("{path}/{rid}/status"),
                json!({"status": "closed", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", app.label);

        // The contact only on an identity read.
        let list = cw.json(&path).await;
        assert_eq!(list[0]["contact_recorded"], true, "{}", app.label);
        assert!(list[0]["contact"].is_null(), "{}", app.label);
        let list = cw.json(&format!("{path}?identity=true")).await;
        assert_eq!(
            list[0]["contact"], "Ioana Popescu, +40 21 000 0000",
            "{}",
            app.label
        );

        // Counted apart in the statistics.
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let counts = analyst.json("/api/v1/stats/referrals-abroad").await;
        assert_eq!(
            counts,
            json!([{"year": "2025", "direction": "outgoing", "country": "ROU", "kind": "iom_mission", "referrals": 1, "accepted": 1}]),
            "{}",
            app.label
        );
        // The statistics page shows the same count, with words for the codes.
        let (status, stats) = analyst.page("/stats").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(stats.contains("href=\"/stats/abroad\""), "{}", app.label);
        let (status, html) = analyst.page("/stats/abroad").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            html.contains("<th scope=\"row\">Румъния</th>") && html.contains("<td>2025</td>"),
            "{}: {html}",
            app.label
        );
        assert!(!html.contains(">ROU<"), "{}", app.label);
        // Whoever the API refuses, the page refuses alike.
        let (api, _) = cw.get("/api/v1/stats/referrals-abroad").await;
        assert!(api.is_client_error(), "{}: {api}", app.label);
        let (status, html) = cw.page("/stats/abroad").await;
        assert_eq!(status, api, "{}", app.label);
        assert!(!html.contains("Румъния"), "{}", app.label);
        // The case page lists it with the country's name.
        let (_, html) = cw.page(&format!("/cases/{case}")).await;
        assert!(
            html.contains("IOM Romania") && html.contains("Румъния"),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn another_organisation_gets_404_and_bad_input_stores_nothing() {
    for app in TestApp::each_backend().await {
        let id = shelter(&app, "Приют Бургас", 4, 2).await;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = register(&cw, "Вяра", "Тодорова").await;
        let other = app.with_user(Role::Caseworker, "a21").await;
        for path in ["placements", "referrals-abroad"] {
            let (status, _) = other.get(&format!("/api/v1/cases/{case}/{path}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{}: {path}", app.label);
        }
        let (status, _) = other
            .post(
                &format!("/api/v1/cases/{case}/placements"),
                json!({"place": id, "group": "women"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        let (status, _) = other
            .post(
                &format!("/api/v1/cases/{case}/referrals-abroad"),
                json!({"country": "ROU", "kind": "ngo", "counterpart": "X"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);

        // Bad input: unknown group, a future date, a place that is no shelter.
        let place_bad = [
            json!({"place": id, "group": "elderly"}),
            json!({"place": id, "group": "women", "from_on": "2999-01-01"}),
            json!({"place": "no-such-place", "group": "women"}),
        ];
        for body in place_bad {
            let (status, v) = cw
                .post(&format!("/api/v1/cases/{case}/placements"), body)
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {v}",
                app.label
            );
        }
        let abroad_bad = [
            json!({"country": "BGR", "kind": "iom_mission", "counterpart": "IOM Bulgaria"}),
            json!({"country": "ROU", "kind": "church", "counterpart": "X"}),
            json!({"country": "ROU", "kind": "ngo", "counterpart": "  "}),
        ];
        for body in abroad_bad {
            let (status, v) = cw
                .post(&format!("/api/v1/cases/{case}/referrals-abroad"), body)
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {v}",
                app.label
            );
        }
        let (_, v) = cw
            .post(
                &format!("/api/v1/cases/{case}/referrals-abroad"),
                json!({"country": "BGR", "kind": "iom_mission", "counterpart": "IOM"}),
            )
            .await;
        assert_eq!(
            v["errors"][0]["detail"], "Изберете държава извън България.",
            "{}",
            app.label
        );
        assert!(
            cw.json(&format!("/api/v1/cases/{case}/placements"))
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert!(
            cw.json(&format!("/api/v1/cases/{case}/referrals-abroad"))
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(occupancy(&cw, &id).await["occupied"], 0, "{}", app.label);
    }
}
