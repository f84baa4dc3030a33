//! Every main page, read in Bulgarian, shows words and Bulgarian formats: no stored
//! vocabulary codes ("psychological", "reflection", "BGR", "mvr"), no ISO dates.

use reqwest::StatusCode;
use zakrila_domain::{
    case::{ExploitationForm, ServiceStatus, Stage},
    reference,
    role::Role,
};

use crate::{TestApp, User, location};

/// The text a reader sees: no scripts, styles, code samples, tags or attributes.
fn visible(html: &str) -> String {
    let mut text = html.to_owned();
    for skipped in ["script", "style", "code", "select"] {
        let (open, close) = (format!("<{skipped}"), format!("</{skipped}>"));
        let mut kept = String::with_capacity(text.len());
        let mut s = text.as_str();
        while let Some(at) = s.find(&open) {
            kept.push_str(&s[..at]);
            s = s[at..]
                .find(&close)
                .map_or("", |end| &s[at + end + close.len()..]);
        }
        kept.push_str(s);
        text = kept;
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
}

/// An ISO date (`2025-05-01`) anywhere in the text.
fn iso_date(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let s = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| s[r].iter().all(u8::is_ascii_digit);
        (digits(0..4) && s[4] == b'-' && digits(5..7) && s[7] == b'-' && digits(8..10))
            .then(|| &text[i..i + 10])
    })
}

fn codes() -> Vec<String> {
    let mut codes: Vec<String> = reference::services()
        .iter()
        .map(|s| s.code.clone())
        .collect();
    codes.extend(Stage::ALL.iter().map(|s| s.as_str().to_owned()));
    codes.extend(ExploitationForm::ALL.iter().map(|s| s.as_str().to_owned()));
    codes.extend(ServiceStatus::ALL.iter().map(|s| s.as_str().to_owned()));
    codes.extend(["BGR", "ROU", "mvr", "iom", "a21"].map(str::to_owned));
    codes.sort();
    codes.dedup();
    codes
}

async fn check(user: &User<'_>, path: &str, codes: &[String], label: &str) {
    let (status, html) = user.page(path).await;
    assert_eq!(status, StatusCode::OK, "{label}: {path}");
    let text = visible(&html);
    let found: Vec<&str> = words(&text)
        .filter(|w| codes.iter().any(|c| c == w))
        .collect();
    assert!(
        found.is_empty(),
        "{label}: {path} shows codes {found:?} in: {text}"
    );
    assert_eq!(iso_date(&text), None, "{label}: {path} shows an ISO date");
}

#[tokio::test]
async fn every_main_page_reads_in_bulgarian_words_and_formats() {
    for app in TestApp::each_backend().await {
        let label = app.label;
        let codes = codes();
        app.store
            .ensure_programme_2025()
            .await
            .unwrap()
            .expect("seed 003 loaded");
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let r = cw
            .form(
                "/cases",
                &[
                    ("given_name", "Мария"),
                    ("family_name", "Петрова"),
                    ("sex", "female"),
                    ("citizenship", "BGR"),
                    ("stage", "reflection"),
                    ("ident_kind", "formal"),
                    ("ident_by", "mvr"),
                    ("ident_date", "2025-01-10"),
                    ("forms", "labour"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{label}");
        let case = location(&r);
        let r = cw
            .form(
                &format!("{case}/services"),
                &[
                    ("service", "psychological"),
                    ("due_date", "2025-05-01"),
                    ("cost_bgn", "250"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{label}");
        for path in ["/", "/cases", case.as_str(), "/referrals", "/organisations"] {
            check(&cw, path, &codes, label).await;
        }
        let coordinator = app.with_user(Role::Coordinator, "nccthb").await;
        for path in [
            "/",
            "/programme/2025",
            "/programme/2025/activities/1.2.2",
            "/programme/2025/institutions",
            "/linkage",
            "/api/docs",
        ] {
            check(&coordinator, path, &codes, label).await;
        }
        let (_, docs) = coordinator.page("/api/docs").await;
        assert!(
            docs.contains("Регистрира лице и неговия случай"),
            "{label}: the API reference is in Bulgarian"
        );
    }
}
