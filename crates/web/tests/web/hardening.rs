//! What protects victims from an insider or a stolen credential: name searches
//! that leave a trace and stop at a limit, identity exports only by a caseworker
//! who re-enters the second factor, and accounts that see identities created only
//! by the organisation's own admins, with the other admins told.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use zakrila_app::Limits;
use zakrila_domain::role::Role;
use zakrila_store::audit::{AuditQuery, list};
use zakrila_web::WebConfig;

use crate::case_details::{audited, register};
use crate::{PASSWORD, TestApp, location};

/// The trail's events of exactly `action`, newest first.
async fn events(app: &TestApp, action: &str) -> Vec<zakrila_store::entity::audit_event::Model> {
    let q = AuditQuery {
        action_prefix: Some(action.into()),
        ..Default::default()
    };
    list(&app.store.reads, &q, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// The message code of the first error of a problem answer.
fn error_code(body: &Value) -> &str {
    body["errors"][0]["code"].as_str().unwrap_or_default()
}

/// Signs `email` in through the pages, enrolling an authenticator as a person
/// would, and keeps the authenticator: the browser and the app.
async fn signed_in_with_authenticator(app: &TestApp, email: &str) -> (Client, totp_rs::Totp) {
    let c = app.browser();
    let r = c
        .post(app.url("/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/login/totp/enrol", "{}", app.label);
    let page = c
        .get(app.url("/login/totp/enrol"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("otpauth://").expect("otpauth URL on the page");
    let end = page[start..].find('<').unwrap() + start;
    let url = page[start..end].replace("&amp;", "&");
    let totp = totp_rs::Totp::from_url(&url).unwrap();
    let r = c
        .post(app.url("/login/totp"))
        .form(&[("code", totp.generate_current().to_string().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/", "{}: enrolled", app.label);
    (c, totp)
}

/// A code the authenticator shows next: valid now (one step of drift is allowed)
/// and not yet used, unlike the one the sign-in just spent.
fn next_code(totp: &totp_rs::Totp) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now + 30).to_string()
}

/// A six-digit code that is not the one the authenticator shows next.
fn wrong_code(totp: &totp_rs::Totp) -> String {
    let right: u32 = next_code(totp).parse().unwrap();
    format!("{:06}", (right + 500_000) % 1_000_000)
}

#[tokio::test]
async fn a_name_search_is_audited_without_its_words_and_never_travels_in_a_url() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let code = iom.json(&format!("/api/v1/cases/{id}")).await["code"]
            .as_str()
            .unwrap()
            .to_owned();

        // A name in the URL is refused, with a message saying where names go.
        let (status, body) = iom.get("/api/v1/cases?q=Иванова").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            error_code(&body),
            "error-name-search-in-url",
            "{}",
            app.label
        );
        assert_eq!(body["errors"][0]["field"], "q", "{}", app.label);
        assert!(
            body["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("POST /api/v1/cases/search"),
            "{}: {body}",
            app.label
        );
        let (status, _) = iom.page("/cases?q=Иванова").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        // A case code still may be there.
        let (status, by_code) = iom.get(&format!("/api/v1/cases?q={code}")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert_eq!(by_code["total"], 1, "{}", app.label);

        // The name goes in the body; the search is audited with its counts only.
        let (status, found) = iom
            .post("/api/v1/cases/search", json!({"q": "Мария Ivanova"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {found}", app.label);
        assert_eq!(found["items"][0]["id"], id.as_str(), "{}", app.label);
        let (_, none) = iom
            .post("/api/v1/cases/search", json!({"q": "Петрова"}))
            .await;
        assert_eq!(none["total"], 0, "{}", app.label);
        // The page's search form posts too, and is audited alike.
        let r = iom.form("/cases/search", &[("q", "иванова")]).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert!(r.text().await.unwrap().contains(&code), "{}", app.label);
        // Searching a code is no name search.
        iom.post("/api/v1/cases/search", json!({"q": code})).await;

        let searches = events(&app, "case.name_search").await;
        let shown: Vec<(&str, &str)> = searches
            .iter()
            .map(|e| (e.entity.as_str(), e.entity_id.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            shown,
            [
                ("name_search", "tokens=1;hits=1"),
                ("name_search", "tokens=1;hits=0"),
                ("name_search", "tokens=2;hits=1"),
            ],
            "{}: newest first, one per name search",
            app.label
        );
        for e in &searches {
            assert_eq!(
                e.actor_id.as_deref(),
                Some(iom.id.as_str()),
                "{}",
                app.label
            );
            let row = format!("{e:?}").to_lowercase();
            for word in ["мария", "иванова", "ivanova", "петрова", "maria"] {
                assert!(!row.contains(word), "{}: {word} in {row}", app.label);
            }
        }
    }
}

#[tokio::test]
async fn name_searches_stop_at_the_limit_and_the_limit_holds_on_every_server() {
    let cfg = WebConfig {
        limits: Limits {
            name_searches_per_10_minutes: 3,
            ..Limits::default()
        },
        ..Default::default()
    };
    for app in TestApp::new().config(cfg.clone()).each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let other = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let code = iom.json(&format!("/api/v1/cases/{id}")).await["code"]
            .as_str()
            .unwrap()
            .to_owned();
        for n in 0..3 {
            let (status, _) = iom
                .post("/api/v1/cases/search", json!({"q": format!("Иванова{n}")}))
                .await;
            assert_eq!(status, StatusCode::OK, "{}: search {n}", app.label);
        }
        let (status, _) = iom
            .post("/api/v1/cases/search", json!({"q": "Иванова"}))
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        let r = iom.form("/cases/search", &[("q", "Иванова")]).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        // The count is in the database: another server (with the default limit)
        // refuses this user too.
        let second = app.second_instance().await;
        let r = reqwest::Client::new()
            .post(second.url("/api/v1/cases/search"))
            .bearer_auth(&iom.token)
            .json(&json!({"q": "Иванова"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        // Codes and lists are not name searches; other users have their own count.
        let (status, _) = iom.post("/api/v1/cases/search", json!({"q": code})).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert_eq!(iom.get("/api/v1/cases").await.0, StatusCode::OK);
        let (status, _) = other
            .post("/api/v1/cases/search", json!({"q": "Иванова"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        // Only the searches that ran are in the trail.
        assert_eq!(
            audited(&app, "case.name_search", None).await,
            4,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn identities_leave_only_by_post_from_a_caseworker_with_a_fresh_code_and_within_the_cap() {
    let cfg = WebConfig {
        limits: Limits {
            identity_export_max_rows: 1,
            ..Limits::default()
        },
        ..Default::default()
    };
    for app in TestApp::new().config(cfg.clone()).each_backend().await {
        let first = app.with_user(Role::Caseworker, "iom").await;
        let second = app.with_user(Role::Caseworker, "iom").await;
        let (_, first_app) = signed_in_with_authenticator(&app, &first.email).await;
        let (_, second_app) = signed_in_with_authenticator(&app, &second.email).await;
        let labour = {
            let (status, v) = first
                .post(
                    "/api/v1/cases",
                    json!({"person": {"given_name": "Мария", "family_name": "Иванова"}, "exploitation": {"forms": ["labour"]}}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{}: {v}", app.label);
            v["id"].as_str().unwrap().to_owned()
        };
        let other = register(&first, "Елена", "Петрова").await;
        let export = "/api/v1/cases/identity-export";

        // Without the code, or with a wrong one: nothing is read.
        let (status, body) = first.post(export, json!({"code": ""})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(error_code(&body), "error-totp-wrong", "{}", app.label);
        let (status, _) = first
            .post(export, json!({"code": wrong_code(&first_app)}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        // The right code, but more cases than the cap: refused, to be narrowed.
        let (status, body) = first
            .post(export, json!({"code": next_code(&first_app)}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            error_code(&body),
            "error-identity-export-too-many",
            "{}",
            app.label
        );
        assert_eq!(
            audited(&app, "case.identity_read", None).await,
            0,
            "{}",
            app.label
        );

        // Narrowed to one case, with a fresh code: the file, and its trail.
        let code = next_code(&second_app);
        let r = second
            .request(Method::POST, export)
            .json(&json!({"code": code, "form": "labour"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert_eq!(r.headers()["cache-control"], "no-store", "{}", app.label);
        let csv = r.text().await.unwrap();
        assert!(
            csv.lines()
                .next()
                .unwrap()
                .ends_with("given_name,family_name,birth_date,personal_number,phone"),
            "{}",
            app.label
        );
        assert!(csv.contains("Мария,Иванова"), "{}", app.label);
        assert!(
            !csv.contains("Петрова"),
            "{}: only the labour case",
            app.label
        );
        assert_eq!(
            audited(&app, "case.identity_export", None).await,
            1,
            "{}",
            app.label
        );
        assert_eq!(
            audited(&app, "case.identity_read", Some(&labour)).await,
            1,
            "{}",
            app.label
        );
        assert_eq!(
            audited(&app, "case.identity_read", Some(&other)).await,
            0,
            "{}",
            app.label
        );
        // The same code does not pass twice.
        let (status, _) = second
            .post(export, json!({"code": code, "form": "labour"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);

        // Other roles that work with cases see identities one by one, but take no
        // file of them; neither does an admin.
        for role in [Role::Hotline, Role::Mobile, Role::Admin] {
            let u = app.with_user(role, "iom").await;
            let (status, _) = u.post(export, json!({"code": "123456"})).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{}: {role:?}", app.label);
        }
        // The old GET gives no identities.
        let (status, _) = first.get("/api/v1/cases.csv?identity=true").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.label);
        assert_eq!(
            audited(&app, "case.identity_read", None).await,
            1,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn the_caseload_page_offers_the_identity_export_form_to_caseworkers_only() {
    let app = TestApp::new()
        .on(crate::Backend::Sqlite)
        .await
        .expect("SQLite");
    let cw = app.with_user(Role::Caseworker, "iom").await;
    register(&cw, "Мария", "Иванова").await;
    let (browser, authenticator) = signed_in_with_authenticator(&app, &cw.email).await;
    let page = browser
        .get(app.url("/cases"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"action="/cases/identity-export""#));
    assert!(!page.contains("identity=true"), "no link gives identities");
    let r = browser
        .post(app.url("/cases/identity-export"))
        .form(&[
            ("code", next_code(&authenticator).as_str()),
            ("stage", ""),
            ("form", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Мария,Иванова"));
    assert_eq!(audited(&app, "case.identity_export", None).await, 1);

    let hotline = app.with_user(Role::Hotline, "iom").await;
    let (status, page) = hotline.page("/cases").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("/cases/identity-export"));
}

#[tokio::test]
async fn only_the_organisations_own_admins_create_accounts_that_see_its_identities() {
    for app in TestApp::each_backend().await {
        let commission = app.with_user(Role::Admin, "nccthb").await;
        let iom_admin = app.with_user(Role::Admin, "iom").await;
        let colleague = app.with_user(Role::Admin, "iom").await;
        let a21_admin = app.with_user(Role::Admin, "a21").await;
        let create = |org: &str, role: &str, email: &str| json!({"email": email, "display_name": "Нов профил", "organisation": org, "role": role});

        // The Commission's admin cannot open a partner's files through a new account…
        for role in ["caseworker", "hotline", "mobile"] {
            let (status, _) = commission
                .post(
                    "/api/v1/users",
                    create("iom", role, &format!("{role}@x.test")),
                )
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{}: {role}", app.label);
        }
        // …nor can another organisation's admin; roles without identities are still
        // the Commission's to create anywhere.
        let (status, _) = a21_admin
            .post("/api/v1/users", create("iom", "caseworker", "cw@a21.test"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
        let (status, _) = commission
            .post("/api/v1/users", create("iom", "reporter", "rep@iom.test"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}", app.label);
        assert_eq!(
            audited(&app, "user.identity_access", None).await,
            0,
            "{}",
            app.label
        );

        // The organisation's own admin may; the other admins are told, on their
        // start page, and the trail records it.
        let (status, created) = iom_admin
            .post(
                "/api/v1/users",
                create("iom", "caseworker", "new.cw@iom.test"),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {created}", app.label);
        let events = events(&app, "user.identity_access").await;
        assert_eq!(events.len(), 1, "{}", app.label);
        assert_eq!(events[0].actor_id.as_deref(), Some(iom_admin.id.as_str()));
        assert_eq!(
            events[0].entity_id,
            created["id"].as_str().map(str::to_owned)
        );

        let (_, home) = colleague.page("/").await;
        assert!(
            home.contains(r#"id="notices""#) && home.contains("new.cw@iom.test"),
            "{}: the colleague is told",
            app.label
        );
        let (_, home) = iom_admin.page("/").await;
        assert!(
            !home.contains("new.cw@iom.test"),
            "{}: not the admin who did it",
            app.label
        );
        let (_, home) = a21_admin.page("/").await;
        assert!(!home.contains("new.cw@iom.test"), "{}", app.label);

        // Each dismisses their own notice only.
        let (_, home) = colleague.page("/").await;
        let start = home.find("/notices/").unwrap() + "/notices/".len();
        let id = &home[start..start + home[start..].find('/').unwrap()];
        let r = a21_admin.form(&format!("/notices/{id}/dismiss"), &[]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{}", app.label);
        let r = colleague.form(&format!("/notices/{id}/dismiss"), &[]).await;
        assert_eq!(location(&r), "/", "{}", app.label);
        let (_, home) = colleague.page("/").await;
        assert!(!home.contains("new.cw@iom.test"), "{}", app.label);
    }
}
