//! The store's reads (`Store::read_one`, `Store::read_page`: on SQLite on the calling
//! thread, `inline_reads.rs`) return exactly the models SeaORM reads through the
//! pool — NULLs, booleans, 32- and 64-bit integers, Cyrillic text and joined rows
//! alike — for every entity.

use sea_orm::{
    ColumnTrait, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn, QueryFilter, Select,
    TryIntoModel,
};
use time::macros::datetime;
use zakrila_domain::case::{NewCase, RawNewCase};
use zakrila_store::{
    Store,
    entity::{self, case, organisation, person, session, user},
    sessions::token_hash,
};

use crate::stores;

#[tokio::test]
async fn request_lookups_read_what_the_pool_reads() {
    for (label, store, _db) in stores().await {
        let iom = store.org_by_slug("iom").await.unwrap().unwrap();
        let admin = store
            .user_by_email(zakrila_store::bootstrap::ADMIN_EMAIL)
            .await
            .unwrap()
            .unwrap();
        let actor = uuid::Uuid::parse_str(&admin.id).unwrap();

        // A case whose person has some identity fields and not others.
        let raw: RawNewCase = serde_json::from_str(
            r#"{"person": {"given_name": "Мария", "family_name": "Иванова",
                "birth_date": "2001-02-03", "sex": "female", "citizenship": "BGR"}}"#,
        )
        .unwrap();
        let now = datetime!(2025-06-15 10:00 +03:00);
        let new = NewCase::parse(raw, now).unwrap();
        let reg = store.register_case(actor, &iom.id, new, now).await.unwrap();
        let held = store
            .case_held_by(&reg.case.id, &iom.id)
            .await
            .unwrap()
            .map(|(c, p, referred)| {
                assert!(!referred, "{label}: the owner holds it unreferred");
                (c, p)
            });
        let pooled = case::Entity::find_by_id(reg.case.id.clone())
            .find_also_related(person::Entity)
            .all(&store.reads)
            .await
            .unwrap()
            .pop()
            .map(|(c, p)| (c, p.unwrap()));
        assert_eq!(held, pooled, "{label}: case and person");
        let (_, p) = held.unwrap();
        assert!(p.given_name.is_some() && p.phone.is_none(), "{label}");
        // Another organisation does not hold it.
        let a21 = store.org_by_slug("a21").await.unwrap().unwrap();
        assert_eq!(
            store.case_held_by(&reg.case.id, &a21.id).await.unwrap(),
            None,
            "{label}"
        );
        // Until it accepts a referral: then it holds the case, and the row says how.
        let r = store
            .create_referral(
                actor,
                zakrila_store::cases::NewReferral {
                    case_id: reg.case.id.clone(),
                    from_org: iom.id.clone(),
                    to_org: a21.id.clone(),
                    purpose: "подслон".into(),
                    service_code: None,
                    note: String::new(),
                    consent_override: Some("тест".into()),
                },
                now,
            )
            .await
            .unwrap();
        store
            .act_on_referral(actor, &r.id, zakrila_domain::case::ReferralAction::Accept)
            .await
            .unwrap();
        let (c, _, referred) = store
            .case_held_by(&reg.case.id, &a21.id)
            .await
            .unwrap()
            .expect("held through the accepted referral");
        assert!(referred && c.org_id == iom.id, "{label}: referred to a21");

        // The user and organisation behind a token, and a session.
        let (_, token) = store
            .issue_token(None, &admin.id, "lookups", 60_000)
            .await
            .unwrap();
        let (u, o) = store.user_for_token(&token).await.unwrap().unwrap();
        assert_eq!(u, admin, "{label}: user by token");
        assert_eq!(
            Some(o.clone()),
            organisation::Entity::find_by_id(admin.org_id.clone())
                .all(&store.reads)
                .await
                .unwrap()
                .pop(),
            "{label}: organisation by token"
        );
        assert_eq!(store.org_by_id(&o.id).await.unwrap(), Some(o), "{label}");
        assert_eq!(
            store.user_by_id(&admin.id).await.unwrap(),
            user::Entity::find()
                .filter(user::Column::Id.eq(admin.id.clone()))
                .all(&store.reads)
                .await
                .unwrap()
                .pop(),
            "{label}: user by id"
        );
        assert_eq!(store.user_for_token("zk_unknown").await.unwrap(), None);

        let cookie = store.create_session(&admin.id, true, None).await.unwrap();
        let s = store.session(&cookie).await.unwrap().unwrap();
        let pooled = session::Entity::find_by_id(token_hash(&cookie))
            .all(&store.reads)
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(s.user_id, pooled.user_id, "{label}: session");
        assert!(s.second_factor_ok, "{label}: a boolean read back");
    }
}

