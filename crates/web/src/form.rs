//! A submitted HTML form read as a multimap: every name with all the values sent
//! for it, for forms with repeated fields (checkbox groups) or with fields named
//! after data (`score_<domain>`) that a fixed struct cannot deserialise. Pages
//! translate these fields into the same input types the API takes as JSON.

use std::collections::HashMap;

use axum::{
    Form,
    extract::{FromRequest, Request},
};

/// The fields of an `application/x-www-form-urlencoded` body. Use as the last
/// extractor of a handler, like `Form`.
#[derive(Debug, Default, Clone)]
pub struct FormFields(HashMap<String, Vec<String>>);

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = <Form<Vec<(String, String)>> as FromRequest<S>>::Rejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state).await?;
        Ok(FormFields::from_pairs(pairs))
    }
}

impl FormFields {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            m.entry(k).or_default().push(v);
        }
        FormFields(m)
    }

    /// The first value, trimmed; an empty field counts as not sent.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    /// The first value, trimmed, or "" when not sent: for a required field, whose
    /// emptiness the operation reports as a field error.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default()
    }

    /// Whether a (non-empty) value was sent: a ticked checkbox.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every value sent under `name` (a checkbox group), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default()
    }

    /// The record version the form was rendered with, if it carried a valid one.
    pub fn version(&self) -> Option<i32> {
        self.get("version")
            .and_then(|v| v.parse().ok())
            .filter(|v| *v > 0)
    }

    /// The version for a change that requires one. No record has version -1, so a
    /// form without a valid version is refused as a lost update (409), never
    /// applied blindly.
    pub fn required_version(&self) -> i32 {
        self.version().unwrap_or(-1)
    }
}

#[cfg(test)]
mod tests {
    use super::FormFields;

    fn form(pairs: &[(&str, &str)]) -> FormFields {
        FormFields::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn repeated_fields_keep_every_value_and_blank_ones_count_as_not_sent() {
        let f = form(&[
            ("m", "a"),
            ("m", "b"),
            ("note", "  "),
            ("goal", " x "),
            ("version", "3"),
        ]);
        assert_eq!(f.all("m"), vec!["a", "b"]);
        assert_eq!(f.get("note"), None);
        assert!(!f.has("note"));
        assert_eq!(f.text("goal"), "x");
        assert_eq!(f.version(), Some(3));
    }

    #[test]
    fn a_missing_or_invalid_version_is_never_a_real_one() {
        assert_eq!(form(&[]).version(), None);
        assert_eq!(form(&[("version", "0")]).version(), None);
        assert_eq!(form(&[("version", "x")]).required_version(), -1);
    }
}
