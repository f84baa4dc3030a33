//! How numbers, amounts and periods read in each language, in one place: Bulgarian
//! groups thousands with a space and writes a decimal comma ("20 000,00", "0,894"),
//! English groups with a comma and writes a decimal point. Dates and moments are
//! `views::layout::date` and `views::layout::datetime`.

use zakrila_domain::{case::Money, user::Locale};

/// Separators of a language: (thousands, decimal).
fn separators(lang: Locale) -> (char, char) {
    match lang {
        Locale::Bg => (' ', ','),
        Locale::En => (',', '.'),
    }
}

/// Digits with the thousands separator every three from the right.
fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number: "79", "20 000" ("20,000" in English).
pub fn integer(n: i64, lang: Locale) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!(
        "{sign}{}",
        group(&n.unsigned_abs().to_string(), separators(lang).0)
    )
}

/// A number with at most `decimals` digits after the separator, trailing zeros
/// dropped: "12,5", "0,894", "1 250".
pub fn number(v: f64, decimals: usize, lang: Locale) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let fixed = format!("{:.*}", decimals, v.abs());
    let (whole, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let frac = frac.trim_end_matches('0');
    let (group_sep, decimal_sep) = separators(lang);
    let negative = v < 0.0 && (whole.bytes().any(|b| b != b'0') || !frac.is_empty());
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group(whole, group_sep));
    if !frac.is_empty() {
        out.push(decimal_sep);
        out.push_str(frac);
    }
    out
}

/// An amount in hundredths with exactly two decimals: "20 000,00".
pub fn amount(hundredths: i64, lang: Locale) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let (group_sep, decimal_sep) = separators(lang);
    format!(
        "{sign}{}{decimal_sep}{:02}",
        group(&(abs / 100).to_string(), group_sep),
        abs % 100
    )
}

/// An amount recorded in leva (in stotinki), in euro first with the lev amount
/// beside it: "127,82 € (250,00 лв.)". Bulgaria's fixed rate, 1 EUR = 1.95583 BGN,
/// is applied in integers by `Money::to_eur`.
pub fn money_bgn(stotinki: i64, lang: Locale) -> String {
    let m = Money::from_stotinki(stotinki);
    let (eur, bgn) = (amount(m.to_eur().cents(), lang), amount(stotinki, lang));
    match lang {
        Locale::Bg => format!("{eur} € ({bgn} лв.)"),
        Locale::En => format!("€{eur} (BGN {bgn})"),
    }
}

/// An amount kept in euro cents, with the lev equivalent at the fixed rate.
pub fn money_eur(cents: i64, lang: Locale) -> String {
    let bgn = zakrila_domain::case::Euro::from_cents(cents)
        .to_bgn()
        .stotinki();
    let (eur, bgn) = (amount(cents, lang), amount(bgn, lang));
    match lang {
        Locale::Bg => format!("{eur} € ({bgn} лв.)"),
        Locale::En => format!("€{eur} (BGN {bgn})"),
    }
}

/// A share in percent, rounded to the unit: "87 %"; "—" when there is none.
pub fn percent(p: Option<f64>, lang: Locale) -> String {
    p.map(|p| format!("{} %", number(p, 0, lang)))
        .unwrap_or_else(|| "—".into())
}

/// A country by its name for an ISO 3166-1 alpha-3 code ("BGR" → "България");
/// a code that is not a country is shown as it is.
pub fn country(code: &str, lang: Locale) -> String {
    zakrila_domain::case::Country::parse(code)
        .map(|c| lang.pick(c.name_bg(), c.name_en()).to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

/// A reporting period in words: "I тримесечие на 2025 г.", "II полугодие на
/// 2025 г.", "2025 г." (English: "Q1 2025", "H2 2025", "2025"). `per_year` is
/// how many periods the year has (4, 2 or 1), `number` which one (from 1).
pub fn period(year: i32, per_year: u8, number: u8, lang: Locale) -> String {
    let n = usize::from(number.max(1)) - 1;
    match (per_year, lang) {
        (4, Locale::Bg) => format!("{} тримесечие на {year} г.", ROMAN.get(n).unwrap_or(&"?")),
        (2, Locale::Bg) => format!("{} полугодие на {year} г.", ROMAN.get(n).unwrap_or(&"?")),
        (12, Locale::Bg) => format!("{:02}.{year} г.", number),
        (_, Locale::Bg) => format!("{year} г."),
        (4, Locale::En) => format!("Q{number} {year}"),
        (2, Locale::En) => format!("H{number} {year}"),
        (12, Locale::En) => format!("{:02}/{year}", number),
        (_, Locale::En) => format!("{year}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_bulgarian_way() {
        assert_eq!(number(0.8941, 3, Locale::Bg), "0,894");
        assert_eq!(number(0.8941, 3, Locale::En), "0.894");
        assert_eq!(number(12.5, 2, Locale::Bg), "12,5");
        assert_eq!(number(1250.0, 2, Locale::Bg), "1 250");
        assert_eq!(number(1250.0, 2, Locale::En), "1,250");
        assert_eq!(number(-0.001, 2, Locale::Bg), "0");
        assert_eq!(integer(20_000, Locale::Bg), "20 000");
        assert_eq!(integer(79, Locale::Bg), "79");
        assert_eq!(percent(Some(87.4), Locale::Bg), "87 %");
        assert_eq!(percent(None, Locale::Bg), "—");
    }

    #[test]
    fn money_is_in_euro_with_the_lev_beside_grouped_alike() {
        assert_eq!(amount(2_000_000, Locale::Bg), "20 000,00");
        assert_eq!(money_bgn(25_000, Locale::Bg), "127,82 € (250,00 лв.)");
        assert_eq!(money_bgn(25_000, Locale::En), "€127.82 (BGN 250.00)");
        assert_eq!(
            money_bgn(1_000_000, Locale::Bg),
            "5 112,92 € (10 000,00 лв.)"
        );
        assert_eq!(
            money_bgn(2_000_000, Locale::Bg),
            "10 225,84 € (20 000,00 лв.)"
        );
    }

    #[test]
    fn countries_are_named() {
        assert_eq!(country("BGR", Locale::Bg), "България");
        assert_eq!(country("BGR", Locale::En), "Bulgaria");
    }

    #[test]
    fn periods_are_named_in_words() {
        assert_eq!(period(2025, 4, 1, Locale::Bg), "I тримесечие на 2025 г.");
        assert_eq!(period(2025, 2, 2, Locale::Bg), "II полугодие на 2025 г.");
        assert_eq!(period(2025, 1, 1, Locale::Bg), "2025 г.");
        assert_eq!(period(2025, 4, 3, Locale::En), "Q3 2025");
    }
}
