//! Correcting a case: the whole record (identity, profile, exploitation) as the
//! correction form shows it, the correction itself — one operation for the page and
//! the API — and the history of corrections (who, when, why, which fields).

use serde::Serialize;
use utoipa::ToSchema;
use zakrila_domain::{
    case::{
        Correction, CorrectionReason, PersonalNumber, PersonalNumberKind, RawCorrection,
        RawExploitation, RawPerson,
    },
    policy::Action,
};
use zakrila_store::comma_items;

use super::{CaseSummary, now};
use crate::{App, AppError, Authed};

/// One correction of the case, as its history lists it: no values, only field names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionLine {
    /// Milliseconds since the epoch.
    pub at: i64,
    /// typo, document_checked, person_request, new_information or entry_error.
    pub reason: String,
    /// The names of the fields changed (`given_name`, `forms`…).
    pub fields: Vec<String>,
    /// The display name of who corrected it.
    pub by: String,
}

/// What a correction did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Corrected {
    pub case: CaseSummary,
    pub fields: Vec<String>,
}

/// The record as the correction form starts from it: the identity was read for
/// this (audited, purpose `correction`).
#[derive(Debug, Clone)]
pub struct CorrectionForm {
    pub id: String,
    pub code: String,
    pub version: i32,
    pub person: RawPerson,
    pub exploitation: RawExploitation,
    pub history: Vec<CorrectionLine>,
}

impl App {
    /// Corrects the case's identity, profile or exploitation record, for the reason
    /// given; a version other than the current one is a conflict.
    pub async fn correct_case(
        &self,
        a: &Authed,
        id: &str,
        raw: RawCorrection,
    ) -> Result<Corrected, AppError> {
        let h = self.held(a, id, Action::CorrectCase).await?;
        let correction = Correction::parse(&raw, now())?;
        let (_, fields) = self
            .store
            .correct_case(a.user_uuid(), &h.case.id, raw.version, correction)
            .await?;
        Ok(Corrected {
            case: self.case_summary(a, id).await?,
            fields: fields.into_iter().map(str::to_owned).collect(),
        })
    }

    /// The corrections of a case, newest first.
    pub async fn case_corrections(
        &self,
        a: &Authed,
        id: &str,
    ) -> Result<Vec<CorrectionLine>, AppError> {
        let h = self.held(a, id, Action::ViewCase).await?;
        self.correction_lines(&h.case.id).await
    }

    async fn correction_lines(&self, case_id: &str) -> Result<Vec<CorrectionLine>, AppError> {
        let rows = self.store.corrections_of_case(case_id).await?;
        let mut ids: Vec<String> = rows.iter().map(|r| r.by_user.clone()).collect();
        ids.sort();
        ids.dedup();
        let users = self.store.users_by_ids(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| CorrectionLine {
                at: r.at,
                fields: comma_items(&r.fields).map(str::to_owned).collect(),
                by: users
                    .iter()
                    .find(|u| u.id == r.by_user)
                    .map(|u| u.display_name.clone())
                    .unwrap_or_default(),
                reason: r.reason,
            })
            .collect())
    }

    /// The case's record for the correction form, its identity read (audited).
    pub async fn correction_form(&self, a: &Authed, id: &str) -> Result<CorrectionForm, AppError> {
        let h = self.held(a, id, Action::CorrectCase).await?;
        a.require(Action::ViewIdentity, &h.resource)?;
        let identity = self
            .store
            .read_identity_of(a.user_uuid(), &h.case, &h.person, "correction")
            .await?;
        let p = &h.person;
        // The kind of personal number is not stored: a valid ЕГН is one, else ЛНЧ.
        let kind = identity.personal_number.as_deref().map(|n| {
            if PersonalNumber::parse(PersonalNumberKind::Egn, n).is_ok() {
                PersonalNumberKind::Egn.as_str().to_owned()
            } else {
                PersonalNumberKind::Lnch.as_str().to_owned()
            }
        });
        let person = RawPerson {
            given_name: identity.given_name,
            family_name: identity.family_name,
            birth_date: identity.birth_date,
            personal_number: identity.personal_number,
            personal_number_kind: kind,
            phone: identity.phone,
            sex: Some(p.sex.clone()),
            citizenship: p.citizenship.clone(),
            languages: comma_items(&p.languages).map(str::to_owned).collect(),
            child: p.is_child,
            unaccompanied: p.unaccompanied,
            disability: p.disability,
        };
        let exploitation = serde_json::from_str(&h.case.exploitation).unwrap_or_default();
        Ok(CorrectionForm {
            history: self.correction_lines(&h.case.id).await?,
            id: h.case.id,
            code: h.case.code,
            version: h.case.version,
            person,
            exploitation,
        })
    }
}

/// The reasons a correction may give, for forms.
pub fn correction_reasons() -> &'static [CorrectionReason] {
    CorrectionReason::ALL
}
