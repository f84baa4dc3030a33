//! Administering staff accounts: list, create (with a one-time password), disable,
//! reset the second factor. Admins of an organisation manage its accounts; the
//! Commission's admins manage everyone's, except that only an organisation's own
//! admins create accounts that see its victims' identities — as the policy decides
//! per organisation and role. Creating such an account leaves a notice for the
//! organisation's other admins (the store writes it with the account).

use zakrila_domain::{
    DomainError,
    password::NewPassword,
    policy::{Action, Resource},
    role::Role,
    user::Email,
};
use zakrila_store::accounts::{NewUser as StoreNewUser, one_time_password};

use crate::{Account, App, AppError, Authed, Errors, Org, session::uuid_of};

/// An account with its organisation, as a list shows it.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub account: Account,
    pub org: Option<Org>,
}

/// What an admin fills in to create an account. Pages and API deserialise into it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    /// The organisation's slug.
    pub organisation: String,
    pub role: String,
}

/// A created account and its one-time password, shown this once.
#[derive(Debug, Clone)]
pub struct Created {
    pub row: AccountRow,
    pub one_time_password: String,
}

/// The accounts page: the accounts this admin sees, and the organisations in which
/// they may create one.
#[derive(Debug, Clone)]
pub struct Overview {
    pub accounts: Vec<AccountRow>,
    pub manageable_orgs: Vec<Org>,
}

impl App {
    /// Accounts this admin may see, each with its organisation.
    pub async fn accounts(&self, a: &Authed) -> Result<Overview, AppError> {
        a.require(Action::ViewUsers, &Resource::Org(a.actor.org_id))?;
        let orgs: Vec<Org> = self.all_orgs().await?;
        let accounts = self
            .store
            .list_users(None)
            .await?
            .into_iter()
            .map(Account::from)
            .filter(|u| a.can(Action::ViewUsers, &Resource::Org(uuid_of(&u.org_id))))
            .map(|account| AccountRow {
                org: orgs.iter().find(|o| o.id == account.org_id).cloned(),
                account,
            })
            .collect();
        let manageable_orgs = orgs
            .into_iter()
            .filter(|o| a.can(Action::ManageUsers, &Resource::Org(o.uuid())))
            .collect();
        Ok(Overview {
            accounts,
            manageable_orgs,
        })
    }

    /// Creates an account with a one-time password the user changes at first
    /// sign-in. Every invalid field is reported at once; nothing is written then.
    pub async fn create_account(&self, a: &Authed, n: NewAccount) -> Result<Created, AppError> {
        let org: Option<Org> = self
            .store
            .org_by_slug(&n.organisation)
            .await?
            .map(Org::from);
        // An unknown organisation is judged as the actor's own, so the refusal
        // to act elsewhere comes before the field error.
        let org_uuid = org.as_ref().map_or(a.actor.org_id, Org::uuid);
        a.require(Action::ManageUsers, &Resource::Org(org_uuid))?;
        let mut errs = Errors::default();
        let email = errs.take(Email::parse(&n.email));
        let role = errs.take(Role::parse(&n.role));
        errs.check(
            n.display_name.trim().is_empty(),
            "display_name",
            "error-name-empty",
        );
        errs.check(org.is_none(), "organisation", "error-org-unknown");
        errs.finish()?;
        let (Some(email), Some(role), Some(org)) = (email, role, org) else {
            return Err(DomainError::field("organisation", "error-org-unknown").into());
        };
        // Whether this admin may create this role there: only an organisation's own
        // admins create accounts that see its victims' identities.
        a.require(
            Action::ManageUsers,
            &Resource::Account {
                org: org.uuid(),
                role,
            },
        )?;
        let password = one_time_password();
        let u = self
            .store
            .create_user(
                Some(a.user_uuid()),
                StoreNewUser {
                    email,
                    display_name: n.display_name.trim().to_owned(),
                    org_slug: org.slug.clone(),
                    role,
                    password: NewPassword::parse(&password)?,
                    must_change_password: true,
                },
            )
            .await?;
        Ok(Created {
            row: AccountRow {
                account: u.into(),
                org: Some(org),
            },
            one_time_password: password,
        })
    }

    /// The account `id` if the actor may manage it; not found otherwise, so the
    /// accounts of other organisations do not leak.
    async fn managed_account(&self, a: &Authed, id: &str) -> Result<Account, AppError> {
        let u: Account = self
            .store
            .user_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?
            .into();
        if !a.can(Action::ManageUsers, &Resource::Org(uuid_of(&u.org_id))) {
            return Err(AppError::NotFound);
        }
        Ok(u)
    }

    /// Disables an account and ends its sessions. An admin cannot lock themself out.
    pub async fn disable_account(&self, a: &Authed, id: &str) -> Result<(), AppError> {
        let u = self.managed_account(a, id).await?;
        if u.id == a.user.id {
            return Err(AppError::Conflict("self"));
        }
        Ok(self.store.disable_user(Some(a.user_uuid()), &u.id).await?)
    }

    /// Clears an account's second factor; it enrols again at next sign-in.
    pub async fn reset_second_factor(&self, a: &Authed, id: &str) -> Result<(), AppError> {
        let u = self.managed_account(a, id).await?;
        Ok(self.store.reset_totp(Some(a.user_uuid()), &u.id).await?)
    }
}
