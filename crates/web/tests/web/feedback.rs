//! What a user sees after acting: a message on the page an action leads to, the
//! language switch coming back to the same page, error summaries that assistive
//! technology reads as one alert.

use reqwest::StatusCode;
use zakrila_domain::role::Role;

use crate::{TestApp, location};

#[tokio::test]
async fn an_action_that_redirects_says_what_it_did_once() {
    for app in TestApp::each_backend().await {
        let admin = app
            .with_user_email(Role::Admin, "nccthb", "adm@nccthb.bg")
            .await;
        let r = admin
            .form(
                "/organisations",
                &[
                    ("slug", "caritas"),
                    ("abbrev_bg", "Каритас"),
                    ("name_bg", "Каритас България"),
                    ("name_en", "Caritas Bulgaria"),
                    ("kind", "ngo"),
                    ("parent", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert_eq!(location(&r), "/organisations", "{}", app.label);
        let (_, html) = admin.page("/organisations").await;
        assert!(
            html.contains(r#"<p class="flash" role="status">Организацията е добавена.</p>"#),
            "{}: the message is shown",
            app.label
        );
        let (_, again) = admin.page("/organisations").await;
        assert!(
            !again.contains("Организацията е добавена."),
            "{}: the message is shown once",
            app.label
        );
    }
}

#[tokio::test]
async fn a_flash_cookie_carries_only_a_known_message_key() {
    for app in TestApp::each_backend().await {
        let page = |cookie: &'static str| {
            let c = app.browser();
            let url = app.url("/login");
            async move {
                c.get(url)
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap()
            }
        };
        let known = page("zk_flash=flash-saved").await;
        assert!(
            known.contains(r#"<p class="flash" role="status">Промените са записани.</p>"#),
            "{}: a known key is shown",
            app.label
        );
        for bad in ["zk_flash=<script>alert(1)</script>", "zk_flash=no-such-key"] {
            let html = page(bad).await;
            assert!(!html.contains("class=\"flash\""), "{}: {bad}", app.label);
            assert!(!html.contains("<script>alert"), "{}: {bad}", app.label);
        }
    }
}

#[tokio::test]
async fn the_language_switch_returns_to_the_page_it_was_pressed_on() {
    for app in TestApp::each_backend().await {
        let admin = app
            .with_user_email(Role::Admin, "nccthb", "adm@nccthb.bg")
            .await;
        let (_, html) = admin.page("/organisations").await;
        assert!(
            html.contains(r#"<input type="hidden" name="next" value="/organisations">"#),
            "{}: the switch knows the page",
            app.label
        );
        let r = admin
            .form("/lang", &[("lang", "en"), ("next", "/organisations")])
            .await;
        assert_eq!(location(&r), "/organisations", "{}", app.label);
        let r = admin
            .form("/lang", &[("lang", "bg"), ("next", "//evil.example/")])
            .await;
        assert_eq!(location(&r), "/", "{}: only paths on this site", app.label);
    }
}

#[tokio::test]
async fn an_error_summary_is_one_alert_around_a_plain_list() {
    for app in TestApp::each_backend().await {
        let admin = app
            .with_user_email(Role::Admin, "nccthb", "adm@nccthb.bg")
            .await;
        let r = admin
            .form(
                "/organisations",
                &[
                    ("slug", "Bad Slug"),
                    ("abbrev_bg", "X"),
                    ("name_bg", "Х"),
                    ("name_en", "X"),
                    ("kind", "ngo"),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        let html = r.text().await.unwrap();
        assert!(
            html.contains(r#"<div class="error" role="alert"><ul><li>"#),
            "{}",
            app.label
        );
        assert!(
            !html.contains(r#"<ul class="error" role="alert">"#),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn the_phone_menu_offers_the_same_navigation() {
    for app in TestApp::each_backend().await {
        let admin = app
            .with_user_email(Role::Admin, "nccthb", "adm@nccthb.bg")
            .await;
        let (_, html) = admin.page("/").await;
        let menu = html
            .split_once(r#"<details class="menu">"#)
            .map(|(_, rest)| rest)
            .expect("the phone menu");
        assert!(menu.contains("<summary>Меню</summary>"), "{}", app.label);
        assert!(menu.contains(r#"href="/organisations""#), "{}", app.label);
        let (_, css) = admin.page("/assets/app.css").await;
        assert!(
            css.contains("@media (max-width: 47.99rem)"),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn fields_stop_at_the_servers_limit() {
    for app in TestApp::each_backend().await {
        let html = app
            .browser()
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"maxlength="254""#), "{}: e-mail", app.label);
        assert!(
            html.contains(r#"maxlength="128""#),
            "{}: password",
            app.label
        );
        let worker = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (_, form) = worker.page("/cases/new").await;
        assert!(
            form.contains(r#"name="given_name" maxlength="100""#),
            "{}: names",
            app.label
        );
        assert!(
            form.contains(r#"<fieldset class="choices"><legend>Форми на експлоатация</legend>"#),
            "{}: checkbox groups are named",
            app.label
        );
    }
}

#[tokio::test]
async fn an_error_page_keeps_the_navigation_of_a_signed_in_user() {
    for app in TestApp::each_backend().await {
        let worker = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let (status, html) = worker.page("/cases/no-such-case").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        assert!(
            html.contains(r#"<nav class="nav-wide""#) && html.contains(r#"href="/cases""#),
            "{}: navigation shown",
            app.label
        );
        let anonymous = app
            .browser()
            .get(app.url("/no-such-page"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::NOT_FOUND, "{}", app.label);
        assert!(
            !anonymous.text().await.unwrap().contains("nav-wide"),
            "{}",
            app.label
        );
    }
}
