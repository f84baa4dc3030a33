//! The public "where to get help" site and the directory's contacts behind it: a
//! visitor finds the hotlines without signing in, filters where to get help by
//! region and need, reads the services and the signs of trafficking; an
//! organisation's admin keeps its contacts and the public pages follow; a
//! public-only server answers nothing of the staff system.

use std::time::Duration;

use reqwest::{Client, StatusCode, header};
use serde_json::json;
use zakrila_domain::role::Role;
use zakrila_web::{Surface, WebConfig};

use crate::{TestApp, location};

/// Another server on the app's database answering only `surface`; its address.
async fn serve_surface(app: &TestApp, surface: Surface) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = zakrila_web::router(
        app.store.clone(),
        WebConfig {
            surface,
            ..Default::default()
        },
    );
    tokio::spawn(zakrila_web::serve(listener, router, std::future::pending()));
    format!("http://{addr}")
}

/// A visitor's browser: no cookies kept unless asked, no redirects followed.
fn visitor() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn text(c: &Client, url: &str) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// An English-reading visitor (the language switch's cookie).
async fn text_en(c: &Client, url: &str) -> String {
    c.get(url)
        .header(header::COOKIE, "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

const IOM: &str = "Международна организация по миграция";
const ANIMUS: &str = "Фондация „Асоциация Анимус“";

#[tokio::test]
async fn a_visitor_finds_the_hotlines_on_the_home_page_without_cookies_or_scripts() {
    for app in TestApp::each_backend().await {
        let c = visitor();
        for path in ["/", "/help"] {
            let r = c.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{} {path}", app.label);
            assert!(
                r.headers().get(header::SET_COOKIE).is_none(),
                "{} {path}: no cookie",
                app.label
            );
            let page = r.text().await.unwrap();
            for want in [
                "href=\"tel:+35929394777\">02 93 94 777</a>",
                "0800 20 100",
                "0800 18 676",
                "116 111",
                "0700 17 670",
                "href=\"tel:112\"",
                "href=\"/tip\"",
                "href=\"/help/where?need=shelter\"",
                "id=\"quick-exit\"",
                "href=\"/login\"",
                "Телефони за помощ",
            ] {
                assert!(page.contains(want), "{} {path}: {want}", app.label);
            }
            assert!(!page.contains("<script"), "{} {path}: no script", app.label);
            assert!(
                page.len() < 30 * 1024,
                "{} {path}: {} bytes",
                app.label,
                page.len()
            );
            // Nothing from other sites but the quick-exit link.
            assert_eq!(page.matches("https://").count(), 1, "{} {path}", app.label);
        }
        let css = c.get(app.url("/assets/app.css")).send().await.unwrap();
        let css = css.bytes().await.unwrap().len();
        let (_, page) = text(&c, &app.url("/help")).await;
        assert!(
            page.len() + css < 30 * 1024,
            "{}: page and style {} bytes",
            app.label,
            page.len() + css
        );
        let en = text_en(&c, &app.url("/help")).await;
        assert!(
            en.contains("Helplines") && en.contains("National hotline, free"),
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn help_pages_may_be_cached_and_revalidate_with_the_directory_version() {
    for app in TestApp::each_backend().await {
        let c = visitor();
        let r = c.get(app.url("/help/where")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let cache = r.headers()[header::CACHE_CONTROL].to_str().unwrap();
        assert!(cache.starts_with("public"), "{}: {cache}", app.label);
        let etag = r.headers()[header::ETAG].to_str().unwrap().to_owned();
        let again = c
            .get(app.url("/help/where"))
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{}", app.label);
        // A staff page stays out of every cache.
        let login = c.get(app.url("/login")).send().await.unwrap();
        assert_eq!(login.headers()[header::CACHE_CONTROL], "no-store");

        // The directory changes: the old copy is no longer current.
        let admin = app.with_user(Role::Admin, "iom").await;
        let (status, _) = admin
            .put(
                "/api/v1/organisations/iom/contacts",
                json!({"phones": [{"number": "02 93 94 777", "label_bg": "Гореща линия", "label_en": "Hotline", "hotline": true}],
                       "hours_bg": "всеки ден 9–17 ч.", "hours_en": "every day 9am–5pm"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let after = c
            .get(app.url("/help/where"))
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), StatusCode::OK, "{}", app.label);
        assert!(after.text().await.unwrap().contains("всеки ден 9–17 ч."));
    }
}

#[tokio::test]
async fn where_to_get_help_filters_by_region_and_need() {
    for app in TestApp::each_backend().await {
        let c = visitor();
        let (_, shelter) = text(&c, &app.url("/help/where?need=shelter")).await;
        assert!(shelter.contains(ANIMUS), "{}", app.label);
        assert!(
            !shelter.contains(IOM),
            "{}: IOM offers no shelter",
            app.label
        );
        let (_, home) = text(&c, &app.url("/help/where?need=return")).await;
        assert!(home.contains(IOM) && home.contains("iomsofia@iom.int"));
        assert!(home.contains("ул. „Цар Асен“ № 77, София"), "{}", app.label);

        // IOM opens a shelter in Burgas only.
        let admin = app.with_user(Role::Admin, "iom").await;
        let mut body = admin.json("/api/v1/organisations/iom/contacts").await;
        assert_eq!(body["phones"][0]["number"], "02 93 94 777");
        body["regions"] = json!(["BG-02"]);
        body["needs"] = json!(["shelter", "return"]);
        let (status, saved) = admin.put("/api/v1/organisations/iom/contacts", body).await;
        assert_eq!(status, StatusCode::OK, "{}: {saved}", app.label);

        let (_, burgas) = text(&c, &app.url("/help/where?region=BG-02&need=shelter")).await;
        assert!(
            burgas.contains(IOM) && burgas.contains(ANIMUS),
            "{}",
            app.label
        );
        assert!(
            burgas.find(IOM) < burgas.find(ANIMUS),
            "{}: the local organisation comes first",
            app.label
        );
        assert!(burgas.contains("<option value=\"BG-02\" selected>Бургас</option>"));
        let (_, sofia) = text(&c, &app.url("/help/where?region=BG-22&need=shelter")).await;
        assert!(
            sofia.contains(ANIMUS) && !sofia.contains(IOM),
            "{}",
            app.label
        );

        let en = text_en(&c, &app.url("/help/where?region=BG-02&need=shelter")).await;
        assert!(
            en.contains("International Organization for Migration")
                && en.contains("Shelter")
                && en.contains("77 Tsar Asen St., Sofia"),
            "{}",
            app.label
        );

        let (status, bad) = text(&c, &app.url("/help/where?region=BG-99")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", app.label);
        assert!(bad.contains("Няма такава област"), "{}", app.label);
        let (status, _) = text(&c, &app.url("/help/where?need=money")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", app.label);
    }
}

#[tokio::test]
async fn the_services_and_signs_pages_name_the_catalogue_and_the_warning_signs() {
    for app in TestApp::each_backend().await {
        let c = visitor();
        let (status, services) = text(&c, &app.url("/help/services")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert_eq!(
            services.matches("id=\"service-").count(),
            15,
            "{}",
            app.label
        );
        assert!(services.contains("Връщане в страната по произход"));
        assert!(
            services.contains("href=\"/help/where#org-iom\""),
            "{}",
            app.label
        );
        let (status, signs) = text(&c, &app.url("/help/signs")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(signs.contains("паспорта") && signs.contains("href=\"/tip\""));
        let en = text_en(&c, &app.url("/help/signs")).await;
        assert!(en.contains("Signs of human trafficking"), "{}", app.label);
    }
}

#[tokio::test]
async fn an_organisations_admin_keeps_its_contacts_and_no_one_else_can() {
    for app in TestApp::each_backend().await {
        let admin = app.with_user(Role::Admin, "iom").await;
        let (status, page) = admin.page("/organisations/iom").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            page.contains("id=\"contacts-form\"") && page.contains("value=\"02 93 94 777\""),
            "{}",
            app.label
        );

        // A mistyped phone and region: the reasons, nothing stored.
        let r = admin
            .form(
                "/organisations/iom/contacts",
                &[
                    ("phone_number", "02 93 94 777 вътр."),
                    ("phone_label_bg", "Гореща линия"),
                    ("phone_label_en", "Hotline"),
                    ("phone_hotline", "0"),
                    ("email", "iomsofia@iom.int"),
                    ("regions", "BG-99"),
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
            page.contains("Телефонният номер не е валиден"),
            "{}",
            app.label
        );
        assert!(page.contains("Непозната област"), "{}", app.label);
        assert!(
            page.contains("value=\"02 93 94 777 вътр.\""),
            "{}: as typed",
            app.label
        );
        let stored = admin.json("/api/v1/organisations/iom/contacts").await;
        assert_eq!(
            stored["phones"].as_array().unwrap().len(),
            2,
            "{}",
            app.label
        );

        let r = admin
            .form(
                "/organisations/iom/contacts",
                &[
                    ("phone_number", "02 93 94 777"),
                    ("phone_label_bg", "Гореща линия"),
                    ("phone_label_en", "Hotline"),
                    ("phone_number", "056 82 55 00"),
                    ("phone_label_bg", "Бургас"),
                    ("phone_label_en", "Burgas"),
                    ("phone_number", ""),
                    ("phone_label_bg", ""),
                    ("phone_label_en", ""),
                    ("phone_hotline", "0"),
                    ("email", "iomsofia@iom.int"),
                    ("hours_bg", "пон.–пет. 9–17 ч."),
                    ("regions", "BG-02"),
                    ("regions", "BG-22"),
                    ("needs", "return"),
                    ("services", "return"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert_eq!(location(&r), "/organisations/iom");
        let (_, page) = admin.page("/organisations/iom").await;
        assert!(page.contains("Контактите са запазени."), "{}", app.label);
        let stored = admin.json("/api/v1/organisations/iom/contacts").await;
        assert_eq!(stored["phones"][1]["number"], "056 82 55 00");
        assert_eq!(stored["phones"][0]["hotline"], true);
        assert_eq!(stored["phones"][1]["hotline"], false);
        assert_eq!(stored["regions"], json!(["BG-02", "BG-22"]));
        let (_, public) = text(&visitor(), &app.url("/help/where?region=BG-02")).await;
        assert!(public.contains("пон.–пет. 9–17 ч."), "{}", app.label);

        // Another organisation's admin, and IOM's caseworker, may only read.
        let a21 = app.with_user(Role::Admin, "a21").await;
        let (status, _) = a21
            .put("/api/v1/organisations/iom/contacts", json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
        let (_, page) = a21.page("/organisations/iom").await;
        assert!(
            !page.contains("id=\"contacts-form\"") && page.contains("056 82 55 00"),
            "{}",
            app.label
        );
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let (status, _) = cw
            .put("/api/v1/organisations/iom/contacts", json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
        assert_eq!(
            cw.get("/api/v1/organisations/iom/contacts").await.0,
            StatusCode::OK
        );
        // The Commission keeps the whole directory.
        let commission = app.with_user(Role::Admin, "nccthb").await;
        let (status, body) = commission
            .put(
                "/api/v1/organisations/a21/contacts",
                json!({"phones": [{"number": "0800 20 100", "label_bg": "Гореща линия", "label_en": "Hotline", "hotline": true}], "website": "javascript:alert(1)"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {body}",
            app.label
        );
        let (status, _) = commission
            .put(
                "/api/v1/organisations/a21/contacts",
                json!({"phones": [{"number": "0800 20 100", "label_bg": "Гореща линия", "label_en": "Hotline", "hotline": true}]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert_eq!(
            commission
                .get("/api/v1/organisations/nowhere/contacts")
                .await
                .0,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_public_only_server_answers_no_staff_route_and_follows_the_directory() {
    for app in TestApp::each_backend().await {
        let public = serve_surface(&app, Surface::Public).await;
        let c = visitor();
        let (status, home) = text(&c, &format!("{public}/")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(home.contains("02 93 94 777"), "{}", app.label);
        assert!(
            !home.contains("href=\"/login\""),
            "{}: no staff sign-in",
            app.label
        );
        for path in [
            "/login",
            "/cases",
            "/organisations",
            "/api/v1/organisations",
            "/api/docs",
        ] {
            let r = c.get(format!("{public}{path}")).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{} {path}", app.label);
        }
        let (status, _) = text(&c, &format!("{public}/help/where")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let r = c
            .get(format!("{public}/assets/app.css"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);

        // A change made through the staff server shows on the public one.
        let admin = app.with_user(Role::Admin, "nccthb").await;
        let (status, _) = admin
            .put(
                "/api/v1/organisations/dignita/contacts",
                json!({"phones": [{"number": "02 111 22 33", "label_bg": "Дигнита", "label_en": "Dignita"}], "needs": ["shelter"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let mut seen = false;
        for _ in 0..30 {
            let (_, page) = text(&c, &format!("{public}/help/where?need=shelter")).await;
            if page.contains("02 111 22 33") {
                seen = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            seen,
            "{}: the public server follows the directory",
            app.label
        );

        // A staff-only server: no public pages; a visitor meets the sign-in.
        let staff = serve_surface(&app, Surface::Staff).await;
        let (status, _) = text(&c, &format!("{staff}/help")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        let (status, page) = text(&c, &format!("{staff}/")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(page.contains("action=\"/login\""), "{}", app.label);
    }
}
