//! Indicative budgets: an amount in leva when the text states one, and the
//! funding source as written ("В рамките на бюджета на НКБТХ").

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::quantity::{numbers, plain_spaces};

/// Leva per euro: Bulgaria's fixed conversion rate.
pub const BGN_PER_EUR: f64 = 1.95583;
/// The same rate in hundred-thousandths, so conversions stay in integers.
const BGN_PER_EUR_E5: i64 = 195_583;

/// An amount of Bulgarian leva, held in stotinki so sums are exact.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Bgn(i64);

impl Bgn {
    pub const fn from_stotinki(stotinki: i64) -> Self {
        Bgn(stotinki)
    }

    pub const fn from_leva(leva: i64) -> Self {
        Bgn(leva * 100)
    }

    pub const fn stotinki(self) -> i64 {
        self.0
    }

    /// The euro equivalent in cents, rounded half away from zero.
    pub fn eur_cents(self) -> i64 {
        let scaled = self.0 * 100_000;
        let half = BGN_PER_EUR_E5 / 2;
        if scaled >= 0 {
            (scaled + half) / BGN_PER_EUR_E5
        } else {
            (scaled - half) / BGN_PER_EUR_E5
        }
    }

    /// "499080.00": the form XML and CSV want.
    pub fn decimal(self) -> String {
        decimal(self.0)
    }

    /// Reads "499080.00", "499 080", "499080,5".
    pub fn parse_decimal(text: &str) -> Option<Self> {
        let text = plain_spaces(text).replace(' ', "").replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > 2
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let leva: i64 = whole.parse().ok()?;
        let stotinki: i64 = format!("{fraction:0<2}").parse().ok()?;
        Some(Bgn(leva.checked_mul(100)?.checked_add(stotinki)?))
    }
}

impl std::ops::Add for Bgn {
    type Output = Bgn;

    fn add(self, other: Bgn) -> Bgn {
        Bgn(self.0 + other.0)
    }
}

impl std::iter::Sum for Bgn {
    fn sum<I: Iterator<Item = Bgn>>(iter: I) -> Bgn {
        iter.fold(Bgn::default(), |a, b| a + b)
    }
}

/// "499 080,00": leva grouped in thousands with a decimal comma, as Bulgarian
/// readers expect. The currency sign is left to the caller's language.
impl fmt::Display for Bgn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&grouped(self.0))
    }
}

/// Formats an amount in hundredths (stotinki or euro cents) as "499 080,00".
pub fn grouped(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{sign}{out},{:02}", abs % 100)
}

fn decimal(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// What the Programme says about money for an activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// Set only when the text states an amount in leva.
    pub amount: Option<Bgn>,
    /// The budget cell as written: funding source and any conditions.
    pub source: String,
}

impl Budget {
    /// Reads a budget cell. Only a number directly followed by "лв" counts as
    /// an amount: project codes and decree numbers in the same cell must not.
    pub fn parse(text: &str) -> Self {
        let source = crate::quantity::one_line(text);
        let amount = numbers(&source)
            .into_iter()
            .filter(|found| {
                let after = source[found.end..].trim_start().to_lowercase();
                after.starts_with("лв") || after.starts_with("bgn")
            })
            .map(|found| Bgn((found.value * 100.0).round() as i64))
            .reduce(|a, b| a + b);
        Budget { amount, source }
    }

    pub fn is_empty(&self) -> bool {
        self.amount.is_none() && self.source.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_only_when_followed_by_leva() {
        let budget = Budget::parse("499\u{a0}080 лв. в рамките на бюджета на  НКБТХ");
        assert_eq!(budget.amount, Some(Bgn::from_leva(499_080)));
        assert_eq!(budget.source, "499 080 лв. в рамките на бюджета на НКБТХ");
        assert_eq!(
            Budget::parse("20 000 лв. в рамките бюджета").amount,
            Some(Bgn::from_leva(20_000))
        );
        let project = Budget::parse("(AMIF-2022-AG-CALL-THB 101100732), Постановление № 100");
        assert_eq!(project.amount, None);
        assert!(Budget::parse("").is_empty());
    }

    #[test]
    fn converts_to_euro_at_the_fixed_rate() {
        assert_eq!(Bgn::from_leva(499_080).eur_cents(), 25_517_555);
        assert_eq!(Bgn::from_stotinki(195_583).eur_cents(), 100_000);
        assert_eq!(grouped(Bgn::from_leva(499_080).eur_cents()), "255 175,55");
    }

    #[test]
    fn formats_and_parses_decimals() {
        let amount = Bgn::from_leva(499_080);
        assert_eq!(amount.decimal(), "499080.00");
        assert_eq!(amount.to_string(), "499 080,00");
        assert_eq!(Bgn::parse_decimal("499080.00"), Some(amount));
        assert_eq!(Bgn::parse_decimal("499 080"), Some(amount));
        assert_eq!(Bgn::parse_decimal("12,5"), Some(Bgn::from_stotinki(1250)));
        assert_eq!(Bgn::parse_decimal("12.345"), None);
        assert_eq!(Bgn::parse_decimal("abc"), None);
    }
}
