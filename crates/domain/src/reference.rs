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
mod tests;
