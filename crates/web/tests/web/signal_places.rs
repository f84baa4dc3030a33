//! Where a signal happened, down to the municipality: the quick-entry page and the
//! API take a municipality of the shipped list that lies in the region given, show
//! it in words, and refuse a wrong pair in the caller's language, storing nothing.

use reqwest::StatusCode;
use serde_json::json;
use zakrila_domain::role::Role;

use crate::{TestApp, location};

#[tokio::test]
async fn a_signal_is_placed_in_a_municipality_of_its_region() {
    for app in TestApp::each_backend().await {
        let operator = app.with_user(Role::Hotline, "a21").await;
        // The quick-entry page offers the municipalities, by region.
        let (_, form) = operator.page("/signals/new").await;
        assert!(
            form.contains("<optgroup label=\"Пловдив\">")
                && form.contains("value=\"PDV17\"")
                && form.contains(">Марица<"),
            "{}: municipalities listed by region",
            app.label
        );
        let r = operator
            .form(
                "/signals",
                &[
                    ("summary", "Сезонни работници в оранжерия без договори"),
                    ("location", "BG-16"),
                    ("municipality", "PDV17"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let id = location(&r).rsplit('/').next().unwrap().to_owned();
        let (_, page) = operator.page(&format!("/signals/{id}")).await;
        assert!(
            page.contains("община Марица, област Пловдив"),
            "{}: shown in words",
            app.label
        );
        let (_, queue) = operator.page("/signals").await;
        assert!(queue.contains("община Марица"), "{}", app.label);

        // A municipality alone places the signal in its region.
        let (status, s) = operator
            .post(
                "/api/v1/signals",
                json!({"summary": "Обява за работа в чужбина", "municipality": "SOF46"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {s}", app.label);
        assert_eq!(s["location"], "BG-22", "{}", app.label);
        assert_eq!(s["municipality"], "SOF46", "{}", app.label);

        // A municipality of another region, or with a country abroad, or unknown.
        let before = operator
            .json("/api/v1/signals")
            .await
            .as_array()
            .unwrap()
            .len();
        for (loc, m, code) in [
            ("BG-03", "PDV17", "error-signal-municipality-region"),
            ("DEU", "PDV17", "error-signal-municipality-region"),
            ("BG-16", "PDV99", "error-signal-municipality"),
        ] {
            let (status, p) = operator
                .post(
                    "/api/v1/signals",
                    json!({"summary": "нещо", "location": loc, "municipality": m}),
                )
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {loc} {m}: {p}",
                app.label
            );
            assert!(
                p.to_string().contains(code),
                "{}: {loc} {m}: {p}",
                app.label
            );
        }
        let r = operator
            .form(
                "/signals",
                &[
                    ("summary", "Сигнал с грешна община"),
                    ("location", "BG-03"),
                    ("municipality", "PDV17"),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Общината не е в избраната област."),
            "{}: the message in Bulgarian",
            app.label
        );
        assert!(
            page.contains("Сигнал с грешна община"),
            "{}: what was typed is kept",
            app.label
        );
        let after = operator
            .json("/api/v1/signals")
            .await
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after, "{}: nothing stored", app.label);
    }
}
