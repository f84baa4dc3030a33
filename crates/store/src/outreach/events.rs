//! Events with their participants by category.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Func},
};
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{event, event_participant},
    new_id, now_ms,
};

/// An event to record, already validated (participants add up to the total).
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place_id: Option<String>,
    pub venue: Option<String>,
    pub partners: String,
    pub target_group: Option<String>,
    pub participants: Vec<(String, i32)>,
    pub women: i32,
    pub men: i32,
    pub reached: i64,
    pub activities: String,
}

/// An event with its participants by category.
#[derive(Debug, Clone)]
pub struct NewEventRow {
    pub event: event::Model,
    pub participants: Vec<event_participant::Model>,
}

impl Store {
    /// Records an event of `org_id` with its participants, audited.
    pub async fn record_event(
        &self,
        actor: Uuid,
        org_id: &str,
        e: NewEvent,
    ) -> Result<NewEventRow, StoreError> {
        let txn = self.begin_write().await?;
        let id = new_id();
        let total: i32 = e.participants.iter().map(|(_, n)| n).sum();
        let m = event::ActiveModel {
            id: Set(id.clone()),
            org_id: Set(org_id.to_owned()),
            kind: Set(e.kind),
            title: Set(e.title),
            starts_on: Set(e.starts_on),
            ends_on: Set(e.ends_on),
            place_id: Set(e.place_id),
            venue: Set(e.venue),
            partners: Set(e.partners),
            target_group: Set(e.target_group),
            participants_total: Set(total),
            women: Set(e.women),
            men: Set(e.men),
            reached: Set(e.reached),
            activities: Set(e.activities),
            created_by: Set(actor.to_string()),
            created_at: Set(now_ms()),
        }
        .insert(&txn)
        .await?;
        let mut participants = Vec::new();
        for (category, count) in e.participants {
            participants.push(
                event_participant::ActiveModel {
                    event_id: Set(id.clone()),
                    category: Set(category),
                    count: Set(count),
                }
                .insert(&txn)
                .await?,
            );
        }
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "event.record", "event")
                .id(&id)
                .change(serde_json::json!({"kind": m.kind, "participants": total})),
        )
        .await?;
        txn.commit().await?;
        Ok(NewEventRow {
            event: m,
            participants,
        })
    }

    /// Events, newest first (of one organisation when given), at most `limit`.
    pub async fn list_events(
        &self,
        org_id: Option<&str>,
        limit: u64,
    ) -> Result<Vec<event::Model>, StoreError> {
        let mut q = event::Entity::find();
        if let Some(org) = org_id {
            q = q.filter(event::Column::OrgId.eq(org));
        }
        Ok(q.order_by_desc(event::Column::StartsOn)
            .order_by_desc(event::Column::CreatedAt)
            .limit(limit)
            .all(&self.reads)
            .await?)
    }

    pub async fn event_by_id(&self, id: &str) -> Result<Option<NewEventRow>, StoreError> {
        let Some(event) = self
            .read_one(event::Entity::find_by_id(id.to_owned()))
            .await?
        else {
            return Ok(None);
        };
        let participants = event_participant::Entity::find()
            .filter(event_participant::Column::EventId.eq(id))
            .order_by_asc(event_participant::Column::Category)
            .all(&self.reads)
            .await?;
        Ok(Some(NewEventRow {
            event,
            participants,
        }))
    }

    /// Events of `org_id` starting in the period, and their participants of the
    /// given categories (all categories when empty).
    pub async fn event_counts(
        &self,
        org_id: &str,
        from: &str,
        to: &str,
        categories: &[String],
    ) -> Result<(u64, i64), StoreError> {
        use sea_orm::PaginatorTrait;
        let in_period = || {
            event::Entity::find()
                .filter(event::Column::OrgId.eq(org_id))
                .filter(event::Column::StartsOn.gte(from))
                .filter(event::Column::StartsOn.lte(to))
        };
        let events = in_period().count(&self.reads).await?;
        let mut q = event_participant::Entity::find()
            .select_only()
            .column_as(
                Expr::expr(Func::sum(Expr::col(event_participant::Column::Count))),
                "n",
            )
            .filter(event_participant::Column::EventId.in_subquery(
                sea_orm::QueryTrait::into_query(
                    in_period().select_only().column(event::Column::Id),
                ),
            ));
        if !categories.is_empty() {
            q = q.filter(event_participant::Column::Category.is_in(categories.iter().cloned()));
        }
        let sum: Vec<Option<i64>> = q.into_tuple().all(&self.reads).await?;
        Ok((events, sum.into_iter().flatten().next().unwrap_or(0)))
    }
}
