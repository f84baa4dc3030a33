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
        // Each pending referral links the inbox; the purposes are read in the
        // inbox, where the read is audited.
        let pending = home
            .split("id=\"main\"")
            .nth(1)
            .and_then(|m| m.split("id=\"dashboard-sent\"").next())
            .unwrap_or_default();
        assert_eq!(
            pending.matches("<li><a href=\"/referrals\">").count(),
            zakrila_app::cases::DASHBOARD_ITEMS,
            "{}: the dashboard lists a few pending referrals and links them all",
            app.label
        );
        assert!(
            !home.contains("Подслон"),
            "{}: without their purposes",
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
                // A referral answered and another sent: their events join the
                // timeline's one read.
                let partner = app.store().referrals_of_case(&id).await.unwrap()[0]
                    .id
                    .clone();
                app.store()
                    .act_on_referral(
                        uuid::Uuid::parse_str(&cw.id).unwrap(),
                        &partner,
                        zakrila_domain::case::ReferralAction::Accept,
                    )
                    .await
                    .unwrap();
                app.store()
                    .create_referral(
                        uuid::Uuid::parse_str(&cw.id).unwrap(),
                        NewReferral {
                            case_id: id.clone(),
                            from_org: iom.id.clone(),
                            to_org: a21.id.clone(),
                            purpose: "Юридическа помощ".into(),
                            service_code: Some("legal".into()),
                            note: String::new(),
                            consent_override: Some("тест".into()),
                        },
                        OffsetDateTime::now_utc(),
                    )
                    .await
                    .unwrap();
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
                assert_eq!(v.referrals.len(), 1 + extra, "{}", db.label);
                assert_eq!(
                    v.timeline
                        .iter()
                        .filter(|l| l.action.starts_with("referral."))
                        .count(),
                    1 + 2 * extra,
                    "{}: sent, then accepted and another sent",
                    db.label
                );
                let n =
                    count.load(Ordering::SeqCst) + app.store().inline_statements() - inline_before;
                seen.push(n);
            }
        }
        // The case with its person, the directory, the catalogue, the projects, consents,
        // referrals, services, timeline (with the referrals' events) and its actors,
        // the linked cases (three for a person without links: the link round, the
        // case's owner, the linked cases), and the accommodation section (places,
        // placements, shelters with today's occupancy, referrals abroad), the
        // projects and the documents' list: 18, with or without identity (whose
        // audit record is a write, committed by the audit queue), however many
        // referrals and services.
        assert_eq!(seen, vec![18, 18, 18, 18], "{}", db.label);
    }
}

