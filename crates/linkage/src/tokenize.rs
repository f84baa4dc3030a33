//! Comparisons: how a formatted value becomes the tokens that are hashed into
//! the Bloom filter (clkhash's `comparators` module).

use serde_json::Value;

use crate::error::{Result, schema_err};
use crate::format::parse_python_int;

#[derive(Debug, Clone)]
pub(crate) enum Comparison {
    /// n-grams over Unicode code points, padded with n−1 spaces on each side;
    /// positional n-grams are prefixed with their 1-based position.
    Ngram { n: usize, positional: bool },
    /// The whole value is one token.
    Exact,
    /// Overlapping neighbourhoods of a number (Vatsalan and Christen 2015), so
    /// that close numbers share tokens.
    Numeric {
        distance_interval: i128,
        resolution: i128,
        fractional_precision: u32,
    },
}

impl Comparison {
    pub(crate) fn from_json(v: &Value) -> Result<Comparison> {
        let int = |key: &str| v.get(key).and_then(Value::as_u64);
        match v.get("type").and_then(Value::as_str) {
            Some("ngram") => {
                let n = int("n")
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| schema_err("an ngram comparison needs a positive `n`"))?
                    as usize;
                let positional = v
                    .get("positional")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                Ok(Comparison::Ngram { n, positional })
            }
            Some("exact") => Ok(Comparison::Exact),
            Some("numeric") => {
                let resolution = int("resolution")
                    .filter(|&r| r >= 1)
                    .ok_or_else(|| schema_err("`resolution` must be a positive integer"))?;
                let fractional_precision = match v.get("fractional_precision") {
                    None => 0,
                    Some(p) => p
                        .as_u64()
                        .filter(|&p| p <= 30)
                        .ok_or_else(|| schema_err("bad `fractional_precision`"))?
                        as u32,
                };
                let scale = 10i128.pow(fractional_precision);
                let distance = v
                    .get("thresholdDistance")
                    .ok_or_else(|| schema_err("a numeric comparison needs `thresholdDistance`"))?;
                // Python multiplies an int exactly and rounds a float half to even.
                let distance_interval = match distance.as_i64() {
                    Some(d) => i128::from(d) * scale,
                    None => {
                        let d = distance
                            .as_f64()
                            .filter(|d| *d > 0.0)
                            .ok_or_else(|| schema_err("`thresholdDistance` must be positive"))?;
                        (d * scale as f64).round_ties_even() as i128
                    }
                };
                if distance_interval <= 0 {
                    return Err(schema_err(
                        "not enough fractional precision to encode thresholdDistance",
                    ));
                }
                Ok(Comparison::Numeric {
                    distance_interval,
                    resolution: i128::from(resolution),
                    fractional_precision,
                })
            }
            _ => Err(schema_err("unsupported comparison")),
        }
    }

    /// Calls `emit` with each token of `word`, in clkhash's order.
    pub(crate) fn tokenize(&self, word: &str, mut emit: impl FnMut(&str)) -> Result<(), String> {
        if word.is_empty() {
            return Ok(());
        }
        match *self {
            Comparison::Exact => emit(word),
            Comparison::Ngram { n, positional } => {
                let pad = n - 1;
                let chars: Vec<char> = std::iter::repeat_n(' ', pad)
                    .chain(word.chars())
                    .chain(std::iter::repeat_n(' ', pad))
                    .collect();
                let mut token = String::new();
                for (i, gram) in chars.windows(n).enumerate() {
                    token.clear();
                    if positional {
                        token.push_str(&(i + 1).to_string());
                        token.push(' ');
                    }
                    token.extend(gram);
                    emit(&token);
                }
            }
            Comparison::Numeric {
                distance_interval: di,
                resolution,
                fractional_precision,
            } => {
                let scale = 10i128.pow(fractional_precision);
                let overflow = || format!("number '{word}' is out of range");
                let v = match parse_python_int(word) {
                    Some(v) => v.checked_mul(scale).ok_or_else(overflow)?,
                    None => {
                        let f = parse_python_float(word)
                            .ok_or_else(|| format!("could not convert '{word}' to a number"))?;
                        let f = if fractional_precision > 0 {
                            (f * scale as f64).round_ties_even()
                        } else {
                            f.trunc()
                        };
                        if !f.is_finite() || f.abs() >= 1e36 {
                            return Err(overflow());
                        }
                        f as i128
                    }
                };
                let v = v.checked_mul(2 * resolution).ok_or_else(overflow)?;
                // Quantise to the grid of multiples of the distance interval.
                let residue = v.rem_euclid(di);
                let v = if residue == 0 {
                    v
                } else if 2 * residue < di {
                    v - residue
                } else {
                    v + (di - residue)
                };
                for i in -resolution..=resolution {
                    emit(&(v + i * di).to_string());
                }
            }
        }
        Ok(())
    }
}

/// Python's `float(s)` for the forms a data file plausibly holds.
fn parse_python_float(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.contains('_') {
        s.replace('_', "").parse().ok()
    } else {
        s.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(c: &Comparison, w: &str) -> Vec<String> {
        let mut out = Vec::new();
        c.tokenize(w, |t| out.push(t.to_owned())).unwrap();
        out
    }

    #[test]
    fn ngrams_as_clkhash() {
        let bigram = Comparison::Ngram {
            n: 2,
            positional: false,
        };
        assert_eq!(tokens(&bigram, "ab"), [" a", "ab", "b "]);
        let positional = Comparison::Ngram {
            n: 2,
            positional: true,
        };
        assert_eq!(tokens(&positional, "ab"), ["1  a", "2 ab", "3 b "]);
        assert!(tokens(&bigram, "").is_empty());
        let unigram = Comparison::Ngram {
            n: 1,
            positional: false,
        };
        assert_eq!(tokens(&unigram, "жа"), ["ж", "а"]);
    }

    #[test]
    fn numeric_neighbourhoods() {
        // The example from clkhash's docstring: distance 8, resolution 2, x = 25.
        let c = Comparison::from_json(&serde_json::json!({
            "type": "numeric", "thresholdDistance": 8, "resolution": 2
        }))
        .unwrap();
        assert_eq!(tokens(&c, "25"), ["88", "96", "104", "112", "120"]);
        assert_eq!(tokens(&c, "25.7"), ["88", "96", "104", "112", "120"]);
    }
}
