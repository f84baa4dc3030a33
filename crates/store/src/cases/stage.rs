//! Moving a case along the National Referral Mechanism.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use time::OffsetDateTime;
use uuid::Uuid;
use zakrila_domain::case::{ClosureReason, Identification, Stage, TransitionContext, transition};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, person, stage_change},
    new_id, now_ms,
};

/// What the caseworker submits with a move.
#[derive(Debug, Clone)]
pub struct StageMove {
    pub to: Stage,
    pub closure_reason: Option<ClosureReason>,
    /// A new or corrected identification given with the move.
    pub identification: Option<Identification>,
    pub child_mechanism_engaged: bool,
}

impl Store {
    /// Moves the case if the state machine allows it; `expected_version` guards
    /// against overwriting a colleague's save.
    pub async fn move_stage(
        &self,
        actor: Uuid,
        case_id: &str,
        expected_version: i32,
        mv: StageMove,
        now: OffsetDateTime,
    ) -> Result<case::Model, StoreError> {
        let txn = self.begin_write().await?;
        let c = crate::read::one_in(case::Entity::find_by_id(case_id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let p = crate::read::one_in(person::Entity::find_by_id(c.person_id.clone()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let from = Stage::parse(&c.stage)?;
        let identification = match mv.identification {
            Some(i) => Some(i),
            None => stored_identification(&c),
        };
        let ctx = TransitionContext {
            at: now,
            identification: identification.clone(),
            closure_reason: mv.closure_reason,
            child: p.is_child,
            child_mechanism_engaged: mv.child_mechanism_engaged || c.child_mechanism,
        };
        let t = transition(from, mv.to, &ctx)?;
        Self::bump_version(&txn, case_id, expected_version).await?;
        let mut am: case::ActiveModel = c.clone().into();
        am.stage = Set(t.to.as_str().to_owned());
        am.stage_changed_at = Set(now_ms());
        am.closure_reason = Set(t.closure_reason.map(|r| r.as_str().to_owned()));
        am.child_mechanism = Set(ctx.child_mechanism_engaged);
        if let Some(end) = t.reflection_ends {
            am.reflection_ends = Set(Some(super::date_str(end)));
        }
        if let Some(i) = &identification {
            am.identification_kind = Set(Some(i.kind.as_str().to_owned()));
            am.identified_by = Set(Some(i.by.as_str().to_owned()));
            am.identified_on = Set(Some(super::date_str(i.date)));
        }
        am.version = Set(expected_version + 1);
        let updated = am.update(&txn).await?;
        super::caseload::refresh_with(&txn, &updated, &p).await?;
        stage_change::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            from_stage: Set(Some(from.as_str().to_owned())),
            to_stage: Set(t.to.as_str().to_owned()),
            at: Set(now_ms()),
            by_user: Set(actor.to_string()),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.stage", "case").id(case_id).change(serde_json::json!({
                "from": from.as_str(), "to": t.to.as_str(), "closure_reason": t.closure_reason.map(|r| r.as_str()), "reopened": t.reopened,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(updated)
    }

    pub async fn stage_history(
        &self,
        case_id: &str,
    ) -> Result<Vec<stage_change::Model>, StoreError> {
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
        Ok(stage_change::Entity::find()
            .filter(stage_change::Column::CaseId.eq(case_id))
            .order_by_asc(stage_change::Column::At)
            .all(&self.reads)
            .await?)
    }
}

/// The identification recorded on the case, if complete.
pub fn stored_identification(c: &case::Model) -> Option<Identification> {
    use zakrila_domain::{case::IdentificationKind, org::OrgSlug};
    let kind = IdentificationKind::parse(c.identification_kind.as_deref()?).ok()?;
    let by = OrgSlug::parse(c.identified_by.as_deref()?).ok()?;
    let date =
        zakrila_domain::case::parse_date(c.identified_on.as_deref()?, "identified_on").ok()?;
    Some(Identification { kind, by, date })
}
