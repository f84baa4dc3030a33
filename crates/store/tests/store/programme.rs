//! The National Programme in storage: seed 003 at first start, imports that
//! load a whole programme or nothing, and the progress review cycle.

use zakrila_domain::programme::{Period, PeriodKind, ReviewStep};
use zakrila_programme::{IssueKind, ValidationReport};
use zakrila_store::{
    StoreError, audit,
    programme::{CONFLICT_EXISTS, NewProgress, actuals, parse_seed_2025},
};

use crate::stores;

#[tokio::test]
async fn seed_003_is_loaded_once_with_its_validation_report() {
    for (label, store, _db) in stores().await {
        let summary = store
            .ensure_programme_2025()
            .await
            .unwrap()
            .expect("loaded on first start");
        assert_eq!((summary.sections, summary.activities), (7, 79), "{label}");
        assert!(summary.issues > 0, "{label}: the known gaps are reported");
        assert!(
            store.ensure_programme_2025().await.unwrap().is_none(),
            "{label}: second start loads nothing"
        );

        let stored = store
            .load_programme(2025)
            .await
            .unwrap()
            .expect("2025 stored");
        assert_eq!(stored.programme.sections.len(), 7, "{label}");
        assert_eq!(stored.programme.activities.len(), 79, "{label}");
        let (a, _) = stored.activity("1.2.2").expect("1.2.2");
        assert_eq!(a.indicators[1].target, Some(150.0), "{label}");
        let (a, _) = stored.activity("4.1.1").expect("4.1.1");
        assert_eq!(
            a.budget.amount.map(|b| b.stotinki()),
            Some(49_908_000),
            "{label}: 499 080 BGN"
        );
        assert!(
            stored.report.has(IssueKind::MissingIndicator, "2.8.2"),
            "{label}: 2.8.2 has no indicator"
        );
        assert_eq!(
            stored.report.issues.len(),
            summary.issues,
            "{label}: every issue stored"
        );
        // What went in comes back out: the stored model equals the parsed one.
        let (parsed, report) = parse_seed_2025();
        assert_eq!(stored.programme, parsed, "{label}");
        assert_eq!(stored.report, report, "{label}");
    }
}

#[tokio::test]
async fn reimporting_a_year_needs_replace_and_an_import_is_all_or_nothing() {
    for (label, store, _db) in stores().await {
        store.ensure_programme_2025().await.unwrap();
        let (p, report) = parse_seed_2025();
        let err = store
            .import_programme(None, &p, &report, "tsv", false)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(CONFLICT_EXISTS)),
            "{label}: {err:?}"
        );

        // A programme that fails half-way (a section number twice breaks the
        // unique index after the programme row is written) leaves nothing behind.
        let mut broken = p.clone();
        broken.year = 2027;
        broken.sections.push(broken.sections[0].clone());
        assert!(
            store
                .import_programme(None, &broken, &ValidationReport::default(), "tsv", false)
                .await
                .is_err(),
            "{label}"
        );
        assert!(
            store.load_programme(2027).await.unwrap().is_none(),
            "{label}: nothing half-loaded"
        );
        assert_eq!(
            store.programme_years().await.unwrap(),
            vec![2025],
            "{label}"
        );

        let again = store
            .import_programme(None, &p, &report, "tsv", true)
            .await
            .unwrap();
        assert!(again.replaced, "{label}");
        assert_eq!(
            store
                .load_programme(2025)
                .await
                .unwrap()
                .unwrap()
                .programme
                .activities
                .len(),
            79,
            "{label}"
        );

        let copy = store.copy_programme(None, 2025, 2026, false).await.unwrap();
        assert_eq!(copy.activities, 79, "{label}");
        let next = store.load_programme(2026).await.unwrap().unwrap();
        assert!(
            next.programme
                .activities
                .iter()
                .all(|a| a.indicators.iter().all(|i| i.target.is_none())),
            "{label}: values cleared"
        );
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Ok(audit::list(&store.reads, &Default::default(), 1)
                .await
                .unwrap()[0]
                .seq),
            "{label}"
        );
    }
}

