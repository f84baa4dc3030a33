//! The directory's public contacts, and the version key the public pages are
//! cached under: every change of contacts gives the directory a new version in the
//! same transaction, so every server re-renders its pages.

use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
use zakrila_domain::{
    directory::{Contacts, Need, Phone, seed},
    region::Region,
};

use crate::{
    Store, StoreError, WriteTxn,
    audit::{self, AuditEntry},
    comma_items,
    entity::{org_contact, organisation, setting},
    new_id, now_ms,
};

/// The settings row holding the directory's version.
const VERSION: &str = "directory_version";
/// Marks that the shipped contacts were loaded (once; admins edit them after).
const SEEDED: &str = "directory_contacts_seeded";

/// Reads a stored row back into contacts. Values this version no longer knows are
/// dropped rather than failing the public pages.
pub fn contacts_of(m: &org_contact::Model) -> Contacts {
    Contacts {
        phones: serde_json::from_str::<Vec<Phone>>(&m.phones).unwrap_or_default(),
        email: m.email.clone(),
        website: m.website.clone(),
        address_bg: m.address_bg.clone(),
        address_en: m.address_en.clone(),
        hours_bg: m.hours_bg.clone(),
        hours_en: m.hours_en.clone(),
        regions: comma_items(&m.regions).filter_map(Region::parse).collect(),
        needs: comma_items(&m.needs)
            .filter_map(|n| Need::parse(n).ok())
            .collect(),
        services: comma_items(&m.services).map(str::to_owned).collect(),
    }
}

fn row(org_id: &str, c: &Contacts, now: i64) -> org_contact::ActiveModel {
    let join = |it: Vec<&str>| it.join(",");
    org_contact::ActiveModel {
        org_id: Set(org_id.to_owned()),
        phones: Set(serde_json::to_string(&c.phones).unwrap_or_else(|_| "[]".into())),
        email: Set(c.email.clone()),
        website: Set(c.website.clone()),
        address_bg: Set(c.address_bg.clone()),
        address_en: Set(c.address_en.clone()),
        hours_bg: Set(c.hours_bg.clone()),
        hours_en: Set(c.hours_en.clone()),
        regions: Set(join(c.regions.iter().map(|r| r.code()).collect())),
        needs: Set(join(c.needs.iter().map(|n| n.as_str()).collect())),
        services: Set(join(c.services.iter().map(String::as_str).collect())),
        updated_at: Set(now),
    }
}

async fn upsert(txn: &WriteTxn, org_id: &str, c: &Contacts) -> Result<(), StoreError> {
    org_contact::Entity::insert(row(org_id, c, now_ms()))
        .on_conflict(
            OnConflict::column(org_contact::Column::OrgId)
                .update_columns([
                    org_contact::Column::Phones,
                    org_contact::Column::Email,
                    org_contact::Column::Website,
                    org_contact::Column::AddressBg,
                    org_contact::Column::AddressEn,
                    org_contact::Column::HoursBg,
                    org_contact::Column::HoursEn,
                    org_contact::Column::Regions,
                    org_contact::Column::Needs,
                    org_contact::Column::Services,
                    org_contact::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(txn)
        .await?;
    Ok(())
}

async fn set(txn: &WriteTxn, key: &str, value: String) -> Result<(), StoreError> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.into()),
        value: Set(value),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec(txn)
    .await?;
    Ok(())
}

/// A new version, unique even when two servers change the directory at once.
async fn bump(txn: &WriteTxn) -> Result<(), StoreError> {
    set(txn, VERSION, new_id()).await
}

impl Store {
    /// Every organisation's contacts row.
    pub async fn all_contacts(&self) -> Result<Vec<org_contact::Model>, StoreError> {
        Ok(org_contact::Entity::find().all(&self.reads).await?)
    }

    /// One organisation's contacts row, if it has one.
    pub async fn org_contacts(
        &self,
        org_id: &str,
    ) -> Result<Option<org_contact::Model>, StoreError> {
        Ok(self
            .read_one(org_contact::Entity::find_by_id(org_id.to_owned()))
            .await?)
    }

    /// The directory's current version ("" before any contacts were stored).
    pub async fn directory_version(&self) -> Result<String, StoreError> {
        Ok(self
            .read_one(setting::Entity::find_by_id(VERSION.to_owned()))
            .await?
            .map(|s| s.value)
            .unwrap_or_default())
    }

    /// Replaces an organisation's contacts, audited, and gives the directory a new
    /// version.
    pub async fn save_contacts(
        &self,
        actor: uuid::Uuid,
        org: &organisation::Model,
        c: &Contacts,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        upsert(&txn, &org.id, c).await?;
        bump(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "organisation.contacts", "organisation")
                .id(&org.id)
                .change(serde_json::json!({"slug": org.slug})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Loads the shipped contacts into the organisations that have none, once per
    /// database (an existing database gets them at its next start). Returns how
    /// many organisations got contacts.
    pub async fn seed_contacts(&self) -> Result<usize, StoreError> {
        if self
            .read_one(setting::Entity::find_by_id(SEEDED.to_owned()))
            .await?
            .is_some()
        {
            return Ok(0);
        }
        let orgs = self.list_orgs().await?;
        let have: Vec<String> = self
            .all_contacts()
            .await?
            .into_iter()
            .map(|c| c.org_id)
            .collect();
        let txn = self.begin_write().await?;
        let mut n = 0;
        for s in seed::contacts() {
            let Some(o) = orgs.iter().find(|o| o.slug == s.slug) else {
                continue;
            };
            if !have.contains(&o.id) {
                upsert(&txn, &o.id, &s.contacts).await?;
                n += 1;
            }
        }
        set(&txn, SEEDED, "1".into()).await?;
        bump(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(None, "organisation.contacts", "organisation")
                .change(serde_json::json!({"seeded": n})),
        )
        .await?;
        txn.commit().await?;
        Ok(n)
    }
}
