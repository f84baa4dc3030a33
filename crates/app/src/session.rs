//! Who is asking. A request carries a bearer token (API clients) or a session token
//! (browsers); either way the operations get an `Authed`: the account, its
//! organisation and the domain `Actor` the policy judges. The HTTP layer only finds
//! the token in the request; everything about what it stands for is decided here.
//!
//! Sessions go through stages: password accepted → second factor (enrolment or
//! code) → forced password change → complete. A `PendingSession` is a session at any
//! stage; only a complete one becomes an `Authed`.

use uuid::Uuid;
use zakrila_domain::{
    org::OrgKind,
    policy::{Action, Actor, Decision, Resource, authorize},
    role::Role,
    user::Locale,
};
use zakrila_store::{
    accounts::{is_active, role_of},
    entity::{organisation, session, user},
};

use crate::{App, AppError};

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
    /// The server's command line, run by whoever holds the database and its key.
    Console,
}

/// A staff account as the application shows it (never a victim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub display_name: String,
    /// `None` for a stored role this version does not know: such an account
    /// cannot sign in or use a token.
    pub role: Option<Role>,
    pub locale: Locale,
    pub active: bool,
    pub totp_enabled: bool,
    pub must_change_password: bool,
    pub created_at: i64,
}

impl Account {
    /// Whether this account must pass a second factor before seeing anything.
    pub fn needs_second_factor(&self) -> bool {
        self.totp_enabled || self.role.is_none_or(|r| r.needs_second_factor())
    }
}

impl From<user::Model> for Account {
    fn from(u: user::Model) -> Self {
        Account {
            active: is_active(&u),
            role: role_of(&u),
            locale: Locale::from_tag(&u.locale),
            id: u.id,
            org_id: u.org_id,
            email: u.email,
            display_name: u.display_name,
            totp_enabled: u.totp_enabled,
            must_change_password: u.must_change_password,
            created_at: u.created_at,
        }
    }
}

/// An organisation of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: String,
    pub slug: String,
    pub abbrev_bg: String,
    pub name_bg: String,
    pub name_en: String,
    pub kind: OrgKind,
    pub parent_id: Option<String>,
}

impl Org {
    pub fn uuid(&self) -> Uuid {
        uuid_of(&self.id)
    }

    /// Whether `s` names this organisation: its slug, its abbreviation or either
    /// name, as typed into the pages' organisation list (letter case aside).
    pub fn is_named(&self, s: &str) -> bool {
        let s = s.trim().to_lowercase();
        [&self.slug, &self.abbrev_bg, &self.name_bg, &self.name_en]
            .iter()
            .any(|n| n.to_lowercase() == s)
    }

    /// The organisation's name in the reader's language.
    pub fn name(&self, lang: Locale) -> &str {
        match lang {
            Locale::En => &self.name_en,
            _ => &self.name_bg,
        }
    }
}

impl From<organisation::Model> for Org {
    fn from(o: organisation::Model) -> Self {
        Org {
            // A kind the code does not know (a row edited by hand) grants nothing.
            kind: OrgKind::parse(&o.kind).unwrap_or(OrgKind::Other),
            id: o.id,
            slug: o.slug,
            abbrev_bg: o.abbrev_bg,
            name_bg: o.name_bg,
            name_en: o.name_en,
            parent_id: o.parent_id,
        }
    }
}

/// Ids come from our own rows; a malformed one matches nobody.
pub(crate) fn uuid_of(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or(Uuid::nil())
}

/// A signed-in caller, as every operation receives it.
#[derive(Debug, Clone)]
pub struct Authed {
    pub user: Account,
    pub org: Org,
    pub actor: Actor,
    pub via: Via,
}

impl Authed {
    fn new(user: Account, org: Org, via: Via) -> Result<Self, AppError> {
        let actor = Actor {
            user_id: Uuid::parse_str(&user.id).map_err(|_| AppError::Internal)?,
            org_id: Uuid::parse_str(&org.id).map_err(|_| AppError::Internal)?,
            // An account whose stored role this version does not know has no rights.
            role: user.role.ok_or(AppError::Unauthorized)?,
            in_commission: org.kind == OrgKind::NationalCommission,
        };
        Ok(Authed {
            user,
            org,
            actor,
            via,
        })
    }

    pub fn user_uuid(&self) -> Uuid {
        self.actor.user_id
    }

