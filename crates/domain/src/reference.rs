//! Reference data shipped with Zakrila and loaded into an empty database on first
//! start: the organisations of the counter-trafficking network (`data/organisations.tsv`),
//! IOM's catalogue of 15 services (`data/services.tsv`, seed 000) and the text of the
//! 2025 National Programme (`data/programme-2025.txt`, seed 003).
//!
//! The files are embedded with `include_str!` and parsed once, lazily: the data is part
//! of the program, so a malformed row is a bug caught by this module's tests, not an
//! input error, and the accessors return `'static` data without any `Result`.
//!
//! # Organisation slugs
//!
//! A slug is the permanent Latin id of an organisation (other data and configuration
//! point at it, so a shipped slug is never renamed). The scheme:
//!
//! 1. The acronym English-language sources use for the body, lower-cased: its English
//!    acronym where one is established (`iom`, `nccthb`, `sacp`, `asa`, `sar`, `mfa`,
//!    `mlsp`, `mes`, `moh`, `moj`, `nsi`, `scc`, `unhcr`, `ela`), or the transliterated
//!    Bulgarian one where English texts keep it (`mvr` for МВР, `prb` for ПРБ).
//! 2. With no established acronym, a short English name: `employment-agency`,
//!    `municipalities`, `open-doors`, and plain names for NGOs (`a21`, `animus`).
//! 3. A structural unit of a body, or the territorial network of one (its regional
//!    offices taken together), is prefixed with the slug of the body it belongs to:
//!    `mvr-gdbop`, `mvr-gdgp`, `moh-rhi` (РЗИ), `mes-rde` (РУО), `asa-sad` (ДСП).
//!    A separate agency merely supervised by a ministry keeps its own slug and names
//!    the ministry as `parent` (`gli` → `mlsp`, `asa` → `mlsp`).
//! 4. Collegial bodies at two levels get parallel slugs: `nccthb`/`lcthb` (НКБТХ and
//!    the local МКБТХ), `ccjd`/`lcjd` (ЦКБППМН and the local МКБППМН). All local
//!    commissions are one organisation: the Programme names them only together.
//!
//! The Commission's own administration (АНКБТХ) is an alias of `nccthb`, not a body of
//! its own: the Programme reports its work under НКБТХ.
//!
//! # Institution mentions
//!
//! The Programme names its lead and partner institutions in free text: abbreviations,
//! full names in several grammatical forms, typos ("Дигн ита"), lists joined by commas,
//! semicolons, slashes, newlines or "и", and names that themselves contain commas and
//! "и" ("Министерство на труда и социалната политика"). [`split_institutions`] first
//! cuts out every known name (longest first), then splits only the rest on separators;
//! [`match_institution`] maps one mention to its organisation. Mentions that name no
//! particular body ("НПО", "институции членове на НКБТХ") are listed in
//! [`GENERIC_MENTIONS`] so an importer can tell them from names it does not know.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use crate::org::{OrgKind, OrgSlug};

const ORGANISATIONS_TSV: &str = include_str!("../data/organisations.tsv");
const SERVICES_TSV: &str = include_str!("../data/services.tsv");

/// The 2025 National Programme for Prevention and Counteraction of Trafficking in
/// Human Beings and Protection of Victims, as published (seed 003): a tab-separated
/// table in seven sections, imported at first start.
pub const PROGRAMME_2025: &str = include_str!("../data/programme-2025.txt");

/// Mentions in the Programme's lead/partner cells that name no particular
/// organisation: categories ("НПО"), groups defined by membership, and foreign
/// bodies outside the network. Compared after the same folding as names.
pub const GENERIC_MENTIONS: &[&str] = &[
    "НПО",
    "неправителствени и международни организации",
    "Неправителствени организации предоставящи услуги за жертви на трафик на хора",
    "институции и организации",
    "институции членове на НКБТХ",
    "Институции -членове на НКБТХ",
    "институции представени в НКБТХ",
    "институции и организации членове на ПРГ",
    "Институции и местни НПО, които работят с бежанци и мигранти",
    "Международни партньори по проекта",
    "Анти-трафик координатори на съответните държави членки на ЕС",
    "Национални инспекции по труда на държавите членки на ЕС",
    "НПО и полицейски служби от България, Гърция, Германия, Полша, Словения и Румъния",
    "организации от Румъния",
    "дипломатически корпус",
    "здравни медиатори",
    "и други",
    "и др.",
];

