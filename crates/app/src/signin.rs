//! Signing in and out: the password step (with the per-account and per-address
//! lockouts), the second factor (enrolment the first time), the forced password
//! change, signing out, the language switch, and what a signed-in person does to
//! their own account (a bearer token, signing out everywhere).
//!
//! The HTTP layer finds the session token and the client address in the request
//! and turns the results into cookies and redirects; every decision is made here.
//! A failed sign-in answers `Unauthorized` whatever went wrong, so an answer never
//! tells whether the account exists, is locked or the password was wrong.

use serde::Deserialize;
use zakrila_domain::{password::NewPassword, user::Locale};
use zakrila_store::{
    accounts::{dummy_hash, is_active, role_of, verify_password},
    audit::AuditEntry,
    throttle::{Attempt, MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES, account_key, address_key},
};

use crate::{
    Account, App, AppError, Authed, Errors, PendingSession,
    session::{NextStep, uuid_of},
};

/// The sign-in form.
#[derive(Debug, Clone, Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// A session the password step (or the second factor) opened.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The new session token, for the cookie.
    pub token: String,
    /// The step still to pass, `None` when the session is complete.
    pub next: Option<NextStep>,
    /// The language the account saved.
    pub locale: Locale,
}

/// The password change form (forced after a one-time password, or voluntary).
#[derive(Debug, Clone, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

/// A bearer token the caller issues for themself.
#[derive(Debug, Clone, Deserialize)]
pub struct NewToken {
    pub label: String,
    pub hours: i64,
}

/// Longest life of a self-issued token: 90 days.
const MAX_TOKEN_HOURS: i64 = 24 * 90;

/// The counter of every sign-in attempt, whoever and wherever from.
const GLOBAL_KEY: &str = "signin:all";

impl App {
    /// Verifies a password on a blocking thread, at most one per core at a time,
    /// so Argon2 never runs on the async workers that serve every other request.
    async fn verify_password(&self, hash: &str, candidate: &str) -> Result<bool, AppError> {
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        let (hash, candidate) = (hash.to_owned(), candidate.to_owned());
        tokio::task::spawn_blocking(move || verify_password(&hash, &candidate))
            .await
            .map_err(|_| AppError::Internal)
    }

