//! `TestApp`: the application on a random port over a fresh database, plus helpers
//! that sign users in the way a person would.
//!
//! The builder reads as the test does: `for app in TestApp::each_backend().await`
//! (SQLite, and PostgreSQL when `ZAKRILA_TEST_DATABASE_URL` is set), or
//! `TestApp::new().on(Backend::Sqlite).await` for one backend, then
//! `app.with_user(Role::Caseworker, "iom").await` for a signed-in [`User`] that holds
//! both a bearer-token API client and (on first use) a browser session. One helper
//! for every test module, so a change to how users sign in is made once.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::{Method, RequestBuilder};
use serde_json::Value;

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

/// A database backend the tests can run the application on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Chooses where a [`TestApp`] runs and with which web settings; see the module
/// documentation.
#[derive(Default)]
pub struct TestAppBuilder {
    cfg: zakrila_web::WebConfig,
}

impl TestAppBuilder {
    /// Runs the app with these web settings instead of the defaults.
    pub fn config(self, cfg: zakrila_web::WebConfig) -> Self {
        TestAppBuilder { cfg }
    }

    /// One running app per configured database backend, with these settings.
    pub async fn each_backend(self) -> Vec<TestApp> {
        let mut apps = vec![];
        for db in fresh_databases().await {
            apps.push(TestApp::start(std::sync::Arc::new(db), true, self.cfg.clone()).await);
        }
        apps
    }

    /// The app on `backend`, or `None` when that backend is not configured
    /// (PostgreSQL without `ZAKRILA_TEST_DATABASE_URL`).
    pub async fn on(self, backend: Backend) -> Option<TestApp> {
        for db in fresh_databases().await {
            if db.label == backend.label() {
                return Some(TestApp::start(std::sync::Arc::new(db), true, self.cfg).await);
            }
        }
        None
    }
}

impl TestApp {
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// One running app per configured database backend.
    pub async fn each_backend() -> Vec<TestApp> {
        TestAppBuilder::default().each_backend().await
    }

    /// Another server on the same database (the two-instance scenario).
    pub async fn second_instance(&self) -> TestApp {
        Self::start(self._db.clone(), false, zakrila_web::WebConfig::default()).await
    }

    /// A new user of `role` in the organisation `org` (its slug), with a bearer
    /// token; the browser session is signed in on first use.
    pub async fn with_user(&self, role: Role, org: &str) -> User<'_> {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let email = format!("{}{n}@{org}.test", role.as_str());
        self.with_user_email(role, org, &email).await
    }

    /// As [`TestApp::with_user`], with a chosen address (for tests that show or
    /// search for it).
    pub async fn with_user_email(&self, role: Role, org: &str, email: &str) -> User<'_> {
        let id = self.add_user(email, org, role).await;
        User {
            app: self,
            id,
            email: email.to_lowercase(),
            token: self.token(email).await,
            api: Client::new(),
            browser: tokio::sync::OnceCell::new(),
        }
    }

    async fn start(
        db: std::sync::Arc<TestDatabase>,
        first: bool,
        cfg: zakrila_web::WebConfig,
    ) -> TestApp {
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
        let app = zakrila_web::router(store.clone(), cfg);
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

    /// A bearer token for the user ([`User::token`]).
    async fn token(&self, email: &str) -> String {
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

/// A signed-in user of a [`TestApp`]: the API through a bearer token, the pages
/// through a browser session. JSON helpers return the status and the body (`Null`
/// when empty, a string when the body is not JSON) so a test asserts both at once.
pub struct User<'a> {
    pub app: &'a TestApp,
    pub id: String,
    pub email: String,
    pub token: String,
    api: Client,
    browser: tokio::sync::OnceCell<Client>,
}

impl User<'_> {
    /// A request to the API with the user's token, for what the JSON helpers do
    /// not cover (headers, CSV or spreadsheet bodies).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.api
            .request(method, self.app.url(path))
            .bearer_auth(&self.token)
    }

    /// Sends `body` as JSON (none when `Null`) and returns status and body.
    pub async fn send(&self, method: Method, path: &str, body: Value) -> (StatusCode, Value) {
        let req = self.request(method, path);
        let req = if body.is_null() { req } else { req.json(&body) };
        reply(req.send().await.expect("send the request")).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, Value::Null).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, body).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PUT, path, body).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, Value::Null).await
    }

    /// The body of a GET that must succeed.
    pub async fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert!(
            status.is_success(),
            "{}: GET {path} answered {status}: {body}",
            self.app.label
        );
        body
    }

    /// The user's browser session (signed in through the pages on first use).
    pub async fn browser(&self) -> &Client {
        self.browser
            .get_or_init(|| self.app.signed_in(&self.email))
            .await
    }

    /// A page through the browser session: status and HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .browser()
            .await
            .get(self.app.url(path))
            .send()
            .await
            .expect("load the page");
        (r.status(), r.text().await.unwrap_or_default())
    }

    /// Submits a page form through the browser session (redirects not followed).
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.browser()
            .await
            .post(self.app.url(path))
            .form(fields)
            .send()
            .await
            .expect("submit the form")
    }
}

/// Status and body of a response, the body as JSON when it is JSON.
pub async fn reply(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}