/// Every row of every entity, read on the fast path (a page of the whole table, and
/// each row again by its primary key) equals the row read through the pool: the
/// inline decoder reads each column by its entity's column type, so an entity with a
/// column it cannot read fails here, whichever entity it is.
#[tokio::test]
async fn every_entity_reads_on_the_fast_path_what_the_pool_reads() {
    for (label, store, _db) in stores().await {
        seed(&store).await;
        let mut seen = 0;
        macro_rules! each {
            ($($e:ident),* $(,)?) => {$(
                seen += same_rows::<entity::$e::Entity>(&store, label, stringify!($e)).await;
            )*};
        }
        each!(
            api_token,
            audit_event,
            audit_head,
            case,
            case_assessment,
            case_child,
            case_counter,
            case_erasure,
            case_offender,
            case_proceedings,
            case_return,
            case_service,
            caseload,
            caseload_count,
            caseload_token,
            child_proposal,
            consent,
            follow_up,
            linkage_candidate,
            organisation,
            person,
            person_clk,
            person_token,
            programme,
            programme_activity,
            programme_activity_org,
            programme_indicator,
            programme_issue,
            programme_objective,
            programme_section,
            progress_note,
            progress_report,
            referral,
            reintegration_goal,
            service,
            session,
            setting,
            stage_change,
            throttle,
            user,
        );
        assert!(seen >= 15, "{label}: only {seen} tables had rows");
    }
}

/// Compares one entity's rows on both paths; returns 1 when the table had rows.
async fn same_rows<E: EntityTrait>(store: &Store, label: &str, name: &str) -> usize
where
    E::Model: Send + Sync + PartialEq + std::fmt::Debug,
    E::ActiveModel: TryIntoModel<E::Model>,
{
    zakrila_store::read::reads_every_column::<E>().unwrap_or_else(|c| panic!("{name}: {c}"));
    let pooled = E::find().all(&store.reads).await.unwrap();
    let fast = store.read_page(E::find()).await.unwrap();
    assert_eq!(fast, pooled, "{label}: {name}, the whole table");
    for m in &pooled {
        let mut by_key: Select<E> = E::find();
        for k in E::PrimaryKey::iter() {
            let c = k.into_column();
            by_key = by_key.filter(c.eq(m.get(c)));
        }
        assert_eq!(
            store.read_one(by_key).await.unwrap().as_ref(),
            Some(m),
            "{label}: {name} by its key"
        );
    }
    usize::from(!pooled.is_empty())
}

/// Rows in as many tables as the store's own operations fill in a few steps.
async fn seed(store: &Store) {
    let iom = store.org_by_slug("iom").await.unwrap().unwrap();
    let a21 = store.org_by_slug("a21").await.unwrap().unwrap();
    let admin = store
        .user_by_email(zakrila_store::bootstrap::ADMIN_EMAIL)
        .await
        .unwrap()
        .unwrap();
    let actor = uuid::Uuid::parse_str(&admin.id).unwrap();
    let raw: RawNewCase = serde_json::from_str(
        r#"{"person": {"given_name": "Иван", "family_name": "Петров",
            "birth_date": "2010-02-03", "sex": "male", "citizenship": "BGR"}}"#,
    )
    .unwrap();
    let now = datetime!(2025-06-15 10:00 +03:00);
    let reg = store
        .register_case(actor, &iom.id, NewCase::parse(raw, now).unwrap(), now)
        .await
        .unwrap();
    store
        .create_referral(
            actor,
            zakrila_store::cases::NewReferral {
                case_id: reg.case.id.clone(),
                from_org: iom.id.clone(),
                to_org: a21.id.clone(),
                purpose: "shelter".into(),
                service_code: None,
                note: String::new(),
                consent_override: Some("test".into()),
            },
            now,
        )
        .await
        .unwrap();
    store
        .issue_token(None, &admin.id, "seed", 60_000)
        .await
        .unwrap();
    store.create_session(&admin.id, false, None).await.unwrap();
    store.begin_attempt(&[("seed", 5)]).await.unwrap();
}
