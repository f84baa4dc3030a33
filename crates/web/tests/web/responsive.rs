//! Every main page, signed in as the role that uses it (the public site signed out), at phone (360 px), tablet
//! (768 px) and desktop (1366 px) widths in headless Chromium: nothing may make
//! the page scroll sideways. Screenshots go to target/screenshots for a person to
//! look at. On each, axe-core finds no serious or critical violation, in both
//! languages and in the error states of the sign-in and registration forms.

use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use zakrila_domain::role::Role;

use crate::{Backend, PASSWORD, TestApp, browser::start_chromedriver};

const WIDTHS: [u32; 3] = [360, 768, 1366];

/// axe-core, vendored from npm (`npm pack axe-core`), so nothing is fetched at
/// test time.
const AXE: &str = include_str!("vendor/axe-4.14.1.min.js");

/// The serious and critical accessibility violations on the page as it is now.
async fn axe(b: &Client, what: &str) -> Vec<String> {
    let loaded = b
        .execute("return typeof axe !== 'undefined';", vec![])
        .await
        .unwrap();
    if loaded != serde_json::Value::Bool(true) {
        b.execute(&format!("{AXE}\nreturn true;"), vec![])
            .await
            .unwrap();
    }
    let v = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')));",
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| format!("{what}: {}", x.as_str().unwrap_or_default()))
        .collect()
}

pub(crate) async fn click(b: &Client, id: &str) {
    b.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
}

pub(crate) async fn connect(port: u16, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                     format!("--user-data-dir={}", profile.display())]
        }),
    );
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

