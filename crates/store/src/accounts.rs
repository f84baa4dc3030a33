//! User accounts: creation, passwords (Argon2id), TOTP second factor, disabling.
//! Every change is audited in the same transaction that makes it.

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use totp_rs::{Algorithm as TotpAlg, Builder, Secret, Totp};
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    password::NewPassword,
    role::Role,
    user::{Email, Locale, UserStatus},
};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{organisation, session, user},
    new_id, now_ms,
    vault::FieldRef,
};

/// Argon2id at OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1).
fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters"),
    )
}

pub fn hash_password(p: &NewPassword) -> String {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2()
        .hash_password(p.expose().as_bytes(), &salt)
        .expect("Argon2 hashing of a bounded password")
        .to_string()
}

pub fn verify_password(hash: &str, candidate: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|h| argon2().verify_password(candidate.as_bytes(), &h).is_ok())
}

/// A hash of a random password nobody knows: verifying against it when the account
/// does not exist costs the same time as a real check, so timing does not reveal
/// which e-mail addresses have accounts.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        hash_password(&NewPassword::parse("a-password-nobody-will-ever-type-42").expect("valid"))
    });
    &H
}

/// A one-time password for a new account: 20 random letters and digits, shown once,
/// changed by the user at first sign-in.
pub fn one_time_password() -> String {
    use rand::{Rng, distributions::Alphanumeric};
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub org_slug: String,
    pub role: Role,
    pub password: NewPassword,
    /// Forced change at first sign-in (one-time passwords from the admin or CLI).
    pub must_change_password: bool,
}

fn totp_ref(user_id: &str) -> FieldRef<'_> {
    FieldRef {
        table: "users",
        column: "totp_secret",
        row_id: user_id,
    }
}

/// SHA-1, 6 digits, 30 seconds: what every authenticator app understands.
fn totp_for(secret_b32: &str, email: &str) -> Result<Totp, StoreError> {
    let secret =
        Secret::try_from_base32(secret_b32).map_err(|_| StoreError::Conflict("totp-secret"))?;
    Builder::new()
        .with_algorithm(TotpAlg::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some("Zakrila"))
        .with_account_name(email)
        .build()
        .map_err(|_| StoreError::Conflict("totp-secret"))
}