    /// Asks the policy; a refusal becomes the matching error (404 when the
    /// resource must look absent).
    pub fn require(&self, action: Action, resource: &Resource) -> Result<(), AppError> {
        match authorize(&self.actor, action, resource) {
            Decision::Allow => Ok(()),
            Decision::Hidden => Err(AppError::NotFound),
            Decision::Forbidden => Err(AppError::Forbidden),
        }
    }

    /// Whether the policy allows it: what a page asks before showing a button,
    /// the same question the action will ask.
    pub fn can(&self, action: Action, resource: &Resource) -> bool {
        authorize(&self.actor, action, resource).is_allowed()
    }

    /// `can` on something of the actor's own organisation.
    pub fn can_in_own_org(&self, action: Action) -> bool {
        self.can(action, &Resource::Org(self.actor.org_id))
    }
}

/// A session at whatever stage, with its account.
#[derive(Debug, Clone)]
pub struct PendingSession {
    pub session_id: String,
    pub second_factor_ok: bool,
    pub token: String,
    pub user: Account,
}

/// The sign-in step a pending session must pass next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    EnrolSecondFactor,
    SecondFactor,
    ChangePassword,
}

impl NextStep {
    /// The step an account's session must pass next, given whether its second
    /// factor has passed; `None` when the session is complete.
    pub fn after(second_factor_ok: bool, user: &Account) -> Option<NextStep> {
        if !second_factor_ok {
            Some(if user.totp_enabled {
                NextStep::SecondFactor
            } else {
                NextStep::EnrolSecondFactor
            })
        } else if user.must_change_password {
            Some(NextStep::ChangePassword)
        } else {
            None
        }
    }
}

impl PendingSession {
    /// The next step, or `None` when the session is complete.
    pub fn next_step(&self) -> Option<NextStep> {
        NextStep::after(self.second_factor_ok, &self.user)
    }
}

impl App {
    /// The whole organisation directory, as the application shows it.
    pub(crate) async fn all_orgs(&self) -> Result<Vec<Org>, AppError> {
        Ok(self
            .store
            .list_orgs()
            .await?
            .into_iter()
            .map(Org::from)
            .collect())
    }

    /// The live session behind a browser's token, at whatever stage; `None` for an
    /// unknown, expired or idle session or a disabled account.
    pub async fn pending_session(&self, token: &str) -> Result<Option<PendingSession>, AppError> {
        let Some(s): Option<session::Model> = self.store.session(token).await? else {
            return Ok(None);
        };
        let Some(u) = self.store.user_by_id(&s.user_id).await? else {
            return Ok(None);
        };
        if !is_active(&u) {
            return Ok(None);
        }
        Ok(Some(PendingSession {
            session_id: s.id,
            second_factor_ok: s.second_factor_ok,
            token: token.to_owned(),
            user: u.into(),
        }))
    }

    /// A complete session as a caller; `Unauthorized` while a sign-in step remains.
    pub async fn session_caller(&self, p: PendingSession) -> Result<Authed, AppError> {
        if p.next_step().is_some() {
            return Err(AppError::Unauthorized);
        }
        let org = self
            .store
            .org_by_id(&p.user.org_id)
            .await?
            .ok_or(AppError::Internal)?;
        Authed::new(p.user, org.into(), Via::Session)
    }

    /// An active account named at the command line (`zakrila stats … --as EMAIL`):
    /// the console acts as that account, under the same policy.
    pub async fn console_caller(&self, email: &str) -> Result<Authed, AppError> {
        let u = self
            .store
            .user_by_email(email)
            .await?
            .filter(|u| is_active(u))
            .ok_or(AppError::Unauthorized)?;
        let org = self
            .store
            .org_by_id(&u.org_id)
            .await?
            .ok_or(AppError::Internal)?;
        Authed::new(u.into(), org.into(), Via::Console)
    }

    /// The caller behind a bearer token; `Unauthorized` for an unknown, expired or
    /// revoked token or a disabled account.
    pub async fn token_caller(&self, token: &str) -> Result<Authed, AppError> {
        let (u, org) = self
            .store
            .user_for_token(token)
            .await?
            .filter(|(u, _)| is_active(u))
            .ok_or(AppError::Unauthorized)?;
        Authed::new(u.into(), org.into(), Via::Token)
    }
}
