//! Free text that may identify a person — a referral's purpose, note and consent
//! override reason, a court case number, the place a person returns from, a
//! reintegration goal, a follow-up note — is kept in the vault: no column of the
//! registry holds it in clear, it is shown only on an identity read, every such
//! read is audited, and rows written in clear before the upgrade are encrypted by
//! the start-up step.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zakrila_domain::role::Role;
use zakrila_store::{keys::ENCRYPTED_COLUMNS, sea_orm::ConnectionTrait};

use crate::{
    TestApp, User,
    case_details::{audited, register},
};

const PURPOSE: &str = "Подслон в Кюстендил QX7";
const NOTE: &str = "Бележка към насочването QX7";
const OVERRIDE: &str = "Спешно, съпругът я търси QX7";
const CASE_NUMBER: &str = "НОХД 7731/2025 QX7";
const CITY: &str = "Дортмунд QX7";
const GOAL: &str = "Работа в пекарната на чичо ѝ QX7";
const SESSION_NOTE: &str = "Живее при сестра си QX7";
const MARKERS: [&str; 7] = [
    PURPOSE,
    NOTE,
    OVERRIDE,
    CASE_NUMBER,
    CITY,
    GOAL,
    SESSION_NOTE,
];

/// Writes every kind of free text on a new case through the API; returns its id.
async fn case_with_free_text(cw: &User<'_>) -> String {
    let label = cw.app.label;
    let id = register(cw, "Мария", "Петрова").await;
    let ok = |(s, v): (StatusCode, Value)| {
        assert!(s.is_success(), "{label}: {s} {v}");
        v
    };
    ok(cw
        .post(
            &format!("/api/v1/cases/{id}/consents"),
            json!({"kind": "referral", "state": "given"}),
        )
        .await);
    let r = ok(cw
        .post(
            &format!("/api/v1/cases/{id}/referrals"),
            json!({"to_org": "a21", "purpose": PURPOSE, "note": NOTE}),
        )
        .await);
    assert_eq!(r["purpose"], PURPOSE, "{label}: the sender's own words");
    ok(cw
        .post(
            &format!("/api/v1/cases/{id}/referrals"),
            json!({"to_org": "sacp", "purpose": "Закрила", "consent_override_reason": OVERRIDE}),
        )
        .await);
    ok(cw
        .post(
            &format!("/api/v1/cases/{id}/proceedings"),
            json!({"stage": "pre_trial", "case_number": CASE_NUMBER}),
        )
        .await);
    ok(cw
        .put(
            &format!("/api/v1/cases/{id}/return"),
            json!({"from_country": "DEU", "from_city": CITY}),
        )
        .await);
    let g = ok(cw
        .post(
            &format!("/api/v1/cases/{id}/reintegration/goals"),
            json!({"goal": GOAL}),
        )
        .await);
    assert_eq!(g["goal"], GOAL, "{label}: the caseworker's own words");
    let f = ok(cw
        .post(
            &format!("/api/v1/cases/{id}/follow-ups"),
            json!({"due_on": "2025-06-01"}),
        )
        .await);
    ok(cw
        .post(
            &format!("/api/v1/cases/{id}/follow-ups/{}", f["id"].as_str().unwrap()),
            json!({"held_on": "2025-06-02", "outcome": "stable", "note": SESSION_NOTE, "version": 1}),
        )
        .await);
    id
}

/// Every value of every encrypted column of the registry that holds one of `markers`.
async fn in_clear(app: &TestApp, markers: &[&str]) -> Vec<String> {
    let mut found = vec![];
    for (table, _, col) in ENCRYPTED_COLUMNS {
        let rows = app
            .store
            .reads
            .query_all_raw(zakrila_store::sea_orm::Statement::from_string(
                app.store.reads.get_database_backend(),
                format!("SELECT {col} AS v FROM {table} WHERE {col} IS NOT NULL"),
            ))
            .await
            .unwrap();
        for row in rows {
            let v: String = row.try_get("", "v").unwrap();
            if markers.iter().any(|m| v.contains(m)) {
                found.push(format!("{table}.{col}: {v}"));
            }
        }
    }
    found
}

