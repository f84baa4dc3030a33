//! Signing in and staying signed in: lockout, TOTP, sessions shared by two servers,
//! CSRF, sign out everywhere, forced password change.

use reqwest::StatusCode;
use zakrila_domain::role::Role;
use zakrila_store::throttle::MAX_ACCOUNT_FAILURES;

use crate::{PASSWORD, TestApp, location};

#[tokio::test]
async fn pages_need_a_session() {
    for app in TestApp::each_backend().await {
        let r = app
            .browser()
            .get(app.url("/admin/users"))
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/login", "{}", app.label);
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    for app in TestApp::each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Analyst).await;
        let c = app.browser();
        let wrong = c
            .post(app.url("/login"))
            .form(&[("email", "maria@iom.int"), ("password", "не-е-тази-парола")])
            .send()
            .await
            .unwrap();
        let unknown = c
            .post(app.url("/login"))
            .form(&[
                ("email", "nobody@iom.int"),
                ("password", "не-е-тази-парола"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{}", app.label);
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED, "{}", app.label);
        let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
        assert!(
            a.contains("Невалиден имейл, парола или код"),
            "{}",
            app.label
        );
        // The pages differ only in the e-mail echoed back into the form.
        assert_eq!(
            a.replace("maria@iom.int", "X"),
            b.replace("nobody@iom.int", "X"),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    for app in TestApp::each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Analyst).await;
        let c = app.browser();
        for _ in 0..MAX_ACCOUNT_FAILURES {
            c.post(app.url("/login"))
                .form(&[
                    ("email", "maria@iom.int"),
                    ("password", "грешна-парола-123"),
                ])
                .send()
                .await
                .unwrap();
        }
        let r = c
            .post(app.url("/login"))
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{}: locked",
            app.label
        );
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Опитите за вход са спрени до"),
            "{}: the page says attempts are paused",
            app.label
        );
        // An unknown account is paused exactly alike, so the pause reveals nothing.
        for _ in 0..=MAX_ACCOUNT_FAILURES {
            c.post(app.url("/login"))
                .form(&[
                    ("email", "nobody@iom.int"),
                    ("password", "грешна-парола-123"),
                ])
                .send()
                .await
                .unwrap();
        }
        let r = c
            .post(app.url("/login"))
            .form(&[("email", "nobody@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        assert_eq!(
            r.text().await.unwrap().replace("nobody@iom.int", "X"),
            page.replace("maria@iom.int", "X"),
            "{}: the same page",
            app.label
        );
        // And the failures are in the audit trail.
        let trail = zakrila_store::audit::list(
            &app.store.reads,
            &zakrila_store::audit::AuditQuery {
                action_prefix: Some("auth.signin_failed".into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
        assert!(
            trail.len() >= MAX_ACCOUNT_FAILURES as usize,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn caseworkers_must_enrol_a_second_factor_and_codes_are_checked() {
    for app in TestApp::each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Caseworker).await;
        let c = app.browser();
        let r = c
            .post(app.url("/login"))
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/login/totp/enrol", "{}", app.label);
        // Not signed in yet: the API refuses the half-made session.
        assert_eq!(
            c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{}",
            app.label
        );
        let code = crate::enrol_code(&c, &app).await;
        let bad = if code == "123456" { "654321" } else { "123456" };
        let r = c
            .post(app.url("/login/totp"))
            .form(&[("code", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNAUTHORIZED,
            "{}: wrong code",
            app.label
        );
        let r = c
            .post(app.url("/login/totp"))
            .form(&[("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "{}", app.label);
        let me: serde_json::Value = c
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["email"], "maria@iom.int", "{}", app.label);
        assert_eq!(me["totp_enabled"], true, "{}", app.label);
        // Next time: the code is asked for, not a new enrolment.
        let c2 = app.browser();
        let r = c2
            .post(app.url("/login"))
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/login/totp", "{}", app.label);
    }
}

#[tokio::test]
async fn the_session_cookie_is_strict_and_rotates_at_sign_in() {
    for app in TestApp::each_backend().await {
        app.add_user("ana@nccthb.bg", "nccthb", Role::Analyst).await;
        let c = app.browser();
        let r = c
            .post(app.url("/login"))
            .form(&[("email", "ana@nccthb.bg"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("zk_session="))
            .unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{}: {cookie}",
            app.label
        );
        let r2 = c
            .post(app.url("/login"))
            .form(&[("email", "ana@nccthb.bg"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let cookie2 = r2
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("zk_session="))
            .unwrap();
        assert_ne!(
            cookie, cookie2,
            "{}: a new session id at each sign-in",
            app.label
        );
        let old = cookie
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("zk_session=")
            .to_owned();
        assert!(
            app.store.session(&old).await.unwrap().is_none(),
            "{}: the old session ended",
            app.label
        );
    }
}

#[tokio::test]
async fn a_session_made_on_one_server_is_valid_on_another() {
    for app in TestApp::each_backend().await {
        let ana = app
            .with_user_email(Role::Analyst, "nccthb", "ana@nccthb.bg")
            .await;
        let c = ana.browser().await;
        let other = app.second_instance().await;
        let r = c.get(other.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        // Signing out on the second ends it on the first.
        c.post(other.url("/logout")).send().await.unwrap();
        assert_eq!(
            c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    for app in TestApp::each_backend().await {
        let ana = app
            .with_user_email(Role::Analyst, "nccthb", "ana@nccthb.bg")
            .await;
        let c = ana.browser().await;
        let r = c
            .post(app.url("/account/sign-out-everywhere"))
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", app.label);
        // Still signed in: the forged request changed nothing.
        assert_eq!(
            c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
            StatusCode::OK,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_and_token() {
    for app in TestApp::each_backend().await {
        let ana = app
            .with_user_email(Role::Analyst, "nccthb", "ana@nccthb.bg")
            .await;
        let a = ana.browser().await;
        let b = app.signed_in(&ana.email).await;
        let token = &ana.token;
        a.post(app.url("/account/sign-out-everywhere"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            b.get(app.url("/api/v1/me")).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{}",
            app.label
        );
        let r = reqwest::Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{}", app.label);
    }
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_first() {
    for app in TestApp::each_backend().await {
        // The admin from the first start: one-time password, second factor required.
        let pw = zakrila_store::accounts::one_time_password();
        let admin = app
            .store
            .user_by_email(zakrila_store::bootstrap::ADMIN_EMAIL)
            .await
            .unwrap()
            .unwrap();
        app.store
            .set_password(
                None,
                &admin.id,
                &zakrila_domain::password::NewPassword::parse(&pw).unwrap(),
            )
            .await
            .unwrap();
        sea_orm_set_must_change(&app, &admin.id).await;
        let c = app.browser();
        let r = c
            .post(app.url("/login"))
            .form(&[
                ("email", zakrila_store::bootstrap::ADMIN_EMAIL),
                ("password", pw.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/login/totp/enrol", "{}", app.label);
        let code = crate::enrol_code(&c, &app).await;
        let r = c
            .post(app.url("/login/totp"))
            .form(&[("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/account/password", "{}", app.label);
        // Nothing else opens until the password is changed.
        assert_eq!(
            location(&c.get(app.url("/admin/users")).send().await.unwrap()),
            "/account/password",
            "{}",
            app.label
        );
        let r = c
            .post(app.url("/account/password"))
            .form(&[
                ("current", pw.as_str()),
                ("new", "password1234"),
                ("confirm", "password1234"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: common password refused",
            app.label
        );
        assert!(
            r.text().await.unwrap().contains("най-често използваните"),
            "{}",
            app.label
        );
        let r = c
            .post(app.url("/account/password"))
            .form(&[
                ("current", pw.as_str()),
                ("new", PASSWORD),
                ("confirm", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "{}", app.label);
        assert_eq!(
            c.get(app.url("/admin/users"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK,
            "{}",
            app.label
        );
    }
}

async fn sea_orm_set_must_change(app: &TestApp, id: &str) {
    use zakrila_store::sea_orm::{ConnectionTrait, Statement};
    app.store
        .reads
        .execute_raw(Statement::from_string(
            app.store.reads.get_database_backend(),
            format!("UPDATE users SET must_change_password = true WHERE id = '{id}'"),
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_language_switch_changes_the_page_language() {
    for app in TestApp::each_backend().await {
        let c = app.browser();
        let bg = c
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            bg.contains("<html lang=\"bg\">") && bg.contains("Вход"),
            "{}",
            app.label
        );
        let r = c
            .post(app.url("/lang"))
            .form(&[("lang", "en"), ("next", "/login")])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/login", "{}", app.label);
        let en = c
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            en.contains("<html lang=\"en\">") && en.contains("Sign in"),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn parallel_wrong_codes_get_at_most_five_tries_then_the_session_ends() {
    for app in TestApp::each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Caseworker).await;
        let c = app.browser();
        let r = c
            .post(app.url("/login"))
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/login/totp/enrol", "{}", app.label);
        let code = crate::enrol_code(&c, &app).await;
        let bad = if code == "123456" { "654321" } else { "123456" };
        let guesses: Vec<_> = (0..200)
            .map(|_| {
                let c = c.clone();
                let url = app.url("/login/totp");
                tokio::spawn(async move {
                    c.post(url)
                        .form(&[("code", bad)])
                        .send()
                        .await
                        .unwrap()
                        .status()
                })
            })
            .collect();
        let mut wrong = 0;
        for g in guesses {
            if g.await.unwrap() == StatusCode::UNAUTHORIZED {
                wrong += 1;
            }
        }
        let evaluated = zakrila_store::audit::list(
            &app.store.reads,
            &zakrila_store::audit::AuditQuery {
                action_prefix: Some("auth.totp_failed".into()),
                ..Default::default()
            },
            1000,
        )
        .await
        .unwrap()
        .len();
        assert!(
            evaluated <= MAX_ACCOUNT_FAILURES as usize && wrong <= MAX_ACCOUNT_FAILURES,
            "{}: {evaluated} codes evaluated, {wrong} answered as wrong",
            app.label
        );
        // The half-signed-in session is over: even the right code does not sign in.
        let r = c
            .post(app.url("/login/totp"))
            .form(&[("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_ne!(location(&r), "/", "{}", app.label);
        assert_eq!(
            c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn an_account_with_an_unknown_stored_role_cannot_sign_in_and_admins_see_why() {
    for app in TestApp::each_backend().await {
        let admin = app.with_user(Role::Admin, "nccthb").await;
        let id = app.add_user("maria@iom.int", "iom", Role::Analyst).await;
        {
            use zakrila_store::sea_orm::{ConnectionTrait, Statement};
            app.store
                .reads
                .execute_raw(Statement::from_string(
                    app.store.reads.get_database_backend(),
                    format!("UPDATE users SET role = 'superuser' WHERE id = '{id}'"),
                ))
                .await
                .unwrap();
        }
        let r = app
            .browser()
            .post(app.url("/login"))
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{}", app.label);
        let (status, page) = admin.page("/admin/users").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            page.contains("Непозната роля (не може да влезе)"),
            "{}: the users page says why",
            app.label
        );
    }
}

#[tokio::test]
async fn a_signed_out_visitor_sees_what_zakrila_is_and_the_sign_in_form() {
    for app in TestApp::each_backend().await {
        // The public site, with a small link for staff to the sign-in form.
        let r = app.browser().get(app.url("/")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("трафик на хора") && page.contains("href=\"/login\""),
            "{}",
            app.label
        );
        let r = app.browser().get(app.url("/login")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let page = r.text().await.unwrap();
        assert!(page.contains("action=\"/login\""), "{}", app.label);
        assert!(
            page.contains("rel=\"icon\" href=\"/assets/favicon.svg\""),
            "{}",
            app.label
        );
        let icon = app
            .browser()
            .get(app.url("/assets/favicon.svg"))
            .send()
            .await
            .unwrap();
        assert_eq!(icon.status(), StatusCode::OK, "{}", app.label);
        assert!(
            icon.text().await.unwrap().starts_with("<svg"),
            "{}",
            app.label
        );
    }
}

/// A failed sign-in as a client behind our proxy, which appended `via`.
async fn bad_signin_via(app: &TestApp, email: &str, spoofed: &str, via: &str) -> StatusCode {
    app.browser()
        .post(app.url("/login"))
        .header("x-forwarded-for", format!("{spoofed}, {via}"))
        .form(&[("email", email), ("password", "грешна-парола-123")])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_proxy_the_address_is_the_one_the_proxy_saw_not_what_the_client_wrote() {
    let cfg = zakrila_web::WebConfig {
        trusted_proxies: 1,
        ..Default::default()
    };
    for app in TestApp::new().config(cfg).each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Analyst).await;
        // Twenty failures from one office machine, each with a different forged
        // leftmost entry and a different account: the machine is paused all the same.
        for i in 0..zakrila_store::throttle::MAX_ADDRESS_FAILURES {
            let status = bad_signin_via(
                &app,
                &format!("a{i}@iom.int"),
                &format!("1.1.1.{i}"),
                "10.0.0.1",
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{}: attempt {i}",
                app.label
            );
        }
        let status = bad_signin_via(&app, "b@iom.int", "1.1.1.200", "10.0.0.1").await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: machine paused",
            app.label
        );
        // The rest of the office, behind the same proxy, still signs in.
        let r = app
            .browser()
            .post(app.url("/login"))
            .header("x-forwarded-for", "10.0.0.2")
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}: colleague signs in",
            app.label
        );
    }
    // Without a trusted proxy the header is ignored: every attempt is the peer's.
    for app in TestApp::each_backend().await {
        for i in 0..zakrila_store::throttle::MAX_ADDRESS_FAILURES {
            bad_signin_via(
                &app,
                &format!("a{i}@iom.int"),
                "1.1.1.1",
                &format!("10.0.1.{i}"),
            )
            .await;
        }
        let status = bad_signin_via(&app, "b@iom.int", "1.1.1.1", "10.0.9.9").await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: peer paused",
            app.label
        );
    }
}

#[tokio::test]
async fn guesses_spread_over_many_addresses_meet_a_ceiling_for_the_whole_system() {
    let cfg = zakrila_web::WebConfig {
        trusted_proxies: 1,
        signin_per_minute: Some(10),
        ..Default::default()
    };
    for app in TestApp::new().config(cfg).each_backend().await {
        app.add_user("maria@iom.int", "iom", Role::Analyst).await;
        // A successful sign-in is not held against the ceiling.
        for _ in 0..3 {
            let r = app
                .browser()
                .post(app.url("/login"))
                .header("x-forwarded-for", "10.0.0.2")
                .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        }
        for i in 0..10 {
            let status = bad_signin_via(
                &app,
                &format!("a{i}@iom.int"),
                "1.1.1.1",
                &format!("10.1.0.{i}"),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{}: attempt {i}",
                app.label
            );
        }
        // Every address and account is fresh, yet the next attempt waits.
        let r = app
            .browser()
            .post(app.url("/login"))
            .header("x-forwarded-for", "10.2.0.1")
            .form(&[("email", "maria@iom.int"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{}: ceiling",
            app.label
        );
        // Nobody's own counters moved: the account is not locked once the minute
        // is over (its failures stayed at zero).
        assert!(
            !app.store
                .is_locked(&zakrila_store::throttle::account_key("maria@iom.int"))
                .await
                .unwrap(),
            "{}",
            app.label
        );
    }
}
