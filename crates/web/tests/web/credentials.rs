//! How long a credential lives: a password change ends every other session and
//! revokes the account's API tokens; tokens of roles that see identities live at
//! most seven days; wrong current passwords on the password form count towards the
//! lockout; one TOTP code signs in once, however many sign-ins send it at once.

use reqwest::{Client, StatusCode};
use zakrila_domain::role::{Role, SECOND_FACTOR_TOKEN_MAX_MS};
use zakrila_store::{
    sea_orm::{ColumnTrait, EntityTrait, QueryFilter},
    throttle::MAX_ACCOUNT_FAILURES,
};

use crate::{PASSWORD, TestApp, location};

const NEW_PASSWORD: &str = "синя-река-под-Рила-2026";

/// A code the authenticator shows next: valid now (one step of drift is allowed)
/// and not yet used, unlike the one the enrolment spent.
fn next_code(totp: &totp_rs::Totp) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now + 30).to_string()
}

/// Signs `email` in through the pages, enrolling an authenticator, and keeps it.
async fn enrolled(app: &TestApp, email: &str) -> (Client, totp_rs::Totp) {
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
    let totp = totp_rs::Totp::from_url(&page[start..end].replace("&amp;", "&")).unwrap();
    let r = c
        .post(app.url("/login/totp"))
        .form(&[("code", totp.generate_current().to_string().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/", "{}: enrolled", app.label);
    (c, totp)
}

/// A browser past the password step (the TOTP step next).
async fn past_password(app: &TestApp, email: &str) -> Client {
    let c = app.browser();
    let r = c
        .post(app.url("/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/login/totp", "{}", app.label);
    c
}

/// The account page: open to a session, a redirect to the sign-in without one.
async fn home(app: &TestApp, c: &Client) -> reqwest::Response {
    c.get(app.url("/account")).send().await.unwrap()
}

#[tokio::test]
async fn a_password_change_ends_every_other_session_and_revokes_the_tokens() {
    for app in TestApp::each_backend().await {
        let maria = app
            .with_user_email(Role::Caseworker, "iom", "maria@iom.int")
            .await;
        let (here, totp) = enrolled(&app, "maria@iom.int").await;
        let elsewhere = past_password(&app, "maria@iom.int").await;
        let r = elsewhere
            .post(app.url("/login/totp"))
            .form(&[("code", next_code(&totp).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "{}: a second session", app.label);
        assert_eq!(home(&app, &elsewhere).await.status(), StatusCode::OK);
        assert_eq!(
            maria.get("/api/v1/me").await.0,
            StatusCode::OK,
            "{}",
            app.label
        );

        let r = here
            .post(app.url("/account/password"))
            .form(&[
                ("current", PASSWORD),
                ("new", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "{}: changed", app.label);

        assert_eq!(
            home(&app, &here).await.status(),
            StatusCode::OK,
            "{}: the session it was changed in stays",
            app.label
        );
        assert_eq!(
            location(&home(&app, &elsewhere).await),
            "/login",
            "{}: the other session is over",
            app.label
        );
        assert_eq!(
            maria.get("/api/v1/me").await.0,
            StatusCode::UNAUTHORIZED,
            "{}: the API token is revoked",
            app.label
        );
    }
}

#[tokio::test]
async fn tokens_of_roles_that_see_identities_live_at_most_seven_days() {
    for app in TestApp::each_backend().await {
        let maria = app
            .with_user_email(Role::Caseworker, "iom", "maria@iom.int")
            .await;
        let (c, _) = enrolled(&app, "maria@iom.int").await;
        // Thirty days asked on the account page: seven given.
        let r = c
            .post(app.url("/account/tokens"))
            .form(&[("label", "скрипт"), ("hours", "720")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert!(r.text().await.unwrap().contains("zk_"), "{}", app.label);
        let lives: Vec<i64> = zakrila_store::entity::api_token::Entity::find()
            .filter(zakrila_store::entity::api_token::Column::UserId.eq(&maria.id))
            .filter(zakrila_store::entity::api_token::Column::Label.eq("скрипт"))
            .all(&app.store.reads)
            .await
            .unwrap()
            .iter()
            .map(|t| t.expires_at - t.created_at)
            .collect();
        assert_eq!(lives, [SECOND_FACTOR_TOKEN_MAX_MS], "{}", app.label);
        // Asked of the store directly (the command line's way): refused.
        assert!(
            app.store
                .issue_token(
                    None,
                    &maria.id,
                    "cli",
                    SECOND_FACTOR_TOKEN_MAX_MS + 3_600_000
                )
                .await
                .is_err(),
            "{}",
            app.label
        );
        // A role that sees no identity may keep a token longer.
        let analyst = app.with_user(Role::Analyst, "iom").await;
        assert!(
            app.store
                .issue_token(
                    None,
                    &analyst.id,
                    "cli",
                    SECOND_FACTOR_TOKEN_MAX_MS + 3_600_000
                )
                .await
                .is_ok(),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn wrong_current_passwords_on_the_password_form_lock_the_account() {
    for app in TestApp::each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Caseworker).await;
        let (c, _) = enrolled(&app, "maria@iom.int").await;
        for _ in 0..MAX_ACCOUNT_FAILURES {
            let r = c
                .post(app.url("/account/password"))
                .form(&[
                    ("current", "грешна-парола-123"),
                    ("new", NEW_PASSWORD),
                    ("confirm", NEW_PASSWORD),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                app.label
            );
        }
        // Now even the right current password waits…
        let r = c
            .post(app.url("/account/password"))
            .form(&[
                ("current", PASSWORD),
                ("new", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        // …and so does signing in, from anywhere.
        let r = app
            .browser()
            .post(app.url("/login"))
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        let u = app
            .store
            .user_by_email("maria@iom.int")
            .await
            .unwrap()
            .unwrap();
        assert!(
            zakrila_store::accounts::verify_password(&u.password_hash, PASSWORD),
            "{}: the password did not change",
            app.label
        );
    }
}

#[tokio::test]
async fn one_totp_code_sent_by_several_sign_ins_at_once_passes_once() {
    for app in TestApp::each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Caseworker).await;
        let (_, totp) = enrolled(&app, "maria@iom.int").await;
        let mut browsers = vec![];
        for _ in 0..4 {
            browsers.push(past_password(&app, "maria@iom.int").await);
        }
        let code = next_code(&totp);
        let tries: Vec<_> = browsers
            .into_iter()
            .map(|c| {
                let url = app.url("/login/totp");
                let code = code.clone();
                tokio::spawn(async move {
                    location(
                        &c.post(url)
                            .form(&[("code", code.as_str())])
                            .send()
                            .await
                            .unwrap(),
                    )
                })
            })
            .collect();
        let mut signed_in = 0;
        for t in tries {
            if t.await.unwrap() == "/" {
                signed_in += 1;
            }
        }
        assert_eq!(signed_in, 1, "{}: the code passed once", app.label);
    }
}
