//! Importing a parsed programme: one transaction writes the whole programme and
//! its validation report, or nothing. A year that exists is replaced only when
//! the caller confirms it, because replacing also discards its progress reports.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;
use zakrila_domain::reference;
use zakrila_programme::{Deadline, Institution, Programme, ValidationReport, parse_tsv};

use super::{CONFLICT_EXISTS, accumulation_code, default_accumulation, to_milli};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{
        organisation, programme, programme_activity, programme_activity_org, programme_indicator,
        programme_issue, programme_objective, programme_section, progress_note, progress_report,
    },
    new_id, now_ms,
};

/// What an import wrote, for the console and the import page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub programme_id: String,
    pub year: i32,
    pub sections: usize,
    pub activities: usize,
    pub indicators: usize,
    pub issues: usize,
    /// The year existed and was replaced (its progress reports went with it).
    pub replaced: bool,
}

/// Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound values.
const CHUNK: usize = 100;

async fn insert_chunked<E, A>(txn: &crate::WriteTxn, rows: Vec<A>) -> Result<(), StoreError>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        E::insert_many(chunk).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Deletes a programme and everything that hangs off it, children first.
async fn delete_programme<C: ConnectionTrait>(db: &C, id: &str) -> Result<u64, StoreError> {
    let reports = progress_report::Entity::delete_many()
        .filter(progress_report::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?
        .rows_affected;
    progress_note::Entity::delete_many()
        .filter(progress_note::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    programme_indicator::Entity::delete_many()
        .filter(programme_indicator::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    programme_activity_org::Entity::delete_many()
        .filter(programme_activity_org::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    programme_activity::Entity::delete_many()
        .filter(programme_activity::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    programme_issue::Entity::delete_many()
        .filter(programme_issue::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    programme_objective::Entity::delete_many()
        .filter(programme_objective::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    programme_section::Entity::delete_many()
        .filter(programme_section::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    programme::Entity::delete_by_id(id.to_owned())
        .exec(db)
        .await?;
    Ok(reports)
}

fn deadline_columns(d: &Deadline) -> (&'static str, Option<i32>, Option<i32>) {
    match *d {
        Deadline::Month { year, month } => ("month", Some(year), Some(i32::from(month))),
        Deadline::Ongoing => ("ongoing", None, None),
        Deadline::Unspecified => ("unspecified", None, None),
    }
}

impl Store {
    /// Writes `p` and its validation report as the programme of `p.year`.
    /// `source` says where it came from (`seed-003`, `tsv`, `csv`, `copy-2025`).
    pub async fn import_programme(
        &self,
        actor: Option<Uuid>,
        p: &Programme,
        report: &ValidationReport,
        source: &str,
        replace: bool,
    ) -> Result<ImportSummary, StoreError> {
        let txn = self.begin_write().await?;
        // Roll back explicitly on failure: a transaction merely dropped keeps
        // SQLite's write lock until its connection is next used.
        match import_in(&txn, actor, p, report, source, replace).await {
            Ok(summary) => {
                txn.commit().await?;
                Ok(summary)
            }
            Err(e) => {
                let _ = txn.rollback().await;
                Err(e)
            }
        }
    }

    /// At first start, loads the 2025 Programme (seed 003) when no programme
    /// exists yet. Safe to call at every start.
    pub async fn ensure_programme_2025(&self) -> Result<Option<ImportSummary>, StoreError> {
        if programme::Entity::find().count(&self.reads).await? > 0 {
            return Ok(None);
        }
        let (p, report) = parse_seed_2025();
        match self
            .import_programme(None, &p, &report, "seed-003", false)
            .await
        {
            Ok(summary) => Ok(Some(summary)),
            // Another server loaded it at the same moment.
            Err(StoreError::Conflict(CONFLICT_EXISTS)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Next year's programme from this year's structure, values cleared.
    pub async fn copy_programme(
        &self,
        actor: Option<Uuid>,
        from: i32,
        to: i32,
        replace: bool,
    ) -> Result<ImportSummary, StoreError> {
        let stored = self
            .load_programme(from)
            .await?
            .ok_or(StoreError::NotFound)?;
        let next = zakrila_programme::copy_forward(&stored.programme, to);
        self.import_programme(
            actor,
            &next,
            &ValidationReport::default(),
            &format!("copy-{from}"),
            replace,
        )
        .await
    }
}

/// The import's statements, inside the caller's transaction.
async fn import_in(
    txn: &crate::WriteTxn,
    actor: Option<Uuid>,
    p: &Programme,
    report: &ValidationReport,
    source: &str,
    replace: bool,
) -> Result<ImportSummary, StoreError> {
    let existing = crate::read::one_in(
        programme::Entity::find().filter(programme::Column::Year.eq(p.year)),
        txn,
    )
    .await?;
    let replaced = existing.is_some();
    if let Some(old) = existing {
        if !replace {
            return Err(StoreError::Conflict(CONFLICT_EXISTS));
        }
        let reports = delete_programme(txn, &old.id).await?;
        audit::append(
            txn,
            AuditEntry::new(actor, "programme.delete", "programme")
                .id(&old.id)
                .change(serde_json::json!({"year": old.year, "progress_reports": reports})),
        )
        .await?;
    }
    let orgs: HashMap<String, String> = organisation::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|o| (o.slug, o.id))
        .collect();
    let id = new_id();
    let record = programme::ActiveModel {
        id: Set(id.clone()),
        year: Set(p.year),
        title: Set(p.title.clone()),
        source: Set(source.to_owned()),
        imported_by: Set(actor.map(|a| a.to_string())),
        created_at: Set(now_ms()),
    };
    programme::Entity::insert(record)
        .exec_without_returning(txn)
        .await?;
    let sections = p
        .sections
        .iter()
        .map(|s| programme_section::ActiveModel {
            id: Set(new_id()),
            programme_id: Set(id.clone()),
            number: Set(i32::from(s.number)),
            title: Set(s.title.clone()),
        })
        .collect();
    insert_chunked(txn, sections).await?;
    let strategic = p.strategic_objectives.iter().map(|o| {
        (
            "strategic",
            Some(o.code.clone()),
            None,
            Some(i32::from(o.section)),
            &o.title,
        )
    });
    let operational = p.operational_objectives.iter().map(|o| {
        (
            "operational",
            None,
            Some(o.strategic_objective.clone()),
            None,
            &o.title,
        )
    });
    let objectives = strategic
        .chain(operational)
        .enumerate()
        .map(
            |(i, (kind, code, parent, section, title))| programme_objective::ActiveModel {
                id: Set(new_id()),
                programme_id: Set(id.clone()),
                position: Set(i as i32),
                kind: Set(kind.to_owned()),
                code: Set(code),
                parent_code: Set(parent),
                section: Set(section),
                title: Set(title.clone()),
            },
        )
        .collect();
    insert_chunked(txn, objectives).await?;

    let (mut activities, mut links, mut indicators) = (vec![], vec![], vec![]);
    for (position, a) in p.activities.iter().enumerate() {
        let activity_id = new_id();
        let (deadline_kind, deadline_year, deadline_month) = deadline_columns(&a.deadline);
        activities.push(programme_activity::ActiveModel {
            id: Set(activity_id.clone()),
            programme_id: Set(id.clone()),
            position: Set(position as i32),
            code: Set(a.code.clone()),
            title: Set(a.title.clone()),
            title_en: Set(a.title_en.clone()),
            section: Set(i32::from(a.section)),
            strategic_objective: Set(a.strategic_objective.clone()),
            operational_objective: Set(a.operational_objective.clone()),
            budget_stotinki: Set(a.budget.amount.map(|b| b.stotinki())),
            budget_source: Set(a.budget.source.clone()),
            deadline_kind: Set(deadline_kind.to_owned()),
            deadline_year: Set(deadline_year),
            deadline_month: Set(deadline_month),
            deadline_text: Set(a.deadline_text.clone()),
            expected_results: Set(a.expected_results.clone()),
        });
        let roles = a
            .lead
            .iter()
            .map(|i| ("lead", i))
            .chain(a.partners.iter().map(|i| ("partner", i)));
        for (n, (role, inst)) in roles.enumerate() {
            let inst: &Institution = inst;
            links.push(programme_activity_org::ActiveModel {
                id: Set(new_id()),
                programme_id: Set(id.clone()),
                activity_id: Set(activity_id.clone()),
                position: Set(n as i32),
                role: Set(role.to_owned()),
                mention: Set(inst.mention.clone()),
                org_id: Set(inst.org.as_ref().and_then(|slug| orgs.get(slug)).cloned()),
            });
        }
        for (n, ind) in a.indicators.iter().enumerate() {
            indicators.push(programme_indicator::ActiveModel {
                id: Set(new_id()),
                programme_id: Set(id.clone()),
                activity_id: Set(activity_id.clone()),
                position: Set(n as i32),
                name: Set(ind.name.clone()),
                unit: Set(ind.unit.code().to_owned()),
                baseline_milli: Set(ind.baseline.map(to_milli)),
                baseline_year: Set(ind.baseline_year),
                target_milli: Set(ind.target.map(to_milli)),
                accumulation: Set(accumulation_code(default_accumulation(ind.unit)).to_owned()),
                breakdowns: Set(
                    serde_json::to_string(&ind.breakdowns).unwrap_or_else(|_| "[]".into())
                ),
                text: Set(ind.text.clone()),
                baseline_text: Set(ind.baseline_text.clone()),
            });
        }
    }
    let counts = (
        p.sections.len(),
        activities.len(),
        indicators.len(),
        report.issues.len(),
    );
    insert_chunked(txn, activities).await?;
    insert_chunked(txn, links).await?;
    insert_chunked(txn, indicators).await?;
    let issues = report
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| programme_issue::ActiveModel {
            id: Set(new_id()),
            programme_id: Set(id.clone()),
            position: Set(i as i32),
            kind: Set(serde_json::to_value(issue.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()),
            activity_code: Set(issue.activity.clone()),
            subject: Set(issue.subject.clone()),
            message_bg: Set(issue.message_bg.clone()),
            message_en: Set(issue.message_en.clone()),
        })
        .collect();
    insert_chunked(txn, issues).await?;
    audit::append(
        txn,
        AuditEntry::new(
            actor,
            if replaced {
                "programme.replace"
            } else {
                "programme.import"
            },
            "programme",
        )
        .id(&id)
        .change(serde_json::json!({
            "year": p.year, "source": source, "sections": counts.0,
            "activities": counts.1, "indicators": counts.2, "issues": counts.3,
        })),
    )
    .await?;
    Ok(ImportSummary {
        programme_id: id,
        year: p.year,
        sections: counts.0,
        activities: counts.1,
        indicators: counts.2,
        issues: counts.3,
        replaced,
    })
}

/// Matches institution mentions against the shipped organisation directory.
pub fn directory_matcher(mention: &str) -> Option<String> {
    reference::match_institution(mention).map(|o| o.slug.as_str().to_owned())
}

/// Seed 003 parsed with the shipped directory. The seed is compiled in and its
/// parse is covered by tests, so a failure here is a build defect.
pub fn parse_seed_2025() -> (Programme, ValidationReport) {
    parse_tsv(reference::PROGRAMME_2025, 2025, &directory_matcher).expect("seed 003 is a programme")
}
