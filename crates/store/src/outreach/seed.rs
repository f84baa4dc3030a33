//! The outreach data Zakrila ships: the refugee agency's reception centres and the
//! Migration Directorate's homes (seed 004 and issue 16), and IOM's project
//! "Return and reintegration of victims of trafficking" with its three targets
//! (seed 001). Loaded once, at any start that finds them missing.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use zakrila_domain::outreach::{PlaceKind, TargetMetric};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{organisation, place, project, project_target},
    new_id, now_ms,
};

/// Kind, operator slug, Bulgarian and English name, region.
const PLACES: &[(PlaceKind, &str, &str, &str, &str)] = &[
    (
        PlaceKind::ReceptionCentre,
        "sar",
        "РПЦ – София, кв. „Овча купел“",
        "Reception centre Sofia – Ovcha Kupel",
        "BG-22",
    ),
    (
        PlaceKind::ReceptionCentre,
        "sar",
        "РПЦ – София, кв. „Военна рампа“",
        "Reception centre Sofia – Voenna Rampa",
        "BG-22",
    ),
    (
        PlaceKind::ReceptionCentre,
        "sar",
        "РПЦ – София, кв. „Враждебна“",
        "Reception centre Sofia – Vrazhdebna",
        "BG-22",
    ),
    (
        PlaceKind::ReceptionCentre,
        "sar",
        "РПЦ – Харманли",
        "Reception centre Harmanli",
        "BG-26",
    ),
    (
        PlaceKind::ReceptionCentre,
        "sar",
        "РПЦ – с. Пъстрогор",
        "Reception centre Pastrogor",
        "BG-26",
    ),
    (
        PlaceKind::ReceptionCentre,
        "sar",
        "РПЦ – с. Баня",
        "Reception centre Banya",
        "BG-20",
    ),
    (
        PlaceKind::DetentionHome,
        "mvr-migration",
        "СДВНЧ – Бусманци",
        "Special home Busmantsi",
        "BG-22",
    ),
    (
        PlaceKind::DetentionHome,
        "mvr-migration",
        "СДВНЧ – Любимец",
        "Special home Lyubimets",
        "BG-26",
    ),
];

/// The seed project's stable slug.
pub const SEED_PROJECT: &str = "iom-return-reintegration";

/// Seed 001's targets: names, metric, parameters, value.
const TARGETS: &[(&str, &str, TargetMetric, &str, i64)] = &[
    (
        "Завръщане в България на над 100 души, идентифицирани като жертви на трафик",
        "Return of more than 100 persons identified as victims of trafficking",
        TargetMetric::CasesServed,
        "return",
        100,
    ),
    (
        "Минимум 90 жертви на трафик получават реинтеграционна подкрепа",
        "At least 90 victims of trafficking receive reintegration support",
        TargetMetric::CasesServed,
        "reintegration",
        90,
    ),
    (
        "Над 120 души получават хуманитарна помощ, медицински грижи, психологически, социални, правни и други услуги",
        "More than 120 persons receive humanitarian aid, medical care, psychological, social, legal and other services",
        TargetMetric::CasesServed,
        "humanitarian_package,medical,psychological,social_assistance,legal,counselling,job_search,education,safe_transport,witness_protection,other",
        120,
    ),
];

impl Store {
    /// Loads the places and the seed project if they are missing. Safe to call at
    /// every start; needs the organisations loaded.
    pub async fn seed_outreach(&self) -> Result<(), StoreError> {
        let no_places = place::Entity::find().count(&self.reads).await? == 0;
        let no_project = self
            .read_one(project::Entity::find().filter(project::Column::Slug.eq(SEED_PROJECT)))
            .await?
            .is_none();
        if !no_places && !no_project {
            return Ok(());
        }
        let orgs = organisation::Entity::find().all(&self.reads).await?;
        let org = |slug: &str| orgs.iter().find(|o| o.slug == slug).map(|o| o.id.clone());
        let Some(iom) = org("iom") else {
            return Ok(());
        };
        let txn = self.begin_write().await?;
        let ms = now_ms();
        if no_places {
            for (kind, operator, bg, en, region) in PLACES {
                place::ActiveModel {
                    id: Set(new_id()),
                    kind: Set(kind.as_str().to_owned()),
                    name_bg: Set((*bg).to_owned()),
                    name_en: Set((*en).to_owned()),
                    region: Set(Some((*region).to_owned())),
                    capacity: Set(None),
                    operator_org: Set(org(operator)),
                    capacity_women: Set(None),
                    capacity_men: Set(None),
                    capacity_children: Set(None),
                    capacity_mothers: Set(None),
                    active: Set(true),
                    created_at: Set(ms),
                    updated_at: Set(ms),
                }
                .insert(&txn)
                .await?;
            }
        }
        if no_project {
            let id = new_id();
            project::ActiveModel {
                id: Set(id.clone()),
                slug: Set(SEED_PROJECT.to_owned()),
                name_bg: Set("Връщане и реинтеграция на жертви на трафик на хора".into()),
                name_en: Set("Return and reintegration of victims of trafficking".into()),
                donor: Set(None),
                org_id: Set(iom),
                partners: Set(
                    "nccthb,mvr-gdgp,mvr-gdbop,mvr-migration,mfa,sacp,asa,sar,prb,animus".into(),
                ),
                starts_on: Set("2016-01-01".into()),
                ends_on: Set("2017-12-31".into()),
                budget_stotinki: Set(None),
                created_by: Set("system".into()),
                created_at: Set(ms),
            }
            .insert(&txn)
            .await?;
            for (i, (bg, en, metric, params, target)) in TARGETS.iter().enumerate() {
                project_target::ActiveModel {
                    id: Set(new_id()),
                    project_id: Set(id.clone()),
                    position: Set(i as i32),
                    name_bg: Set((*bg).to_owned()),
                    name_en: Set((*en).to_owned()),
                    metric: Set(metric.as_str().to_owned()),
                    params: Set((*params).to_owned()),
                    target: Set(*target),
                }
                .insert(&txn)
                .await?;
            }
        }
        audit::append(
            &txn,
            AuditEntry::new(None, "outreach.seed", "place").change(serde_json::json!({
                "places": if no_places { PLACES.len() } else { 0 },
                "project": no_project,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
