//! Numbers as the Programme writes them: "10 000" and "499 080" with spaces
//! (often no-break spaces) between thousands, "9905", and decimal commas.

/// Replaces the no-break and thin spaces that Word puts between thousands
/// and around dashes with plain spaces, so the rest of the parser sees one kind.
pub(crate) fn plain_spaces(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' => ' ',
            c => c,
        })
        .collect()
}

/// Collapses every run of whitespace (including line breaks) into one space.
pub(crate) fn one_line(text: &str) -> String {
    plain_spaces(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number found in a text: its value and the byte just after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Found {
    pub value: f64,
    pub end: usize,
}

/// Reads the number that starts at byte `start` of `text` (which must hold a
/// digit there). Thousands groups separated by one space are joined only when
/// exactly three digits follow, so "2 (две)" stays 2 and "10 000" becomes 10000.
pub(crate) fn number_at(text: &str, start: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    if !bytes.get(start)?.is_ascii_digit() {
        return None;
    }
    let digits_from = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut end = start + digits_from(start);
    let mut digits: String = text[start..end].to_string();
    // Grouping only makes sense after at most three leading digits.
    if end - start <= 3 {
        while bytes.get(end) == Some(&b' ') && end + 1 < bytes.len() {
            let group = digits_from(end + 1);
            if group != 3 {
                break;
            }
            digits.push_str(&text[end + 1..end + 4]);
            end += 4;
        }
    }
    if matches!(bytes.get(end), Some(b',') | Some(b'.')) {
        let fraction = bytes.get(end + 1..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        });
        if fraction > 0 {
            digits.push('.');
            digits.push_str(&text[end + 1..end + 1 + fraction]);
            end += 1 + fraction;
        }
    }
    let value = digits.parse().ok()?;
    Some(Found { value, end })
}

/// Reads a cell that should hold just a number ("10 000", "1,5", " 0 ").
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let text = plain_spaces(text);
    let trimmed = text.trim();
    let (negative, digits) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, trimmed),
    };
    let found = number_at(digits, 0)?;
    (found.end == digits.len()).then_some(if negative { -found.value } else { found.value })
}

/// Every number in `text`, left to right.
pub(crate) fn numbers(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let at_boundary = i == 0 || !text.as_bytes()[i - 1].is_ascii_digit();
        match number_at(text, i).filter(|_| at_boundary) {
            Some(f) => {
                i = f.end;
                found.push(f);
            }
            None => i += 1,
        }
    }
    found
}

/// Formats a value without a trailing ".0" ("150", "12.5").
pub(crate) fn format_value(value: f64) -> String {
    format!("{value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_grouped_thousands_and_decimal_commas() {
        assert_eq!(parse_number("10 000"), Some(10_000.0));
        assert_eq!(parse_number("499\u{a0}080"), Some(499_080.0));
        assert_eq!(parse_number(" 9905 "), Some(9905.0));
        assert_eq!(parse_number("1,5"), Some(1.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("3б"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn does_not_join_unrelated_numbers() {
        let found = numbers("2 (две) общини, 11 града, 120, в т.ч. 60");
        let values: Vec<f64> = found.iter().map(|f| f.value).collect();
        assert_eq!(values, vec![2.0, 11.0, 120.0, 60.0]);
    }

    #[test]
    fn formats_integers_without_fraction() {
        assert_eq!(format_value(150.0), "150");
        assert_eq!(format_value(12.5), "12.5");
    }
}
