//! The reads every request makes (`Store::lookup`: on SQLite on the calling thread,
//! `inline_reads.rs`) return exactly the models SeaORM reads through the pool —
//! NULLs, booleans, 32- and 64-bit integers, Cyrillic text and joined rows alike.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use time::macros::datetime;
use zakrila_domain::case::{NewCase, RawNewCase};
use zakrila_store::{
    entity::{case, organisation, person, session, user},
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
            .one(&store.db)
            .await
            .unwrap()
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
                .one(&store.db)
                .await
                .unwrap(),
            "{label}: organisation by token"
        );
        assert_eq!(store.org_by_id(&o.id).await.unwrap(), Some(o), "{label}");
        assert_eq!(
            store.user_by_id(&admin.id).await.unwrap(),
            user::Entity::find()
                .filter(user::Column::Id.eq(admin.id.clone()))
                .one(&store.db)
                .await
                .unwrap(),
            "{label}: user by id"
        );
        assert_eq!(store.user_for_token("zk_unknown").await.unwrap(), None);

        let cookie = store.create_session(&admin.id, true, None).await.unwrap();
        let s = store.session(&cookie).await.unwrap().unwrap();
        let pooled = session::Entity::find_by_id(token_hash(&cookie))
            .one(&store.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.user_id, pooled.user_id, "{label}: session");
        assert!(s.second_factor_ok, "{label}: a boolean read back");
    }
}
