//! The front door in headless Chromium, at a phone's width (360 px) and a
//! desktop's (1366 px): a member of the public finds the hotlines first on the home
//! page, looks for help by region and need, leaves a tip in Bulgarian with
//! JavaScript switched off and adds to it with the receipt code; a hotline
//! operator records a call with the keyboard only, refers it to the labour
//! inspectorate and opens a case from it. No page may scroll sideways;
//! screenshots go to target/screenshots.

use std::time::{Duration, Instant};

use fantoccini::{
    Client, ClientBuilder, Locator,
    actions::{InputSource, KeyAction, KeyActions},
    key::Key,
};
use zakrila_domain::role::Role;

use crate::{
    Backend, TestApp,
    browser::{Driver, start_chromedriver},
    responsive::{connect, screenshot_dir, sign_in},
};

const WIDTHS: [u32; 2] = [360, 1366];

fn profile() -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "zakrila-chromium-{}",
        uuid::Uuid::now_v7().simple()
    ))
}

/// Chromium with JavaScript switched off for every page, as some visitors have it.
async fn connect_without_javascript(port: u16, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                     format!("--user-data-dir={}", profile.display())],
            "prefs": {"profile.managed_default_content_settings.javascript": 2}
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

/// Whether the page as shown scrolls sideways (measured by the browser), after
/// keeping a screenshot named `name`.
async fn overflow(b: &Client, name: &str, w: u32) -> Option<String> {
    if let Ok(png) = b.screenshot().await {
        let _ = std::fs::write(
            screenshot_dir().join(format!("frontdoor-{name}-{w}.png")),
            png,
        );
    }
    // The page's own width against the window's, read through the driver (which
    // works with the page's scripts off).
    let html = b.find(Locator::Css("html")).await.unwrap();
    let (width, client) = (
        number(&html, "scrollWidth").await,
        number(&html, "clientWidth").await,
    );
    assert!(client > 0, "{name}: the page has no width");
    (width > client).then(|| format!("{name} at {w} px: {width} > {client}"))
}

/// A numeric property of an element (the driver's client reads properties as
/// strings and hands back any other JSON value as it came).
async fn number(el: &fantoccini::elements::Element, prop: &str) -> u64 {
    match el.prop(prop).await {
        Ok(Some(s)) => s.parse().unwrap_or(0),
        Err(fantoccini::error::CmdError::NotW3C(v)) => v.as_f64().unwrap_or(0.0) as u64,
        other => panic!("{prop}: {other:?}"),
    }
}

/// Presses one key in whatever has the focus.
async fn press(b: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    b.perform_actions(keys).await.unwrap();
}

/// Presses Tab until the element `id` has the focus: it must be reachable by
/// keyboard.
async fn tab_to(b: &Client, id: &str) -> fantoccini::elements::Element {
    for _ in 0..150 {
        let el = b.active_element().await.unwrap();
        if el.attr("id").await.unwrap().as_deref() == Some(id) {
            return el;
        }
        press(b, Key::Tab.into()).await;
    }
    panic!("#{id} cannot be reached with the Tab key");
}

/// Chooses `value` in the select `id` with the keyboard: typing the option's
/// first letters; if that does not find it, from the top with the arrow keys.
async fn choose(b: &Client, id: &str, typed: &str, value: &str) {
    let el = tab_to(b, id).await;
    let current = || async { el.prop("value").await.unwrap().unwrap_or_default() };
    el.send_keys(typed).await.unwrap();
    if current().await != value {
        press(b, Key::Home.into()).await;
    }
    for _ in 0..300 {
        if current().await == value {
            return;
        }
        press(b, Key::Down.into()).await;
    }
    panic!("#{id} could not be set to {value} with the keyboard");
}

async fn wait_for(b: &Client, css: &str) -> fantoccini::elements::Element {
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("expected {css}: {e}"))
}

