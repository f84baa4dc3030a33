//! A real browser (headless Chromium through chromedriver) goes through the
//! language switch, sign-in and two-factor enrolment, as a new caseworker would.
//! Needs Debian's `chromium` and `chromium-driver` (installed by `.ci/run`).

use std::{process::Stdio, time::Duration};

use fantoccini::{ClientBuilder, Locator};
use zakrila_domain::role::Role;

use crate::{Backend, PASSWORD, TestApp};

pub(crate) struct Driver(std::process::Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

pub(crate) async fn start_chromedriver() -> (Driver, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect(
            "chromedriver is needed for the browser test: apt-get install chromium chromium-driver",
        );
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (Driver(child), port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

/// Waits for the page whose heading is `text` (clicks navigate asynchronously).
pub(crate) async fn heading(b: &fantoccini::Client, text: &str) {
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(&format!("//h1[normalize-space()='{text}']")))
        .await
        .unwrap_or_else(|e| panic!("expected a page titled {text:?}: {e}"));
}

#[tokio::test]
async fn a_caseworker_switches_to_english_signs_in_and_enrols_a_second_factor() {
    let app = TestApp::new().on(Backend::Sqlite).await.unwrap();
    app.with_user_email(Role::Caseworker, "iom", "maria@iom.int")
        .await;
    let (_driver, port) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!(
        "zakrila-chromium-{}",
        uuid::Uuid::now_v7().simple()
    ));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", format!("--user-data-dir={}", profile.display())]
        }),
    );
    // Several TLS back-ends are compiled in; pick one (the driver speaks plain HTTP).
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let b = ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver");

    b.goto(&app.url("/")).await.unwrap();
    // Not signed in: the public site, whose small staff link leads to sign-in.
    b.find(Locator::Id("staff-signin"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    heading(&b, "Вход").await;
    b.find(Locator::Id("lang-switch"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    heading(&b, "Sign in").await;

    b.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("maria@iom.int")
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

    // The enrolment page: a QR code, and the key for typing by hand.
    heading(&b, "Two-factor protection").await;
    b.find(Locator::Css("figure.qr svg"))
        .await
        .expect("QR code shown");
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

    heading(&b, "Home").await;
    assert_eq!(b.current_url().await.unwrap().path(), "/");
    // Back to Bulgarian from inside the application.
    b.find(Locator::Id("lang-switch"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    heading(&b, "Начало").await;
    b.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}
