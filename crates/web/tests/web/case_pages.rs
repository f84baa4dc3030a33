//! A caseworker takes a person from signal to closed reintegration through the HTML
//! pages alone (no JavaScript), in Bulgarian, with a referral to a partner who
//! accepts it and adds a service.

use reqwest::{Client, StatusCode};
use zakrila_domain::role::Role;

use crate::{TestApp, location};

async fn form(c: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    c.post(app.url(path)).form(fields).send().await.unwrap()
}

/// Posts a form that must succeed (a redirect back to the case page).
async fn ok(c: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) {
    let r = form(c, app, path, fields).await;
    let status = r.status();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{}: {path}: {}",
        app.label,
        r.text().await.unwrap_or_default()
    );
}

fn version(page: &str) -> String {
    let at = page
        .find("name=\"version\" value=\"")
        .expect("the stage form carries the version")
        + "name=\"version\" value=\"".len();
    page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[tokio::test]
async fn from_signal_to_closed_reintegration_in_the_browser() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let a21 = app
            .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let (iom, a21) = (iom.browser().await, a21.browser().await);

        // Register: a form with a mistake first — nothing is saved, the values stay.
        let r = form(
            &iom,
            &app,
            "/cases",
            &[
                ("given_name", "Мария"),
                ("family_name", "Иванова"),
                ("birth_date", "2999-01-01"),
                ("sex", "female"),
                ("stage", "signal"),
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
            page.contains("Датата на раждане не може да е в бъдещето."),
            "{}",
            app.label
        );
        assert!(
            page.contains("value=\"Иванова\""),
            "{}: the form keeps what was typed",
            app.label
        );
        let r = form(
            &iom,
            &app,
            "/cases",
            &[
                ("given_name", "Мария"),
                ("family_name", "Иванова"),
                ("birth_date", "1998-04-12"),
                ("sex", "female"),
                ("citizenship", "BGR"),
                ("stage", "signal"),
                ("forms", "labour"),
                ("forms", "sexual"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let case_url = location(&r);
        assert!(case_url.starts_with("/cases/"), "{}", app.label);
        let id = case_url.trim_start_matches("/cases/").to_owned();

        // Searching by name posts the form: the name never appears in a URL.
        let r = iom
            .post(app.url("/cases/search"))
            .form(&[("q", "Ivanova")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert!(
            r.text().await.unwrap().contains(&format!("/cases/{id}")),
            "{}: found by the Latin spelling",
            app.label
        );
        // The case page: code and stage; no name until asked for.
        let page = iom
            .get(app.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("BG-20") && page.contains("сигнал"),
            "{}",
            app.label
        );
        assert!(
            !page.contains("Иванова"),
            "{}: identity hidden by default",
            app.label
        );
        let page = iom
            .get(app.url(&format!("{case_url}/identity")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Иванова"), "{}", app.label);

        // Identified formally, reflection period, assistance.
        let v = version(&page);
        ok(
            &iom,
            &app,
            &format!("{case_url}/stage"),
            &[
                ("version", &v),
                ("to", "identified"),
                ("ident_kind", "formal"),
                ("ident_by", "mvr"),
                ("ident_date", "2025-03-01"),
            ],
        )
        .await;
        let page = iom
            .get(app.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        ok(
            &iom,
            &app,
            &format!("{case_url}/stage"),
            &[("version", &version(&page)), ("to", "reflection")],
        )
        .await;
        let page = iom
            .get(app.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(">31.03.2025</time>"),
            "{}: the reflection period's end is shown as dd.mm.yyyy",
            app.label
        );
        ok(
            &iom,
            &app,
            &format!("{case_url}/stage"),
            &[("version", &version(&page)), ("to", "assistance")],
        )
        .await;

        // Consent, then a referral to A21, who accepts and plans a service.
        ok(
            &iom,
            &app,
            &format!("{case_url}/consents"),
            &[("kind", "referral"), ("state", "given")],
        )
        .await;
        ok(
            &iom,
            &app,
            &format!("{case_url}/referrals"),
            &[
                ("to_org", "a21"),
                ("purpose", "Подслон и психологическа подкрепа"),
                ("service", "psychological"),
            ],
        )
        .await;
        // A21's dashboard lists the pending referral by code, never by name.
        let home = a21
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("Чакащи насочвания (1)") && home.contains("BG-20"),
            "{}",
            app.label
        );
        assert!(!home.contains("Иванова"), "{}", app.label);
        let inbox = a21
            .get(app.url("/referrals"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            inbox.contains("Подслон и психологическа подкрепа"),
            "{}",
            app.label
        );
        let rid = {
            let at = inbox.find("/referrals/").unwrap() + "/referrals/".len();
            inbox[at..].split('/').next().unwrap().to_owned()
        };
        let r = form(&a21, &app, &format!("/referrals/{rid}/accept"), &[]).await;
        assert_eq!(location(&r), case_url, "{}", app.label);
        ok(
            &a21,
            &app,
            &format!("{case_url}/services"),
            &[
                ("service", "psychological"),
                ("due_date", "2025-05-01"),
                ("cost_bgn", "250,00"),
            ],
        )
        .await;
        let page = a21
            .get(app.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("250,00 лв."),
            "{}: cost in BGN with EUR beside",
            app.label
        );

        // Reintegration, then closed as reintegrated.
        let page = iom
            .get(app.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        ok(
            &iom,
            &app,
            &format!("{case_url}/stage"),
            &[("version", &version(&page)), ("to", "reintegration")],
        )
        .await;
        let page = iom
            .get(app.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // Closing without a reason is refused, with the reason asked for.
        let r = form(
            &iom,
            &app,
            &format!("{case_url}/stage"),
            &[("version", &version(&page)), ("to", "closed")],
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
                .contains("Посочете причина за приключване"),
            "{}",
            app.label
        );
        ok(
            &iom,
            &app,
            &format!("{case_url}/stage"),
            &[
                ("version", &version(&page)),
                ("to", "closed"),
                ("closure_reason", "reintegrated"),
            ],
        )
        .await;
        let page = iom
            .get(app.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("приключен"), "{}", app.label);
        let history = app.store.stage_history(&id).await.unwrap();
        let stages: Vec<&str> = history.iter().map(|h| h.to_stage.as_str()).collect();
        assert_eq!(
            stages,
            [
                "signal",
                "identified",
                "reflection",
                "assistance",
                "reintegration",
                "closed"
            ],
            "{}",
            app.label
        );
        // The whole path is in the audit chain, and the chain holds.
        assert!(
            app.store.verify_audit().await.unwrap().is_ok(),
            "{}",
            app.label
        );
    }
}
