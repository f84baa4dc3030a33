//! Reporting completeness and timeliness per lead institution (expected,
//! received, on time), as DHIS2 counts them.

use zakrila_domain::policy::{Action, Resource};

use super::standing::{Completeness, completeness, today};
use crate::{App, AppError, Authed, Org};

/// One lead institution's reporting.
#[derive(Debug, Clone)]
pub struct Institution {
    pub org: Org,
    pub completeness: Completeness,
}

impl App {
    /// Every lead institution of the year, those leading most activities first.
    pub async fn programme_institutions(
        &self,
        a: &Authed,
        year: i32,
    ) -> Result<Vec<Institution>, AppError> {
        a.require(Action::ViewProgramme, &Resource::System)?;
        let l = self.load_programme(year).await?;
        let orgs = self.org_directory().await?;
        let mut rows: Vec<Institution> = completeness(&l, today())
            .into_iter()
            .filter_map(|(org_id, c)| {
                Some(Institution {
                    org: orgs.get(&org_id)?.clone(),
                    completeness: c,
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            b.completeness
                .activities
                .cmp(&a.completeness.activities)
                .then(a.org.abbrev_bg.cmp(&b.org.abbrev_bg))
        });
        Ok(rows)
    }
}
