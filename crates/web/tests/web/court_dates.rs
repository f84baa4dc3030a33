//! The compensation claim in euro (a claim entered in lev stays in lev, both shown),
//! hearings of proceedings, and the caseworker's start page listing the hearings of
//! the next two weeks and the compensation deadlines of the next 60 days.

use reqwest::StatusCode;
use serde_json::json;
use time::Duration;
use zakrila_domain::{case::compensation_deadline, role::Role};

use crate::{TestApp, case_details::register};

fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn dotted(d: time::Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

#[tokio::test]
async fn the_claim_is_entered_in_euro_and_a_lev_claim_is_shown_converted() {
    for app in TestApp::each_backend().await {
        let l = app.label;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&cw, "Мария", "Иванова").await;
        let path = format!("/api/v1/cases/{id}/proceedings");
        let (status, p) = cw
            .post(
                &path,
                json!({"stage": "pre_trial", "compensation_eur": "1000"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {p}");
        assert_eq!(
            (
                &p["compensation_cents"],
                &p["compensation_currency"],
                &p["compensation_stotinki"]
            ),
            (&json!(100_000), &json!("EUR"), &json!(195_583)),
            "{l}"
        );
        let (status, _) = cw
            .post(
                &path,
                json!({"stage": "pre_trial", "compensation_eur": "5112,93"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{l}: over the cap in euro"
        );
        let (status, _) = cw
            .post(
                &path,
                json!({"stage": "pre_trial", "compensation_eur": "10", "compensation_bgn": "10"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{l}: one currency"
        );
        let (status, p) = cw
            .post(
                &path,
                json!({"stage": "pre_trial", "compensation_bgn": "5000"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}");
        assert_eq!(p["compensation_currency"], "BGN", "{l}");
        assert_eq!(p["compensation_cents"], 255_646, "{l}");
        let (_, html) = cw.page(&format!("/cases/{id}")).await;
        assert!(html.contains("1 000,00 € (1 955,83 лв.)"), "{l}");
        assert!(html.contains("2 556,46 € (5 000,00 лв.)"), "{l}");
    }
}

#[tokio::test]
async fn hearings_and_compensation_deadlines_come_to_the_start_page() {
    for app in TestApp::each_backend().await {
        let l = app.label;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let other = app.with_user(Role::Caseworker, "a21").await;
        let today = time::OffsetDateTime::now_utc().date();
        let id = register(&cw, "Мария", "Иванова").await;
        let code = cw.json(&format!("/api/v1/cases/{id}")).await["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/api/v1/cases/{id}/proceedings");
        let final_act = today - Duration::days(335);
        let (status, p) = cw
            .post(
                &path,
                json!({"stage": "concluded", "final_act_date": iso(final_act)}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {p}");
        let pid = p["id"].as_str().unwrap();
        let hearings = format!("{path}/{pid}/hearings");
        let soon = today + Duration::days(3);
        let (status, h) = cw
            .post(
                &hearings,
                json!({"on": iso(soon), "at": "9:30", "note": "зала 12"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}: {h}");
        assert_eq!(h["at"], "09:30", "{l}");
        let (status, _) = cw
            .post(&hearings, json!({"on": iso(today + Duration::days(40))}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{l}");
        let (status, _) = cw.post(&hearings, json!({"on": "утре"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}");
        let (status, _) = other.post(&hearings, json!({"on": iso(soon)})).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{l}: another organisation's case"
        );
        assert_eq!(
            cw.json(&path).await[0]["hearings"]
                .as_array()
                .unwrap()
                .len(),
            2
        );

        let (_, home) = cw.page("/").await;
        let card = |id: &str| {
            let start = home.find(&format!("id=\"{id}\"")).expect("the card");
            home[start..start + home[start..].find("</div>").unwrap()].to_owned()
        };
        let hearings_card = card("dashboard-hearings");
        assert!(
            hearings_card.contains(&code)
                && hearings_card.contains(&format!("{} 09:30", dotted(soon)))
                && !hearings_card.contains(&dotted(today + Duration::days(40))),
            "{l}: {hearings_card}"
        );
        let deadline_card = card("dashboard-compensation");
        assert!(
            deadline_card.contains(&code)
                && deadline_card.contains(&dotted(compensation_deadline(final_act))),
            "{l}: {deadline_card}"
        );
        let (_, other_home) = other.page("/").await;
        assert!(!other_home.contains(&code), "{l}");

        // A claim filed takes the case off the deadline list.
        let (status, _) = cw
            .put(
                &format!("{path}/{pid}"),
                json!({"stage": "concluded", "final_act_date": iso(final_act), "compensation_eur": "800", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{l}");
        let (_, home) = cw.page("/").await;
        let start = home.find("id=\"dashboard-compensation\"").unwrap();
        let card = &home[start..start + home[start..].find("</div>").unwrap()];
        assert!(!card.contains(&code), "{l}: {card}");
    }
}