/// One organisation of the reference list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSeed {
    pub slug: OrgSlug,
    /// The Bulgarian short code shown in lists (НКБТХ, МОМ, ДАЗД).
    pub abbrev_bg: String,
    pub name_bg: String,
    pub name_en: String,
    pub kind: OrgKind,
    /// The body this one belongs to or is supervised by.
    pub parent: Option<OrgSlug>,
    /// Other spellings found in the seeds, used to match institution mentions.
    pub aliases: Vec<String>,
}

impl OrgSeed {
    /// Every spelling that names this organisation: abbreviation, names, aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [
            self.abbrev_bg.as_str(),
            self.name_bg.as_str(),
            self.name_en.as_str(),
        ]
        .into_iter()
        .chain(self.aliases.iter().map(String::as_str))
    }
}

/// One entry of the service catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSeed {
    /// Stable code (`return`, `witness_protection`): lower-case ASCII and `_`.
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    pub description_bg: String,
    pub description_en: String,
}

/// The reference organisations, in file order.
pub fn organisations() -> &'static [OrgSeed] {
    static ORGS: LazyLock<Vec<OrgSeed>> = LazyLock::new(|| {
        parse_organisations(ORGANISATIONS_TSV)
            .unwrap_or_else(|e| panic!("embedded data/organisations.tsv: {e}"))
    });
    &ORGS
}

/// IOM's 15 services (seed 000), in the seed's order.
pub fn services() -> &'static [ServiceSeed] {
    static SERVICES: LazyLock<Vec<ServiceSeed>> = LazyLock::new(|| {
        parse_services(SERVICES_TSV).unwrap_or_else(|e| panic!("embedded data/services.tsv: {e}"))
    });
    &SERVICES
}

/// The reference organisation with this slug.
pub fn organisation(slug: &str) -> Option<&'static OrgSeed> {
    organisations().iter().find(|o| o.slug.as_str() == slug)
}

/// The organisation one institution mention names, matched against abbreviations,
/// names and aliases regardless of case, quotes, line breaks and surrounding
/// punctuation. When the whole mention is unknown, the text outside parentheses is
/// tried, then each parenthesised part: "Прокуратурата на Р България (ПРБ)",
/// "Организация Международна мисия по правосъдие (IJM)".
pub fn match_institution(text: &str) -> Option<&'static OrgSeed> {
    let lookup = |s: &str| {
        index()
            .by_name
            .get(&fold_name(s))
            .map(|&i| &organisations()[i])
    };
    lookup(text)
        .or_else(|| lookup(&outside_parentheses(text)))
        .or_else(|| inside_parentheses(text).into_iter().find_map(lookup))
}

/// Whether a mention is one of [`GENERIC_MENTIONS`].
pub fn is_generic_mention(text: &str) -> bool {
    index().generic.contains(&fold_name(text))
}

/// Splits a lead or partner cell of the Programme into single institution mentions,
/// in order, without repeats, each trimmed of separators and a leading "и".
///
/// Known names (organisations' spellings and [`GENERIC_MENTIONS`]) are cut out first,
/// longest first, so names containing commas or "и" survive and names written without
/// a separator ("ФАА International Justice Mission") come apart; a parenthesis right
/// after a known name stays with it. The remaining text is split on `,` `;` `/` and
/// line breaks outside parentheses; it is not split on "и", which would break unknown
/// names, so an "и" between two unknown names stays inside one mention.
pub fn split_institutions(cell: &str) -> Vec<String> {
    let mut mentions = Vec::new();
    let mut cursor = 0;
    // The depth carries over known names, so that a separator inside a parenthesis
    // opened in unknown text does not split.
    let mut depth = 0;
    for span in known_spans(cell) {
        split_unknown(&cell[cursor..span.start], &mut depth, &mut mentions);
        push_mention(&mut mentions, &cell[span.clone()]);
        cursor = span.end;
    }
    split_unknown(&cell[cursor..], &mut depth, &mut mentions);
    mentions
}

