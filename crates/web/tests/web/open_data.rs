//! The Programme's open data on the public site: `/open/iati/{year}.xml` carries
//! the approved progress of the year as an IATI 2.03 file that validates against
//! the schema, for anyone and without signing in, also on a public-only server;
//! a year with nothing approved has no file.

use reqwest::{StatusCode, header};
use zakrila_domain::role::Role;
use zakrila_web::{Surface, WebConfig};

use crate::{
    TestApp,
    programme::{participants, validate_iati, with_programme},
};

/// Another server on the app's database answering only the public site.
async fn public_server(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = zakrila_web::router(
        app.store.clone(),
        WebConfig {
            surface: Surface::Public,
            ..Default::default()
        },
    );
    tokio::spawn(zakrila_web::serve(listener, router, std::future::pending()));
    format!("http://{addr}")
}

#[tokio::test]
async fn the_iati_file_of_approved_reports_is_public_at_a_stable_address() {
    for app in TestApp::each_backend().await {
        let (stored, lead, _) = with_programme(&app).await;
        let indicator = participants(&stored);
        let public = public_server(&app).await;
        let visitor = reqwest::Client::new();
        // Nothing approved yet: no file; nor for a year without a programme, nor
        // for an address that is not a year's file.
        for path in [
            "/open/iati/2025.xml",
            "/open/iati/1999.xml",
            "/open/iati/2025",
            "/open/iati/latest.xml",
        ] {
            let r = visitor.get(format!("{public}{path}")).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{}: {path}", app.label);
        }

        let reporter = app
            .with_user_email(Role::Reporter, &lead, "reporter@lead.bg")
            .await;
        let coordinator = app
            .with_user_email(Role::Coordinator, "nccthb", "coordinator@nccthb.bg")
            .await;
        let r = reporter
            .browser()
            .await
            .post(app.url("/programme/2025/activities/1.2.2/reports"))
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2025-half-1"),
                ("value", "120"),
                ("narrative", "Конференция с участници"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let report = app
            .store
            .progress_reports(&stored.record.id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        let r = reporter
            .browser()
            .await
            .post(app.url(&format!("/programme/2025/reports/{}/submit", report.id)))
            .form(&[("version", report.version.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        // Submitted is not approved: still nothing public.
        let r = visitor
            .get(format!("{public}/open/iati/2025.xml"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{}", app.label);
        let r = coordinator
            .browser()
            .await
            .post(app.url(&format!("/programme/2025/reports/{}/approve", report.id)))
            .form(&[("comment", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);

        for base in [public.clone(), app.url("")] {
            let r = visitor
                .get(format!("{base}/open/iati/2025.xml"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{}: {base}", app.label);
            let ct = r.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(ct.starts_with("application/xml"), "{}: {ct}", app.label);
            assert!(
                r.headers().get(header::SET_COOKIE).is_none(),
                "{}: no cookie",
                app.label
            );
            let xml = r.text().await.unwrap();
            assert!(
                xml.contains("<iati-activities version=\"2.03\"")
                    && xml.contains("<actual value=\"120\""),
                "{}: the approved figure",
                app.label
            );
            validate_iati(&xml, app.label);
        }
    }
}
