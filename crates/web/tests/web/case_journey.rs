//! A caseworker keeps a case from the pages only, in headless Chromium, as the
//! case-completion work promises: registers a person with the whole record (the
//! family name misspelt), sees the record prefilled on the correction page,
//! corrects the name and finds the case by the new name only, places the person in
//! a shelter, refers the case to the IOM mission in another country, and reads in
//! the subject report who looked at the identity. Every action ends on a page with
//! a message saying it was done.

use std::time::Duration;

use fantoccini::{Client, Locator, elements::Element};
use serde_json::json;
use zakrila_domain::role::Role;

use crate::{
    Backend, TestApp,
    browser::start_chromedriver,
    responsive::{connect, sign_in},
};

async fn el(b: &Client, xpath: &str) -> Element {
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
}

async fn type_into(b: &Client, id: &str, text: &str) {
    let e = el(b, &format!("//*[@id='{id}']")).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn tick(b: &Client, name: &str, value: &str) {
    el(b, &format!("//input[@name='{name}' and @value='{value}']"))
        .await
        .click()
        .await
        .unwrap();
}

/// Opens the folded section whose summary reads `title`.
async fn unfold(b: &Client, title: &str) {
    el(
        b,
        &format!("//details/summary[normalize-space()='{title}']"),
    )
    .await
    .click()
    .await
    .unwrap();
}

async fn choose(b: &Client, id: &str, value: &str) {
    el(b, &format!("//select[@id='{id}']"))
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("#{id} = {value}: {e}"));
}

/// Clicks what `xpath` finds and waits until the browser has left the page (the
/// old page's root element is gone), so that what follows reads the next page.
async fn submit(b: &Client, xpath: &str) {
    let old = el(b, "/html").await;
    el(b, xpath).await.click().await.unwrap();
    for _ in 0..100 {
        if old.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{xpath}: the page did not change");
}

/// The confirmation the page shows after an action.
async fn flash(b: &Client) -> String {
    el(b, "//p[contains(@class, 'flash')]")
        .await
        .text()
        .await
        .unwrap()
}

async fn checked(b: &Client, xpath: &str) -> bool {
    el(b, xpath).await.prop("checked").await.unwrap().as_deref() == Some("true")
}

async fn selected(b: &Client, select: &str, value: &str) -> bool {
    el(
        b,
        &format!("//select[@id='{select}']/option[@value='{value}']"),
    )
    .await
    .prop("selected")
    .await
    .unwrap()
    .as_deref()
        == Some("true")
}

/// Searches the caseload by name from the page (the results replace the list in
/// place); whether `code` is among them once the list shows the answer.
async fn search_finds(b: &Client, app: &TestApp, name: &str, code: &str, expect: bool) -> bool {
    b.goto(&app.url("/cases")).await.unwrap();
    type_into(b, "q", name).await;
    el(b, "//form[@role='search']//button[@type='submit']")
        .await
        .click()
        .await
        .unwrap();
    let mut found = !expect;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        found = el(b, "//main").await.text().await.unwrap().contains(code);
        if found == expect {
            break;
        }
    }
    found
}