/// Splits text between known names on separators outside parentheses.
fn split_unknown(text: &str, depth: &mut usize, mentions: &mut Vec<String>) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => *depth += 1,
            ')' => *depth = depth.saturating_sub(1),
            ',' | ';' | '/' | '\n' if *depth == 0 => {
                push_mention(mentions, &text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    push_mention(mentions, &text[start..]);
}

fn push_mention(mentions: &mut Vec<String>, raw: &str) {
    let m = clean_mention(raw);
    if !m.is_empty() && !mentions.contains(&m) {
        mentions.push(m);
    }
}

// ---------------------------------------------------------------------------
// Matching

struct Index {
    /// Folded spelling → position in `organisations()`.
    by_name: HashMap<String, usize>,
    /// Folded generic mentions.
    generic: HashSet<String>,
    /// Every known spelling and generic mention, folded, as characters: what
    /// `split_institutions` cuts out before splitting.
    phrases: Vec<Vec<char>>,
}

fn index() -> &'static Index {
    static INDEX: LazyLock<Index> = LazyLock::new(|| {
        let mut by_name = HashMap::new();
        for (i, org) in organisations().iter().enumerate() {
            for name in org.names() {
                // First one wins; a test asserts that no spelling names two bodies.
                by_name.entry(fold_name(name)).or_insert(i);
            }
        }
        let generic: HashSet<String> = GENERIC_MENTIONS.iter().map(|g| fold_name(g)).collect();
        let phrases = by_name
            .keys()
            .chain(&generic)
            .filter(|p| !p.is_empty())
            .map(|p| p.chars().collect())
            .collect();
        Index {
            by_name,
            generic,
            phrases,
        }
    });
    &INDEX
}

/// Quotation marks as the seeds use them: Bulgarian „…“, English “…”, and straight.
fn opens_quote(c: char) -> bool {
    matches!(c, '"' | '„' | '“' | '«' | '‘' | '‚' | '\'')
}

fn closes_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '»' | '’' | '\'')
}

fn is_quote(c: char) -> bool {
    opens_quote(c) || closes_quote(c)
}

/// Lower-cases (Cyrillic too), turns quotes and whitespace runs into one space and
/// dashes into `-`, so "Фондация“ Кампания А21“" and "Фондация „Кампания А21“" fold
/// alike. Returns the folded characters and, for each, its byte range in `s`.
fn fold_chars(s: &str) -> (Vec<char>, Vec<Range<usize>>) {
    let mut chars = Vec::with_capacity(s.len());
    let mut spans = Vec::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let range = i..i + c.len_utf8();
        if c.is_whitespace() || is_quote(c) {
            if chars.last() != Some(&' ') {
                chars.push(' ');
                spans.push(range);
            }
        } else if matches!(c, '–' | '—' | '‑' | '−') {
            chars.push('-');
            spans.push(range);
        } else {
            for l in c.to_lowercase() {
                chars.push(l);
                spans.push(range.clone());
            }
        }
    }
    (chars, spans)
}

/// Characters that separate mentions or end sentences, trimmed off their ends.
fn is_edge_punctuation(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '/' | '-' | '·' | '•')
}

