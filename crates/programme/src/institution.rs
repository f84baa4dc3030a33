//! Lead and partner institutions as the Programme names them ("МТСП/ ИА ГИТ",
//! "ЕОТ; институции и организации"), linked to the organisation directory by a
//! matcher the caller injects, so this crate needs no reference data.

use serde::{Deserialize, Serialize};

use crate::quantity::one_line;

/// Links an institution as written to an organisation slug, or says it can't.
pub type Matcher<'a> = &'a dyn Fn(&str) -> Option<String>;

/// An institution as the document names it, and the organisation it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub mention: String,
    /// Slug of the matched organisation in the directory.
    pub org: Option<String>,
}

/// Splits a lead or partner cell into institutions and matches each.
pub(crate) fn parse_cell(cell: &str, matcher: Matcher) -> Vec<Institution> {
    mentions(cell)
        .into_iter()
        .map(|mention| Institution {
            org: matcher(&mention),
            mention,
        })
        .collect()
}

/// Joins institutions back into one cell; [`mentions`] splits it the same way.
pub(crate) fn join(institutions: &[Institution]) -> String {
    institutions
        .iter()
        .map(|i| i.mention.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Splits at line breaks, commas, semicolons and slashes, but not inside
/// parentheses: "Служби … (към посолствата в Австрия; Швейцария, …)" is one.
pub(crate) fn mentions(cell: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for c in cell.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && matches!(c, '\n' | ',' | ';' | '/') {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    let mut mentions: Vec<String> = Vec::new();
    for part in parts.iter().filter_map(|p| clean(p)) {
        match mentions.last_mut() {
            // "Институции и местни НПО, които работят с бежанци": a relative
            // clause after a comma still describes the same institution.
            Some(last) if RELATIVE.iter().any(|r| part.starts_with(r)) => {
                last.push_str(", ");
                last.push_str(&part);
            }
            _ => mentions.push(part),
        }
    }
    mentions
}

const RELATIVE: [&str; 4] = ["които ", "който ", "която ", "което "];

/// Drops "и др." ("and others") and stray punctuation; `None` when nothing is left.
fn clean(part: &str) -> Option<String> {
    let mut text = one_line(part);
    for tail in ["и други", "и др.", "и др"] {
        if let Some(rest) = text.strip_suffix(tail) {
            text = rest.trim_end().to_string();
        }
    }
    let text = text.trim_end_matches(['.', ' ']).trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_separators_outside_parentheses() {
        assert_eq!(mentions("МТСП/ ИА ГИТ\nАЗ"), vec!["МТСП", "ИА ГИТ", "АЗ"]);
        assert_eq!(
            mentions("ЕОТ; Анти-трафик координатори, МОМ, БАСП и др. "),
            vec!["ЕОТ", "Анти-трафик координатори", "МОМ", "БАСП"]
        );
        assert_eq!(
            mentions("НКБТХ; Служби към МТСП (към посолствата в Австрия; Швейцария, Гърция)"),
            vec![
                "НКБТХ",
                "Служби към МТСП (към посолствата в Австрия; Швейцария, Гърция)"
            ]
        );
        assert_eq!(
            mentions("ОЗД/ДСП,Фондация „Кампания А21“, и други"),
            vec!["ОЗД", "ДСП", "Фондация „Кампания А21“"]
        );
        assert!(mentions("  ").is_empty());
        assert_eq!(
            mentions("Институции и местни НПО, които работят с бежанци и мигранти. "),
            vec!["Институции и местни НПО, които работят с бежанци и мигранти"]
        );
    }

    #[test]
    fn joined_mentions_split_back_the_same() {
        let matcher = |m: &str| (m == "МОМ").then(|| "iom".to_string());
        let parsed = parse_cell("МОМ\nДАБ (РПЦ; Харманли)", &matcher);
        assert_eq!(parsed[0].org.as_deref(), Some("iom"));
        assert_eq!(parsed[1].org, None);
        assert_eq!(mentions(&join(&parsed)), vec!["МОМ", "ДАБ (РПЦ; Харманли)"]);
    }
}