#[tokio::test]
async fn the_timeline_shows_the_referral_sent_accepted_and_revoked() {
    for app in TestApp::each_backend().await {
        let cw = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let partner = app
            .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let iom = app.store.org_by_slug("iom").await.unwrap().unwrap();
        let a21 = app.store.org_by_slug("a21").await.unwrap().unwrap();
        let id = referred_case(&app.store, &cw.id, &iom.id, &a21.id, 0).await;
        let rid = app.store.referrals_of_case(&id).await.unwrap()[0]
            .id
            .clone();
        let timeline = |page: &str| page.split("class=\"timeline\"").nth(1).unwrap().to_owned();
        let (_, page) = cw.page(&format!("/cases/{id}")).await;
        assert!(
            timeline(&page).contains("Изпратено насочване"),
            "{}",
            app.label
        );
        assert!(
            !timeline(&page).contains("Прието насочване"),
            "{}",
            app.label
        );
        let (status, _) = partner
            .post(&format!("/api/v1/referrals/{rid}/accept"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let (_, page) = cw.page(&format!("/cases/{id}")).await;
        assert!(
            timeline(&page).contains("Прието насочване"),
            "{}",
            app.label
        );
        let (status, _) = cw
            .post(&format!("/api/v1/referrals/{rid}/revoke"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let (_, page) = cw.page(&format!("/cases/{id}")).await;
        let t = timeline(&page);
        let sent = t.find("Изпратено насочване").unwrap();
        let accepted = t.find("Прието насочване").unwrap();
        let revoked = t.find("Оттеглено насочване").unwrap();
        assert!(
            sent < accepted && accepted < revoked,
            "{}: in order",
            app.label
        );
    }
}

#[tokio::test]
async fn a_referral_refused_for_consent_keeps_what_was_typed_and_names_the_consent() {
    for app in TestApp::each_backend().await {
        let cw = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (status, case) = cw
            .post(
                "/api/v1/cases",
                json!({"person": {"given_name": "Мария", "family_name": "Петрова", "sex": "female"}}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {case}", app.label);
        let id = case["id"].as_str().unwrap();
        let r = cw
            .form(
                &format!("/cases/{id}/referrals"),
                &[
                    ("to_org", "a21"),
                    ("purpose", "Подслон в Бургас"),
                    ("service", ""),
                    ("note", "Бележка за партньора"),
                    ("override_reason", ""),
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
            page.contains("value=\"Подслон в Бургас\""),
            "{}: the purpose stays",
            app.label
        );
        assert!(
            page.contains("Бележка за партньора</textarea>"),
            "{}: the note stays",
            app.label
        );
        let to_org = page
            .split("id=\"to_org\"")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap();
        assert!(
            to_org.contains("value=\"a21\""),
            "{}: the organisation stays",
            app.label
        );
        assert!(
            page.contains("съгласие за насочване")
                && page.contains("Без съгласие на лицето — писмена причина"),
            "{}: the message names the consent and the override field",
            app.label
        );
        assert!(
            app.store.referrals_of_case(id).await.unwrap().is_empty(),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn the_case_page_stays_under_30_kb_and_fetches_its_lists_once() {
    for app in TestApp::each_backend().await {
        let cw = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let iom = app.store.org_by_slug("iom").await.unwrap().unwrap();
        let a21 = app.store.org_by_slug("a21").await.unwrap().unwrap();
        let id = referred_case(&app.store, &cw.id, &iom.id, &a21.id, 0).await;
        for s in ["psychological", "legal"] {
            let (status, _) = cw
                .post(
                    &format!("/api/v1/cases/{id}/services"),
                    json!({"service": s}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{}", app.label);
        }
        let (status, page) = cw.page(&format!("/cases/{id}/identity")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(page.len() < 30_000, "{}: {} bytes", app.label, page.len());
        assert!(
            !page.contains(">Германия<"),
            "{}: no country list inline",
            app.label
        );
        assert!(page.contains("hx-get=\"/cases/lists\""), "{}", app.label);
        let (status, lists) = cw.page("/cases/lists").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert_eq!(lists.matches("<datalist").count(), 2, "{}", app.label);
        let countries = lists.split("id=\"country-list\"").nth(1).unwrap();
        assert!(
            countries.find(">България<").unwrap() < countries.find(">Австралия<").unwrap(),
            "{}: Bulgaria first",
            app.label
        );
        assert!(
            lists.contains("value=\"a21\""),
            "{}: organisations by code",
            app.label
        );
    }
}

#[tokio::test]
async fn the_inbox_shows_what_was_asked_before_accepting_and_the_sender_its_sent_referrals() {
    for app in TestApp::each_backend().await {
        let cw = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let partner = app
            .with_user_email(Role::Caseworker, "a21", "cw@a21.bg")
            .await;
        let iom = app.store.org_by_slug("iom").await.unwrap().unwrap();
        let a21 = app.store.org_by_slug("a21").await.unwrap().unwrap();
        let id = referred_case(&app.store, &cw.id, &iom.id, &a21.id, 0).await;
        let now = OffsetDateTime::now_utc();
        app.store
            .create_referral(
                uuid::Uuid::parse_str(&cw.id).unwrap(),
                NewReferral {
                    case_id: id.clone(),
                    from_org: iom.id.clone(),
                    to_org: a21.id.clone(),
                    purpose: "Защита по делото".into(),
                    service_code: Some("legal".into()),
                    note: String::new(),
                    consent_override: Some("тест".into()),
                },
                now,
            )
            .await
            .unwrap();
        let (status, inbox) = partner.page("/referrals").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let incoming = inbox.split("id=\"sent\"").next().unwrap();
        assert!(
            incoming.contains("Защита по делото"),
            "{}: the purpose",
            app.label
        );
        assert!(
            incoming.contains("Юридическа помощ<"),
            "{}: the service by name",
            app.label
        );
        assert!(
            incoming.contains("Без съгласие, с писмена причина"),
            "{}: the consent it was made under",
            app.label
        );
        // Once declined, the receiver no longer reads the purpose.
        let rid = app
            .store
            .referrals_of_case(&id)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.service_code.as_deref() == Some("legal"))
            .unwrap()
            .id;
        let (status, _) = partner
            .post(
                &format!("/api/v1/referrals/{rid}/decline"),
                json!({"reason": "no_capacity"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let (_, inbox) = partner.page("/referrals").await;
        assert!(!inbox.contains("Защита по делото"), "{}", app.label);

        let (_, mine) = cw.page("/referrals").await;
        let sent = mine.split("id=\"sent\"").nth(1).unwrap();
        assert!(
            sent.contains("Защита по делото"),
            "{}: the sender's list",
            app.label
        );
        assert!(sent.contains("Подслон 0"), "{}", app.label);
        assert!(
            mine.contains("id=\"referrals-sent-total\">2<"),
            "{}",
            app.label
        );
    }
}