/// Strips the conjunction "и" a split can leave at the start ("и МКБТХ") or alone
/// (between two names cut out of "НКБТХ и МКБТХ").
fn strip_conjunction(s: &str) -> &str {
    if s == "и" || s == "И" {
        return "";
    }
    ["и ", "И "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
}

/// The comparison form of a name or mention.
fn fold_name(s: &str) -> String {
    let folded: String = fold_chars(s).0.into_iter().collect();
    let trimmed = folded.trim_matches(is_edge_punctuation);
    strip_conjunction(trimmed)
        .trim_matches(is_edge_punctuation)
        .to_owned()
}

/// The display form of a mention: original spelling, whitespace collapsed, edges
/// trimmed.
fn clean_mention(raw: &str) -> String {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(is_edge_punctuation);
    let m = strip_conjunction(trimmed).trim_matches(is_edge_punctuation);
    if m.chars().any(char::is_alphanumeric) {
        m.to_owned()
    } else {
        String::new()
    }
}

/// Byte ranges of known phrases in `cell`, in order, not overlapping. Each range
/// takes in quotes around the phrase and a parenthesis right after it.
fn known_spans(cell: &str) -> Vec<Range<usize>> {
    let (text, origin) = fold_chars(cell);
    let at_boundary = |i: usize| {
        i == 0 || i == text.len() || !text[i - 1].is_alphanumeric() || !text[i].is_alphanumeric()
    };
    let mut found: Vec<Range<usize>> = Vec::new();
    for start in 0..text.len() {
        if !at_boundary(start) {
            continue;
        }
        for phrase in &index().phrases {
            let end = start + phrase.len();
            if text.get(start..end) == Some(phrase.as_slice()) && at_boundary(end) {
                found.push(start..end);
            }
        }
    }
    // Longest first: "институции членове на НКБТХ" beats "НКБТХ" inside it.
    found.sort_by_key(|r| (Reverse(r.len()), r.start));
    let mut taken: Vec<Range<usize>> = Vec::new();
    for r in found {
        if taken.iter().all(|t| r.end <= t.start || r.start >= t.end) {
            taken.push(r);
        }
    }
    taken.sort_by_key(|r| r.start);

    let mut spans: Vec<Range<usize>> = Vec::new();
    for r in taken {
        let mut start = origin[r.start].start;
        let mut end = origin[r.end - 1].end;
        let previous_end = spans.last().map_or(0, |prev| prev.end);
        if start < previous_end {
            continue; // swallowed by the previous phrase's parenthesis
        }
        // Quotes are folded away for matching; take them back for display, without
        // reaching into the previous phrase.
        while let Some(c) = cell[previous_end..start]
            .chars()
            .next_back()
            .filter(|&c| opens_quote(c))
        {
            start -= c.len_utf8();
        }
        while let Some(c) = cell[end..].chars().next().filter(|&c| closes_quote(c)) {
            end += c.len_utf8();
        }
        let rest = &cell[end..];
        let after_ws = rest.trim_start();
        if after_ws.starts_with('(') {
            end += rest.len() - after_ws.len() + closing_parenthesis(after_ws);
        }
        spans.push(start..end);
    }
    spans
}

/// Length of the parenthesised group `s` starts with, up to the end of `s` if it is
/// never closed.
fn closing_parenthesis(s: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    s.len()
}

fn outside_parentheses(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .collect()
}

/// The top-level parenthesised parts of `s`, without their parentheses.
fn inside_parentheses(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut open = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    open = i + 1;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    parts.push(&s[open..i]);
                }
            }
            _ => {}
        }
    }
    parts
}

// ---------------------------------------------------------------------------
// Parsing the embedded TSV files

/// A malformed row of an embedded file, with its 1-based line number.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
struct TsvError {
    line: usize,
    message: String,
}

fn tsv_error(line: usize, message: impl Into<String>) -> TsvError {
    TsvError {
        line,
        message: message.into(),
    }
}

/// The data rows of a tab-separated file as (line number, fields). Blank lines and
/// `#` comments are skipped; the first other line must be `header`. Rows may omit
/// trailing empty fields (editors strip trailing tabs) but not required ones.
fn tsv_rows<'a>(
    src: &'a str,
    header: &[&str],
    required: usize,
) -> Result<Vec<(usize, Vec<&'a str>)>, TsvError> {
    let mut lines = src
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let (line, found) = lines.next().ok_or_else(|| tsv_error(1, "no header"))?;
    if found.split('\t').ne(header.iter().copied()) {
        return Err(tsv_error(
            line,
            format!("header must be {:?}", header.join("\t")),
        ));
    }
    lines
        .map(|(line, l)| {
            let mut fields: Vec<&str> = l.split('\t').map(str::trim).collect();
            if fields.len() > header.len() {
                return Err(tsv_error(
                    line,
                    format!("{} fields, expected {}", fields.len(), header.len()),
                ));
            }
            fields.resize(header.len(), "");
            if let Some(i) = fields[..required].iter().position(|f| f.is_empty()) {
                return Err(tsv_error(line, format!("empty {}", header[i])));
            }
            Ok((line, fields))
        })
        .collect()
}

