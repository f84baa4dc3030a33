//! Bringing in an organisation's existing records through the import page: a bad
//! row is named with its line and reason and nothing is stored; the corrected file
//! imports every row; importing it again creates nothing; an imported person is
//! found by name; a workbook (XLSX) with numeric cells imports as typed; who may
//! import.

use reqwest::{StatusCode, header};
use serde_json::json;
use zakrila_domain::{role::Role, user::Locale};
use zakrila_web::i18n::t;

use crate::{TestApp, User, case_details::audited};

const BOUNDARY: &str = "zakrila-test-boundary-7d1f";

/// The page's form as a browser sends it: the file and the button pressed.
fn multipart(file: &[u8], file_name: &str, action: &str) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n{action}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(u: &User<'_>, file: &[u8], name: &str, action: &str) -> (StatusCode, String) {
    let r = u
        .browser()
        .await
        .post(u.app.url("/cases/import"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(file, name, action))
        .send()
        .await
        .expect("upload");
    (r.status(), r.text().await.unwrap_or_default())
}

async fn total(u: &User<'_>) -> u64 {
    u.json("/api/v1/cases").await["total"].as_u64().unwrap()
}

const HEADER: &str = "Номер в организацията / Organisation's record number;Собствено име;Фамилия;Дата на раждане;Пол;Гражданство;Форми на експлоатация;Дете\n";

fn csv(third_sex: &str) -> String {
    format!(
        "{HEADER}A-1;Мария;Петрова;03.02.2001;жена;BGR;трудова експлоатация;не\n\
         A-2;Ivan;Ivanov;1990-05-04;male;ROU;sexual;no\n\
         A-3;Елена;Димова;;{third_sex};BGR;;\n"
    )
}

#[tokio::test]
async fn a_spreadsheet_is_checked_imported_once_and_found_by_name() {
    for app in TestApp::each_backend().await {
        let iom = app
            .with_user_email(Role::Caseworker, "iom", "cw@iom.int")
            .await;
        let bad = csv("жираф");
        for action in ["check", "import"] {
            let (status, html) = upload(&iom, bad.as_bytes(), "records.csv", action).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {html}",
                app.label
            );
            let reason = t(Locale::Bg, "error-unknown-value");
            assert!(
                html.contains(&format!("<tr><td>4</td><td>Пол</td><td>{reason}</td></tr>")),
                "{}: line 4 and its reason: {html}",
                app.label
            );
            assert_eq!(total(&iom).await, 0, "{}: nothing stored", app.label);
        }

        let good = csv("жена");
        let (status, html) = upload(&iom, good.as_bytes(), "records.csv", "check").await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", app.label);
        assert!(
            html.contains("3 досиета ще бъдат внесени"),
            "{}: {html}",
            app.label
        );
        assert_eq!(
            total(&iom).await,
            0,
            "{}: a dry run stores nothing",
            app.label
        );

        let (status, html) = upload(&iom, good.as_bytes(), "records.csv", "import").await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", app.label);
        assert!(
            html.contains("Внесени са 3 досиета"),
            "{}: {html}",
            app.label
        );
        assert_eq!(total(&iom).await, 3, "{}", app.label);

        let (status, html) = upload(&iom, good.as_bytes(), "records.csv", "import").await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", app.label);
        assert!(
            html.contains("Внесени са 0 досиета"),
            "{}: {html}",
            app.label
        );
        assert!(
            html.contains("3 вече бяха внесени"),
            "{}: {html}",
            app.label
        );
        assert_eq!(total(&iom).await, 3, "{}: no duplicates", app.label);

        let (status, found) = iom
            .post("/api/v1/cases/search", json!({"q": "Мария Петрова"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert_eq!(found["total"], 1, "{}: {found}", app.label);
        let id = found["items"][0]["id"].as_str().unwrap().to_owned();
        let ident = iom.json(&format!("/api/v1/cases/{id}/identity")).await;
        assert_eq!(ident["birth_date"], "2001-02-03", "{}", app.label);
        let case = iom.json(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(case["forms"], json!(["labour"]), "{}", app.label);
        assert_eq!(audited(&app, "case.import", Some(&id)).await, 1);
        // The file's event for the import and for the import that added nothing.
        assert_eq!(audited(&app, "case.import_file", None).await, 2);
    }
}

#[tokio::test]
async fn a_workbook_with_numbers_and_dates_imports_as_typed() {
    for app in TestApp::each_backend().await {
        let admin = app.with_user(Role::Admin, "a21").await;
        let cw = app.with_user(Role::Caseworker, "a21").await;
        let mut wb = rust_xlsxwriter::Workbook::new();
        let s = wb.add_worksheet();
        for (i, h) in [
            "record_number",
            "Собствено име",
            "Family name",
            "ЕГН/ЛНЧ",
            "Пол",
        ]
        .iter()
        .enumerate()
        {
            s.write_string(0, i as u16, *h).unwrap();
        }
        s.write_number(1, 0, 17.0).unwrap();
        s.write_string(1, 1, "Ана").unwrap();
        s.write_string(1, 2, "Колева").unwrap();
        s.write_number(1, 3, 9005041230.0).unwrap();
        s.write_string(1, 4, "жена").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (status, html) = upload(&admin, &bytes, "records.xlsx", "import").await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", app.label);
        let (_, found) = cw
            .post("/api/v1/cases/search", json!({"q": "Колева"}))
            .await;
        assert_eq!(found["total"], 1, "{}: {found}", app.label);
        let id = found["items"][0]["id"].as_str().unwrap();
        let ident = cw.json(&format!("/api/v1/cases/{id}/identity")).await;
        assert_eq!(ident["personal_number"], "9005041230", "{}", app.label);
        assert_eq!(ident["birth_date"], "1990-05-04", "{}", app.label);

        let template = admin
            .browser()
            .await
            .get(app.url("/cases/import/template.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(template.status(), StatusCode::OK);
        assert!(template.bytes().await.unwrap().starts_with(b"PK"));

        let hotline = app.with_user(Role::Hotline, "a21").await;
        let (status, _) = hotline.page("/cases/import").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
        let (status, _) = upload(&hotline, &bytes, "records.xlsx", "import").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}
