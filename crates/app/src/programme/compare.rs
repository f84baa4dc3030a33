//! Two years of the Programme side by side: activities added, removed and changed
//! (matched by code), so the Commission sees what the new year's Programme alters.

use zakrila_domain::policy::{Action, Resource};
use zakrila_programme::{ChangedField, Programme, compare};

use crate::{App, AppError, Authed};

/// An activity by code and title.
#[derive(Debug, Clone)]
pub struct Named {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Changed {
    pub code: String,
    /// The later year's title.
    pub title: String,
    pub fields: Vec<ChangedField>,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub added: Vec<Named>,
    pub removed: Vec<Named>,
    pub changed: Vec<Changed>,
    /// Every year that has a programme, latest first.
    pub years: Vec<i32>,
}

fn title(p: &Programme, code: &str) -> String {
    p.activity(code)
        .map(|x| x.title.clone())
        .unwrap_or_default()
}

impl App {
    /// What the Programme of `after` changes against that of `before`.
    pub async fn compare_programmes(
        &self,
        a: &Authed,
        before: i32,
        after: i32,
    ) -> Result<Comparison, AppError> {
        a.require(Action::ViewProgramme, &Resource::System)?;
        let before = self.load_programme_only(before).await?;
        let after = self.load_programme_only(after).await?;
        let c = compare(&before, &after);
        let named = |p: &Programme, codes: &[String]| {
            codes
                .iter()
                .map(|code| Named {
                    code: code.clone(),
                    title: title(p, code),
                })
                .collect()
        };
        Ok(Comparison {
            added: named(&after, &c.added),
            removed: named(&before, &c.removed),
            changed: c
                .changed
                .into_iter()
                .map(|ch| Changed {
                    title: title(&after, &ch.code),
                    code: ch.code,
                    fields: ch.fields,
                })
                .collect(),
            years: self.store.programme_years().await?,
        })
    }

    async fn load_programme_only(&self, year: i32) -> Result<Programme, AppError> {
        Ok(self
            .store
            .load_programme(year)
            .await?
            .ok_or(AppError::NotFound)?
            .programme)
    }
}
