//! The National Programme as its users meet it: a reporter of the lead
//! institution files progress, the Commission returns it and then approves it,
//! the approved period is locked, others are refused, and the dashboard, the
//! downloads and the API show the figures.

use reqwest::StatusCode;
use zakrila_domain::role::Role;
use zakrila_store::programme::StoredProgramme;

use crate::{TestApp, location};

/// Seed 003 loaded, and the slugs of 1.2.2's first lead and of an organisation
/// with no part in 1.2.2.
pub(crate) async fn with_programme(app: &TestApp) -> (StoredProgramme, String, String) {
    app.store
        .ensure_programme_2025()
        .await
        .unwrap()
        .expect("seed 003 loaded");
    let stored = app.store.load_programme(2025).await.unwrap().unwrap();
    let (_, ids) = stored.activity("1.2.2").unwrap();
    let lead = app
        .store
        .org_by_id(&ids.leads[0])
        .await
        .unwrap()
        .unwrap()
        .slug;
    let outsider = app
        .store
        .list_orgs()
        .await
        .unwrap()
        .into_iter()
        .find(|o| !ids.leads.contains(&o.id) && !ids.partners.contains(&o.id) && o.slug != "nccthb")
        .unwrap()
        .slug;
    (stored, lead, outsider)
}

/// Checks an IATI file against the schema with xmllint (Debian's libxml2-utils).
pub(crate) fn validate_iati(xml: &str, label: &str) {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../programme/tests/iati/iati-activities-schema.xsd");
    let file = std::env::temp_dir().join(format!(
        "zakrila-web-iati-{}.xml",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let out =
        out.expect("xmllint is needed to check the IATI export (apt-get install libxml2-utils)");
    assert!(
        out.status.success(),
        "{label}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn participants(stored: &StoredProgramme) -> String {
    stored.activity("1.2.2").unwrap().1.indicators[1].id.clone()
}

#[tokio::test]
async fn a_lead_reports_the_commission_returns_then_approves_and_the_period_locks() {
    for app in TestApp::each_backend().await {
        let (stored, lead, outsider) = with_programme(&app).await;
        let indicator = participants(&stored);
        let lead_reporter = app
            .with_user_email(Role::Reporter, &lead, "reporter@lead.bg")
            .await;
        let outside_reporter = app
            .with_user_email(Role::Reporter, &outsider, "reporter@other.bg")
            .await;
        let commission = app
            .with_user_email(Role::Coordinator, "nccthb", "coordinator@nccthb.bg")
            .await;
        let reporter = lead_reporter.browser().await;
        let page_url = app.url("/programme/2025/activities/1.2.2");
        let reports_url = app.url("/programme/2025/activities/1.2.2/reports");

        let page = reporter
            .get(&page_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("id=\"report-form\""),
            "{}: the lead's reporter gets the form",
            app.label
        );
        assert!(page.contains("Брой участници"), "{}", app.label);

        // A value that is not a number is refused in Bulgarian, keeping what was typed.
        let r = reporter
            .post(&reports_url)
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2025-half-1"),
                ("value", "сто"),
                ("narrative", "Конференция"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        let body = r.text().await.unwrap();
        assert!(
            body.contains("Стойността трябва да е неотрицателно число"),
            "{}: localised message",
            app.label
        );
        assert!(
            body.contains("Конференция"),
            "{}: the narrative is kept",
            app.label
        );
        // A period of another year is refused too.
        let r = reporter
            .post(&reports_url)
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2024-half-1"),
                ("value", "5"),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("извън годината на програмата"),
            "{}",
            app.label
        );

        let r = reporter
            .post(&reports_url)
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2025-half-1"),
                ("value", "120"),
                ("narrative", "Конференция с участници"),
                ("evidence", "https://example.bg/agenda.pdf"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            location(&r),
            "/programme/2025/activities/1.2.2",
            "{}",
            app.label
        );
        let report = app
            .store
            .progress_reports(&stored.record.id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        let submit = app.url(&format!("/programme/2025/reports/{}/submit", report.id));
        let r = reporter
            .post(&submit)
            .form(&[("version", report.version.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);

        // A reporter of an organisation that does not lead 1.2.2 may not report on it.
        let other = outside_reporter.browser().await;
        let page = other
            .get(&page_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !page.contains("id=\"report-form\""),
            "{}: no form for others",
            app.label
        );
        let r = other
            .post(&reports_url)
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2025-half-2"),
                ("value", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", app.label);
        // Nor approve.
        let approve = app.url(&format!("/programme/2025/reports/{}/approve", report.id));
        assert_eq!(
            other
                .post(&approve)
                .form(&[("comment", "")])
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN,
            "{}",
            app.label
        );

        let coordinator = commission.browser().await;
        let page = coordinator
            .get(&page_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Одобряване") && page.contains("Връщане за корекция"),
            "{}: the coordinator reviews",
            app.label
        );
        let ret = app.url(&format!("/programme/2025/reports/{}/return", report.id));
        let r = coordinator
            .post(&ret)
            .form(&[("comment", "Моля, приложете списъка на участниците")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let page = reporter
            .get(&page_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Моля, приложете списъка на участниците") && page.contains("Върнат"),
            "{}: the reporter sees why",
            app.label
        );

        let current = app
            .store
            .progress_report(&report.id)
            .await
            .unwrap()
            .unwrap();
        let r = reporter
            .post(&reports_url)
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2025-half-1"),
                ("value", "150"),
                ("narrative", "Списъкът е приложен"),
                ("version", &current.version.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        reporter
            .post(&submit)
            .form(&[("comment", "")])
            .send()
            .await
            .unwrap();
        let r = coordinator
            .post(&approve)
            .form(&[("comment", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        assert_eq!(
            app.store
                .progress_report(&report.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            "approved",
            "{}",
            app.label
        );

        // The approved period is locked.
        let r = reporter
            .post(&reports_url)
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2025-half-1"),
                ("value", "10"),
                ("narrative", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        assert!(
            r.text().await.unwrap().contains("одобрен и заключен"),
            "{}",
            app.label
        );

        // The dashboard and the activity show 150 of 150 participants.
        let page = coordinator
            .get(&page_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("id=\"activity-percent\">100 %"),
            "{}",
            app.label
        );
        let dash = coordinator
            .get(app.url("/programme/2025?section=1"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let row = dash
            .split("<tr>")
            .find(|r| r.contains(">1.2.2<"))
            .expect("1.2.2 on the dashboard");
        assert!(row.contains("100 %"), "{}: {row}", app.label);
        assert!(dash.contains("<svg"), "{}: a chart", app.label);
        let report_page = coordinator
            .get(app.url("/programme/2025/report"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(report_page.contains("150"), "{}", app.label);
        let inst = coordinator
            .get(app.url("/programme/2025/institutions"))
            .send()
            .await
            .unwrap();
        assert_eq!(inst.status(), StatusCode::OK, "{}", app.label);
        // The IATI file carries the approved figure and validates against the 2.03 schema.
        let iati = coordinator
            .get(app.url("/programme/2025/iati.xml"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            iati.contains("<actual value=\"150\""),
            "{}: the approved value is the actual",
            app.label
        );
        validate_iati(&iati, app.label);
        for file in ["report.xlsx", "report.docx?lang=en", "template.csv"] {
            let r = coordinator
                .get(app.url(&format!("/programme/2025/{file}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{}: {file}", app.label);
            assert!(
                !r.bytes().await.unwrap().is_empty(),
                "{}: {file}",
                app.label
            );
        }
    }
}

#[tokio::test]
async fn the_api_lists_79_activities_and_takes_reports() {
    for app in TestApp::each_backend().await {
        let (stored, lead, _) = with_programme(&app).await;
        let analyst = app
            .with_user_email(Role::Analyst, "nccthb", "ana@nccthb.bg")
            .await;
        let lead_reporter = app
            .with_user_email(Role::Reporter, &lead, "reporter@lead.bg")
            .await;
        let commission = app
            .with_user_email(Role::Coordinator, "nccthb", "coordinator@nccthb.bg")
            .await;
        let c = reqwest::Client::new();
        let token = analyst.token.clone();
        let p: serde_json::Value = c
            .get(app.url("/api/v1/programmes/2025"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(p["sections"].as_array().unwrap().len(), 7, "{}", app.label);
        let list: Vec<serde_json::Value> = c
            .get(app.url("/api/v1/programmes/2025/activities"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list.len(), 79, "{}", app.label);
        let a = list
            .iter()
            .find(|a| a["code"] == "1.2.2")
            .expect("1.2.2 listed");
        assert!(
            a["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["target"] == 150.0),
            "{}",
            app.label
        );
        assert_eq!(a["lead"][0], lead.as_str(), "{}", app.label);
        assert_eq!(a["deadline"].as_str().unwrap().len(), 10, "{}", app.label);

        let reporter = lead_reporter.token.clone();
        let indicator = participants(&stored);
        let body = |value: serde_json::Value| serde_json::json!({"indicator_id": indicator, "period_kind": "quarter", "period_number": 1, "value": value, "narrative": "Покани"});
        let r = c
            .post(app.url("/api/v1/programmes/2025/reports"))
            .bearer_auth(&reporter)
            .json(&body("много".into()))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        let problem: serde_json::Value = r.json().await.unwrap();
        assert_eq!(
            problem["errors"][0]["code"], "error-progress-value-number",
            "{}",
            app.label
        );
        let r = c
            .post(app.url("/api/v1/programmes/2025/reports"))
            .bearer_auth(&reporter)
            .json(&body(40.into()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", app.label);
        let report: serde_json::Value = r.json().await.unwrap();
        let id = report["id"].as_str().unwrap();
        let r = c
            .post(app.url(&format!("/api/v1/reports/{id}/submit")))
            .bearer_auth(&reporter)
            .json(&serde_json::json!({"version": report["version"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        // The reporter cannot approve their own report.
        let r = c
            .post(app.url(&format!("/api/v1/reports/{id}/approve")))
            .bearer_auth(&reporter)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", app.label);
        let coordinator = commission.token.clone();
        let r: serde_json::Value = c
            .post(app.url(&format!("/api/v1/reports/{id}/approve")))
            .bearer_auth(&coordinator)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["status"], "approved", "{}", app.label);

        let spec: serde_json::Value = c
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for path in [
            "/api/v1/programmes/{year}",
            "/api/v1/programmes/{year}/activities",
            "/api/v1/programmes/{year}/reports",
            "/api/v1/reports/{id}/approve",
            "/api/v1/reports/{id}/return",
        ] {
            assert!(
                spec["paths"].get(path).is_some(),
                "{}: {path} documented",
                app.label
            );
        }
    }
}

#[tokio::test]
async fn coordinators_import_and_are_asked_before_replacing() {
    for app in TestApp::each_backend().await {
        with_programme(&app).await;
        let commission = app
            .with_user_email(Role::Coordinator, "nccthb", "coordinator@nccthb.bg")
            .await;
        let iom_reporter = app
            .with_user_email(Role::Reporter, "iom", "reporter@iom.int")
            .await;
        let reporter = iom_reporter.browser().await;
        assert_eq!(
            reporter
                .get(app.url("/programme/import"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN,
            "{}",
            app.label
        );
        let coordinator = commission.browser().await;
        let seed = zakrila_domain::reference::PROGRAMME_2025;
        let r = coordinator
            .post(app.url("/programme/import"))
            .form(&[("year", "2025"), ("format", "tsv"), ("content", seed)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        let page = r.text().await.unwrap();
        assert!(
            page.contains("вече съществува") && page.contains("name=\"replace\""),
            "{}: asks to confirm",
            app.label
        );
        let r = coordinator
            .post(app.url("/programme/import"))
            .form(&[
                ("year", "2025"),
                ("format", "tsv"),
                ("content", seed),
                ("replace", "yes"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let page = r.text().await.unwrap();
        assert!(page.contains("7 раздела, 79 дейности"), "{}", app.label);
        assert!(
            page.contains("2.8.2"),
            "{}: the validation report names the known gaps",
            app.label
        );
        let r = coordinator
            .post(app.url("/programme/copy"))
            .form(&[("from", "2025"), ("to", "2026")])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/programme/2026", "{}", app.label);
        assert_eq!(
            app.store.programme_years().await.unwrap(),
            vec![2026, 2025],
            "{}",
            app.label
        );
    }
}

#[tokio::test]
async fn two_years_are_compared_activity_by_activity() {
    for app in TestApp::each_backend().await {
        with_programme(&app).await;
        app.store
            .copy_programme(None, 2025, 2026, false)
            .await
            .unwrap();
        let commission = app
            .with_user_email(Role::Coordinator, "nccthb", "coord@nccthb.bg")
            .await;
        let c = commission.browser().await;
        let overview = c
            .get(app.url("/programme/2026"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            overview.contains("/programme/compare?a=2025&amp;b=2026"),
            "{}",
            app.label
        );
        let page = c
            .get(app.url("/programme/compare?a=2025&b=2026"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{}", app.label);
        let page = page.text().await.unwrap();
        // The copy keeps every activity: none added, none dropped.
        assert!(
            page.contains("Нови дейности (0)") && page.contains("Отпаднали дейности (0)"),
            "{}",
            app.label
        );
        let missing = c
            .get(app.url("/programme/compare?a=2025&b=2031"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{}", app.label);
    }
}

/// The activity page offers a review step only to whom the policy allows it: the
/// same `can` the step asks (`ReviewStep::action`), for each report's status.
#[tokio::test]
async fn the_activity_page_offers_each_step_only_to_whom_the_policy_allows_it() {
    for app in TestApp::each_backend().await {
        let (stored, lead, _) = with_programme(&app).await;
        let indicator = participants(&stored);
        let lead_reporter = app
            .with_user_email(Role::Reporter, &lead, "reporter@lead.bg")
            .await;
        let commission = app
            .with_user_email(Role::Coordinator, "nccthb", "coordinator@nccthb.bg")
            .await;
        let reporter = lead_reporter.browser().await;
        let coordinator = commission.browser().await;
        let page_url = app.url("/programme/2025/activities/1.2.2");
        let r = reporter
            .post(app.url("/programme/2025/activities/1.2.2/reports"))
            .form(&[
                ("indicator", indicator.as_str()),
                ("period", "2025-half-1"),
                ("value", "7"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let id = app
            .store
            .progress_reports(&stored.record.id)
            .await
            .unwrap()
            .pop()
            .unwrap()
            .id;
        let step = |s: &str| format!("/programme/2025/reports/{id}/{s}\"");
        let page = |c: &reqwest::Client| {
            let c = c.clone();
            let url = page_url.clone();
            async move { c.get(&url).send().await.unwrap().text().await.unwrap() }
        };

        // A draft: the reporter may submit it; nobody may approve or return it yet.
        let mine = page(&reporter).await;
        assert!(mine.contains(&step("submit")), "{}", app.label);
        assert!(!mine.contains(&step("approve")), "{}", app.label);
        let theirs = page(&coordinator).await;
        for s in ["submit", "approve", "return"] {
            assert!(!theirs.contains(&step(s)), "{}: {s}", app.label);
        }

        let r = reporter
            .post(app.url(&format!("/programme/2025/reports/{id}/submit")))
            .form(&[("version", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        // Submitted: the coordinator may approve or return it; the reporter may not.
        let mine = page(&reporter).await;
        for s in ["submit", "approve", "return"] {
            assert!(!mine.contains(&step(s)), "{}: {s}", app.label);
        }
        let theirs = page(&coordinator).await;
        assert!(theirs.contains(&step("approve")), "{}", app.label);
        assert!(theirs.contains(&step("return")), "{}", app.label);
        assert!(!theirs.contains(&step("submit")), "{}", app.label);

        // The dashboard's filters: by section, and by a lead organisation.
        let listed = |q: String| {
            let c = reporter.clone();
            let url = app.url(&format!("/programme/2025{q}"));
            async move {
                let body = c.get(&url).send().await.unwrap().text().await.unwrap();
                body.contains("/programme/2025/activities/1.2.2\"")
            }
        };
        assert!(listed(String::new()).await, "{}", app.label);
        assert!(listed("?section=1".into()).await, "{}", app.label);
        assert!(!listed("?section=2".into()).await, "{}", app.label);
        assert!(listed(format!("?org={lead}")).await, "{}", app.label);
    }
}