#[tokio::test]
async fn the_public_finds_the_hotlines_and_leaves_a_tip_without_javascript() {
    let app = TestApp::new().on(Backend::Sqlite).await.unwrap();
    let operator = app.with_user(Role::Hotline, "a21").await;
    let (_driver, port): (Driver, u16) = start_chromedriver().await;
    let dir = profile();
    let b = connect_without_javascript(port, &dir).await;
    let mut wide = vec![];
    for w in WIDTHS {
        b.set_window_size(w, 900).await.unwrap();
        b.goto(&app.url("/")).await.unwrap();
        // The hotlines come first: the first heading of the page's content, and
        // IOM's number on the first screen.
        let first = b.find(Locator::Css("main h2")).await.unwrap();
        assert_eq!(
            first.attr("id").await.unwrap().as_deref(),
            Some("hotlines-title"),
            "{w} px"
        );
        let phone = b
            .find(Locator::Css("main a.phone[href^='tel:']"))
            .await
            .unwrap();
        let (_, y, _, h) = phone.rectangle().await.unwrap();
        assert!(y + h < 900.0, "{w} px: the first hotline is below the fold");
        let source = b.source().await.unwrap();
        assert!(source.contains("02 93 94 777"), "{w} px: IOM's hotline");
        assert!(!source.contains("<script"), "{w} px: no script");
        wide.extend(overflow(&b, "public-home", w).await);

        // Where to get help, by region and need, through the form.
        b.goto(&app.url("/help/where")).await.unwrap();
        let region = b.find(Locator::Id("region")).await.unwrap();
        region.select_by_value("BG-22").await.unwrap();
        let need = b.find(Locator::Id("need")).await.unwrap();
        need.select_by_value("legal").await.unwrap();
        b.find(Locator::Id("where-search"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        // The form's answer is a new page: wait for its address, then its results
        // (on a busy machine the old page is still there for a moment).
        let mut url = b.current_url().await.unwrap();
        for _ in 0..100 {
            if url.query().is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            url = b.current_url().await.unwrap();
        }
        assert_eq!(url.query(), Some("region=BG-22&need=legal"), "{w} px");
        wait_for(&b, "h2#results").await;
        b.find(Locator::Css("main a.phone"))
            .await
            .expect("a phone to call among the results or the hotlines");
        wide.extend(overflow(&b, "public-where", w).await);

        // A tip in Bulgarian, sent by the form alone.
        b.goto(&app.url("/tip")).await.unwrap();
        b.find(Locator::Id("what"))
            .await
            .unwrap()
            .send_keys("Съседите ми заминаха за Германия с бус, документите им са у шофьора.")
            .await
            .unwrap();
        b.find(Locator::Id("where"))
            .await
            .unwrap()
            .select_by_value("BG-16")
            .await
            .unwrap();
        b.find(Locator::Id("when"))
            .await
            .unwrap()
            .send_keys("миналата седмица")
            .await
            .unwrap();
        b.find(Locator::Css("input[name='forms'][value='labour']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wide.extend(overflow(&b, "public-tip", w).await);
        b.find(Locator::Id("send-tip"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let receipt = wait_for(&b, "#receipt").await.text().await.unwrap();
        assert_eq!(receipt.len(), 19, "{w} px: a receipt code {receipt:?}");
        wide.extend(overflow(&b, "public-tip-receipt", w).await);

        // More, with the receipt code.
        b.goto(&app.url("/tip/more")).await.unwrap();
        b.find(Locator::Id("receipt"))
            .await
            .unwrap()
            .send_keys(&receipt.to_lowercase())
            .await
            .unwrap();
        b.find(Locator::Id("text"))
            .await
            .unwrap()
            .send_keys("Бусът е бял, с германски номер.")
            .await
            .unwrap();
        b.find(Locator::Id("send-more"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(&b, "#tip-added").await;
        wide.extend(overflow(&b, "public-tip-more", w).await);
    }
    b.close().await.unwrap();
    let _ = std::fs::remove_dir_all(dir);

    // Both tips are in the tip desk's queue, each with its addition.
    let list = operator.json("/api/v1/signals").await;
    let tips: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["anonymous_tip"] == true)
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tips.len(), WIDTHS.len());
    for id in tips {
        let d = operator.json(&format!("/api/v1/signals/{id}")).await;
        assert!(d["summary"].as_str().unwrap().contains("Германия"));
        assert_eq!(d["signal"]["location"], "BG-16");
        assert!(
            d["additions"][0]["text"]
                .as_str()
                .unwrap()
                .contains("германски номер")
        );
    }
    assert!(
        wide.is_empty(),
        "pages scroll sideways:\n{}",
        wide.join("\n")
    );
}

#[tokio::test]
async fn an_operator_records_a_call_by_keyboard_refers_it_and_opens_a_case() {
    let app = TestApp::new().on(Backend::Sqlite).await.unwrap();
    app.with_user_email(Role::Hotline, "a21", "operator@a21.bg")
        .await;
    let gli = app.store.org_by_slug("gli").await.unwrap().unwrap();
    let (_driver, port) = start_chromedriver().await;
    let dir = profile();
    let b = connect(port, &dir).await;
    sign_in(&b, &app, "operator@a21.bg").await;
    let mut wide = vec![];
    for w in WIDTHS {
        b.set_window_size(w, 900).await.unwrap();
        b.goto(&app.url("/signals/new")).await.unwrap();
        let started = Instant::now();
        tab_to(&b, "summary")
            .await
            .send_keys("Работник звъни от Германия: паспортът му е у работодателя, не му плащат.")
            .await
            .unwrap();
        choose(&b, "channel", "ИА ГИТ – н", "labour_inspectorate").await;
        choose(&b, "caller_type", "пос", "victim").await;
        choose(&b, "location", "Пловдив", "BG-16").await;
        choose(&b, "municipality", "Марица", "PDV17").await;
        wide.extend(overflow(&b, "operator-quick-entry", w).await);
        tab_to(&b, "record-signal").await;
        press(&b, Key::Enter.into()).await;
        let flash = wait_for(&b, "p.flash").await.text().await.unwrap();
        assert_eq!(flash, "Сигналът е записан.", "{w} px");
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(60),
            "{w} px: the call took {took:?}"
        );
        let page = b.source().await.unwrap();
        assert!(page.contains("община Марица, област Пловдив"), "{w} px");
        wide.extend(overflow(&b, "operator-signal", w).await);

        // Referred to the labour inspectorate.
        choose(&b, "to", "", "gli").await;
        tab_to(&b, "sent")
            .await
            .send_keys("Резюме на обаждането и телефон на работника")
            .await
            .unwrap();
        tab_to(&b, "refer-signal").await;
        press(&b, Key::Enter.into()).await;
        let flash = wait_for(&b, "p.flash").await.text().await.unwrap();
        assert_eq!(flash, "Сигналът е насочен.", "{w} px");
        assert!(
            b.source().await.unwrap().contains(gli.name_bg.as_str()),
            "{w} px: the referral names the inspectorate"
        );
        wide.extend(overflow(&b, "operator-referred", w).await);

        // A case from it.
        tab_to(&b, "given_name")
            .await
            .send_keys("Петър")
            .await
            .unwrap();
        tab_to(&b, "open-case").await;
        press(&b, Key::Enter.into()).await;
        wait_for(&b, "p.flash").await;
        let url = b.current_url().await.unwrap();
        assert!(url.path().starts_with("/cases/"), "{w} px: {url}");
        wide.extend(overflow(&b, "operator-case", w).await);
    }
    b.close().await.unwrap();
    let _ = std::fs::remove_dir_all(dir);
    assert!(
        wide.is_empty(),
        "pages scroll sideways:\n{}",
        wide.join("\n")
    );
}
