//! Correcting a case (rectification): the identity re-encrypted with fresh nonces,
//! the name tokens, duplicate index and search hits rebuilt from the new name, the
//! linkage encoding dropped (the next run encodes the corrected record), the
//! profile and exploitation record replaced — with the case's version, in one
//! transaction, and a row naming the changed fields, never their values.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use time::OffsetDateTime;
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    case::{AgeBand, Correction, Exploitation, Identity, Profile},
};

use super::{IdentityPlain, caseload, date_str, dup_of, name_words, person_ref, tokens_of};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{
        case, case_correction, case_erasure, caseload as load, person, person_clk, person_token,
    },
    new_id, now_ms,
    write_txn::WriteTxn,
};

/// A stored correction, as the case's history lists it.
pub type CorrectionRow = case_correction::Model;

impl Store {
    /// Applies `correction` to a case read at `expected` version; a conflict when it
    /// changed since, refused after erasure and when nothing would change. Returns the
    /// case as it now is and the names of the fields changed.
    pub async fn correct_case(
        &self,
        actor: Uuid,
        case_id: &str,
        expected: i32,
        correction: Correction,
    ) -> Result<(case::Model, Vec<&'static str>), StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let c = crate::read::one_in(case::Entity::find_by_id(case_id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if crate::read::one_in(case_erasure::Entity::find_by_id(case_id.to_owned()), &txn)
            .await?
            .is_some()
        {
            return Err(DomainError::new("error-erasure-done").into());
        }
        let p = crate::read::one_in(person::Entity::find_by_id(c.person_id.clone()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::bump_version(&txn, case_id, expected).await?;
        let mut fields = vec![];
        if let Some((identity, profile)) = &correction.person {
            let registered = OffsetDateTime::from_unix_timestamp(c.created_at / 1000)
                .map(|t| t.date())
                .unwrap_or(OffsetDateTime::UNIX_EPOCH.date());
            fields.extend(
                self.correct_person(&txn, key_id, &c, p, identity, profile, registered)
                    .await?,
            );
        }
        if let Some(e) = &correction.exploitation {
            fields.extend(exploitation_changes(&c.exploitation, e));
            let mut row = c.clone().into_active_model();
            row.exploitation = Set(serde_json::to_string(e).unwrap_or_else(|_| "{}".into()));
            row.forms = Set(e
                .forms
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(","));
            row.update(&txn).await?;
        }
        if fields.is_empty() {
            return Err(DomainError::field("person", "error-correction-unchanged").into());
        }
        let at = now_ms();
        case_correction::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            reason: Set(correction.reason.as_str().to_owned()),
            fields: Set(fields.join(",")),
            by_user: Set(actor.to_string()),
            at: Set(at),
        }
        .insert(&txn)
        .await?;
        caseload::refresh(&txn, case_id).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.correct", "case")
                .id(case_id)
                .change(serde_json::json!({
                    "code": c.code, "reason": correction.reason.as_str(), "fields": fields,
                })),
        )
        .await?;
        let updated = crate::read::one_in(case::Entity::find_by_id(case_id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok((updated, fields))
    }

    /// Replaces the person's identity and profile; returns the changed fields.
    #[allow(clippy::too_many_arguments)]
    async fn correct_person(
        &self,
        txn: &WriteTxn,
        key_id: u32,
        c: &case::Model,
        p: person::Model,
        identity: &Identity,
        profile: &Profile,
        registered: time::Date,
    ) -> Result<Vec<&'static str>, StoreError> {
        // Decrypted only to tell which fields change; never shown nor kept, so not
        // an identity read.
        let dec = |col: &'static str, v: &Option<String>| -> Result<Option<String>, StoreError> {
            v.as_ref()
                .map(|v| self.vault.decrypt(person_ref(&p.id, col), v))
                .transpose()
                .map_err(Into::into)
        };
        let old = IdentityPlain {
            given_name: dec("given_name", &p.given_name)?,
            family_name: dec("family_name", &p.family_name)?,
            birth_date: dec("birth_date", &p.birth_date)?,
            personal_number: dec("personal_number", &p.personal_number)?,
            phone: dec("phone", &p.phone)?,
        };
        let names = [
            identity.given_name.as_ref().map(|n| n.as_str()),
            identity.family_name.as_ref().map(|n| n.as_str()),
        ];
        let birth = identity.birth_date.map(|b| date_str(b.date()));
        let new = IdentityPlain {
            given_name: names[0].map(str::to_owned),
            family_name: names[1].map(str::to_owned),
            birth_date: birth.clone(),
            personal_number: identity
                .personal_number
                .as_ref()
                .map(|n| n.as_str().to_owned()),
            phone: identity.phone.as_ref().map(|n| n.as_str().to_owned()),
        };
        let mut fields = vec![];
        for (name, was, now) in [
            ("given_name", &old.given_name, &new.given_name),
            ("family_name", &old.family_name, &new.family_name),
            ("birth_date", &old.birth_date, &new.birth_date),
            (
                "personal_number",
                &old.personal_number,
                &new.personal_number,
            ),
            ("phone", &old.phone, &new.phone),
        ] {
            if was != now {
                fields.push(name);
            }
        }
        let languages = profile
            .languages
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(",");
        let citizenship = profile.citizenship.map(|c| c.code().to_owned());
        for (name, changed) in [
            ("sex", p.sex != profile.sex.as_str()),
            ("citizenship", p.citizenship != citizenship),
            ("languages", p.languages != languages),
            ("child", p.is_child != profile.child),
            ("unaccompanied", p.unaccompanied != profile.unaccompanied),
            ("disability", p.disability != profile.disability),
        ] {
            if changed {
                fields.push(name);
            }
        }
        let row_id = p.id.clone();
        let enc = |col: &'static str, v: &Option<String>| {
            v.as_deref()
                .map(|v| self.vault.encrypt(key_id, person_ref(&row_id, col), v))
        };
        let person_id = p.id.clone();
        let org_id = p.org_id.clone();
        // Under the key of the organisation that registered the person: every
        // holder's caseload carries these tokens (a receiver searches under it too).
        let words = name_words(&names);
        let tokens = tokens_of(&words, |w| {
            self.vault.org_blind_index(&org_id, "person_name", w)
        });
        let dup = dup_of(words, identity.birth_date.map(|b| b.date()), |t| {
            self.vault.org_blind_index(&org_id, "person_dup", t)
        });
        let mut row = p.into_active_model();
        row.given_name = Set(enc("given_name", &new.given_name));
        row.family_name = Set(enc("family_name", &new.family_name));
        row.birth_date = Set(enc("birth_date", &new.birth_date));
        row.personal_number = Set(enc("personal_number", &new.personal_number));
        row.phone = Set(enc("phone", &new.phone));
        row.dup_index = Set(dup);
        row.sex = Set(profile.sex.as_str().to_owned());
        row.birth_year = Set(identity.birth_date.map(|b| b.date().year()));
        // The age band is the person's age when the case was registered.
        row.age_band = Set(identity
            .birth_date
            .map(|b| AgeBand::at(b, registered).as_str().to_owned()));
        row.citizenship = Set(citizenship);
        row.languages = Set(languages);
        row.is_child = Set(profile.child);
        row.unaccompanied = Set(profile.unaccompanied);
        row.disability = Set(profile.disability);
        let p = row.update(txn).await?;

