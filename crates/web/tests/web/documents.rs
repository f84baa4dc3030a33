//! Documents of a case: a caseworker attaches a scanned PDF and downloads it back
//! byte for byte, under a generated name, each download in the audit trail; the
//! type is told by the content (a PNG named .pdf is a PNG, an executable named .pdf
//! is refused with nothing stored), the size limit holds; another organisation
//! sees nothing until a referral is accepted; the content is nowhere in clear;
//! erasure leaves no document behind.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zakrila_app::Limits;
use zakrila_domain::role::Role;
use zakrila_store::sea_orm::{ConnectionTrait, Statement};
use zakrila_web::WebConfig;

use crate::{
    TestApp, User,
    case_details::{audited, register},
    reply,
};

const BOUNDARY: &str = "zakrila-test-7c1f0b";
/// Text that must never be found in what is stored.
const MARKER: &str = "ZAKRILA-PLAINTEXT-MARKER-Ivanova-7150";

/// A multipart body: text fields in order, then the file (when given).
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A PDF of about `size` bytes carrying the marker throughout.
fn pdf(size: usize) -> Vec<u8> {
    let mut f = b"%PDF-1.7\n".to_vec();
    let mut i = 0;
    while f.len() < size {
        f.extend_from_slice(format!("% {MARKER} line {i}\n").as_bytes());
        i += 1;
    }
    f.extend_from_slice(b"%%EOF\n");
    f
}

fn png() -> Vec<u8> {
    let mut f = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    f.extend_from_slice(b"\0\0\0\rIHDR fake image body");
    f
}

async fn upload(
    user: &User<'_>,
    case: &str,
    kind: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let r = user
        .request(Method::POST, &format!("/api/v1/cases/{case}/documents"))
        .header("content-type", content_type())
        .header("accept-language", "bg")
        .body(multipart(
            &[("kind", kind), ("caption", "Сканирано копие")],
            Some((name, bytes)),
        ))
        .send()
        .await
        .expect("send the upload");
    reply(r).await
}

async fn download(user: &User<'_>, path: &str) -> reqwest::Response {
    user.request(Method::GET, path)
        .send()
        .await
        .expect("download")
}

/// Every byte Zakrila stored: on SQLite the database files and the documents
/// directory; on PostgreSQL the documents' rows.
async fn stored_bytes(app: &TestApp) -> Vec<u8> {
    let mut out = vec![];
    if let Some(db) = app.sqlite_path() {
        for suffix in ["", "-wal"] {
            let p = format!("{}{suffix}", db.display());
            out.extend(std::fs::read(p).unwrap_or_default());
        }
        for f in documents_dir(app).into_iter().flatten() {
            out.extend(std::fs::read(f.unwrap().path()).unwrap());
        }
    } else {
        let rows = app
            .store
            .reads
            .query_all_raw(Statement::from_string(
                app.store.reads.get_database_backend(),
                "SELECT data FROM case_document_chunks",
            ))
            .await
            .unwrap();
        for r in rows {
            out.extend(r.try_get::<Vec<u8>>("", "data").unwrap());
        }
        let rows = app
            .store
            .reads
            .query_all_raw(Statement::from_string(
                app.store.reads.get_database_backend(),
                "SELECT file_name, caption FROM case_documents",
            ))
            .await
            .unwrap();
        for r in rows {
            out.extend(r.try_get::<String>("", "file_name").unwrap().into_bytes());
        }
    }
    out
}

fn documents_dir(app: &TestApp) -> Option<std::fs::ReadDir> {
    let dir = app.sqlite_path()?.parent()?.join("documents");
    std::fs::read_dir(dir).ok()
}

fn files_in_documents_dir(app: &TestApp) -> usize {
    documents_dir(app).map_or(0, |d| d.count())
}

