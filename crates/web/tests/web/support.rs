//! `TestApp`: the application on a random port over a fresh database, plus helpers
//! that sign users in the way a person would.

use std::net::SocketAddr;

use reqwest::{Client, StatusCode, redirect::Policy};
use zakrila_domain::{password::NewPassword, role::Role, user::Email};
use zakrila_store::{
    Store, Vault,
    accounts::NewUser,
    testing::{TestDatabase, fresh_databases},
};

pub const PASSWORD: &str = "зелена-липа-над-Витоша";

pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub label: &'static str,
    _db: std::sync::Arc<TestDatabase>,
}

impl TestApp {
    /// One running app per configured database backend.
    pub async fn all() -> Vec<TestApp> {
        let mut apps = vec![];
        for db in fresh_databases().await {
            apps.push(Self::on(std::sync::Arc::new(db), true).await);
        }
        apps
    }

    /// Another server on the same database (the two-instance scenario).
    pub async fn second_instance(&self) -> TestApp {
        Self::on(self._db.clone(), false).await
    }

    async fn on(db: std::sync::Arc<TestDatabase>, first: bool) -> TestApp {
        let store = Store::open(&db.url, Vault::from_bytes([42; 32]))
            .await
            .expect("open the database");
        store.migrate().await.expect("migrate");
        if first {
            store.first_start().await.expect("first start");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let addr = listener.local_addr().unwrap();
        let app = zakrila_web::router(store.clone(), zakrila_web::WebConfig::default());
        tokio::spawn(zakrila_web::serve(listener, app, std::future::pending()));
        TestApp {
            addr,
            store,
            label: db.label,
            _db: db,
        }
    }

    /// The SQLite database file, when this app runs on SQLite.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        let rest = self._db.url.strip_prefix("sqlite://")?;
        Some(rest.split('?').next()?.into())
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (so tests
    /// can see where they lead), sends same-origin fetch metadata.
    pub fn browser(&self) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    pub async fn add_user(&self, email: &str, org: &str, role: Role) -> String {
        self.store
            .create_user(
                None,
                NewUser {
                    email: Email::parse(email).unwrap(),
                    display_name: "Тест".into(),
                    org_slug: org.into(),
                    role,
                    password: NewPassword::parse(PASSWORD).unwrap(),
                    must_change_password: false,
                },
            )
            .await
            .expect("create user")
            .id
    }

    /// Signs in through the pages (password, then TOTP enrolment when the role
    /// needs it) and returns the client holding the session.
    pub async fn signed_in(&self, email: &str) -> Client {
        let c = self.browser();
        let r = c
            .post(self.url("/login"))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}: password accepted",
            self.label
        );
        let next = location(&r);
        if next == "/login/totp/enrol" {
            let code = enrol_code(&c, self).await;
            let r = c
                .post(self.url("/login/totp"))
                .form(&[("code", code.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(location(&r), "/", "{}: enrolled", self.label);
        }
        c
    }

    /// A bearer token for the user.
    pub async fn token(&self, email: &str) -> String {
        let u = self.store.user_by_email(email).await.unwrap().unwrap();
        self.store
            .issue_token(None, &u.id, "test", 3_600_000)
            .await
            .unwrap()
            .1
    }
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Reads the otpauth URL off the enrolment page, as an authenticator app would
/// from the QR code, and computes the current code.
pub async fn enrol_code(c: &Client, app: &TestApp) -> String {
    let page = c
        .get(app.url("/login/totp/enrol"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<svg"),
        "{}: the enrolment page shows a QR code",
        app.label
    );
    let start = page.find("otpauth://").expect("otpauth URL on the page");
    let end = page[start..].find('<').unwrap() + start;
    let url = page[start..end].replace("&amp;", "&");
    totp_rs::Totp::from_url(&url)
        .unwrap()
        .generate_current()
        .to_string()
}
