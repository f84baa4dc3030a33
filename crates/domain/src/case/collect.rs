//! Error collection for parsers that check a whole form in one pass.

use crate::DomainError;

/// Collects errors while parsing, so one submission reports all its mistakes.
#[derive(Default)]
pub(super) struct Errors(Vec<DomainError>);

impl Errors {
    /// Keeps the value, or records the error under `field` (the name of the input in
    /// this form, which may differ from the name the value type uses on its own).
    pub(super) fn take<T>(&mut self, field: &'static str, r: Result<T, DomainError>) -> Option<T> {
        r.map_err(|e| {
            self.push(DomainError {
                field: Some(field),
                ..e
            })
        })
        .ok()
    }

    /// Keeps the value, or records the error under the field its rule named.
    pub(super) fn check<T>(&mut self, r: Result<T, DomainError>) -> Option<T> {
        r.map_err(|e| self.push(e)).ok()
    }

    pub(super) fn push(&mut self, e: DomainError) {
        if !self.0.contains(&e) {
            self.0.push(e);
        }
    }

    pub(super) fn optional<T>(
        &mut self,
        field: &'static str,
        raw: &Option<String>,
        parse: impl FnOnce(&str) -> Result<T, DomainError>,
    ) -> Option<T> {
        let s = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        self.take(field, parse(s))
    }

    pub(super) fn set<T: Ord>(
        &mut self,
        field: &'static str,
        raw: &[String],
        parse: impl Fn(&str) -> Result<T, DomainError>,
    ) -> Vec<T> {
        let mut values: Vec<T> = raw
            .iter()
            .filter_map(|s| self.take(field, parse(s.trim())))
            .collect();
        values.sort();
        values.dedup();
        values
    }

    /// The parsed value if nothing went wrong, else every error found.
    pub(super) fn finish<T>(self, value: T) -> Result<T, Vec<DomainError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}