fn parse_organisations(src: &str) -> Result<Vec<OrgSeed>, TsvError> {
    const HEADER: [&str; 7] = [
        "slug",
        "abbrev_bg",
        "name_bg",
        "name_en",
        "kind",
        "parent",
        "aliases",
    ];
    tsv_rows(src, &HEADER, 5)?
        .into_iter()
        .map(|(line, f)| {
            let slug =
                |s: &str| OrgSlug::parse(s).map_err(|_| tsv_error(line, format!("bad slug {s:?}")));
            Ok(OrgSeed {
                slug: slug(f[0])?,
                abbrev_bg: f[1].to_owned(),
                name_bg: f[2].to_owned(),
                name_en: f[3].to_owned(),
                kind: OrgKind::parse(f[4])
                    .map_err(|_| tsv_error(line, format!("bad kind {:?}", f[4])))?,
                parent: if f[5].is_empty() {
                    None
                } else {
                    Some(slug(f[5])?)
                },
                aliases: f[6]
                    .split('|')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

fn parse_services(src: &str) -> Result<Vec<ServiceSeed>, TsvError> {
    const HEADER: [&str; 5] = [
        "code",
        "name_bg",
        "name_en",
        "description_bg",
        "description_en",
    ];
    tsv_rows(src, &HEADER, 5)?
        .into_iter()
        .map(|(line, f)| {
            let code_ok = f[0].bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !code_ok {
                return Err(tsv_error(line, format!("bad code {:?}", f[0])));
            }
            Ok(ServiceSeed {
                code: f[0].to_owned(),
                name_bg: f[1].to_owned(),
                name_en: f[2].to_owned(),
                description_bg: f[3].to_owned(),
                description_en: f[4].to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug_of(text: &str) -> Option<&'static str> {
        match_institution(text).map(|o| o.slug.as_str())
    }

    #[test]
    fn required_slugs_exist() {
        for slug in [
            "nccthb", "iom", "a21", "animus", "dignita", "sacp", "asa", "sar", "mvr", "mfa",
        ] {
            assert!(organisation(slug).is_some(), "missing organisation {slug}");
        }
    }

    #[test]
    fn slugs_are_unique_and_parents_exist() {
        let orgs = organisations();
        assert!(orgs.len() >= 40, "only {} organisations", orgs.len());
        let mut seen = HashSet::new();
        for org in orgs {
            assert!(
                seen.insert(org.slug.as_str()),
                "duplicate slug {}",
                org.slug
            );
            assert!(OrgSlug::parse(org.slug.as_str()).is_ok());
            assert!(
                !org.abbrev_bg.is_empty() && !org.name_bg.is_empty() && !org.name_en.is_empty()
            );
            if let Some(parent) = &org.parent {
                assert!(
                    organisation(parent.as_str()).is_some(),
                    "{}: unknown parent {parent}",
                    org.slug
                );
                assert_ne!(parent, &org.slug);
            }
        }
    }

    #[test]
    fn parent_chains_end() {
        for org in organisations() {
            let mut at = org;
            for _ in 0..organisations().len() {
                match &at.parent {
                    Some(p) => at = organisation(p.as_str()).expect("parent exists"),
                    None => break,
                }
            }
            assert!(at.parent.is_none(), "{}: cycle of parents", org.slug);
        }
    }

    /// Each spelling names one organisation only, and matching finds it: otherwise
    /// a Programme cell could be credited to the wrong body.
    #[test]
    fn every_spelling_names_exactly_its_organisation() {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for org in organisations() {
            for name in org.names() {
                let key = fold_name(name);
                assert!(!key.is_empty(), "{}: empty spelling", org.slug);
                if let Some(other) = owner.insert(key, org.slug.as_str()) {
                    assert_eq!(
                        other,
                        org.slug.as_str(),
                        "{name:?} names both {other} and {}",
                        org.slug
                    );
                }
                assert_eq!(slug_of(name), Some(org.slug.as_str()), "{name:?}");
                assert!(
                    !is_generic_mention(name),
                    "{name:?} is both a name and generic"
                );
            }
        }
    }

    #[test]
    fn matching_ignores_case_quotes_and_punctuation() {
        assert_eq!(slug_of("  мвнр, "), Some("mfa"));
        assert_eq!(slug_of("Фондация“ Кампания А21“"), Some("a21"));
        assert_eq!(slug_of("Фондация „кампания А21"), Some("a21"));
        assert_eq!(slug_of("ФОНДАЦИЯ „ДИГНИТА“"), Some("dignita"));
        assert_eq!(slug_of("и МКБТХ."), Some("lcthb"));
        assert_eq!(slug_of("Прокуратурата на Р България (ПРБ)"), Some("prb"));
        assert_eq!(
            slug_of("Организация Международна мисия по правосъдие (IJM)"),
            Some("ijm")
        );
        assert_eq!(slug_of("Държавна агенция за бежанците"), Some("sar"));
        assert_eq!(slug_of("АНКБТХ"), Some("nccthb"));
        assert_eq!(
            slug_of("Министерство на труда и социалната политика"),
            Some("mlsp")
        );
        assert_eq!(slug_of("Министерство на труда"), None);
        assert_eq!(slug_of("НПО"), None);
        assert!(is_generic_mention("НПО"));
        assert!(is_generic_mention("и др."));
    }

    #[test]
    fn splitting_keeps_names_whole() {
        assert_eq!(
            split_institutions("Министерство на труда и социалната политика, МВР и МВнР"),
            ["Министерство на труда и социалната политика", "МВР", "МВнР"]
        );
        assert_eq!(
            split_institutions("МТСП/ ИА ГИТ\nАЗ"),
            ["МТСП", "ИА ГИТ", "АЗ"]
        );
        assert_eq!(
            split_institutions("ФАА International Justice Mission"),
            ["ФАА", "International Justice Mission"]
        );
        assert_eq!(
            split_institutions("МКБТХ, Фондация“ Кампания А21“ НПО, БМЧК"),
            ["МКБТХ", "Фондация“ Кампания А21“", "НПО", "БМЧК"]
        );
        assert_eq!(split_institutions("НКБТХ и МКБТХ"), ["НКБТХ", "МКБТХ"]);
        assert_eq!(
            split_institutions("„Дигнита“„Анимус“"),
            ["„Дигнита“", "„Анимус“"]
        );
        assert_eq!(
            split_institutions("МВнР, МВР, АСП, МВР"),
            ["МВнР", "МВР", "АСП"]
        );
        assert_eq!(
            split_institutions("НСИ, НСлС; МВР;\nПрокуратура на Р България,\nДАЗД, МКБТХ"),
            [
                "НСИ",
                "НСлС",
                "МВР",
                "Прокуратура на Р България",
                "ДАЗД",
                "МКБТХ"
            ]
        );
        // A parenthesis after a name stays with it, separators inside it included.
        assert_eq!(
            split_institutions(
                "НКБТХ; Служби по трудови и социални въпроси към МТСП (към посолствата в Австрия; Гърция)"
            ),
            [
                "НКБТХ",
                "Служби по трудови и социални въпроси към МТСП (към посолствата в Австрия; Гърция)"
            ]
        );
        // Unknown text is split on separators only, never on "и".
        assert_eq!(
            split_institutions("Фондация Х и Сдружение У; МВР"),
            ["Фондация Х и Сдружение У", "МВР"]
        );
        assert!(split_institutions(" \n").is_empty());
    }

    /// IOM's partners as seed 001 lists them.
    #[test]
    fn iom_partners_of_seed_001_match() {
        let partners = [
            (
                "Глобалната мрежа мисии на Международната организация по миграция",
                "iom",
            ),
            ("Националната комисия за борба с трафика на хора", "nccthb"),
            ("Министерство на вътрешните работи", "mvr"),
            ("Главна дирекция „Гранична полиция“", "mvr-gdgp"),
            (
                "Главна дирекция „Борба с организираната престъпност“",
                "mvr-gdbop",
            ),
            ("Дирекция „Миграция“", "mvr-migration"),
            ("Министерство на външните работи", "mfa"),
            ("Държавна агенция за закрила на детето", "sacp"),
            ("Агенция за социално подпомагане", "asa"),
            ("Държавна агенция за бежанците", "sar"),
            ("Прокуратурата на Р България", "prb"),
            ("Фондация Асоциация „Анимус“", "animus"),
        ];
        for (text, slug) in partners {
            assert_eq!(slug_of(text), Some(slug), "{text:?}");
        }
        assert!(is_generic_mention(
            "Неправителствени организации предоставящи услуги за жертви на трафик на хора"
        ));
    }

    /// One activity row of the Programme table: its code (empty on the rows that
    /// continue the previous activity) and its lead and partner cells.
    struct Row {
        code: String,
        lead: String,
        partner: String,
    }

    /// A rough reading of the Programme table, enough to reach the institution
    /// columns. Every cell starts on a new line with a tab, so splitting on "\n\t"
    /// gives the cells even when one spans several lines. Each section repeats the
    /// two header rows, the second ending with the cell "Партньор"; after it, every
    /// row has exactly ten cells: strategic objective, operational objective,
    /// activity, budget, deadline, expected results, current and target indicator
    /// values, lead, partner.
    fn programme_rows() -> Vec<Row> {
        let mut rows = Vec::new();
        for section in PROGRAMME_2025.split("\nРАЗДЕЛ").skip(1) {
            let cells: Vec<&str> = section.split("\n\t").skip(1).collect();
            let header_end = cells
                .iter()
                .position(|c| c.trim() == "Партньор")
                .expect("each section has a header ending in „Партньор“");
            let body = &cells[header_end + 1..];
            assert_eq!(body.len() % 10, 0, "a section's rows are not all ten cells");
            for row in body.chunks(10) {
                let code = row[2]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('.');
                rows.push(Row {
                    code: code.to_owned(),
                    lead: row[8].to_owned(),
                    partner: row[9].to_owned(),
                });
            }
        }
        rows
    }

    #[test]
    fn programme_table_reads_as_expected() {
        let rows = programme_rows();
        assert_eq!(rows.len(), 81);
        let is_code = |c: &str| {
            let parts: Vec<&str> = c.split('.').collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        for row in &rows {
            assert!(
                row.code.is_empty() || is_code(&row.code),
                "bad activity code {:?}",
                row.code
            );
        }
        let row = |code: &str| rows.iter().find(|r| r.code == code).expect(code);
        assert_eq!(row("1.1.1").lead.trim(), "НКБТХ");
        assert_eq!(
            row("7.1.1").partner.trim(),
            "ВП, МВР, ВКС, НКБТХ, ДАЗД, АСП"
        );
    }

    /// Every institution the Programme names in its lead and partner columns is in
    /// the reference list, or is one of the documented generic mentions.
    #[test]
    fn every_programme_institution_matches() {
        let mut unmatched = Vec::new();
        let mut matched = HashSet::new();
        for row in programme_rows() {
            for (column, cell) in [("lead", &row.lead), ("partner", &row.partner)] {
                let mentions = split_institutions(cell);
                for mention in &mentions {
                    match match_institution(mention) {
                        Some(org) => {
                            matched.insert(org.slug.as_str());
                        }
                        None if is_generic_mention(mention) => {}
                        None => unmatched.push(format!("{} {column}: {mention:?}", row.code)),
                    }
                }
                // A lead must be a body that can report, not a category.
                if column == "lead" && !mentions.is_empty() {
                    assert!(
                        mentions.iter().any(|m| match_institution(m).is_some()),
                        "{} lead {cell:?}",
                        row.code
                    );
                }
            }
        }
        assert!(
            unmatched.is_empty(),
            "unmatched institution mentions:\n{}",
            unmatched.join("\n")
        );
        for slug in [
            "nccthb",
            "lcthb",
            "mvr-gdbop",
            "mvr-gdgp",
            "gli",
            "mes-rde",
            "a21",
            "dignita",
            "animus",
            "prb",
        ] {
            assert!(
                matched.contains(slug),
                "{slug} never matched in the Programme"
            );
        }
    }

    #[test]
    fn fifteen_services_with_unique_codes() {
        let services = services();
        assert_eq!(services.len(), 15);
        let codes: HashSet<&str> = services.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes.len(), 15);
        for code in ["return", "reintegration", "witness_protection", "other"] {
            assert!(codes.contains(code), "missing service {code}");
        }
    }

    #[test]
    fn parser_rejects_malformed_rows() {
        let header = "slug\tabbrev_bg\tname_bg\tname_en\tkind\tparent\taliases\n";
        let ok = format!("# comment\n{header}x1\tХ\tХ\tX\tngo\n");
        assert_eq!(
            parse_organisations(&ok).unwrap()[0].aliases,
            Vec::<String>::new()
        );
        for bad in [
            format!("{header}X1\tХ\tХ\tX\tngo\t\t\n"),
            format!("{header}x1\tХ\tХ\tX\tcharity\t\t\n"),
            format!("{header}x1\tХ\t\tX\tngo\t\t\n"),
            format!("{header}x1\tХ\tХ\tX\tngo\t\t\textra\n"),
            "slug\tname\n".to_owned(),
        ] {
            assert!(parse_organisations(&bad).is_err(), "{bad:?}");
        }
        let err = parse_organisations(&format!("{header}\nx1\tХ\tХ\tX\tcharity\n")).unwrap_err();
        assert_eq!(err.line, 3);
    }
}