#[tokio::test]
async fn a_caseworker_keeps_a_whole_case_from_the_pages() {
    let app = TestApp::new().on(Backend::Sqlite).await.unwrap();
    let commission = app.with_user(Role::Coordinator, "nccthb").await;
    let (status, shelter) = commission
        .post(
            "/api/v1/places",
            json!({"kind": "shelter", "name_bg": "Приют Надежда", "name_en": "Hope shelter",
                "region": "BG-22", "capacity": 6, "capacity_women": 4, "operator": "a21"}),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{shelter}");
    let shelter = shelter["id"].as_str().unwrap().to_owned();
    let cw = app
        .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
        .await;
    let (_driver, port) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!(
        "zakrila-chromium-{}",
        uuid::Uuid::now_v7().simple()
    ));
    let b = connect(port, &profile).await;
    b.set_window_size(1366, 900).await.unwrap();
    sign_in(&b, &app, "cw@iom.int").await;

    // Registration with the whole record; the family name is misspelt.
    b.goto(&app.url("/cases/new")).await.unwrap();
    type_into(&b, "given_name", "Мария").await;
    type_into(&b, "family_name", "Иваонва").await;
    b.execute(
        "document.getElementById('birth_date').value = '1996-03-14';",
        vec![],
    )
    .await
    .unwrap();
    choose(&b, "sex", "female").await;
    choose(&b, "citizenship", "BGR").await;
    unfold(&b, "Езици").await;
    choose(&b, "languages", "bg").await;
    tick(&b, "forms", "labour").await;
    unfold(&b, "Видове експлоатация по форма").await;
    tick(&b, "labour_sectors", "agriculture").await;
    unfold(&b, "Държави и продължителност").await;
    choose(&b, "exploitation_countries", "DEU").await;
    type_into(&b, "duration_months", "7").await;
    submit(&b, "//button[@id='register']").await;
    assert_eq!(flash(&b).await, "Случаят е регистриран.");
    let url = b.current_url().await.unwrap();
    let id = url
        .path()
        .trim_start_matches("/cases/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let code = cw.json(&format!("/api/v1/cases/{id}")).await["code"]
        .as_str()
        .unwrap()
        .to_owned();

    // The correction page shows the whole record as it was entered.
    submit(&b, "//a[@id='correct-link']").await;
    el(&b, "//button[@id='save-correction']").await;
    assert_eq!(
        el(&b, "//input[@id='family_name']")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Иваонва")
    );
    assert!(
        checked(
            &b,
            "//input[@name='labour_sectors' and @value='agriculture']"
        )
        .await
    );
    assert!(selected(&b, "exploitation_countries", "DEU").await);
    assert!(selected(&b, "languages", "bg").await);
    assert_eq!(
        el(&b, "//input[@id='duration_months']")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("7")
    );
    // The misspelt name corrected, with the reason.
    type_into(&b, "family_name", "Иванова").await;
    choose(&b, "reason", "typo").await;
    submit(&b, "//button[@id='save-correction']").await;
    assert!(!flash(&b).await.is_empty());
    assert!(
        search_finds(&b, &app, "Ivanova", &code, true).await,
        "the corrected name finds the case"
    );
    assert!(
        !search_finds(&b, &app, "Иваонва", &code, false).await,
        "the misspelt name no longer finds it"
    );

    // A place in the shelter.
    b.goto(&app.url(&format!("/cases/{id}#accommodation")))
        .await
        .unwrap();
    choose(&b, "place", &shelter).await;
    choose(&b, "group", "women").await;
    submit(
        &b,
        &format!("//form[@action='/cases/{id}/placements']//button[@type='submit']"),
    )
    .await;
    assert!(!flash(&b).await.is_empty());
    let section = el(&b, "//section[@id='accommodation']")
        .await
        .text()
        .await
        .unwrap();
    assert!(section.contains("Приют Надежда"), "{section}");

    // A referral to the IOM mission in Italy.
    choose(&b, "abroad-direction", "outgoing").await;
    type_into(&b, "abroad-country", "ITA").await;
    choose(&b, "abroad-kind", "iom_mission").await;
    type_into(&b, "abroad-counterpart", "МОМ Рим").await;
    submit(
        &b,
        &format!("//form[@action='/cases/{id}/referrals-abroad']//button[@type='submit']"),
    )
    .await;
    assert!(!flash(&b).await.is_empty());
    let section = el(&b, "//section[@id='referrals-abroad']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        section.contains("Италия") && section.contains("мисия на МОМ"),
        "{section}"
    );

    // The identity shown, then the subject report names that read.
    submit(&b, "//button[@id='show-identity']").await;
    el(&b, "//dl[@id='identity']").await;
    b.goto(&app.url(&format!("/cases/{id}/subject-report")))
        .await
        .unwrap();
    let report = el(&b, "//article").await.text().await.unwrap();
    let reads = report
        .split("Кой е преглеждал самоличността")
        .nth(1)
        .unwrap_or_else(|| panic!("no identity reads section: {report}"));
    assert!(reads.contains("iom"), "{reads}");

    b.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}
