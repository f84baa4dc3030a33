//! Issue 12's file and cookie hardening as a user sees it: the session cookie and
//! HSTS over HTTPS, a referral's purpose hidden from its receiver once it is over,
//! and erased cases that cannot be written to.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::{PASSWORD, TestApp, case_details::register};

async fn sign_in_response(app: &TestApp) -> reqwest::Response {
    app.add_user("ana@nccthb.bg", "nccthb", Role::Analyst).await;
    app.browser()
        .post(app.url("/login"))
        .form(&[("email", "ana@nccthb.bg"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
}

fn session_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.contains("zk_session="))
        .expect("a session cookie")
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_bound_and_hsts_is_sent() {
    let cfg = zakrila_web::WebConfig {
        secure_cookies: true,
        ..Default::default()
    };
    for app in TestApp::new().config(cfg).each_backend().await {
        let r = sign_in_response(&app).await;
        assert_eq!(
            r.headers()
                .get("strict-transport-security")
                .and_then(|v| v.to_str().ok()),
            Some("max-age=31536000"),
            "{}",
            app.label
        );
        let cookie = session_cookie(&r);
        assert!(
            cookie.starts_with("__Host-zk_session=")
                && cookie.contains("; Secure")
                && cookie.contains("Path=/")
                && !cookie.contains("Domain"),
            "{}: {cookie}",
            app.label
        );
        // The prefixed cookie is the one the server reads back.
        let token = cookie.split(';').next().unwrap();
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(app.url("/"))
            .header("cookie", token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}: signed in", app.label);
    }
}

#[tokio::test]
async fn over_plain_http_there_is_no_hsts_and_no_prefix() {
    for app in TestApp::each_backend().await {
        let r = sign_in_response(&app).await;
        assert!(
            r.headers().get("strict-transport-security").is_none(),
            "{}",
            app.label
        );
        let cookie = session_cookie(&r);
        assert!(
            cookie.starts_with("zk_session=") && !cookie.contains("Secure"),
            "{}: {cookie}",
            app.label
        );
    }
}

fn purpose_in(inbox: &Value, id: &str) -> Option<Value> {
    inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .map(|r| r["purpose"].clone())
}

#[tokio::test]
async fn the_receiver_loses_a_referrals_purpose_once_declined_or_revoked() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let partner = app.with_user(Role::Caseworker, "a21").await;
        let mut ids = vec![];
        for given in ["Мария", "Елена"] {
            let case = register(&cw, given, "Петрова").await;
            let (status, r) = cw
                .post(
                    &format!("/api/v1/cases/{case}/referrals"),
                    json!({"to_org": "a21", "purpose": "Подслон за майка с дете",
                           "consent_override_reason": "спешно настаняване"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{}: {r}", app.label);
            ids.push(r["id"].as_str().unwrap().to_owned());
        }
        let inbox = partner.json("/api/v1/referrals").await;
        assert_eq!(
            purpose_in(&inbox, &ids[0]),
            Some(json!("Подслон за майка с дете")),
            "{}: while it decides",
            app.label
        );

        let (status, declined) = partner
            .post(
                &format!("/api/v1/referrals/{}/decline", ids[0]),
                json!({"reason": "no_capacity"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {declined}", app.label);
        assert!(declined["purpose"].is_null(), "{}: {declined}", app.label);
        let (status, _) = cw
            .post(&format!("/api/v1/referrals/{}/revoke", ids[1]), Value::Null)
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);

        for (id, status) in ids.iter().zip(["declined", "revoked"]) {
            let inbox = partner
                .json(&format!("/api/v1/referrals?status={status}"))
                .await;
            assert_eq!(
                purpose_in(&inbox, id),
                Some(Value::Null),
                "{}: {inbox}",
                app.label
            );
            assert!(
                !inbox.to_string().contains("Подслон за майка"),
                "{}",
                app.label
            );
        }
    }
}

#[tokio::test]
async fn erasure_removes_links_consents_and_birth_year_and_the_case_takes_no_more_changes() {
    use zakrila_store::entity::{consent, linkage_candidate};
    use zakrila_store::sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Златомира", "Вълчанова").await;
        let other = register(&iom, "Росица", "Вълчанова").await;
        let (status, _) = iom
            .post(
                &format!("/api/v1/cases/{id}/consents"),
                json!({"kind": "referral", "state": "given"}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{}", app.label);
        // A confirmed link to another organisation's case of the same person.
        let iom_org = app.store.org_by_slug("iom").await.unwrap().unwrap();
        let a21_org = app.store.org_by_slug("a21").await.unwrap().unwrap();
        linkage_candidate::Entity::insert(linkage_candidate::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            case_a: Set(id.clone().min(other.clone())),
            case_b: Set(id.clone().max(other.clone())),
            org_a: Set(iom_org.id.clone()),
            org_b: Set(a21_org.id.clone()),
            similarity_ppm: Set(950_000),
            schema_id: Set("test".into()),
            status: Set("confirmed".into()),
            created_at: Set(0),
            reviewed_by: Set(Some(iom.id.clone())),
            reviewed_at: Set(Some(0)),
        })
        .exec(&app.store.reads)
        .await
        .unwrap();
        let (moved, _) = iom
            .post(
                &format!("/api/v1/cases/{id}/stage"),
                json!({"to": "closed", "version": 1, "closure_reason": "other"}),
            )
            .await;
        assert_eq!(moved, StatusCode::OK, "{}", app.label);
        let (status, _) = iom
            .post(&format!("/api/v1/cases/{id}/erase"), json!({}))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{}", app.label);

        let case = app.store.case_by_id(&id).await.unwrap().unwrap();
        let person = app.store.person_of(&case).await.unwrap();
        assert_eq!(person.birth_year, None, "{}", app.label);
        assert!(
            person.age_band.is_some(),
            "{}: the age band stays",
            app.label
        );
        let consents = consent::Entity::find()
            .filter(consent::Column::CaseId.eq(id.clone()))
            .all(&app.store.reads)
            .await
            .unwrap();
        assert!(consents.is_empty(), "{}", app.label);
        let links = linkage_candidate::Entity::find()
            .all(&app.store.reads)
            .await
            .unwrap();
        assert!(
            links.iter().all(|l| l.case_a != id && l.case_b != id),
            "{}",
            app.label
        );

        // Every change is refused, with the reason, in Bulgarian first.
        for (path, body) in [
            (
                format!("/api/v1/cases/{id}/consents"),
                json!({"kind": "assistance", "state": "given"}),
            ),
            (
                format!("/api/v1/cases/{id}/referrals"),
                json!({"to_org": "a21", "purpose": "Подслон", "consent_override_reason": "спешно"}),
            ),
            (
                format!("/api/v1/cases/{id}/stage"),
                json!({"to": "assistance", "version": 2}),
            ),
        ] {
            let (status, r) = iom.post(&path, body).await;
            assert_eq!(status, StatusCode::CONFLICT, "{} {path}: {r}", app.label);
            assert_eq!(
                r["title"],
                "Личните данни по този случай са заличени: той вече не може да се променя.",
                "{}",
                app.label
            );
        }
        let (status, _) = iom
            .put(
                &format!("/api/v1/cases/{id}/return"),
                json!({"from_country": "DEU"}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", app.label);
        // Reading it still works.
        assert_eq!(
            iom.get(&format!("/api/v1/cases/{id}")).await.0,
            StatusCode::OK
        );
    }
}