/// Signs in through the pages, enrolling a second factor when asked.
pub(crate) async fn sign_in(b: &Client, app: &TestApp, email: &str) {
    b.goto(&app.url("/login")).await.unwrap();
    b.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    b.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    b.find(Locator::Id("signin"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..100 {
        let path = b.current_url().await.unwrap().path().to_owned();
        if path == "/login/totp/enrol" {
            let url = b
                .find(Locator::Id("otpauth"))
                .await
                .unwrap()
                .prop("textContent")
                .await
                .unwrap()
                .unwrap();
            let code = totp_rs::Totp::from_url(&url)
                .unwrap()
                .generate_current()
                .to_string();
            b.find(Locator::Id("code"))
                .await
                .unwrap()
                .send_keys(&code)
                .await
                .unwrap();
            b.find(Locator::Id("verify"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        } else if path == "/" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{email} did not get signed in");
}

pub(crate) fn screenshot_dir() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        std::path::PathBuf::from,
    );
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Opens `path` at every width; returns the pages that scroll sideways.
async fn check(b: &Client, app: &TestApp, who: &str, path: &str) -> Vec<String> {
    let mut wide = vec![];
    for w in WIDTHS {
        b.set_window_size(w, 900).await.unwrap();
        b.goto(&app.url(path)).await.unwrap();
        let v = b
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, inner) = (v[0].as_u64().unwrap(), v[1].as_u64().unwrap());
        // Ids change from run to run; the file names should not.
        let page: Vec<&str> = path
            .split('/')
            .map(|seg| if seg.len() > 20 { "id" } else { seg })
            .collect();
        let name = format!(
            "{who}{}-{w}.png",
            page.join("_")
                .replace(['?', '='], "_")
                .trim_end_matches('_')
        );
        if let Ok(png) = b.screenshot().await {
            let _ = std::fs::write(screenshot_dir().join(&name), png);
        }
        if scroll > inner {
            let culprits = b
                .execute(
                    "return [...document.querySelectorAll('main *')]
                       .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                       .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
                       .slice(0, 4)
                       .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                                 + ' ' + Math.round(e.getBoundingClientRect().width) + 'px')
                       .join(', ');",
                    vec![],
                )
                .await
                .unwrap();
            wide.push(format!(
                "{who} {path} at {w} px: {scroll} > {inner} ({})",
                culprits.as_str().unwrap_or_default()
            ));
        }
        if w != 768 {
            wide.extend(axe(b, &format!("{who} {path} at {w} px, bg")).await);
        }
    }
    // The same page in English: the switch must come back to it.
    click(b, "lang-switch").await;
    let here = b.current_url().await.unwrap();
    let back = format!(
        "{}{}",
        here.path(),
        here.query().map_or(String::new(), |q| format!("?{q}"))
    );
    if back != path {
        wide.push(format!(
            "{who}: the language switch on {path} led to {back}"
        ));
    }
    wide.extend(axe(b, &format!("{who} {path}, en")).await);
    click(b, "lang-switch").await;
    wide
}

#[tokio::test]
async fn every_main_page_fits_phone_tablet_and_desktop_widths() {
    let app = TestApp::new().on(Backend::Sqlite).await.unwrap();
    let worker = app
        .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
        .await;
    let case_id = crate::case_details::register(&worker, "Мария", "Иванова").await;
    app.with_user_email(Role::Admin, "nccthb", "adm@nccthb.bg")
        .await;
    app.with_user_email(Role::Coordinator, "nccthb", "coord@nccthb.bg")
        .await;
    let (_driver, port) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!(
        "zakrila-chromium-{}",
        uuid::Uuid::now_v7().simple()
    ));
    let b = connect(port, &profile).await;
    let mut wide = check(&b, &app, "anon", "/login").await;
    // The public site, which people reach on cheap phones.
    for p in [
        "/",
        "/help/where?need=shelter",
        "/help/services",
        "/help/signs",
    ] {
        wide.extend(check(&b, &app, "public", p).await);
    }
    b.goto(&app.url("/login")).await.unwrap();

    // The sign-in error state.
    b.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("cw@iom.int")
        .await
        .unwrap();
    b.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("wrong password")
        .await
        .unwrap();
    click(&b, "signin").await;
    wide.extend(axe(&b, "sign-in error").await);

    sign_in(&b, &app, "cw@iom.int").await;
    // The registration form's error state.
    b.goto(&app.url("/cases/new")).await.unwrap();
    click(&b, "register").await;
    wide.extend(axe(&b, "case registration error").await);
    let mut pages = vec![
        "/".to_owned(),
        "/cases".into(),
        "/cases/new".into(),
        "/referrals".into(),
        "/organisations".into(),
        "/account".into(),
    ];
    pages.push(format!("/cases/{case_id}"));
    for p in &pages {
        wide.extend(check(&b, &app, "caseworker", p).await);
    }
    b.delete_all_cookies().await.unwrap();

    sign_in(&b, &app, "adm@nccthb.bg").await;
    for p in ["/", "/admin/users", "/organisations", "/audit"] {
        wide.extend(check(&b, &app, "admin", p).await);
    }
    b.delete_all_cookies().await.unwrap();

    // The Commission's coordinator: the Programme (empty until imported, then the
    // import page) and record linkage.
    sign_in(&b, &app, "coord@nccthb.bg").await;
    for p in ["/", "/programme", "/programme/import", "/linkage"] {
        wide.extend(check(&b, &app, "coordinator", p).await);
    }
    b.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
    assert!(
        wide.is_empty(),
        "pages scroll sideways or fail axe:\n{}",
        wide.join("\n")
    );
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// Presses Tab until the field `id` has the focus; the journey fails when it is
/// not reachable by keyboard. The registration form holds the whole record (its
/// optional sections folded), so the bound leaves room for every stop on it.
async fn tab_to(b: &Client, id: &str) -> fantoccini::elements::Element {
    for _ in 0..120 {
        let el = b.active_element().await.unwrap();
        if el.attr("id").await.unwrap().as_deref() == Some(id) {
            return el;
        }
        el.send_keys(TAB).await.unwrap();
    }
    panic!("#{id} cannot be reached with the Tab key");
}

#[tokio::test]
async fn a_caseworker_signs_in_and_registers_a_case_with_the_keyboard_only() {
    let app = TestApp::new().on(Backend::Sqlite).await.unwrap();
    app.with_user_email(Role::Caseworker, "iom", "cw@iom.int")
        .await;
    let (_driver, port) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!(
        "zakrila-chromium-{}",
        uuid::Uuid::now_v7().simple()
    ));
    let b = connect(port, &profile).await;
    b.goto(&app.url("/login")).await.unwrap();
    tab_to(&b, "email")
        .await
        .send_keys("cw@iom.int")
        .await
        .unwrap();
    tab_to(&b, "password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    b.active_element()
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    crate::browser::heading(&b, "Двуфакторна защита").await;
    let url = b
        .find(Locator::Id("otpauth"))
        .await
        .unwrap()
        .prop("textContent")
        .await
        .unwrap()
        .unwrap();
    let code = totp_rs::Totp::from_url(&url)
        .unwrap()
        .generate_current()
        .to_string();
    tab_to(&b, "code").await.send_keys(&code).await.unwrap();
    b.active_element()
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    crate::browser::heading(&b, "Начало").await;

    b.goto(&app.url("/cases/new")).await.unwrap();
    tab_to(&b, "given_name")
        .await
        .send_keys("Мария")
        .await
        .unwrap();
    tab_to(&b, "family_name")
        .await
        .send_keys("Иванова")
        .await
        .unwrap();
    tab_to(&b, "register").await.send_keys(ENTER).await.unwrap();
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("p.flash"))
        .await
        .expect("the new case page says the case is registered");
    let flash = b
        .find(Locator::Css("p.flash"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(flash, "Случаят е регистриран.");
    b.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}
