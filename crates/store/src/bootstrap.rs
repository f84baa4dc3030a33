//! First start of an empty database: the organisation directory and the service
//! catalogue from the shipped reference data, and the `admin` account with a
//! one-time password. `--demo` adds one clearly fictional user per role.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};
use zakrila_domain::{password::NewPassword, reference, role::Role, user::Email};

use crate::{
    Store, StoreError,
    accounts::{NewUser, one_time_password},
    audit::{self, AuditEntry},
    entity::{organisation, service, user},
    new_id, now_ms,
};

pub const ADMIN_EMAIL: &str = "admin@zakrila.local";

/// What the first start created, for the console (shown once, never logged).
#[derive(Debug, Default)]
pub struct FirstStart {
    pub organisations: usize,
    pub services: usize,
    /// Organisations that got the shipped contacts.
    pub contacts: usize,
    /// The admin's one-time password, when the admin account was just created.
    pub admin_password: Option<String>,
}

/// Demo users: (e-mail, organisation, role). Their password is [`DEMO_PASSWORD`].
pub const DEMO_USERS: &[(&str, &str, Role)] = &[
    ("admin@demo.zakrila.local", "nccthb", Role::Admin),
    (
        "coordinator@demo.zakrila.local",
        "nccthb",
        Role::Coordinator,
    ),
    ("caseworker@demo.zakrila.local", "iom", Role::Caseworker),
    ("caseworker.a21@demo.zakrila.local", "a21", Role::Caseworker),
    ("hotline@demo.zakrila.local", "a21", Role::Hotline),
    ("mobile@demo.zakrila.local", "iom", Role::Mobile),
    ("reporter@demo.zakrila.local", "sacp", Role::Reporter),
    ("analyst@demo.zakrila.local", "nccthb", Role::Analyst),
    ("auditor@demo.zakrila.local", "nccthb", Role::Auditor),
];

/// Shared password of the demo accounts — a demo database holds nothing real.
pub const DEMO_PASSWORD: &str = "демо-закрила-2025";

impl Store {
    /// Loads reference data and creates the admin if the database is empty. Safe to
    /// call at every start.
    pub async fn first_start(&self) -> Result<FirstStart, StoreError> {
        let mut report = FirstStart::default();
        if organisation::Entity::find().count(&self.reads).await? == 0 {
            let txn = self.begin_write().await?;
            let now = now_ms();
            let mut ids = HashMap::new();
            // Parents first would need a topological order; instead insert everyone
            // without a parent, then set parents in a second pass.
            for o in reference::organisations() {
                let id = new_id();
                ids.insert(o.slug.as_str().to_owned(), id.clone());
                organisation::ActiveModel {
                    id: Set(id),
                    slug: Set(o.slug.as_str().to_owned()),
                    abbrev_bg: Set(o.abbrev_bg.clone()),
                    name_bg: Set(o.name_bg.clone()),
                    name_en: Set(o.name_en.clone()),
                    kind: Set(o.kind.as_str().to_owned()),
                    parent_id: Set(None),
                    aliases: Set(o.aliases.join("|")),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
            for o in reference::organisations() {
                if let Some(parent) = &o.parent {
                    organisation::ActiveModel {
                        id: Set(ids[o.slug.as_str()].clone()),
                        parent_id: Set(Some(ids[parent.as_str()].clone())),
                        ..Default::default()
                    }
                    .update(&txn)
                    .await?;
                }
            }
            for s in reference::services() {
                service::ActiveModel {
                    code: Set(s.code.clone()),
                    name_bg: Set(s.name_bg.clone()),
                    name_en: Set(s.name_en.clone()),
                    description_bg: Set(s.description_bg.clone()),
                    description_en: Set(s.description_en.clone()),
                    org_id: Set(None),
                    active: Set(true),
                }
                .insert(&txn)
                .await?;
            }
            report.organisations = reference::organisations().len();
            report.services = reference::services().len();
            audit::append(
                &txn,
                AuditEntry::new(None, "reference.load", "organisation")
                    .change(serde_json::json!({"organisations": report.organisations, "services": report.services})),
            )
            .await?;
            txn.commit().await?;
        }
        self.seed_outreach().await?;
        report.contacts = self.seed_contacts().await?;
        if self.user_by_email(ADMIN_EMAIL).await?.is_none() {
            let password = one_time_password();
            self.create_user(
                None,
                NewUser {
                    email: Email::parse(ADMIN_EMAIL)?,
                    display_name: "Administrator".into(),
                    org_slug: "nccthb".into(),
                    role: Role::Admin,
                    password: NewPassword::parse(&password)?,
                    must_change_password: true,
                },
            )
            .await?;
            report.admin_password = Some(password);
        }
        Ok(report)
    }

    /// Creates the demo users that do not exist yet. Returns how many were created.
    pub async fn create_demo_users(&self) -> Result<usize, StoreError> {
        let mut created = 0;
        for (email, org, role) in DEMO_USERS {
            if self.user_by_email(email).await?.is_some() {
                continue;
            }
            self.create_user(
                None,
                NewUser {
                    email: Email::parse(email)?,
                    display_name: format!("Демо {}", role.as_str()),
                    org_slug: (*org).into(),
                    role: *role,
                    password: NewPassword::parse(DEMO_PASSWORD)?,
                    must_change_password: false,
                },
            )
            .await?;
            created += 1;
        }
        Ok(created)
    }

    pub async fn count_users(&self) -> Result<u64, StoreError> {
        Ok(user::Entity::find().count(&self.reads).await?)
    }
}
