//! Erasure (anonymisation) of a closed case: the identity columns and the birth
//! year are nulled, the name tokens, duplicate index, linkage encoding, linkage
//! links (which would tie the case to the same person's case elsewhere) and consent
//! records deleted, free text cleared; the non-identifying profile (age band, sex,
//! citizenship) and the structured record stay for statistics. The app refuses
//! every later change to the case.
//! Refused while criminal proceedings are open (legal hold).

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;
use zakrila_domain::case::{Stage, may_erase};

use super::proceedings::proceedings_of_row;
use crate::{
    Backend, Store, StoreError,
    audit::{self, AuditEntry},
    entity::{
        case, case_child, case_erasure, case_proceedings, case_return, consent, follow_up,
        linkage_candidate, person, person_clk, person_token, referral, reintegration_goal,
    },
    now_ms,
};

const NULL: Option<String> = None;

impl Store {
    pub async fn erasure_of_case(
        &self,
        case_id: &str,
    ) -> Result<Option<case_erasure::Model>, StoreError> {
        Ok(self
            .read_one(case_erasure::Entity::find_by_id(case_id.to_owned()))
            .await?)
    }

    /// Erases the personal data of a closed case without open proceedings.
    pub async fn erase_case(&self, actor: Uuid, case_id: &str) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let sqlite = self.backend == Backend::Sqlite;
        if sqlite {
            // Overwrite deleted content with zeros, so erased ciphertexts and tokens do
            // not linger in free space of the file.
            txn.execute_unprepared("PRAGMA secure_delete = ON").await?;
        }
        let c = crate::read::one_in(case::Entity::find_by_id(case_id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let already =
            crate::read::one_in(case_erasure::Entity::find_by_id(case_id.to_owned()), &txn)
                .await?
                .is_some();
        let proceedings: Vec<_> = case_proceedings::Entity::find()
            .filter(case_proceedings::Column::CaseId.eq(case_id))
            .all(&txn)
            .await?
            .iter()
            .map(proceedings_of_row)
            .collect();
        may_erase(Stage::parse(&c.stage)?, &proceedings, already)?;

        person::Entity::update_many()
            .col_expr(person::Column::GivenName, Expr::value(NULL))
            .col_expr(person::Column::FamilyName, Expr::value(NULL))
            .col_expr(person::Column::BirthDate, Expr::value(NULL))
            .col_expr(person::Column::PersonalNumber, Expr::value(NULL))
            .col_expr(person::Column::Phone, Expr::value(NULL))
            .col_expr(person::Column::DupIndex, Expr::value(NULL))
            .col_expr(person::Column::BirthYear, Expr::value(Option::<i32>::None))
            .filter(person::Column::Id.eq(c.person_id.clone()))
            .exec(&txn)
            .await?;
        let tokens = person_token::Entity::delete_many()
            .filter(person_token::Column::PersonId.eq(c.person_id.clone()))
            .exec(&txn)
            .await?
            .rows_affected;
        person_clk::Entity::delete_many()
            .filter(person_clk::Column::PersonId.eq(c.person_id.clone()))
            .exec(&txn)
            .await?;
        // A link says "the same person as that case of that organisation": with the
        // other case's identity it undoes the erasure.
        linkage_candidate::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(linkage_candidate::Column::CaseA.eq(case_id))
                    .add(linkage_candidate::Column::CaseB.eq(case_id)),
            )
            .exec(&txn)
            .await?;
        consent::Entity::delete_many()
            .filter(consent::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        // Free text may name people: cleared wherever this case holds it.
        referral::Entity::update_many()
            .col_expr(referral::Column::Purpose, Expr::value(""))
            .col_expr(referral::Column::Note, Expr::value(""))
            .col_expr(referral::Column::ConsentOverride, Expr::value(NULL))
            .filter(referral::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        case_return::Entity::update_many()
            .col_expr(case_return::Column::FromCity, Expr::value(NULL))
            .filter(case_return::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        reintegration_goal::Entity::update_many()
            .col_expr(reintegration_goal::Column::Goal, Expr::value(NULL))
            .filter(reintegration_goal::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        follow_up::Entity::update_many()
            .col_expr(follow_up::Column::Note, Expr::value(NULL))
            .filter(follow_up::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        case_child::Entity::update_many()
            .col_expr(case_child::Column::Guardian, Expr::value(NULL))
            .filter(case_child::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        crate::entity::referral_abroad::Entity::update_many()
            .col_expr(
                crate::entity::referral_abroad::Column::Contact,
                Expr::value(NULL),
            )
            .filter(crate::entity::referral_abroad::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        // A court case number leads back to the person through public registers.
        case_proceedings::Entity::update_many()
            .col_expr(case_proceedings::Column::CaseNumber, Expr::value(NULL))
            .filter(case_proceedings::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        crate::entity::case_hearing::Entity::update_many()
            .col_expr(crate::entity::case_hearing::Column::Note, Expr::value(NULL))
            .filter(crate::entity::case_hearing::Column::CaseId.eq(case_id))
            .exec(&txn)
            .await?;
        // Attached documents go whole: rows, chunks, and files once committed.
        let document_files = crate::documents::delete_of_case(&txn, case_id).await?;
        let at = now_ms();
        case_erasure::ActiveModel {
            case_id: Set(case_id.to_owned()),
            erased_at: Set(at),
            erased_by: Set(actor.to_string()),
        }
        .insert(&txn)
        .await?;
        case::Entity::update_many()
            .col_expr(
                case::Column::Version,
                Expr::col(case::Column::Version).add(1),
            )
            .col_expr(case::Column::UpdatedAt, Expr::value(at))
            .filter(case::Column::Id.eq(case_id))
            .exec(&txn)
            .await?;
        super::caseload::refresh(&txn, case_id).await?;
        super::caseload::drop_tokens(&txn, case_id).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.erase", "case")
                .id(case_id)
                .change(serde_json::json!({
                    "code": c.code,
                    "name_tokens_deleted": tokens,
                    "documents_deleted": document_files.len(),
                })),
        )
        .await?;
        if sqlite {
            txn.execute_unprepared("PRAGMA secure_delete = OFF").await?;
        }
        txn.commit().await?;
        self.remove_document_files(&document_files).await;
        if sqlite {
            // Old page images stay in the write-ahead log until a checkpoint copies the
            // new ones over and truncates it. Best effort: a busy reader only delays it.
            let _ = self
                .reads
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await;
        }
        Ok(())
    }
}