    /// The password step. `client_addr` is the address the lockout counts failures
    /// for; `previous` the session token the browser still holds (ended, so that a
    /// new session id follows every sign-in).
    pub async fn sign_in(
        &self,
        c: &Credentials,
        client_addr: &str,
        previous: Option<&str>,
    ) -> Result<SignedIn, AppError> {
        let store = &self.store;
        // The ceiling over every address first: when it is reached nobody's
        // counters move, so a spray of guesses cannot lock real accounts out.
        if let Attempt::Locked { until } = store
            .begin_attempt_per(GLOBAL_KEY, self.signin_per_minute, 60_000)
            .await?
        {
            store
                .record(AuditEntry::new(None, "auth.signin_paused", "user"))
                .await?;
            return Err(AppError::Paused(until));
        }
        let addr_key = address_key(client_addr);
        let acct_key = account_key(&c.email);
        // Counted before any work, so a burst of parallel guesses cannot all pass a
        // check made before the first failure is written.
        let attempt = store
            .begin_attempt(&[
                (&acct_key, MAX_ACCOUNT_FAILURES),
                (&addr_key, MAX_ADDRESS_FAILURES),
            ])
            .await?;
        if let Attempt::Locked { until } = attempt {
            store
                .record(AuditEntry::new(None, "auth.signin_paused", "user"))
                .await?;
            return Err(AppError::Paused(until));
        }
        let user = store.user_by_email(&c.email).await?;
        // Always run one Argon2 verification, so the answer takes as long whether or
        // not the account exists.
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.as_str())
            .unwrap_or(dummy_hash());
        let password_ok = self.verify_password(hash, &c.password).await?;
        let ok = password_ok
            && user
                .as_ref()
                .is_some_and(|u| is_active(u) && role_of(u).is_some());
        let user_id = user.as_ref().map(|u| u.id.clone());
        let Some(user) = user.filter(|_| ok) else {
            let mut entry = AuditEntry::new(None, "auth.signin_failed", "user");
            entry.entity_id = user_id;
            store.record(entry).await?;
            return Err(AppError::Unauthorized);
        };
        store.clear_failures(&acct_key).await?;
        store.forgive_attempt(&addr_key).await?;
        store.forgive_attempt(GLOBAL_KEY).await?;
        let account = Account::from(user);
        let second_ok = !account.needs_second_factor();
        let token = store
            .create_session(&account.id, second_ok, previous)
            .await?;
        store
            .record(
                AuditEntry::new(Some(uuid_of(&account.id)), "auth.signin_password", "user")
                    .id(&account.id),
            )
            .await?;
        Ok(SignedIn {
            next: NextStep::after(second_ok, &account),
            locale: account.locale,
            token,
        })
    }

    /// Starts (or restarts) enrolling an authenticator app: the `otpauth://` URL
    /// the QR code shows. Only for a session still waiting for its first factor.
    pub async fn begin_enrolment(&self, p: &PendingSession) -> Result<String, AppError> {
        if p.next_step() != Some(NextStep::EnrolSecondFactor) {
            return Err(AppError::Conflict("enrolled"));
        }
        Ok(self.store.begin_totp_enrolment(&p.user.id).await?)
    }

    /// The second factor: a code from the authenticator app (which completes the
    /// enrolment when there is one under way). A wrong code counts towards the
    /// account's lockout and answers `Unauthorized`.
    pub async fn second_factor(
        &self,
        p: &PendingSession,
        code: &str,
    ) -> Result<SignedIn, AppError> {
        let store = &self.store;
        let key = account_key(&p.user.email);
        let actor = Some(uuid_of(&p.user.id));
        let last = match store.begin_attempt(&[(&key, MAX_ACCOUNT_FAILURES)]).await? {
            Attempt::Allowed { last } => last,
            Attempt::Locked { until } => {
                store.end_session(&p.token).await?;
                return Err(AppError::Paused(until));
            }
        };
        if !store.check_totp(&p.user.id, code).await? {
            store
                .record(AuditEntry::new(actor, "auth.totp_failed", "user").id(&p.user.id))
                .await?;
            // The last code allowed was wrong: the half-signed-in session ends, so
            // the password must be passed again after the pause.
            if last {
                store.end_session(&p.token).await?;
            }
            return Err(AppError::Unauthorized);
        }
        store.clear_failures(&key).await?;
        // A new session id once the second factor passes (rotation on privilege change).
        let token = store
            .create_session(&p.user.id, true, Some(&p.token))
            .await?;
        store
            .record(AuditEntry::new(actor, "auth.signin", "user").id(&p.user.id))
            .await?;
        Ok(SignedIn {
            token,
            next: NextStep::after(true, &p.user),
            locale: p.user.locale,
        })
    }

    /// Changes the password of a session past its second factor. Every problem is
    /// reported at once; nothing changes then.
    pub async fn change_password(
        &self,
        p: &PendingSession,
        f: &PasswordChange,
    ) -> Result<(), AppError> {
        if !p.second_factor_ok {
            return Err(AppError::Unauthorized);
        }
        // A wrong current password counts towards the lockout like a failed sign-in,
        // so a session left open is no way round it.
        let key = account_key(&p.user.email);
        if let Attempt::Locked { until } = self
            .store
            .begin_attempt(&[(&key, MAX_ACCOUNT_FAILURES)])
            .await?
        {
            return Err(AppError::Paused(until));
        }
        // The hash is not part of the session's account: read it for this check only.
        let hash = self
            .store
            .user_by_id(&p.user.id)
            .await?
            .map(|u| u.password_hash)
            .unwrap_or_default();
        let mut errs = Errors::default();
        let current_ok = self.verify_password(&hash, &f.current).await?;
        if current_ok {
            self.store.clear_failures(&key).await?;
        }
        errs.check(!current_ok, "current", "error-password-current");
        errs.check(f.new != f.confirm, "confirm", "error-password-confirm");
        let new = errs.take(NewPassword::parse(&f.new));
        errs.finish()?;
        let new = new.ok_or(AppError::Internal)?;
        Ok(self
            .store
            .change_password_keeping(Some(uuid_of(&p.user.id)), &p.user.id, &new, Some(&p.token))
            .await?)
    }

    /// Ends the session behind `token` (audited when there was one).
    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        if let Some(s) = self.store.session(token).await? {
            self.store
                .record(
                    AuditEntry::new(Some(uuid_of(&s.user_id)), "auth.signout", "user")
                        .id(&s.user_id),
                )
                .await?;
        }
        Ok(self.store.end_session(token).await?)
    }

    /// Saves the language as the preference of the account signed in with `token`
    /// (at whatever sign-in stage); nothing to save without a session.
    pub async fn set_language(&self, token: Option<&str>, lang: Locale) -> Result<(), AppError> {
        if let Some(token) = token
            && let Some(s) = self.store.session(token).await?
        {
            self.store.set_locale(&s.user_id, lang).await?;
        }
        Ok(())
    }

    /// Issues a bearer token for the caller, valid 1 hour to 90 days; the token is
    /// shown this once.
    pub async fn issue_own_token(&self, a: &Authed, t: &NewToken) -> Result<String, AppError> {
        a.require(
            zakrila_domain::policy::Action::IssueOwnToken,
            &zakrila_domain::policy::Resource::System,
        )?;
        let max = if a.user.needs_second_factor() {
            zakrila_domain::role::SECOND_FACTOR_TOKEN_MAX_MS / 3_600_000
        } else {
            MAX_TOKEN_HOURS
        };
        let hours = t.hours.clamp(1, max);
        let (_, token) = self
            .store
            .issue_token(
                Some(a.user_uuid()),
                &a.user.id,
                t.label.trim(),
                hours * 3_600_000,
            )
            .await?;
        Ok(token)
    }

    /// Ends every session of the caller's account.
    pub async fn sign_out_everywhere(&self, a: &Authed) -> Result<(), AppError> {
        self.store.end_all_sessions(&a.user.id).await?;
        self.store
            .record(
                AuditEntry::new(Some(a.user_uuid()), "auth.signout_everywhere", "user")
                    .id(&a.user.id),
            )
            .await?;
        Ok(())
    }
}
