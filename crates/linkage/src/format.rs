//! Field formats: validating an entry and rewriting it into the string that is
//! tokenised, exactly as clkhash's `FieldSpec.validate` and `format_value` do.
//!
//! The rewriting matters for compatibility: clkhash hashes `str(int(s))` for
//! integers and `%Y%m%d` for dates, so "+07" and "7", or "1/2/1990" and
//! "01/02/1990", give the same CLK.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::error::{Result, schema_err};

#[derive(Debug, Clone)]
pub(crate) enum Format {
    String {
        encoding: TextEncoding,
        case: Option<Case>,
        min_length: Option<usize>,
        max_length: Option<usize>,
    },
    Integer {
        minimum: Option<i128>,
        maximum: Option<i128>,
    },
    Date(DateFormat),
    Enum(HashSet<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Lower,
    Upper,
}

/// How tokens become bytes before hashing (Python codec names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    Utf8,
    Ascii,
    /// Python's `utf-16` codec: a byte-order mark, then little-endian units.
    Utf16,
    /// Python's `utf-32` codec: a byte-order mark, then little-endian units.
    Utf32,
}

impl TextEncoding {
    /// Appends the encoding of `token` to `out`, or fails on a character the
    /// codec cannot represent.
    pub(crate) fn encode_into(self, token: &str, out: &mut Vec<u8>) -> Result<(), String> {
        match self {
            TextEncoding::Utf8 => out.extend_from_slice(token.as_bytes()),
            TextEncoding::Ascii => {
                if !token.is_ascii() {
                    return Err(format!("'{token}' cannot be encoded in ascii"));
                }
                out.extend_from_slice(token.as_bytes());
            }
            TextEncoding::Utf16 => {
                out.extend_from_slice(&[0xff, 0xfe]);
                for unit in token.encode_utf16() {
                    out.extend_from_slice(&unit.to_le_bytes());
                }
            }
            TextEncoding::Utf32 => {
                out.extend_from_slice(&[0xff, 0xfe, 0, 0]);
                for c in token.chars() {
                    out.extend_from_slice(&u32::from(c).to_le_bytes());
                }
            }
        }
        Ok(())
    }

    pub(crate) fn for_format(format: &Format) -> TextEncoding {
        match format {
            Format::String { encoding, .. } => *encoding,
            _ => TextEncoding::Utf8,
        }
    }
}

impl Format {
    /// Validates a present (non-missing) entry and returns the string to tokenise.
    pub(crate) fn prepare<'a>(&self, value: &'a str) -> Result<Cow<'a, str>, String> {
        match self {
            Format::String {
                encoding,
                case,
                min_length,
                max_length,
            } => {
                if *encoding == TextEncoding::Ascii && !value.is_ascii() {
                    return Err(format!("expected an ascii entry, read '{value}'"));
                }
                let len = value.chars().count();
                if min_length.is_some_and(|m| len < m) || max_length.is_some_and(|m| len > m) {
                    return Err(format!("string '{value}' has an invalid length {len}"));
                }
                match case {
                    Some(Case::Upper) if value.to_uppercase() != value => {
                        Err(format!("expected upper case, read '{value}'"))
                    }
                    Some(Case::Lower) if value.to_lowercase() != value => {
                        Err(format!("expected lower case, read '{value}'"))
                    }
                    _ => Ok(Cow::Borrowed(value)),
                }
            }
            Format::Integer { minimum, maximum } => {
                let v = parse_python_int(value)
                    .ok_or_else(|| format!("invalid integer, read '{value}'"))?;
                if minimum.is_some_and(|m| v < m) || maximum.is_some_and(|m| v > m) {
                    return Err(format!("integer {v} is out of range"));
                }
                Ok(Cow::Owned(v.to_string()))
            }
            Format::Date(fmt) => fmt.reformat(value).map(Cow::Owned),
            Format::Enum(values) if values.contains(value) => Ok(Cow::Borrowed(value)),
            Format::Enum(_) => Err(format!("'{value}' is not one of the enum's values")),
        }
    }
}

