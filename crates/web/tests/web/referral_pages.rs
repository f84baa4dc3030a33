//! What the case page and the referral pages show: the revoke button exactly to
//! those the policy lets refer the case; an inbox and a dashboard that show a page,
//! not the whole history; and the case page's aggregate in a fixed number of
//! statements, however much the case holds.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use zakrila_domain::{
    case::{NewCase, RawNewCase},
    role::Role,
};
use zakrila_store::{Store, Vault, cases::NewReferral, testing::fresh_databases};

use crate::TestApp;

/// A case of `org` referred (with a written override of consent) to `to`.
async fn referred_case(store: &Store, actor: &str, org: &str, to: &str, n: usize) -> String {
    let letters: Vec<char> = "абвгдежзиклмнопрстуфхцчшюя".chars().collect();
    let name = format!(
        "Мария{}{}",
        letters[n / letters.len() % letters.len()],
        letters[n % letters.len()]
    );
    let raw: RawNewCase = serde_json::from_value(json!({"person": {
        "given_name": name, "family_name": "Петрова", "sex": "female"}}))
    .unwrap();
    let now = OffsetDateTime::now_utc();
    let actor = uuid::Uuid::parse_str(actor).unwrap();
    let reg = store
        .register_case(actor, org, NewCase::parse(raw, now).unwrap(), now)
        .await
        .unwrap();
    store
        .create_referral(
            actor,
            NewReferral {
                case_id: reg.case.id.clone(),
                from_org: org.to_owned(),
                to_org: to.to_owned(),
                purpose: format!("Подслон {n}"),
                service_code: None,
                note: String::new(),
                consent_override: Some("тест".into()),
            },
            now,
        )
        .await
        .unwrap();
    reg.case.id
}

