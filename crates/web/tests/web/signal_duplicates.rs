//! Two signals about the same thing: the operator marks the later one a duplicate
//! of the earlier, on the page or through the API. It is closed with the outcome
//! "duplicate", each signal links to the other, the act is audited, and a signal
//! the operator cannot see cannot be named as the original.

use reqwest::StatusCode;
use serde_json::json;
use zakrila_domain::role::Role;

use crate::{TestApp, case_details::audited};

async fn record(u: &crate::User<'_>, summary: &str) -> String {
    let (status, s) = u
        .post(
            "/api/v1/signals",
            json!({"summary": summary, "channel": "phone"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    s["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_signal_marked_as_a_duplicate_links_both_ways() {
    for app in TestApp::each_backend().await {
        let operator = app.with_user(Role::Hotline, "a21").await;
        let first = record(&operator, "Майка се обажда за дъщеря си в Германия").await;
        let second = record(&operator, "Братът пише за същото момиче в Германия").await;

        // The page offers the other signals of the queue.
        let (_, page) = operator.page(&format!("/signals/{second}")).await;
        assert!(
            page.contains("id=\"mark-duplicate\"") && page.contains(&format!("value=\"{first}\"")),
            "{}: the form names the first signal",
            app.label
        );
        let r = operator
            .form(
                &format!("/signals/{second}/duplicate"),
                &[("of", first.as_str())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);

        let d = operator.json(&format!("/api/v1/signals/{second}")).await;
        assert_eq!(d["signal"]["status"], "closed", "{}", app.label);
        assert_eq!(d["signal"]["outcome"], "duplicate", "{}", app.label);
        assert_eq!(d["signal"]["duplicate_of"], first.as_str(), "{}", app.label);
        assert_eq!(d["original"]["id"], first.as_str(), "{}", app.label);
        let o = operator.json(&format!("/api/v1/signals/{first}")).await;
        assert_eq!(o["duplicates"][0]["id"], second.as_str(), "{}", app.label);
        assert_eq!(
            o["signal"]["status"], "new",
            "{}: the original stays",
            app.label
        );

        let (_, page) = operator.page(&format!("/signals/{first}")).await;
        assert!(
            page.contains(&format!(
                "href=\"/signals/{second}\" class=\"signal-duplicate\""
            )),
            "{}: the original links to its duplicate",
            app.label
        );
        let (_, page) = operator.page(&format!("/signals/{second}")).await;
        assert!(
            page.contains(&format!("href=\"/signals/{first}\" id=\"signal-original\"")),
            "{}: the duplicate links to its original",
            app.label
        );
        assert!(page.contains("повторен сигнал"), "{}", app.label);
        assert_eq!(
            audited(&app, "signal.duplicate", Some(&second)).await,
            1,
            "{}",
            app.label
        );
        // A closed signal is not marked again.
        let (status, _) = operator
            .post(
                &format!("/api/v1/signals/{second}/duplicate"),
                json!({"of": first}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", app.label);
    }
}

#[tokio::test]
async fn only_signals_the_operator_sees_can_be_the_original() {
    for app in TestApp::each_backend().await {
        let a21 = app.with_user(Role::Hotline, "a21").await;
        let animus = app.with_user(Role::Hotline, "animus").await;
        let mine = record(&a21, "Работници в склад, без заплати").await;
        let other = record(&animus, "Обаждане за същия склад").await;
        let referred = record(&animus, "Второ обаждане за склада").await;

        // Another hotline's signal is as unknown as an id that does not exist.
        for of in [other.as_str(), "no-such-signal", mine.as_str(), ""] {
            let (status, p) = a21
                .post(
                    &format!("/api/v1/signals/{mine}/duplicate"),
                    json!({ "of": of }),
                )
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {of}: {p}",
                app.label
            );
            assert!(
                p.to_string().contains("error-signal-duplicate"),
                "{}: {p}",
                app.label
            );
        }
        // Nor may another organisation mark a21's signal.
        let (status, _) = animus
            .post(
                &format!("/api/v1/signals/{mine}/duplicate"),
                json!({ "of": other }),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);

        // A signal referred to a21 is visible there, so it may be the original; its
        // own hotline does not see a21's duplicate.
        let (status, _) = animus
            .post(
                &format!("/api/v1/signals/{referred}/referrals"),
                json!({"to": ["a21"], "sent": "резюме"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let (status, s) = a21
            .post(
                &format!("/api/v1/signals/{mine}/duplicate"),
                json!({ "of": referred }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {s}", app.label);
        assert_eq!(s["outcome"], "duplicate", "{}", app.label);
        let seen = a21.json(&format!("/api/v1/signals/{referred}")).await;
        assert_eq!(seen["duplicates"][0]["id"], mine.as_str(), "{}", app.label);
        let theirs = animus.json(&format!("/api/v1/signals/{referred}")).await;
        assert_eq!(
            theirs["duplicates"].as_array().unwrap().len(),
            0,
            "{}: animus does not see a21's signal",
            app.label
        );
        assert_eq!(
            audited(&app, "signal.duplicate", None).await,
            1,
            "{}",
            app.label
        );
    }
}