/// Python's `int(s, 10)`: surrounding whitespace, an optional sign, and single
/// underscores between digits are allowed. Values beyond `i128` are rejected.
pub(crate) fn parse_python_int(s: &str) -> Option<i128> {
    let s = s.trim();
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut v: i128 = 0;
    for b in digits.bytes().filter(|&b| b != b'_') {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    Some(if neg { -v } else { v })
}

/// A `strptime` format restricted to the directives that dates of birth use:
/// `%d %m %Y %y %b %B %%`, literals (matched case-insensitively, as Python does)
/// and whitespace (any run matches `\s+`).
#[derive(Debug, Clone)]
pub(crate) struct DateFormat(Vec<DatePart>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatePart {
    Day,
    Month,
    Year4,
    Year2,
    MonthAbbr,
    MonthName,
    Space,
    Literal(char),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[derive(Clone, Copy, Default)]
struct DateFields {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

impl DateFormat {
    pub(crate) fn parse(fmt: &str) -> Result<DateFormat> {
        let mut parts = Vec::new();
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            let part = match c {
                '%' => match chars.next() {
                    Some('d') => DatePart::Day,
                    Some('m') => DatePart::Month,
                    Some('Y') => DatePart::Year4,
                    Some('y') => DatePart::Year2,
                    Some('b') => DatePart::MonthAbbr,
                    Some('B') => DatePart::MonthName,
                    Some('%') => DatePart::Literal('%'),
                    other => {
                        return Err(schema_err(format!(
                            "date directive %{} is not supported",
                            other.map(String::from).unwrap_or_default()
                        )));
                    }
                },
                c if c.is_whitespace() => {
                    while chars.next_if(|c| c.is_whitespace()).is_some() {}
                    DatePart::Space
                }
                c => DatePart::Literal(c),
            };
            let is_field = !matches!(part, DatePart::Space | DatePart::Literal(_));
            if is_field && parts.contains(&part) {
                // Python's strptime fails on a repeated directive too.
                return Err(schema_err("a date directive appears twice"));
            }
            parts.push(part);
        }
        Ok(DateFormat(parts))
    }

    /// Parses `value` and writes it as `%Y%m%d`, like clkhash's `DateSpec`.
    fn reformat(&self, value: &str) -> Result<String, String> {
        let input: Vec<char> = value.chars().collect();
        let f = self
            .match_from(0, &input, 0, DateFields::default())
            .ok_or_else(|| format!("'{value}' does not match the date format"))?;
        let year = f.year.unwrap_or(1900);
        let month = f.month.unwrap_or(1);
        let day = f.day.unwrap_or(1);
        if year < 1 || day > days_in_month(year, month) {
            return Err(format!("'{value}' is not a valid date"));
        }
        // strftime's %Y does not pad years below 1000.
        Ok(format!("{year}{month:02}{day:02}"))
    }

    /// Backtracking match in the order of alternatives of Python's regular
    /// expressions, so ambiguous inputs such as "1112000" for "%d%m%Y" resolve
    /// the same way.
    fn match_from(&self, pi: usize, s: &[char], pos: usize, f: DateFields) -> Option<DateFields> {
        let Some(&part) = self.0.get(pi) else {
            return (pos == s.len()).then_some(f);
        };
        let next = |len: usize, f: DateFields| self.match_from(pi + 1, s, pos + len, f);
        let rest = &s[pos..];
        match part {
            DatePart::Literal(c) => {
                let same = rest
                    .first()
                    .is_some_and(|r| r.to_lowercase().eq(c.to_lowercase()));
                if same { next(1, f) } else { None }
            }
            DatePart::Space => {
                let run = rest.iter().take_while(|c| c.is_whitespace()).count();
                (1..=run).rev().find_map(|len| next(len, f))
            }
            DatePart::Year4 => {
                let v = digits(rest, 4)?;
                next(
                    4,
                    DateFields {
                        year: Some(v as i32),
                        ..f
                    },
                )
            }
            DatePart::Year2 => {
                let v = digits(rest, 2)? as i32;
                let year = if v <= 68 { 2000 + v } else { 1900 + v };
                next(
                    2,
                    DateFields {
                        year: Some(year),
                        ..f
                    },
                )
            }
            DatePart::Day => {
                // (?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])
                let alternatives = [
                    (0, 2, 30..=31),
                    (0, 2, 10..=29),
                    (0, 2, 1..=9),
                    (0, 1, 1..=9),
                    (1, 1, 1..=9),
                ];
                alternatives.into_iter().find_map(|(skip, len, range)| {
                    if skip == 1 && rest.first() != Some(&' ') {
                        return None;
                    }
                    let v = digits(&rest[skip.min(rest.len())..], len)?;
                    range
                        .contains(&v)
                        .then(|| next(skip + len, DateFields { day: Some(v), ..f }))?
                })
            }
            DatePart::Month => {
                // (?P<m>1[0-2]|0[1-9]|[1-9])
                [(2, 10..=12), (2, 1..=9), (1, 1..=9)]
                    .into_iter()
                    .find_map(|(len, range)| {
                        let v = digits(rest, len)?;
                        range.contains(&v).then(|| {
                            next(
                                len,
                                DateFields {
                                    month: Some(v),
                                    ..f
                                },
                            )
                        })?
                    })
            }
            DatePart::MonthAbbr | DatePart::MonthName => {
                MONTHS.iter().zip(1..).find_map(|(name, m)| {
                    let name = if part == DatePart::MonthAbbr {
                        &name[..3]
                    } else {
                        name
                    };
                    let len = name.len();
                    let candidate: String = rest
                        .iter()
                        .take(len)
                        .flat_map(|c| c.to_lowercase())
                        .collect();
                    (candidate == name).then(|| {
                        next(
                            len,
                            DateFields {
                                month: Some(m),
                                ..f
                            },
                        )
                    })?
                })
            }
        }
    }
}

/// Exactly `n` ASCII digits at the start of `s`, as a number.
fn digits(s: &[char], n: usize) -> Option<u32> {
    if s.len() < n {
        return None;
    }
    s[..n]
        .iter()
        .try_fold(0u32, |acc, c| Some(acc * 10 + c.to_digit(10)?))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(fmt: &str, v: &str) -> Result<String, String> {
        DateFormat::parse(fmt).unwrap().reformat(v)
    }

    #[test]
    fn dates_like_strptime() {
        assert_eq!(date("%Y-%m-%d", "1990-02-01").unwrap(), "19900201");
        assert_eq!(date("%d/%m/%Y", "1/2/1990").unwrap(), "19900201");
        assert_eq!(date("%d.%m.%y", "05.03.99").unwrap(), "19990305");
        assert_eq!(date("%d.%m.%y", "05.03.68").unwrap(), "20680305");
        assert_eq!(date("%d%m%Y", "1112000").unwrap(), "20000111");
        assert_eq!(date("%d/%m/%Y", " 3/4/2001").unwrap(), "20010403");
        assert_eq!(date("%d %B %Y", "3   MARCH 2001").unwrap(), "20010303");
        assert_eq!(date("%Y-%m-%d", "0999-01-01").unwrap(), "9990101");
        assert!(date("%Y-%m-%d", "1990-02-30").is_err());
        assert!(date("%Y-%m-%d", "1990-02-01x").is_err());
        assert!(date("%Y-%m-%d", "").is_err());
        assert!(DateFormat::parse("%H:%M").is_err());
    }

    #[test]
    fn ints_like_python() {
        assert_eq!(parse_python_int(" +07 "), Some(7));
        assert_eq!(parse_python_int("-1_000"), Some(-1000));
        assert_eq!(parse_python_int("1__0"), None);
        assert_eq!(parse_python_int(""), None);
        assert_eq!(parse_python_int("1.5"), None);
    }

    #[test]
    fn python_codecs() {
        let mut out = Vec::new();
        TextEncoding::Utf16.encode_into("a", &mut out).unwrap();
        assert_eq!(out, [0xff, 0xfe, b'a', 0]);
        assert!(TextEncoding::Ascii.encode_into("é", &mut out).is_err());
    }
}
