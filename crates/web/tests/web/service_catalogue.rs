//! An organisation's own services: its admins add and retire them (page and API);
//! its caseworkers plan them, other organisations cannot; the case's service list
//! names the provider and the project a service is attributed to.

use reqwest::StatusCode;
use serde_json::json;
use zakrila_domain::role::Role;

use crate::{TestApp, case_details::register};

#[tokio::test]
async fn own_services_are_planned_by_the_organisation_only_and_retired_by_its_admins() {
    for app in TestApp::each_backend().await {
        let l = app.label;
        let admin = app.with_user(Role::Admin, "iom").await;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let other_admin = app.with_user(Role::Admin, "a21").await;
        let other_cw = app.with_user(Role::Caseworker, "a21").await;

        let (status, e) = admin
            .post(
                "/api/v1/service-catalogue",
                json!({"name_bg": "Юридическа помощ по трудов спор", "name_en": "Legal help in a labour dispute"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {e}");
        let code = e["code"].as_str().unwrap().to_owned();
        assert!(code.starts_with("iom-") && e["own"] == true, "{l}: {e}");
        let (status, _) = other_admin
            .post(
                "/api/v1/service-catalogue",
                json!({"name_bg": "Друга", "name_en": "Other"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}");
        let (status, v) = admin
            .post(
                "/api/v1/service-catalogue",
                json!({"name_bg": " ", "name_en": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}: {v}");
        let (status, _) = cw
            .post(
                "/api/v1/service-catalogue",
                json!({"name_bg": "а", "name_en": "a"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{l}");

        let seen = cw.json("/api/v1/service-catalogue").await;
        let codes: Vec<&str> = seen
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&code.as_str()) && codes.contains(&"return"),
            "{l}"
        );
        assert_eq!(
            codes.len(),
            16,
            "{l}: the national 15 and the own one: {codes:?}"
        );

        let id = register(&cw, "Мария", "Иванова").await;
        let path = format!("/api/v1/cases/{id}/services");
        let (status, v) = cw
            .post(&path, json!({"service": code, "provider": "a21"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {v}");
        let other_case = register(&other_cw, "Елена", "Петрова").await;
        let (status, _) = other_cw
            .post(
                &format!("/api/v1/cases/{other_case}/services"),
                json!({"service": code}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{l}: another organisation's service"
        );

        // The case page names the service and its provider in their own columns.
        let a21 = cw.json("/api/v1/organisations/a21").await;
        let (_, html) = cw.page(&format!("/cases/{id}")).await;
        assert!(
            html.contains("Юридическа помощ по трудов спор")
                && html.contains(&format!(
                    "<td class=\"provider\">{}</td>",
                    a21["name_bg"].as_str().unwrap()
                )),
            "{l}"
        );

        let (status, r) = admin
            .post(
                &format!("/api/v1/service-catalogue/{code}/retire"),
                json!(null),
            )
            .await;
        assert_eq!(
            (status, &r["active"]),
            (StatusCode::OK, &json!(false)),
            "{l}"
        );
        let (status, _) = other_admin
            .post(
                &format!("/api/v1/service-catalogue/{code}/retire"),
                json!(null),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{l}");
        let (status, _) = cw.post(&path, json!({"service": code})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}: retired");
        let (_, html) = cw.page(&format!("/cases/{id}")).await;
        assert!(
            html.contains("Юридическа помощ по трудов спор"),
            "{l}: kept on the case"
        );

        // The admins' page adds one through the same operation.
        let r = admin
            .form(
                "/service-catalogue",
                &[
                    ("name_bg", "Група за взаимопомощ"),
                    ("name_en", "Peer support group"),
                    ("description_bg", ""),
                    ("description_en", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{l}");
        let (status, html) = admin.page("/service-catalogue").await;
        assert_eq!(status, StatusCode::OK, "{l}");
        assert!(html.contains("Група за взаимопомощ"), "{l}");
    }
}
