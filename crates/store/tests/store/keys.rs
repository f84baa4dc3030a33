use sea_orm::{ConnectionTrait, Statement};
use zakrila_domain::{password::NewPassword, role::Role, user::Email};
use zakrila_store::{accounts::NewUser, vault::Vault};

use crate::stores;

#[tokio::test]
async fn rotation_re_encrypts_under_the_new_key_and_keeps_values() {
    for (label, store, _db) in stores().await {
        let u = store
            .create_user(
                None,
                NewUser {
                    email: Email::parse("maria@iom.int").unwrap(),
                    display_name: "Мария".into(),
                    org_slug: "iom".into(),
                    role: Role::Caseworker,
                    password: NewPassword::parse("зелена-липа-над-Витоша").unwrap(),
                    must_change_password: false,
                },
            )
            .await
            .unwrap();
        let url = store.begin_totp_enrolment(&u.id).await.unwrap();
        let before = store
            .user_by_id(&u.id)
            .await
            .unwrap()
            .unwrap()
            .totp_secret
            .unwrap();
        assert_eq!(Vault::key_id_of(&before).unwrap(), 1, "{label}");
        let (new_id, n) = store.rotate_keys(|_| {}).await.unwrap();
        assert_eq!((new_id, n), (2, 1), "{label}");
        let after = store
            .user_by_id(&u.id)
            .await
            .unwrap()
            .unwrap()
            .totp_secret
            .unwrap();
        assert_eq!(Vault::key_id_of(&after).unwrap(), 2, "{label}");
        // The same secret still comes out: enrolment shows the same URL.
        assert_eq!(
            store.begin_totp_enrolment(&u.id).await.unwrap(),
            url,
            "{label}"
        );
        // And the rotation is in the audit trail.
        let rows = store
            .reads
            .query_all_raw(Statement::from_string(
                store.reads.get_database_backend(),
                "SELECT seq FROM audit_events WHERE action = 'keys.rotate'",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "{label}");
    }
}