#[tokio::test]
async fn only_those_who_may_refer_the_case_see_the_revoke_button() {
    for app in TestApp::each_backend().await {
        let cw = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let hot = app
            .with_user_email(Role::Hotline, "iom", "hot@iom.int")
            .await;
        let iom = app.store.org_by_slug("iom").await.unwrap().unwrap();
        let a21 = app.store.org_by_slug("a21").await.unwrap().unwrap();
        let id = referred_case(&app.store, &cw.id, &iom.id, &a21.id, 0).await;
        for (user, sees) in [(&cw, true), (&hot, false)] {
            let email = &user.email;
            let (status, page) = user.page(&format!("/cases/{id}")).await;
            assert_eq!(status, StatusCode::OK, "{}: {email}", app.label);
            assert_eq!(
                page.contains("/revoke\""),
                sees,
                "{}: {email} sees the revoke button: {sees}",
                app.label
            );
        }
        // The hotline user is refused the revocation itself, as the page implied.
        let rid = app.store.referrals_of_case(&id).await.unwrap()[0]
            .id
            .clone();
        let (status, _) = hot
            .post(&format!("/api/v1/referrals/{rid}/revoke"), json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}

#[tokio::test]
async fn the_inbox_and_the_dashboard_show_a_page_not_the_whole_history() {
    for app in TestApp::each_backend().await {
        let cw = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let partner = app
            .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let iom = app.store.org_by_slug("iom").await.unwrap().unwrap();
        let a21 = app.store.org_by_slug("a21").await.unwrap().unwrap();
        let n = zakrila_app::referrals::INBOX_PAGE as usize + 3;
        for i in 0..n {
            referred_case(&app.store, &cw.id, &iom.id, &a21.id, i).await;
        }
        let partner = &partner;
        let get =
            |path: String| async move { partner.request(Method::GET, &path).send().await.unwrap() };
        let r = get("/api/v1/referrals".into()).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert_eq!(
            r.headers()["x-total-count"].to_str().unwrap(),
            n.to_string(),
            "{}",
            app.label
        );
        let first: Vec<Value> = r.json().await.unwrap();
        assert_eq!(first.len(), 50, "{}: a page of 50", app.label);
        assert_eq!(first[0]["to_org"], "a21", "{}: the JSON shape", app.label);
        let rest: Vec<Value> = get("/api/v1/referrals?page=1".into())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(rest.len(), 3, "{}: the rest on the next page", app.label);
        let all: Vec<Value> = get("/api/v1/referrals?limit=1000".into())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(all.len(), n, "{}: a larger page, capped at 200", app.label);

        let c = partner.browser().await;
        let inbox = c
            .get(app.url("/referrals"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            inbox.matches("/accept\"").count(),
            50,
            "{}: the inbox page shows a page",
            app.label
        );
        assert!(
            inbox.contains("/referrals?page=1"),
            "{}: and links the next",
            app.label
        );
        let home = c
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            home.matches("Подслон").count(),
            zakrila_app::cases::DASHBOARD_ITEMS,
            "{}: the dashboard lists a few pending referrals and links them all",
            app.label
        );
        assert!(
            home.contains(&format!("({n})")),
            "{}: with their count",
            app.label
        );
        assert!(home.contains("dashboard-referrals-more"), "{}", app.label);
    }
}

/// Statements the case page's view issues: on the read pool (SeaORM's metric
/// callback) and, on SQLite with a file, on the calling thread's readers
/// (`inline_reads`), whichever path the store chose for each read.
#[tokio::test]
async fn case_view_statements() {
    for db in fresh_databases().await {
        let mut store = Store::open(&db.url, Vault::from_bytes([42; 32]))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        store.first_start().await.unwrap();
        let iom = store.org_by_slug("iom").await.unwrap().unwrap();
        let a21 = store.org_by_slug("a21").await.unwrap().unwrap();
        let make = |email: &str, org: &str| zakrila_store::accounts::NewUser {
            email: zakrila_domain::user::Email::parse(email).unwrap(),
            display_name: "Тест".into(),
            org_slug: org.into(),
            role: Role::Caseworker,
            password: zakrila_domain::password::NewPassword::parse(crate::PASSWORD).unwrap(),
            must_change_password: false,
        };
        let cw = store
            .create_user(None, make("cw@iom.int", "iom"))
            .await
            .unwrap();
        let id = referred_case(&store, &cw.id, &iom.id, &a21.id, 0).await;
        // A fuller case: more referrals and services must not mean more statements.
        let (_, token) = store.issue_token(None, &cw.id, "t", 60_000).await.unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let counter = count.clone();
        store.reads.set_metric_callback(move |i| {
            counter.fetch_add(1, Ordering::SeqCst);
            if std::env::var("SHOW_SQL").is_ok() {
                eprintln!("SQL {}", i.statement.sql);
            }
        });
        let app = zakrila_app::App::new(store);
        let a = app.token_caller(&token).await.unwrap();
        let mut seen = vec![];
        for extra in 0..2 {
            if extra == 1 {
                for s in ["psychological", "legal"] {
                    app.plan_service(
                        &a,
                        &id,
                        serde_json::from_value(json!({"service": s})).unwrap(),
                    )
                    .await
                    .unwrap();
                }
            }
            for identity in [None, Some("test")] {
                count.store(0, Ordering::SeqCst);
                let inline_before = app.store().inline_statements();
                let v = app.case_view(&a, &id, identity).await.unwrap();
                assert_eq!(v.identity.is_some(), identity.is_some());
                assert_eq!(v.services.len(), 2 * extra);
                let n =
                    count.load(Ordering::SeqCst) + app.store().inline_statements() - inline_before;
                seen.push(n);
            }
        }
        // The case with its person, the directory, the catalogue, consents,
        // referrals, services, timeline, and the linked cases (three for a person
        // without links: the link round, the case's owner, the linked cases): 10, with or without identity (whose audit
        // record is a write, committed by the audit queue), however many services.
        assert_eq!(seen, vec![10, 10, 10, 10], "{}", db.label);
    }
}
