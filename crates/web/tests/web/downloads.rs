//! Files people download and what travels compressed. The caseload export from
//! the pages is in the reader's language (headings and values in words, dates as
//! dd.mm.yyyy, a byte-order mark so that Excel reads the Cyrillic) under a name
//! that says the language; the API's export keeps codes for programs. Assets, the
//! public site and the API documentation are gzip-compressed for a browser that
//! asks; a case page, which holds what must not leak through a response's size,
//! never is.

use reqwest::{StatusCode, header};
use zakrila_domain::role::Role;

use crate::{TestApp, case_details::register};

fn file_name(r: &reqwest::Response) -> String {
    r.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_caseload_file_speaks_the_readers_language_and_the_api_keeps_codes() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let id = register(&iom, "Мария", "Иванова").await;
        let code = iom.json(&format!("/api/v1/cases/{id}")).await["code"]
            .as_str()
            .unwrap()
            .to_owned();

        let r = iom
            .browser()
            .await
            .get(app.url("/cases.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert!(
            file_name(&r).contains("zakrila-cases-bg.csv"),
            "{}: {}",
            app.label,
            file_name(&r)
        );
        let bytes = r.bytes().await.unwrap();
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "{}: a byte-order mark",
            app.label
        );
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines = text.lines();
        let head = lines.next().unwrap();
        assert!(
            head.starts_with("Код,Етап,Организация,Насочен към нас,Пол"),
            "{}: {head}",
            app.label
        );
        let row = lines.next().unwrap();
        assert!(
            row.starts_with(&format!("{code},сигнал,")) && row.contains(",не,жена,"),
            "{}: {row}",
            app.label
        );
        // The organisation by name, the day in dd.mm.yyyy, no name of the person.
        assert!(!row.contains(",iom,") && !row.contains("Иванова"), "{row}");
        let day = row.rsplit(',').next().unwrap();
        assert!(
            day.len() == 10 && day.as_bytes()[2] == b'.' && day.as_bytes()[5] == b'.',
            "{}: {day}",
            app.label
        );

        // Switched to English: the English file, under its own name.
        let english = iom
            .form("/lang", &[("lang", "en"), ("next", "/cases")])
            .await;
        assert!(english.status().is_redirection(), "{}", app.label);
        let r = iom
            .browser()
            .await
            .get(app.url("/cases.xlsx"))
            .send()
            .await
            .unwrap();
        assert!(
            file_name(&r).contains("zakrila-cases-en.xlsx"),
            "{}: {}",
            app.label,
            file_name(&r)
        );
        let r = iom
            .browser()
            .await
            .get(app.url("/cases.csv"))
            .send()
            .await
            .unwrap();
        let text = r.text().await.unwrap();
        assert!(
            text.trim_start_matches('\u{feff}')
                .starts_with("Code,Stage,Organisation"),
            "{}: {text}",
            app.label
        );

        // The API: codes for programs, no byte-order mark.
        let text = iom
            .request(reqwest::Method::GET, "/api/v1/cases.csv")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(text.starts_with("code,stage,organisation"), "{text}");
        assert!(
            text.contains(&format!("{code},signal,iom,false,female")),
            "{text}"
        );
    }
}

#[tokio::test]
async fn assets_and_public_pages_travel_compressed_and_case_pages_do_not() {
    let app = TestApp::new().on(crate::Backend::Sqlite).await.unwrap();
    let iom = app.with_user(Role::Caseworker, "iom").await;
    let id = register(&iom, "Мария", "Иванова").await;
    let browser = iom.browser().await;
    let encoding = |r: &reqwest::Response| {
        r.headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    for path in [
        "/assets/app.css",
        "/help",
        "/api/openapi.json",
        "/cases.csv",
    ] {
        let r = browser
            .get(app.url(path))
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(encoding(&r).as_deref(), Some("gzip"), "{path}");
    }
    for path in [
        format!("/cases/{id}"),
        format!("/cases/{id}/identity"),
        "/cases".into(),
    ] {
        let r = browser
            .get(app.url(&path))
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(encoding(&r), None, "{path} must not be compressed");
    }
    // A browser that does not ask gets the plain file.
    let r = browser
        .get(app.url("/assets/app.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(encoding(&r), None);
}