#[tokio::test]
async fn a_report_is_submitted_returned_resubmitted_approved_and_then_locked() {
    for (label, store, _db) in stores().await {
        store.ensure_programme_2025().await.unwrap();
        let stored = store.load_programme(2025).await.unwrap().unwrap();
        let (_, ids) = stored.activity("1.2.2").unwrap();
        let org = ids.leads.first().expect("1.2.2 has a matched lead").clone();
        let actor = uuid::Uuid::now_v7();
        let reporter = store
            .create_user(
                None,
                zakrila_store::accounts::NewUser {
                    email: zakrila_domain::user::Email::parse("r@example.bg").unwrap(),
                    display_name: "R".into(),
                    org_slug: store.org_by_id(&org).await.unwrap().unwrap().slug,
                    role: zakrila_domain::role::Role::Reporter,
                    password: zakrila_domain::password::NewPassword::parse(
                        "зелена-липа-над-Витоша",
                    )
                    .unwrap(),
                    must_change_password: false,
                },
            )
            .await
            .unwrap();
        let reporter = uuid::Uuid::parse_str(&reporter.id).unwrap();
        let h1 = Period::new(2025, 2025, PeriodKind::Half, 1).unwrap();
        let entry = |value: f64, version: Option<i32>| NewProgress {
            indicator_id: ids.indicators[1].id.clone(),
            period: h1,
            value: Some(value),
            narrative: "Проведени обучения".into(),
            evidence: vec!["https://example.bg/report.pdf".into()],
            expected_version: version,
        };
        let r = store
            .save_progress(reporter, &org, &stored, entry(60.0, None))
            .await
            .unwrap();
        assert_eq!((r.status.as_str(), r.version), ("draft", 1), "{label}");
        // Q2 overlaps H1: the same work must not be counted twice.
        let mut q2 = entry(10.0, None);
        q2.period = Period::new(2025, 2025, PeriodKind::Quarter, 2).unwrap();
        assert_eq!(
            store
                .save_progress(reporter, &org, &stored, q2)
                .await
                .unwrap_err()
                .to_string(),
            "error-progress-period-overlap",
            "{label}"
        );

        let r = store
            .review_progress(reporter, &r.id, ReviewStep::Submit, Some(1), None)
            .await
            .unwrap();
        assert_eq!(r.status, "submitted", "{label}");
        let err = store
            .review_progress(actor, &r.id, ReviewStep::Return, None, Some(" "))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "error-progress-comment-required",
            "{label}"
        );
        let r = store
            .review_progress(
                actor,
                &r.id,
                ReviewStep::Return,
                Some(r.version),
                Some("Липсва списък"),
            )
            .await
            .unwrap();
        assert_eq!(
            (r.status.as_str(), r.coordinator_comment.as_deref()),
            ("returned", Some("Липсва списък")),
            "{label}"
        );
        // A stale form (an old version) is refused.
        assert!(
            matches!(
                store
                    .save_progress(reporter, &org, &stored, entry(75.0, Some(1)))
                    .await,
                Err(StoreError::Conflict("stale"))
            ),
            "{label}"
        );
        let r = store
            .save_progress(reporter, &org, &stored, entry(75.0, Some(r.version)))
            .await
            .unwrap();
        let r = store
            .review_progress(reporter, &r.id, ReviewStep::Submit, None, None)
            .await
            .unwrap();
        let r = store
            .review_progress(actor, &r.id, ReviewStep::Approve, Some(r.version), None)
            .await
            .unwrap();
        assert_eq!(r.status, "approved", "{label}");

        let err = store
            .save_progress(reporter, &org, &stored, entry(80.0, Some(r.version)))
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "error-progress-locked", "{label}");
        let err = store
            .review_progress(actor, &r.id, ReviewStep::Return, None, Some("x"))
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "error-progress-locked", "{label}");

        let reports = store.progress_reports(&stored.record.id).await.unwrap();
        let a = actuals(&stored, &reports);
        assert_eq!(
            a[&("1.2.2".to_owned(), 1)].periods[0].value,
            75.0,
            "{label}: the approved value counts"
        );
        let trail = audit::list(
            &store.reads,
            &audit::AuditQuery {
                entity_id: Some(r.id.clone()),
                ..Default::default()
            },
            50,
        )
        .await
        .unwrap();
        let actions: Vec<&str> = trail.iter().rev().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "progress.save",
                "progress.submit",
                "progress.return",
                "progress.save",
                "progress.submit",
                "progress.approve"
            ],
            "{label}"
        );
    }
}
