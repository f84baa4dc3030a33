//! Projects and their targets. What a target has achieved is counted from the data
//! each time it is asked (`achieved`), never stored.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use zakrila_domain::{case::ServiceStatus, outreach::TargetMetric};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    comma_items,
    entity::{case_service, project, project_target},
    new_id, now_ms,
};

/// A project to create, already validated.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub slug: String,
    pub name_bg: String,
    pub name_en: String,
    pub donor: Option<String>,
    pub org_id: String,
    pub partners: String,
    pub starts_on: String,
    pub ends_on: String,
    pub budget_stotinki: Option<i64>,
    pub targets: Vec<NewTarget>,
}

#[derive(Debug, Clone)]
pub struct NewTarget {
    pub name_bg: String,
    pub name_en: String,
    pub metric: TargetMetric,
    pub params: String,
    pub target: i64,
}

impl Store {
    pub async fn list_projects(&self) -> Result<Vec<project::Model>, StoreError> {
        Ok(project::Entity::find()
            .order_by_desc(project::Column::StartsOn)
            .order_by_asc(project::Column::NameBg)
            .all(&self.reads)
            .await?)
    }

    pub async fn project_by_id(&self, id: &str) -> Result<Option<project::Model>, StoreError> {
        Ok(self
            .read_one(project::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    pub async fn project_targets(
        &self,
        project_id: &str,
    ) -> Result<Vec<project_target::Model>, StoreError> {
        Ok(project_target::Entity::find()
            .filter(project_target::Column::ProjectId.eq(project_id))
            .order_by_asc(project_target::Column::Position)
            .all(&self.reads)
            .await?)
    }

    /// Creates a project with its targets, audited.
    pub async fn create_project(
        &self,
        actor: Uuid,
        p: NewProject,
    ) -> Result<project::Model, StoreError> {
        let txn = self.begin_write().await?;
        if crate::read::one_in(
            project::Entity::find().filter(project::Column::Slug.eq(p.slug.as_str())),
            &txn,
        )
        .await?
        .is_some()
        {
            return Err(
                zakrila_domain::DomainError::field("slug", "error-project-slug-taken").into(),
            );
        }
        let id = new_id();
        let m = project::ActiveModel {
            id: Set(id.clone()),
            slug: Set(p.slug),
            name_bg: Set(p.name_bg),
            name_en: Set(p.name_en),
            donor: Set(p.donor),
            org_id: Set(p.org_id),
            partners: Set(p.partners),
            starts_on: Set(p.starts_on),
            ends_on: Set(p.ends_on),
            budget_stotinki: Set(p.budget_stotinki),
            created_by: Set(actor.to_string()),
            created_at: Set(now_ms()),
        }
        .insert(&txn)
        .await?;
        for (i, t) in p.targets.into_iter().enumerate() {
            project_target::ActiveModel {
                id: Set(new_id()),
                project_id: Set(id.clone()),
                position: Set(i as i32),
                name_bg: Set(t.name_bg),
                name_en: Set(t.name_en),
                metric: Set(t.metric.as_str().to_owned()),
                params: Set(t.params),
                target: Set(t.target),
            }
            .insert(&txn)
            .await?;
        }
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "project.create", "project")
                .id(&id)
                .change(serde_json::json!({"slug": m.slug})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// What a target of `p` has achieved up to `until` (a `YYYY-MM-DD` day within
    /// or after the period; the period's end bounds it).
    pub async fn achieved(
        &self,
        p: &project::Model,
        t: &project_target::Model,
        until: &str,
    ) -> Result<i64, StoreError> {
        let to = std::cmp::min(until, p.ends_on.as_str());
        let from = p.starts_on.as_str();
        let params: Vec<String> = comma_items(&t.params).map(str::to_owned).collect();
        Ok(match TargetMetric::parse(&t.metric)? {
            TargetMetric::CasesServed => {
                let in_period = Condition::all()
                    .add(case_service::Column::ProviderOrg.eq(p.org_id.as_str()))
                    .add(case_service::Column::EndDate.gte(from))
                    .add(case_service::Column::EndDate.lte(to));
                // Attribution says the project paid for the service, whenever it
                // was delivered.
                let attributed = Condition::all()
                    .add(case_service::Column::ProjectId.eq(p.id.as_str()))
                    .add(case_service::Column::EndDate.lte(until));
                let mut q = case_service::Entity::find()
                    .filter(case_service::Column::Status.eq(ServiceStatus::Delivered.as_str()))
                    .filter(Condition::any().add(in_period).add(attributed));
                if !params.is_empty() {
                    q = q.filter(case_service::Column::ServiceCode.is_in(params));
                }
                q.select_only()
                    .column(case_service::Column::CaseId)
                    .distinct()
                    .count(&self.reads)
                    .await? as i64
            }
            TargetMetric::Consultations => {
                self.consultation_counts(&p.org_id, from, to)
                    .await?
                    .consultations as i64
            }
            TargetMetric::ConsultationPersons => {
                self.consultation_counts(&p.org_id, from, to).await?.persons as i64
            }
            TargetMetric::Participants => self.event_counts(&p.org_id, from, to, &params).await?.1,
            TargetMetric::Events => self.event_counts(&p.org_id, from, to, &[]).await?.0 as i64,
        })
    }
}
