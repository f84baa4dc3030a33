//! Services delivered for a case, from the catalogue.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;
use zakrila_domain::{DomainError, case::ServiceStatus};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case_service, service},
    new_id, now_ms,
};

#[derive(Debug, Clone)]
pub struct NewService {
    pub case_id: String,
    pub service_code: String,
    pub provider_org: String,
    pub due_date: Option<String>,
    pub cost_stotinki: Option<i64>,
    pub project: Option<String>,
    /// The project the service is attributed to (checked to exist by the caller).
    pub project_id: Option<String>,
}

impl Store {
    pub async fn add_service(
        &self,
        actor: Uuid,
        s: NewService,
    ) -> Result<case_service::Model, StoreError> {
        if self
            .read_one(service::Entity::find_by_id(s.service_code.clone()))
            .await?
            .is_none()
        {
            return Err(DomainError::field("service", "error-service-unknown").into());
        }
        let txn = self.begin_write().await?;
        let ms = now_ms();
        let id = new_id();
        let m = case_service::ActiveModel {
            id: Set(id.clone()),
            case_id: Set(s.case_id.clone()),
            service_code: Set(s.service_code.clone()),
            provider_org: Set(s.provider_org),
            status: Set(ServiceStatus::Planned.as_str().to_owned()),
            start_date: Set(None),
            due_date: Set(s.due_date),
            end_date: Set(None),
            cost_stotinki: Set(s.cost_stotinki),
            project: Set(s.project),
            project_id: Set(s.project_id),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.service_add", "case")
                .id(&s.case_id)
                .change(serde_json::json!({"service": s.service_code, "id": id})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn set_service_status(
        &self,
        actor: Uuid,
        id: &str,
        to: ServiceStatus,
        today: &str,
    ) -> Result<case_service::Model, StoreError> {
        let txn = self.begin_write().await?;
        let s = crate::read::one_in(case_service::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let next = ServiceStatus::parse(&s.status)?.move_to(to)?;
        let case_id = s.case_id.clone();
        let mut am: case_service::ActiveModel = s.into();
        am.status = Set(next.as_str().to_owned());
        am.updated_at = Set(now_ms());
        match next {
            ServiceStatus::InProgress => am.start_date = Set(Some(today.to_owned())),
            ServiceStatus::Delivered | ServiceStatus::Cancelled => {
                am.end_date = Set(Some(today.to_owned()))
            }
            ServiceStatus::Planned => {}
        }
        let m = am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.service_status", "case")
                .id(&case_id)
                .change(serde_json::json!({"service": id, "status": next.as_str()})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn service_by_id(&self, id: &str) -> Result<Option<case_service::Model>, StoreError> {
        Ok(self
            .read_one(case_service::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    pub async fn services_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<case_service::Model>, StoreError> {
        Ok(case_service::Entity::find()
            .filter(case_service::Column::CaseId.eq(case_id))
            .order_by_asc(case_service::Column::CreatedAt)
            .all(&self.reads)
            .await?)
    }
}
