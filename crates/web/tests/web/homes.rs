//! Each role's start page shows its own work, in Bulgarian words and formats:
//! the caseworker's deadlines, the coordinator's reports to review, the
//! reporter's activities, the auditor's latest identity reads.

use reqwest::StatusCode;
use zakrila_domain::role::Role;

use crate::{TestApp, User, location};

fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn dotted(d: time::Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Registers a case in the reflection period, formally identified on `on`;
/// returns its page's path.
async fn in_reflection(cw: &User<'_>, on: &str) -> String {
    let r = cw
        .form(
            "/cases",
            &[
                ("given_name", "Мария"),
                ("family_name", "Петрова"),
                ("sex", "female"),
                ("stage", "reflection"),
                ("ident_kind", "formal"),
                ("ident_by", "mvr"),
                ("ident_date", on),
            ],
        )
        .await;
    let status = r.status();
    let path = location(&r);
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    path
}

/// The case code shown on a case page.
async fn code_of(cw: &User<'_>, path: &str) -> String {
    let (_, page) = cw.page(path).await;
    let at = page.find("BG-").expect("the case page shows its code");
    page[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[tokio::test]
async fn caseworker_home_lists_only_periods_still_ending_and_services_by_name() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let today = time::OffsetDateTime::now_utc().date();
        let ending_on = today - time::Duration::days(25);
        let ending = in_reflection(&cw, &iso(ending_on)).await;
        let ended = in_reflection(&cw, "2022-01-10").await;
        let (ending_code, ended_code) = (code_of(&cw, &ending).await, code_of(&cw, &ended).await);
        let r = cw
            .form(
                &format!("{ending}/services"),
                &[("service", "psychological"), ("due_date", "2025-05-01")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);

        let (status, home) = cw.page("/").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let reflection = home
            .split("Периоди за размисъл")
            .nth(1)
            .expect("the caseworker's home lists reflection periods")
            .split("</div>")
            .next()
            .unwrap();
        assert!(
            reflection.contains(&ending_code),
            "{}: a period ending in five days is listed: {reflection}",
            app.label
        );
        assert!(
            !reflection.contains(&ended_code),
            "{}: a period that ended in 2022 is not \"ending\"",
            app.label
        );
        let end = ending_on + time::Duration::days(30);
        assert!(
            home.contains(&dotted(end)) && !home.contains(&iso(end)),
            "{}: the end day reads dd.mm.yyyy",
            app.label
        );
        assert!(
            home.contains("01.05.2025") && !home.contains("2025-05-01"),
            "{}: the overdue service's due day reads dd.mm.yyyy",
            app.label
        );
        assert!(
            !home.contains("psychological"),
            "{}: the service is named, not coded",
            app.label
        );
    }
}

#[tokio::test]
async fn coordinator_sees_reports_awaiting_review_and_the_reporter_its_activities() {
    for app in TestApp::each_backend().await {
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
        let indicator = ids.indicators[1].id.clone();
        let reporter = app.with_user(Role::Reporter, &lead).await;
        let coordinator = app.with_user(Role::Coordinator, "nccthb").await;

        let (_, home) = reporter.page("/").await;
        assert!(
            home.contains("/programme/2025/activities/1.2.2"),
            "{}: the reporter's home lists the activity its institution leads",
            app.label
        );
        assert!(
            home.contains("следващ отчет до"),
            "{}: with the next report due",
            app.label
        );

        let r = reporter
            .form(
                "/programme/2025/activities/1.2.2/reports",
                &[
                    ("indicator", indicator.as_str()),
                    ("period", "2025-half-1"),
                    ("value", "120"),
                    ("narrative", "Конференция"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let report = app
            .store
            .progress_reports(&stored.record.id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        let r = reporter
            .form(
                &format!("/programme/2025/reports/{}/submit", report.id),
                &[("version", &report.version.to_string())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);

        let (_, home) = coordinator.page("/").await;
        assert!(
            home.contains("1 отчет чака преглед"),
            "{}: the coordinator's home counts the report awaiting review",
            app.label
        );
        assert!(
            home.contains("href=\"/programme/2025/activities/1.2.2\""),
            "{}: and links to its activity",
            app.label
        );
        assert!(
            home.contains("закъсняват с отчетите") || home.contains("закъснява с отчетите"),
            "{}: institutions late are counted",
            app.label
        );
        assert!(
            home.contains("href=\"/linkage\""),
            "{}: linkage candidates are offered",
            app.label
        );
        // A caseworker's home has none of the coordinator's work.
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let (_, home) = cw.page("/").await;
        assert!(!home.contains("чака преглед"), "{}", app.label);
        assert!(!home.contains("id=\"home-activities\""), "{}", app.label);
    }
}

#[tokio::test]
async fn auditor_home_shows_the_latest_identity_reads() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let path = in_reflection(&cw, "2022-01-10").await;
        let (status, _) = cw.page(&format!("{path}/identity")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let auditor = app.with_user(Role::Auditor, "nccthb").await;
        let (_, home) = auditor.page("/").await;
        let reads = home
            .split("id=\"home-identity-reads\"")
            .nth(1)
            .expect("the auditor's home lists identity reads")
            .split("</div>")
            .next()
            .unwrap();
        assert!(
            reads.contains("<li>"),
            "{}: the read is listed: {reads}",
            app.label
        );
        assert!(home.contains("id=\"home-exports\""), "{}", app.label);
        // Nor does the auditor see the caseworker's lists.
        assert!(!home.contains("Чакащи насочвания"), "{}", app.label);
    }
}

#[tokio::test]
async fn the_sender_sees_its_referrals_still_unanswered() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let case = in_reflection(&cw, "2022-01-10").await;
        let code = code_of(&cw, &case).await;
        let (_, home) = cw.page("/").await;
        assert!(
            home.contains("Изпратени насочвания без отговор (0)"),
            "{}",
            app.label
        );
        for (path, fields) in [
            (
                format!("{case}/consents"),
                vec![("kind", "referral"), ("state", "given")],
            ),
            (
                format!("{case}/referrals"),
                vec![
                    ("to_org", "a21"),
                    ("purpose", "Подслон"),
                    ("service", "psychological"),
                ],
            ),
        ] {
            let r = cw.form(&path, &fields).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}: {path}", app.label);
        }
        let (_, home) = cw.page("/").await;
        let sent = home
            .split("id=\"dashboard-sent\"")
            .nth(1)
            .expect("the sent referrals are listed")
            .split("</div>")
            .next()
            .unwrap();
        assert!(
            sent.contains("(1)") && sent.contains(&code),
            "{}: {sent}",
            app.label
        );
        assert!(
            !sent.contains("Подслон"),
            "{}: the purpose is read where the read is audited: {sent}",
            app.label
        );
    }
}