async fn chunk_rows(app: &TestApp) -> i64 {
    let row = app
        .store
        .reads
        .query_one_raw(Statement::from_string(
            app.store.reads.get_database_backend(),
            "SELECT COUNT(*) AS n FROM case_document_chunks",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_pdf_comes_back_byte_equal_under_a_generated_name_and_is_stored_only_encrypted() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = register(&cw, "Мария", "Иванова").await;
        // Larger than one chunk, so the content is sealed in several.
        let content = pdf(600 * 1024);
        let (status, d) = upload(
            &cw,
            &case,
            "identity_document",
            "passport-Ivanova.pdf",
            &content,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {d}", app.label);
        assert_eq!(d["file_type"], "pdf", "{}", app.label);
        assert_eq!(d["size_bytes"], content.len(), "{}", app.label);
        let list = cw.json(&format!("/api/v1/cases/{case}/documents")).await;
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{}", app.label);
        assert_eq!(list[0]["kind"], "identity_document", "{}", app.label);
        assert!(
            !list.to_string().contains("Ivanova"),
            "{}: the list does not name the file",
            app.label
        );

        let doc = d["id"].as_str().unwrap();
        assert_eq!(audited(&app, "case.document_read", Some(&case)).await, 0);
        let r = download(&cw, &format!("/api/v1/cases/{case}/documents/{doc}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let disposition = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert!(disposition.ends_with(".pdf\""), "{disposition}");
        assert!(
            !disposition.contains("Ivanova"),
            "{}: {disposition}",
            app.label
        );
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.headers()["cache-control"], "no-store");
        let back = r.bytes().await.unwrap();
        assert!(back[..] == content[..], "{}: byte-equal", app.label);
        assert_eq!(
            audited(&app, "case.document_read", Some(&case)).await,
            1,
            "{}: the download is in the audit trail",
            app.label
        );

        let stored = stored_bytes(&app).await;
        assert!(
            stored.len() > content.len(),
            "{}: the scan sees the content",
            app.label
        );
        assert!(
            !contains(&stored, MARKER),
            "{}: content in clear",
            app.label
        );
        assert!(
            !contains(&stored, "passport-Ivanova"),
            "{}: name in clear",
            app.label
        );

        #[cfg(unix)]
        if let Some(dir) = app
            .sqlite_path()
            .map(|p| p.parent().unwrap().join("documents"))
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            for f in std::fs::read_dir(&dir).unwrap() {
                assert_eq!(mode(&f.unwrap().path()), 0o600);
            }
        }

        // The person's own report names the file as it was uploaded.
        let report = cw
            .json(&format!("/api/v1/cases/{case}/subject-report"))
            .await;
        assert_eq!(
            report["documents"][0]["file_name"], "passport-Ivanova.pdf",
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn the_type_is_told_by_content_and_the_size_limit_holds_with_nothing_stored() {
    let cfg = WebConfig {
        limits: Limits {
            document_max_bytes: 64 * 1024,
            ..Limits::default()
        },
        ..Default::default()
    };
    for app in TestApp::new().config(cfg.clone()).each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = register(&cw, "Елена", "Петрова").await;
        let (status, d) = upload(&cw, &case, "medical", "scan.pdf", &png()).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {d}", app.label);
        assert_eq!(
            d["file_type"], "png",
            "{}: a PNG named .pdf is a PNG",
            app.label
        );
        let files = files_in_documents_dir(&app);
        let chunks = chunk_rows(&app).await;

        let exe = b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode".to_vec();
        let (status, v) = upload(&cw, &case, "other", "consent.pdf", &exe).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(
            v["errors"][0]["code"], "error-document-type",
            "{}",
            app.label
        );
        assert!(
            v["errors"][0]["detail"]
                .as_str()
                .is_some_and(|s| s.starts_with("Файлът не е PDF, JPEG, PNG или DOCX")),
            "{}: {v}",
            app.label
        );

        let (status, v) = upload(&cw, &case, "court", "decision.pdf", &pdf(100 * 1024)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(
            v["errors"][0]["code"], "error-document-too-large",
            "{}",
            app.label
        );

        let (status, v) = upload(&cw, &case, "passport", "a.pdf", &pdf(1000)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {v}",
            app.label
        );
        assert_eq!(v["errors"][0]["field"], "kind", "{}", app.label);

        let list = cw.json(&format!("/api/v1/cases/{case}/documents")).await;
        assert_eq!(
            list.as_array().map(Vec::len),
            Some(1),
            "{}: nothing stored",
            app.label
        );
        assert_eq!(
            files_in_documents_dir(&app),
            files,
            "{}: no file left",
            app.label
        );
        assert_eq!(
            chunk_rows(&app).await,
            chunks,
            "{}: no chunk left",
            app.label
        );
        assert_eq!(audited(&app, "case.document_add", Some(&case)).await, 1);
    }
}

#[tokio::test]
async fn another_organisation_sees_nothing_until_a_referral_is_accepted() {
    for app in TestApp::each_backend().await {
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let a21 = app.with_user(Role::Caseworker, "a21").await;
        let case = register(&iom, "Ана", "Димитрова").await;
        let (_, d) = upload(&iom, &case, "consent_form", "consent.pdf", &pdf(2000)).await;
        let doc = d["id"].as_str().unwrap();
        let list = format!("/api/v1/cases/{case}/documents");
        let one = format!("{list}/{doc}");
        assert_eq!(
            a21.get(&list).await.0,
            StatusCode::NOT_FOUND,
            "{}",
            app.label
        );
        assert_eq!(download(&a21, &one).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(a21.delete(&one).await.0, StatusCode::NOT_FOUND);
        let (status, _) = upload(&a21, &case, "other", "x.pdf", &pdf(500)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        let (status, _) = a21.page(&format!("/cases/{case}/documents/{doc}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        assert_eq!(audited(&app, "case.document_read", Some(&case)).await, 0);

        iom.post(
            &format!("/api/v1/cases/{case}/consents"),
            json!({"kind": "referral", "state": "given"}),
        )
        .await;
        let (_, r) = iom
            .post(
                &format!("/api/v1/cases/{case}/referrals"),
                json!({"to_org": "a21", "purpose": "Подслон"}),
            )
            .await;
        let rid = r["id"].as_str().unwrap();
        a21.post(&format!("/api/v1/referrals/{rid}/accept"), json!({}))
            .await;
        assert_eq!(a21.json(&list).await.as_array().map(Vec::len), Some(1));
        let r = download(&a21, &one).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert_eq!(audited(&app, "case.document_read", Some(&case)).await, 1);
    }
}

#[tokio::test]
async fn the_case_page_attaches_lists_and_removes_without_javascript() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = register(&cw, "Вера", "Колева").await;
        let browser = cw.browser().await;
        let post = |body: Vec<u8>| {
            browser
                .post(app.url(&format!("/cases/{case}/documents")))
                .header("content-type", content_type())
                .body(body)
                .send()
        };
        let r = post(multipart(
            &[("kind", "court"), ("caption", "Решение на съда")],
            Some(("decision.pdf", &pdf(3000))),
        ))
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let (_, html) = cw.page(&format!("/cases/{case}")).await;
        assert!(html.contains("id=\"documents\""), "{}", app.label);
        assert!(html.contains("Решение на съда"), "{}", app.label);
        assert!(html.contains("съдебен документ"), "{}", app.label);
        assert!(
            html.contains("enctype=\"multipart/form-data\""),
            "{}",
            app.label
        );

        // A bad file through the page: the case page again, with the message.
        let r = post(multipart(
            &[("kind", "other"), ("caption", "")],
            Some(("photo.pdf", b"GIF89a not accepted")),
        ))
        .await
        .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Форматът се проверява по съдържанието"),
            "{}",
            app.label
        );

        let doc = cw.json(&format!("/api/v1/cases/{case}/documents")).await[0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = browser
            .get(app.url(&format!("/cases/{case}/documents/{doc}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert_eq!(r.bytes().await.unwrap()[..], pdf(3000)[..]);
        let r = cw
            .form(&format!("/cases/{case}/documents/{doc}/remove"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert_eq!(
            cw.json(&format!("/api/v1/cases/{case}/documents")).await,
            json!([]),
            "{}",
            app.label
        );
        assert_eq!(files_in_documents_dir(&app), 0, "{}", app.label);
        assert_eq!(chunk_rows(&app).await, 0, "{}", app.label);
        assert_eq!(audited(&app, "case.document_remove", Some(&case)).await, 1);
        // The timeline says it in words.
        let (_, html) = cw.page(&format!("/cases/{case}")).await;
        assert!(html.contains("Изтеглен документ"), "{}", app.label);
    }
}

#[tokio::test]
async fn erasure_removes_the_documents_and_their_files() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = register(&cw, "Зорница", "Вълкова").await;
        for name in ["a.pdf", "b.pdf"] {
            let (status, _) = upload(&cw, &case, "medical", name, &pdf(5000)).await;
            assert_eq!(status, StatusCode::CREATED, "{}", app.label);
        }
        if app.sqlite_path().is_some() {
            assert_eq!(
                files_in_documents_dir(&app),
                2,
                "the check below can see files"
            );
        } else {
            assert!(
                chunk_rows(&app).await >= 2,
                "the check below can see chunks"
            );
        }
        let (status, _) = cw
            .post(
                &format!("/api/v1/cases/{case}/stage"),
                json!({"to": "closed", "version": 1, "closure_reason": "other"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let (status, v) = cw
            .post(&format!("/api/v1/cases/{case}/erase"), json!({}))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{}: {v}", app.label);
        assert_eq!(
            cw.json(&format!("/api/v1/cases/{case}/documents")).await,
            json!([]),
            "{}",
            app.label
        );
        assert_eq!(files_in_documents_dir(&app), 0, "{}: files gone", app.label);
        assert_eq!(chunk_rows(&app).await, 0, "{}: chunks gone", app.label);
        // Nothing more can be attached to an erased case.
        let (status, _) = upload(&cw, &case, "other", "c.pdf", &pdf(500)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", app.label);
    }
}