impl Store {
    pub async fn create_user(
        &self,
        actor: Option<Uuid>,
        u: NewUser,
    ) -> Result<user::Model, StoreError> {
        let txn = self.begin_write().await?;
        let org = crate::read::one_in(
            organisation::Entity::find().filter(organisation::Column::Slug.eq(&u.org_slug)),
            &txn,
        )
        .await?
        .ok_or(DomainError::field("org", "error-org-unknown"))?;
        if crate::read::one_in(
            user::Entity::find().filter(user::Column::Email.eq(u.email.as_str())),
            &txn,
        )
        .await?
        .is_some()
        {
            return Err(DomainError::field("email", "error-email-taken").into());
        }
        let now = now_ms();
        let id = new_id();
        let model = user::ActiveModel {
            id: Set(id.clone()),
            org_id: Set(org.id),
            email: Set(u.email.as_str().to_owned()),
            display_name: Set(u.display_name),
            role: Set(u.role.as_str().to_owned()),
            locale: Set(Locale::Bg.as_str().to_owned()),
            password_hash: Set(hash_password(&u.password)),
            must_change_password: Set(u.must_change_password),
            totp_secret: Set(None),
            totp_enabled: Set(false),
            totp_last_step: Set(None),
            status: Set(UserStatus::Active.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(actor, "user.create", "user")
                .id(&id)
                .change(serde_json::json!({"role": u.role.as_str(), "org": u.org_slug})),
        )
        .await?;
        // An account that sees the organisation's victims is news to its other
        // admins: whoever made it (another admin, the command line) gains that sight.
        if zakrila_domain::policy::sees_identities(u.role) {
            let creator = match actor {
                Some(a) => crate::read::one_in(user::Entity::find_by_id(a.to_string()), &txn)
                    .await?
                    .map(|c| c.display_name),
                None => None,
            };
            let params = serde_json::json!({
                "actor": creator,
                "email": model.email,
                "role": u.role.as_str(),
            });
            let except = actor.map(|a| a.to_string());
            let notified = crate::notices::notify_admins(
                &txn,
                &model.org_id,
                except.as_deref(),
                crate::notices::IDENTITY_ACCOUNT,
                params,
            )
            .await?;
            audit::append(
                &txn,
                AuditEntry::new(actor, "user.identity_access", "user")
                    .id(&id)
                    .change(serde_json::json!({
                        "role": u.role.as_str(), "org": u.org_slug, "admins_notified": notified,
                    })),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(model)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<user::Model>, StoreError> {
        Ok(self
            .read_one(
                user::Entity::find().filter(user::Column::Email.eq(email.trim().to_lowercase())),
            )
            .await?)
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<user::Model>, StoreError> {
        Ok(self
            .read_one(user::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    /// The users with these ids (those that exist), in one query per 500 ids.
    pub async fn users_by_ids(&self, ids: &[String]) -> Result<Vec<user::Model>, StoreError> {
        let mut out = vec![];
        for chunk in ids.chunks(500) {
            out.extend(
                user::Entity::find()
                    .filter(user::Column::Id.is_in(chunk.to_vec()))
                    .all(&self.reads)
                    .await?,
            );
        }
        Ok(out)
    }

    /// Users, optionally of one organisation, by e-mail.
    pub async fn list_users(&self, org_id: Option<&str>) -> Result<Vec<user::Model>, StoreError> {
        let mut q = user::Entity::find().order_by_asc(user::Column::Email);
        if let Some(org) = org_id {
            q = q.filter(user::Column::OrgId.eq(org));
        }
        Ok(q.all(&self.reads).await?)
    }

    /// Disables an account and ends all its sessions.
    pub async fn disable_user(&self, actor: Option<Uuid>, id: &str) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let u = crate::read::one_in(user::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: user::ActiveModel = u.into();
        am.status = Set(UserStatus::Disabled.as_str().to_owned());
        am.updated_at = Set(now_ms());
        am.update(&txn).await?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
        audit::append(&txn, AuditEntry::new(actor, "user.disable", "user").id(id)).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Clears the second factor so the user enrols again at next sign-in.
    pub async fn reset_totp(&self, actor: Option<Uuid>, id: &str) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let u = crate::read::one_in(user::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: user::ActiveModel = u.into();
        am.totp_secret = Set(None);
        am.totp_enabled = Set(false);
        am.totp_last_step = Set(None);
        am.updated_at = Set(now_ms());
        am.update(&txn).await?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry::new(actor, "user.totp_reset", "user").id(id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sets a new password; every session of the account ends and its API tokens
    /// are revoked, since whoever knew the old password may hold them.
    pub async fn set_password(
        &self,
        actor: Option<Uuid>,
        id: &str,
        p: &NewPassword,
    ) -> Result<(), StoreError> {
        self.change_password_keeping(actor, id, p, None).await
    }

    /// As [`Store::set_password`], except that the session behind `keep` (the one
    /// the person changed it in) stays signed in.
    pub async fn change_password_keeping(
        &self,
        actor: Option<Uuid>,
        id: &str,
        p: &NewPassword,
        keep: Option<&str>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let u = crate::read::one_in(user::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if verify_password(&u.password_hash, p.expose()) {
            return Err(DomainError::field("password", "error-password-same").into());
        }
        let mut am: user::ActiveModel = u.into();
        am.password_hash = Set(hash_password(p));
        am.must_change_password = Set(false);
        am.updated_at = Set(now_ms());
        am.update(&txn).await?;
        let mut others = crate::entity::session::Entity::delete_many()
            .filter(crate::entity::session::Column::UserId.eq(id));
        if let Some(keep) = keep {
            others = others
                .filter(crate::entity::session::Column::Id.ne(crate::sessions::token_hash(keep)));
        }
        others.exec(&txn).await?;
        crate::entity::api_token::Entity::update_many()
            .col_expr(
                crate::entity::api_token::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(now_ms()),
            )
            .filter(crate::entity::api_token::Column::UserId.eq(id))
            .filter(crate::entity::api_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry::new(actor, "user.password_change", "user").id(id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn set_locale(&self, id: &str, locale: Locale) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        if let Some(u) = crate::read::one_in(user::Entity::find_by_id(id.to_owned()), &txn).await? {
            let mut am: user::ActiveModel = u.into();
            am.locale = Set(locale.as_str().to_owned());
            am.update(&txn).await?;
            audit::append(
                &txn,
                AuditEntry::new(Uuid::parse_str(id).ok(), "user.locale", "user")
                    .id(id)
                    .change(locale.as_str()),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Starts (or restarts) TOTP enrolment: a fresh secret, stored encrypted, not yet
    /// enabled. Returns the `otpauth://` URL for the QR code.
    pub async fn begin_totp_enrolment(&self, id: &str) -> Result<String, StoreError> {
        let u = self.user_by_id(id).await?.ok_or(StoreError::NotFound)?;
        if u.totp_enabled {
            return Err(StoreError::Conflict("totp-already-enabled"));
        }
        let secret = match &u.totp_secret {
            Some(enc) => self.vault.decrypt(totp_ref(id), enc)?,
            None => {
                let s = Secret::generate().to_base32();
                let enc = self
                    .vault
                    .encrypt(self.current_key_id().await?, totp_ref(id), &s);
                let mut am: user::ActiveModel = u.clone().into();
                am.totp_secret = Set(Some(enc));
                am.update(&self.writer).await?;
                s
            }
        };
        totp_for(&secret, &u.email)?
            .to_url()
            .map_err(|_| StoreError::Conflict("totp-secret"))
    }

    /// Checks a TOTP code for the user (±1 step of clock drift), refusing a code
    /// whose time step was already used. Enables TOTP on the first success.
    pub async fn check_totp(&self, id: &str, code: &str) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        // FOR UPDATE on PostgreSQL (SQLite's one writer serialises alike): two
        // requests with the same code queue here, and the second sees the step used.
        let u = user::Entity::find_by_id(id.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let Some(enc) = &u.totp_secret else {
            return Ok(false);
        };
        let secret = self.vault.decrypt(totp_ref(id), enc)?;
        let totp = totp_for(&secret, &u.email)?;
        let now = (now_ms() / 1000) as u64;
        let code = code.trim();
        let step = [now.saturating_sub(30), now, now + 30]
            .into_iter()
            .find(|t| totp.generate(*t).to_string() == code)
            .map(|t| (t / 30) as i64);
        let Some(step) = step else { return Ok(false) };
        if u.totp_last_step.is_some_and(|last| step <= last) {
            return Ok(false);
        }
        let first = !u.totp_enabled;
        let mut am: user::ActiveModel = u.into();
        am.totp_last_step = Set(Some(step));
        am.totp_enabled = Set(true);
        am.update(&txn).await?;
        if first {
            audit::append(
                &txn,
                AuditEntry::new(Uuid::parse_str(id).ok(), "user.totp_enrol", "user").id(id),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(true)
    }
}

/// Whether a user row is allowed to sign in at all.
pub fn is_active(u: &user::Model) -> bool {
    u.status == UserStatus::Active.as_str()
}

/// The stored role; `None` for one this version does not know (a row edited by
/// hand, or written by a newer version), which must grant nothing.
pub fn role_of(u: &user::Model) -> Option<Role> {
    Role::parse(&u.role).ok()
}
