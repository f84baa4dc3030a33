use zakrila_domain::{password::NewPassword, role::Role, user::Email};
use zakrila_store::{
    accounts::{NewUser, verify_password},
    bootstrap::ADMIN_EMAIL,
    throttle::{Attempt, MAX_ACCOUNT_FAILURES, account_key},
};

use crate::stores;

fn new_user(email: &str, org: &str) -> NewUser {
    NewUser {
        email: Email::parse(email).unwrap(),
        display_name: "Мария".into(),
        org_slug: org.into(),
        role: Role::Caseworker,
        password: NewPassword::parse("зелена-липа-над-Витоша").unwrap(),
        must_change_password: false,
    }
}

#[tokio::test]
async fn first_start_loads_reference_data_and_one_admin() {
    for (label, store, _db) in stores().await {
        let slugs: Vec<String> = store
            .list_orgs()
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.slug)
            .collect();
        for required in [
            "nccthb", "iom", "a21", "animus", "dignita", "sacp", "asa", "sar", "mvr", "mfa",
        ] {
            assert!(
                slugs.iter().any(|s| s == required),
                "{label}: {required} missing"
            );
        }
        assert_eq!(store.list_services().await.unwrap().len(), 15, "{label}");
        let admin = store
            .user_by_email(ADMIN_EMAIL)
            .await
            .unwrap()
            .expect("admin exists");
        assert!(admin.must_change_password, "{label}");
        // A second start changes nothing and prints no new password.
        let again = store.first_start().await.unwrap();
        assert!(again.admin_password.is_none(), "{label}");
        assert_eq!(store.count_users().await.unwrap(), 1, "{label}");
    }
}

#[tokio::test]
async fn passwords_are_hashed_with_argon2id() {
    for (label, store, _db) in stores().await {
        let u = store
            .create_user(None, new_user("maria@iom.int", "iom"))
            .await
            .unwrap();
        assert!(
            u.password_hash
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{label}: {}",
            u.password_hash
        );
        assert!(verify_password(&u.password_hash, "зелена-липа-над-Витоша"));
        assert!(!verify_password(&u.password_hash, "зелена-липа-над-витоша"));
    }
}