/// The SQLite database file and its WAL, as text, when the app runs on SQLite.
fn sqlite_bytes(app: &TestApp) -> Option<String> {
    let path = app.sqlite_path()?;
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(format!("{}-wal", path.display())).unwrap_or_default());
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn free_text_is_encrypted_and_every_read_of_it_audited() {
    for app in TestApp::each_backend().await {
        let label = app.label;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let id = case_with_free_text(&cw).await;

        // Nothing in clear in any registered column, nor in the SQLite file.
        assert_eq!(
            in_clear(&app, &MARKERS).await,
            Vec::<String>::new(),
            "{label}"
        );
        if let Some(bytes) = sqlite_bytes(&app) {
            for m in MARKERS {
                assert!(!bytes.contains(m), "{label}: {m:?} in the database file");
            }
        }

        // Read without the identity: that something is recorded, not what.
        let reads = audited(&app, "case.identity_read", Some(&id)).await;
        let ret = cw.json(&format!("/api/v1/cases/{id}/return")).await;
        assert_eq!(
            (ret["from_city"].clone(), ret["from_city_recorded"].clone()),
            (Value::Null, json!(true)),
            "{label}"
        );
        let plan = cw.json(&format!("/api/v1/cases/{id}/reintegration")).await;
        assert_eq!(plan["goals"][0]["goal"], Value::Null, "{label}");
        assert_eq!(plan["follow_ups"][0]["note"], Value::Null, "{label}");
        assert_eq!(plan["follow_ups"][0]["note_recorded"], true, "{label}");
        let procs = cw.json(&format!("/api/v1/cases/{id}/proceedings")).await;
        assert_eq!(procs[0]["case_number"], Value::Null, "{label}");
        assert_eq!(procs[0]["case_number_recorded"], true, "{label}");
        let (_, page) = cw.page(&format!("/cases/{id}")).await;
        for m in MARKERS {
            assert!(
                !page.contains(m),
                "{label}: {m:?} on the case page without the identity"
            );
        }
        let (_, home) = cw.page("/").await;
        assert!(
            !home.contains(PURPOSE),
            "{label}: the purpose on the home page"
        );
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            reads,
            "{label}: nothing opened, nothing recorded"
        );

        // Each identity read opens the text and is recorded.
        let ret = cw
            .json(&format!("/api/v1/cases/{id}/return?identity=true"))
            .await;
        assert_eq!(ret["from_city"], CITY, "{label}");
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            reads + 1,
            "{label}"
        );
        let plan = cw
            .json(&format!("/api/v1/cases/{id}/reintegration?identity=true"))
            .await;
        assert_eq!(
            (
                plan["goals"][0]["goal"].as_str(),
                plan["follow_ups"][0]["note"].as_str()
            ),
            (Some(GOAL), Some(SESSION_NOTE)),
            "{label}"
        );
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            reads + 2,
            "{label}"
        );
        let procs = cw
            .json(&format!("/api/v1/cases/{id}/proceedings?identity=true"))
            .await;
        assert_eq!(procs[0]["case_number"], CASE_NUMBER, "{label}");
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            reads + 3,
            "{label}"
        );
        let (status, page) = cw.page(&format!("/cases/{id}/identity")).await;
        assert_eq!(status, StatusCode::OK, "{label}");
        for m in [PURPOSE, CASE_NUMBER, CITY, GOAL, SESSION_NOTE] {
            assert!(
                page.contains(m),
                "{label}: {m:?} on the page with the identity"
            );
        }
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            reads + 6,
            "{label}: the identity, the purposes and the details read"
        );

        // The receiver reads the purpose in its inbox: recorded too.
        let before = audited(&app, "case.identity_read", Some(&id)).await;
        let partner = app.with_user(Role::Caseworker, "a21").await;
        let inbox = partner.json("/api/v1/referrals").await;
        assert_eq!(inbox[0]["purpose"], PURPOSE, "{label}");
        assert_eq!(
            audited(&app, "case.identity_read", Some(&id)).await,
            before + 1,
            "{label}"
        );

        // A role that may not see identities cannot ask for the text.
        let auditor = app.with_user(Role::Auditor, "iom").await;
        let (status, _) = auditor
            .get(&format!("/api/v1/cases/{id}/return?identity=true"))
            .await;
        assert_ne!(status, StatusCode::OK, "{label}");
    }
}

#[tokio::test]
async fn the_upgrade_step_encrypts_free_text_written_in_clear() {
    for app in TestApp::each_backend().await {
        let label = app.label;
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let id = case_with_free_text(&cw).await;
        // Rows as the version before wrote them: every column in clear.
        let db = &app.store.writer;
        for (table, col, value) in [
            ("referrals", "purpose", "Стар подслон OLD9"),
            ("referrals", "note", "Стара бележка OLD9"),
            ("case_proceedings", "case_number", "НОХД 1/2020 OLD9"),
            ("case_returns", "from_city", "Линц OLD9"),
            ("reintegration_goals", "goal", "Стара цел OLD9"),
            ("follow_ups", "note", "Стара сесия OLD9"),
        ] {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET {col} = '{value}' WHERE case_id = '{id}' AND {col} <> ''"
            ))
            .await
            .unwrap();
        }
        db.execute_unprepared(&format!(
            "UPDATE referrals SET consent_override = 'Старо спешно OLD9' \
             WHERE case_id = '{id}' AND consent_override IS NOT NULL"
        ))
        .await
        .unwrap();
        // Two purposes (two referrals), a note, an override reason and four more.
        assert_eq!(
            in_clear(&app, &["OLD9"]).await.len(),
            8,
            "{label}: the scan sees them"
        );

        app.store.mark_plaintext_pending().await.unwrap();
        let sealed = app.store.seal_plaintext().await.unwrap();
        assert_eq!(sealed, 8, "{label}");
        assert_eq!(
            in_clear(&app, &["OLD9"]).await,
            Vec::<String>::new(),
            "{label}"
        );
        // Once done, nothing to do; run again on sealed rows, nothing changes.
        assert_eq!(app.store.seal_plaintext().await.unwrap(), 0, "{label}");
        app.store.mark_plaintext_pending().await.unwrap();
        assert_eq!(app.store.seal_plaintext().await.unwrap(), 0, "{label}");

        // The sealed values read back through the audited path.
        let ret = cw
            .json(&format!("/api/v1/cases/{id}/return?identity=true"))
            .await;
        assert_eq!(ret["from_city"], "Линц OLD9", "{label}");
        let procs = cw
            .json(&format!("/api/v1/cases/{id}/proceedings?identity=true"))
            .await;
        assert_eq!(procs[0]["case_number"], "НОХД 1/2020 OLD9", "{label}");
    }
}
