//! Record linkage over the whole database: the same person registered by two
//! organisations — in Cyrillic and in Latin with a typo — becomes one candidate for
//! review; pairs inside one organisation are never proposed; a confirmed link
//! lowers the count of unique persons.

use serde_json::json;
use zakrila_domain::case::{NewCase, RawNewCase};
use zakrila_store::{
    Store,
    linkage::{LinkStatus, Review, Silent},
};

use crate::stores;

async fn register(store: &Store, org: &str, given: &str, family: &str, birth: &str) -> String {
    let org = store.org_by_slug(org).await.unwrap().unwrap();
    let raw: RawNewCase = serde_json::from_value(json!({
        "person": {"given_name": given, "family_name": family, "birth_date": birth, "sex": "female", "citizenship": "BGR"},
        "exploitation": {"forms": ["sexual"]}
    }))
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let new = NewCase::parse(raw, now).unwrap();
    store
        .register_case(uuid::Uuid::now_v7(), &org.id, new, now)
        .await
        .unwrap()
        .case
        .id
}

#[tokio::test]
async fn the_same_person_in_two_organisations_becomes_one_candidate() {
    for (label, store, _db) in stores().await {
        let iom_case = register(&store, "iom", "Мария", "Иванова", "1998-04-12").await;
        // The same person again at IOM: the duplicate warning's job, not linkage's.
        let iom_again = register(&store, "iom", "Мария", "Иванова", "1998-04-12").await;
        let a21_case = register(&store, "a21", "Mariya", "Ivanvoa", "1998-04-12").await;
        register(&store, "a21", "Петър", "Стоянов", "1971-11-02").await;
        register(&store, "iom", "Elena", "Dimitrova", "2004-01-30").await;

        let run = store.run_linkage(None, &Silent).await.unwrap();
        assert_eq!(
            (run.persons, run.encoded, run.organisations),
            (5, 5, 2),
            "{label}: {run:?}"
        );
        let pending = store
            .linkage_candidates(LinkStatus::Pending, 100)
            .await
            .unwrap();
        assert_eq!(pending.len(), 1, "{label}: one candidate: {pending:?}");
        let c = &pending[0];
        assert_ne!(c.a.org_id, c.b.org_id, "{label}: across organisations only");
        let pair = [c.a.case_id.as_str(), c.b.case_id.as_str()];
        assert!(pair.contains(&a21_case.as_str()), "{label}");
        assert!(
            pair.contains(&iom_case.as_str()) || pair.contains(&iom_again.as_str()),
            "{label}"
        );
        assert!(
            c.similarity >= zakrila_linkage::DEFAULT_THRESHOLD,
            "{label}: {}",
            c.similarity
        );
        assert!(
            c.a.code.starts_with("BG-") && c.a.sex == "female" && c.a.forms == ["sexual"],
            "{label}"
        );

        // A second run encodes nothing new and queues nothing twice.
        let again = store.run_linkage(None, &Silent).await.unwrap();
        assert_eq!((again.encoded, again.queued), (0, 0), "{label}: {again:?}");

        let before = store.unique_persons().await.unwrap();
        assert_eq!((before.persons, before.unique_persons), (5, 5), "{label}");
        let actor = uuid::Uuid::now_v7();
        store
            .review_linkage(actor, &c.candidate.id, Review::Confirm)
            .await
            .unwrap();
        let after = store.unique_persons().await.unwrap();
        assert_eq!(
            (after.persons, after.confirmed_links, after.unique_persons),
            (5, 1, 4),
            "{label}"
        );
        // Reviewed once: a second decision is a conflict, not an overwrite.
        assert!(matches!(
            store
                .review_linkage(actor, &c.candidate.id, Review::Reject)
                .await,
            Err(zakrila_store::StoreError::Conflict(_))
        ));
        // Each side learns of the other organisation's case through the link.
        let linked = store.linked_cases(&a21_case).await.unwrap();
        assert_eq!(linked.len(), 1, "{label}");
        assert_eq!(
            store
                .org_by_id(&linked[0].org_id)
                .await
                .unwrap()
                .unwrap()
                .slug,
            "iom",
            "{label}"
        );
        // Reviewed pairs are not queued again.
        let third = store.run_linkage(None, &Silent).await.unwrap();
        assert_eq!(third.queued, 0, "{label}");
        assert!(
            store
                .linkage_candidates(LinkStatus::Pending, 100)
                .await
                .unwrap()
                .is_empty(),
            "{label}"
        );
        let reviews = zakrila_store::audit::list(
            &store.reads,
            &zakrila_store::audit::AuditQuery {
                action_prefix: Some("linkage.".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
        assert_eq!(
            reviews.len(),
            4,
            "{label}: three runs and one review audited"
        );
    }
}