#[tokio::test]
async fn duplicate_email_and_unknown_org_are_refused() {
    for (label, store, _db) in stores().await {
        store
            .create_user(None, new_user("maria@iom.int", "iom"))
            .await
            .unwrap();
        let dup = store
            .create_user(None, new_user("MARIA@iom.int", "iom"))
            .await
            .unwrap_err();
        assert!(
            dup.to_string().contains("error-email-taken"),
            "{label}: {dup}"
        );
        let unknown = store
            .create_user(None, new_user("ivan@x.org", "no-such-org"))
            .await
            .unwrap_err();
        assert!(
            unknown.to_string().contains("error-org-unknown"),
            "{label}: {unknown}"
        );
        assert_eq!(
            store.count_users().await.unwrap(),
            2,
            "{label}: only admin and maria"
        );
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account() {
    for (label, store, _db) in stores().await {
        let key = account_key("some-user@iom.int");
        for _ in 0..MAX_ACCOUNT_FAILURES - 1 {
            assert_eq!(
                store
                    .begin_attempt(&[(&key, MAX_ACCOUNT_FAILURES)])
                    .await
                    .unwrap(),
                Attempt::Allowed { last: false },
                "{label}"
            );
        }
        assert!(!store.is_locked(&key).await.unwrap(), "{label}: not yet");
        assert_eq!(
            store
                .begin_attempt(&[(&key, MAX_ACCOUNT_FAILURES)])
                .await
                .unwrap(),
            Attempt::Allowed { last: true },
            "{label}: the last one allowed"
        );
        assert!(store.is_locked(&key).await.unwrap(), "{label}: locked");
        assert!(
            matches!(
                store
                    .begin_attempt(&[(&key, MAX_ACCOUNT_FAILURES)])
                    .await
                    .unwrap(),
                Attempt::Locked { .. }
            ),
            "{label}: refused"
        );
        // Lockout lives in the database: another handle on it sees it too.
        let other =
            zakrila_store::Store::open(&_db.url, zakrila_store::Vault::from_bytes([42; 32]))
                .await
                .unwrap();
        assert!(other.is_locked(&key).await.unwrap(), "{label}: shared");
    }
}

#[tokio::test]
async fn parallel_attempts_never_pass_the_limit() {
    for (label, store, _db) in stores().await {
        let key = account_key("burst@iom.int");
        let tries = (0..100).map(|_| {
            let store = store.clone();
            let key = key.clone();
            tokio::spawn(async move {
                store
                    .begin_attempt(&[(&key, MAX_ACCOUNT_FAILURES)])
                    .await
                    .unwrap()
            })
        });
        let mut allowed = 0;
        for t in tries.collect::<Vec<_>>() {
            if matches!(t.await.unwrap(), Attempt::Allowed { .. }) {
                allowed += 1;
            }
        }
        assert_eq!(allowed, MAX_ACCOUNT_FAILURES, "{label}");
    }
}

#[tokio::test]
async fn sessions_are_shared_and_signed_out_everywhere() {
    for (label, store, db) in stores().await {
        let u = store
            .create_user(None, new_user("maria@iom.int", "iom"))
            .await
            .unwrap();
        let a = store.create_session(&u.id, true, None).await.unwrap();
        let b = store.create_session(&u.id, true, None).await.unwrap();
        let other = zakrila_store::Store::open(&db.url, zakrila_store::Vault::from_bytes([42; 32]))
            .await
            .unwrap();
        assert!(
            other.session(&a).await.unwrap().is_some(),
            "{label}: visible to a second server"
        );
        // Rotation: a new session replacing `a` ends `a`.
        let c = store.create_session(&u.id, true, Some(&a)).await.unwrap();
        assert!(
            store.session(&a).await.unwrap().is_none(),
            "{label}: rotated away"
        );
        assert_eq!(store.end_all_sessions(&u.id).await.unwrap(), 2, "{label}");
        assert!(
            store.session(&b).await.unwrap().is_none()
                && store.session(&c).await.unwrap().is_none(),
            "{label}"
        );
    }
}

#[tokio::test]
async fn totp_codes_work_once() {
    for (label, store, _db) in stores().await {
        let u = store
            .create_user(None, new_user("maria@iom.int", "iom"))
            .await
            .unwrap();
        let url = store.begin_totp_enrolment(&u.id).await.unwrap();
        let totp = totp_rs::Totp::from_url(&url).unwrap();
        let code = totp.generate_current().to_string();
        assert!(
            !store.check_totp(&u.id, "000000").await.unwrap() || code == "000000",
            "{label}"
        );
        assert!(
            store.check_totp(&u.id, &code).await.unwrap(),
            "{label}: first use"
        );
        assert!(
            !store.check_totp(&u.id, &code).await.unwrap(),
            "{label}: replay refused"
        );
        let stored = store.user_by_id(&u.id).await.unwrap().unwrap();
        assert!(stored.totp_enabled, "{label}");
        assert!(
            !stored
                .totp_secret
                .unwrap()
                .contains(totp.secret().to_base32().as_str()),
            "{label}: encrypted at rest"
        );
    }
}

#[tokio::test]
async fn tokens_expire_and_revoke() {
    for (label, store, _db) in stores().await {
        let u = store
            .create_user(None, new_user("maria@iom.int", "iom"))
            .await
            .unwrap();
        let (id, token) = store
            .issue_token(None, &u.id, "cli", 3_600_000)
            .await
            .unwrap();
        assert_eq!(
            store.user_for_token(&token).await.unwrap().unwrap().0.id,
            u.id,
            "{label}"
        );
        let (_, expired) = store.issue_token(None, &u.id, "cli", -1).await.unwrap();
        assert!(
            store.user_for_token(&expired).await.unwrap().is_none(),
            "{label}: expired"
        );
        store.revoke_token(None, &id).await.unwrap();
        assert!(
            store.user_for_token(&token).await.unwrap().is_none(),
            "{label}: revoked"
        );
    }
}
