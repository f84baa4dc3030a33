//! Amounts in Bulgarian lev, kept in stotinki so sums are exact, with the euro
//! equivalent beside them at the fixed conversion rate.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The lev's fixed rate to the euro: 1 EUR = 1.95583 BGN, held as BGN per EUR times
/// 100 000 so the conversion stays in integers.
const BGN_PER_EUR_E5: i128 = 195_583;

/// An amount in BGN, in stotinki (1 лв. = 100 ст.). Costs, budgets and compensation are
/// all `Money`; stored as the integer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

/// An amount in euro cents, for display beside BGN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Euro(i64);

impl Money {
    pub const fn from_stotinki(stotinki: i64) -> Self {
        Self(stotinki)
    }

    pub const fn from_leva(leva: i64) -> Self {
        Self(leva * 100)
    }

    pub const fn stotinki(self) -> i64 {
        self.0
    }

    /// Parses what a person types: `1234`, `1234,56`, `1 234.5`. Groups may be
    /// separated by spaces (also no-break ones, as copied from our own pages); the
    /// decimal separator is a comma or a point with at most two digits after it.
    /// Negative amounts are refused: costs and claims are never below zero.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let err = || DomainError::field("amount", "error-money-format");
        let s: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let (whole, frac) = match s.split_once([',', '.']) {
            Some((w, f)) if !f.is_empty() && f.len() <= 2 => (w, f),
            Some(_) => return Err(err()),
            None => (s.as_str(), ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) {
            return Err(err());
        }
        let whole: i64 = whole.parse().map_err(|_| err())?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| err())?;
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .map(Self)
            .ok_or_else(err)
    }

    /// The euro equivalent, rounded half away from zero to the cent, as the euro
    /// changeover law rounds.
    pub fn to_eur(self) -> Euro {
        let num = i128::from(self.0) * 100_000;
        let rounded = (2 * num + num.signum() * BGN_PER_EUR_E5) / (2 * BGN_PER_EUR_E5);
        Euro(i64::try_from(rounded).expect("euro cents are fewer than stotinki"))
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Self)
    }
}

impl Euro {
    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parses an amount in euro as `Money::parse` does one in lev.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Money::parse(s).map(|m| Self(m.0))
    }

    /// The lev equivalent at the fixed rate, rounded half away from zero.
    pub fn to_bgn(self) -> Money {
        let num = i128::from(self.0) * BGN_PER_EUR_E5;
        let rounded = (2 * num + num.signum() * 100_000) / 200_000;
        Money(i64::try_from(rounded).unwrap_or(i64::MAX))
    }
}

/// Splits an amount in hundredths into sign, grouped whole part and two decimals.
fn grouped(hundredths: i64, separator: char) -> (&'static str, String, u64) {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let digits = (abs / 100).to_string();
    let mut whole = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            whole.push(separator);
        }
        whole.push(c);
    }
    (sign, whole, abs % 100)
}

/// `1 234,56 лв.`: Bulgarian style, spaces between thousands and a decimal comma.
impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (sign, whole, cents) = grouped(self.0, ' ');
        write!(f, "{sign}{whole},{cents:02} лв.")
    }
}

/// `€1,234.56`: English style, as the euro is shown beside the lev.
impl std::fmt::Display for Euro {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (sign, whole, cents) = grouped(self.0, ',');
        write!(f, "{sign}€{whole}.{cents:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_the_bulgarian_way() {
        assert_eq!(Money::from_stotinki(123_456).to_string(), "1 234,56 лв.");
        assert_eq!(Money::from_stotinki(5).to_string(), "0,05 лв.");
        assert_eq!(Money::from_leva(10_000).to_string(), "10 000,00 лв.");
        assert_eq!(Money::from_leva(1_000_000).to_string(), "1 000 000,00 лв.");
        assert_eq!(Money::from_stotinki(-150).to_string(), "-1,50 лв.");
    }

    #[test]
    fn euro_amounts_convert_back_to_lev_at_the_fixed_rate() {
        assert_eq!(
            Euro::parse("1000").unwrap().to_bgn(),
            Money::from_stotinki(195_583)
        );
        // 0,01 € = 0,0195583 лв. → 0,02 лв.
        assert_eq!(Euro::from_cents(1).to_bgn(), Money::from_stotinki(2));
        assert!(Euro::parse("-5").is_err());
    }

    #[test]
    fn the_euro_equivalent_uses_the_fixed_rate() {
        // 1 234,61 лв. / 1.95583 = 631.2481… €
        assert_eq!(Money::from_stotinki(123_461).to_eur(), Euro(63_125));
        assert_eq!(
            Money::from_stotinki(123_461).to_eur().to_string(),
            "€631.25"
        );
        assert_eq!(
            Money::from_stotinki(195_583).to_eur().to_string(),
            "€1,000.00"
        );
        assert_eq!(Money::from_leva(2_500).to_eur().to_string(), "€1,278.23");
        // The compensation cap of 10 000 лв.
        assert_eq!(Money::from_leva(10_000).to_eur().to_string(), "€5,112.92");
        assert_eq!(Money::from_stotinki(-195_583).to_eur(), Euro(-100_000));
        assert_eq!(Money::default().to_eur(), Euro(0));
    }

    #[test]
    fn one_euro_in_leva_converts_back_to_one_euro() {
        assert_eq!(Money::from_stotinki(196).to_eur(), Euro(100));
        assert_eq!(Money::from_stotinki(1).to_eur(), Euro(1));
    }

    #[test]
    fn typed_amounts_parse() {
        assert_eq!(Money::parse("1234"), Ok(Money::from_stotinki(123_400)));
        assert_eq!(Money::parse("1 234,56"), Ok(Money::from_stotinki(123_456)));
        assert_eq!(Money::parse("1234.5"), Ok(Money::from_stotinki(123_450)));
        assert_eq!(Money::parse("10\u{a0}000"), Ok(Money::from_leva(10_000)));
        for bad in [
            "",
            "-5",
            "12,345",
            "1,2,3",
            "abc",
            "12,",
            ",50",
            "99999999999999999999",
        ] {
            assert_eq!(
                Money::parse(bad),
                Err(DomainError::field("amount", "error-money-format")),
                "{bad}"
            );
        }
    }

    #[test]
    fn stored_as_stotinki() {
        assert_eq!(
            serde_json::to_string(&Money::from_stotinki(12_345)).unwrap(),
            "12345"
        );
        assert_eq!(
            Money::from_leva(1).checked_add(Money::from_stotinki(1)),
            Some(Money::from_stotinki(101))
        );
    }
}