        // The old name must find the case nowhere: its tokens go, the new ones come.
        person_token::Entity::delete_many()
            .filter(person_token::Column::PersonId.eq(&person_id))
            .exec(txn)
            .await?;
        for token in &tokens {
            person_token::ActiveModel {
                person_id: Set(person_id.clone()),
                token: Set(token.clone()),
                org_id: Set(org_id.clone()),
            }
            .insert(txn)
            .await?;
        }
        caseload::drop_tokens(txn, &c.id).await?;
        let holders: Vec<String> = load::Entity::find()
            .filter(load::Column::CaseId.eq(&c.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.org_id)
            .collect();
        for org in holders {
            caseload::add(txn, &org, c, &p, &tokens).await?;
        }
        person_clk::Entity::delete_many()
            .filter(person_clk::Column::PersonId.eq(&person_id))
            .exec(txn)
            .await?;
        Ok(fields)
    }

    /// The corrections of a case, newest first.
    pub async fn corrections_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<CorrectionRow>, StoreError> {
        Ok(case_correction::Entity::find()
            .filter(case_correction::Column::CaseId.eq(case_id))
            .order_by_desc(case_correction::Column::At)
            .all(&self.reads)
            .await?)
    }
}

/// The exploitation record's fields that differ between the stored JSON and `new`.
fn exploitation_changes(stored: &str, new: &Exploitation) -> Vec<&'static str> {
    const FIELDS: [&str; 10] = [
        "forms",
        "labour_sectors",
        "sexual_types",
        "means_of_control",
        "recruitment",
        "recruiter_relations",
        "countries_of_origin",
        "transit_countries",
        "exploitation_countries",
        "duration_months",
    ];
    let old: serde_json::Value = serde_json::from_str(stored).unwrap_or_default();
    let new = serde_json::to_value(new).unwrap_or_default();
    let empty = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => serde_json::Value::Null,
        Some(serde_json::Value::Array(a)) if a.is_empty() => serde_json::Value::Null,
        Some(v) => v.clone(),
    };
    FIELDS
        .into_iter()
        .filter(|f| empty(old.get(*f)) != empty(new.get(*f)))
        .collect()
}
