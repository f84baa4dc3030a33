//! clkhash linkage schema v3, parsed with clkhash 0.18.3's defaults and quirks.
//!
//! The JSON layout is clkhash's (`clkConfig`, `features`, `hashing`…); the raw
//! serde structs mirror it one to one and are then checked and turned into the
//! typed [`Schema`] that the encoder uses, so that every problem surfaces when the
//! schema is loaded rather than in the middle of a run.

use std::collections::HashSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Deserialize;

use crate::error::{Result, schema_err};
use crate::format::{Case, DateFormat, Format, TextEncoding};
use crate::tokenize::Comparison;

/// A parsed linkage schema (clkhash v3).
#[derive(Debug, Clone)]
pub struct Schema {
    /// CLK length in bits after XOR folding.
    pub(crate) l: usize,
    pub(crate) xor_folds: u32,
    pub(crate) kdf: Kdf,
    pub(crate) fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub(crate) struct Kdf {
    pub(crate) hash: KdfHash,
    pub(crate) salt: Option<Vec<u8>>,
    pub(crate) info: Option<Vec<u8>>,
    pub(crate) key_size: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KdfHash {
    Sha256,
    Sha512,
}

/// One column of the input records.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) identifier: String,
    /// `None` for an ignored column: it still takes a position in the record
    /// and, as in clkhash, its pair of derived keys.
    pub(crate) spec: Option<FieldSpec>,
}

#[derive(Debug, Clone)]
pub(crate) struct FieldSpec {
    pub(crate) format: Format,
    pub(crate) comparison: Comparison,
    pub(crate) strategy: Strategy,
    pub(crate) hash: HashKind,
    pub(crate) missing: Option<MissingValue>,
}

/// How many bits each token sets.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Strategy {
    BitsPerToken(usize),
    BitsPerFeature(usize),
}

impl Strategy {
    /// clkhash's `bits_per_token`: with `BitsPerFeature`, the remainder goes
    /// one bit each to the first tokens.
    pub(crate) fn k_for(self, token: usize, num_tokens: usize) -> usize {
        match self {
            Strategy::BitsPerToken(k) => k,
            Strategy::BitsPerFeature(total) => {
                total / num_tokens + usize::from(token < total % num_tokens)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HashKind {
    DoubleHash { prevent_singularity: bool },
    BlakeHash,
}

#[derive(Debug, Clone)]
pub(crate) struct MissingValue {
    pub(crate) sentinel: String,
    pub(crate) replace_with: String,
}

impl Schema {
    /// Parses a clkhash linkage schema (version 3) from JSON text.
    pub fn from_json(json: &str) -> Result<Schema> {
        let raw: RawSchema =
            serde_json::from_str(json).map_err(|e| schema_err(format!("JSON: {e}")))?;
        raw.into_schema()
    }

    /// Zakrila's built-in schema for person records; see
    /// [`crate::person::PersonRecord`] for its columns.
    pub fn zakrila_person_v1() -> Schema {
        Schema::from_json(include_str!("../schemas/zakrila-person-v1.json"))
            .expect("the built-in schema is valid")
    }

    /// CLK length in bits.
    pub fn clk_bits(&self) -> usize {
        self.l
    }

    /// The column identifiers, in record order.
    pub fn identifiers(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.identifier.as_str())
    }

    /// Length of the filter before folding: the hash functions index into it.
    pub(crate) fn hash_bits(&self) -> usize {
        self.l << self.xor_folds
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSchema {
    version: serde_json::Value,
    clk_config: RawClkConfig,
    features: Vec<RawFeature>,
}

#[derive(Deserialize)]
struct RawClkConfig {
    l: usize,
    // clkhash reads `xor_folds`, although its master schema documents `xorFolds`.
    xor_folds: Option<u32>,
    #[serde(rename = "xorFolds")]
    xor_folds_documented: Option<u32>,
    kdf: RawKdf,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawKdf {
    #[serde(rename = "type")]
    kind: String,
    hash: Option<String>,
    salt: Option<String>,
    info: Option<String>,
    key_size: Option<usize>,
}

#[derive(Deserialize)]
struct RawFeature {
    identifier: String,
    #[serde(default)]
    ignored: bool,
    format: Option<serde_json::Value>,
    hashing: Option<RawHashing>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawHashing {
    comparison: serde_json::Value,
    strategy: serde_json::Map<String, serde_json::Value>,
    hash: Option<RawHash>,
    missing_value: Option<RawMissing>,
}

#[derive(Deserialize)]
struct RawHash {
    #[serde(rename = "type")]
    kind: String,
    prevent_singularity: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMissing {
    sentinel: String,
    replace_with: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawFormat {
    #[serde(rename = "type")]
    kind: String,
    encoding: Option<String>,
    case: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<String>,
    minimum: Option<i128>,
    maximum: Option<i128>,
    format: Option<String>,
    values: Option<Vec<String>>,
}

impl RawSchema {
    fn into_schema(self) -> Result<Schema> {
        if self.version.as_u64() != Some(3) {
            return Err(schema_err(format!(
                "only version 3 is supported, got {}",
                self.version
            )));
        }
        let c = self.clk_config;
        if c.l == 0 {
            return Err(schema_err("`l` must be at least 1"));
        }
        if c.xor_folds.is_none() && c.xor_folds_documented.is_some_and(|f| f > 0) {
            // clkhash silently ignores `xorFolds`; refusing it is safer than
            // producing unfolded CLKs the author did not mean.
            return Err(schema_err(
                "clkhash ignores `xorFolds`; write `xor_folds` in `clkConfig`",
            ));
        }
        let xor_folds = c.xor_folds.unwrap_or(0);
        if xor_folds >= 32
            || c.l
                .checked_shl(xor_folds)
                .is_none_or(|h| h >> xor_folds != c.l)
        {
            return Err(schema_err("too many XOR folds"));
        }
        let kdf = c.kdf.into_kdf()?;
        let fields = self
            .features
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                f.into_field()
                    .map_err(|e| schema_err(format!("feature {i}: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let max_keys = match kdf.hash {
            KdfHash::Sha256 => 255 * 32,
            KdfHash::Sha512 => 255 * 64,
        } / kdf.key_size;
        if 2 * fields.len() > max_keys {
            return Err(schema_err("too many features for HKDF's output length"));
        }
        let hash_bits = c.l << xor_folds;
        for f in &fields {
            let Some(spec) = &f.spec else { continue };
            if spec.hash == HashKind::BlakeHash {
                if !hash_bits.is_power_of_two() {
                    return Err(schema_err("blakeHash needs a power-of-two length"));
                }
                if kdf.key_size > 64 {
                    return Err(schema_err("blakeHash keys are at most 64 bytes"));
                }
            }
        }
        Ok(Schema {
            l: c.l,
            xor_folds,
            kdf,
            fields,
        })
    }
}

impl RawKdf {
    fn into_kdf(self) -> Result<Kdf> {
        if self.kind != "HKDF" {
            return Err(schema_err(format!("unsupported KDF `{}`", self.kind)));
        }
        let hash = match self.hash.as_deref().unwrap_or("SHA256") {
            "SHA256" => KdfHash::Sha256,
            "SHA512" => KdfHash::Sha512,
            other => return Err(schema_err(format!("unsupported KDF hash `{other}`"))),
        };
        let decode = |s: Option<String>| -> Result<Option<Vec<u8>>> {
            s.map(|s| {
                B64.decode(s)
                    .map_err(|e| schema_err(format!("KDF base64: {e}")))
            })
            .transpose()
        };
        let key_size = self.key_size.unwrap_or(64);
        if key_size == 0 {
            return Err(schema_err("`keySize` must be at least 1"));
        }
        Ok(Kdf {
            hash,
            salt: decode(self.salt)?,
            info: decode(self.info)?,
            key_size,
        })
    }
}

impl RawFeature {
    fn into_field(self) -> Result<Field> {
        if self.ignored {
            return Ok(Field {
                identifier: self.identifier,
                spec: None,
            });
        }
        let (Some(format), Some(hashing)) = (self.format, self.hashing) else {
            return Err(schema_err("a feature needs `format` and `hashing`"));
        };
        let format: RawFormat =
            serde_json::from_value(format).map_err(|e| schema_err(format!("format: {e}")))?;
        let hash = match hashing.hash {
            None => HashKind::BlakeHash,
            Some(RawHash {
                kind,
                prevent_singularity,
            }) => match kind.as_str() {
                "doubleHash" => HashKind::DoubleHash {
                    prevent_singularity: prevent_singularity.unwrap_or(false),
                },
                "blakeHash" if prevent_singularity.is_none() => HashKind::BlakeHash,
                "blakeHash" => {
                    return Err(schema_err("prevent_singularity is for doubleHash only"));
                }
                other => return Err(schema_err(format!("unsupported hash `{other}`"))),
            },
        };
        Ok(Field {
            identifier: self.identifier,
            spec: Some(FieldSpec {
                format: format.into_format()?,
                comparison: Comparison::from_json(&hashing.comparison)?,
                strategy: parse_strategy(&hashing.strategy)?,
                hash,
                missing: hashing.missing_value.map(|m| MissingValue {
                    replace_with: m.replace_with.unwrap_or_else(|| m.sentinel.clone()),
                    sentinel: m.sentinel,
                }),
            }),
        })
    }
}

fn parse_strategy(map: &serde_json::Map<String, serde_json::Value>) -> Result<Strategy> {
    let num = |key: &str| -> Result<Option<usize>> {
        map.get(key)
            .map(|v| {
                v.as_u64()
                    .filter(|&n| n >= 1)
                    .map(|n| n as usize)
                    .ok_or_else(|| schema_err(format!("`{key}` must be a positive integer")))
            })
            .transpose()
    };
    // clkhash checks bitsPerToken first.
    if let Some(k) = num("bitsPerToken")? {
        Ok(Strategy::BitsPerToken(k))
    } else if let Some(k) = num("bitsPerFeature")? {
        Ok(Strategy::BitsPerFeature(k))
    } else {
        Err(schema_err("unknown strategy"))
    }
}

impl RawFormat {
    fn into_format(self) -> Result<Format> {
        Ok(match self.kind.as_str() {
            "string" => {
                let encoding = match self.encoding.as_deref().unwrap_or("utf-8") {
                    "utf-8" => TextEncoding::Utf8,
                    "ascii" => TextEncoding::Ascii,
                    "utf-16" => TextEncoding::Utf16,
                    "utf-32" => TextEncoding::Utf32,
                    other => return Err(schema_err(format!("unsupported encoding `{other}`"))),
                };
                if self.pattern.is_some() {
                    // Python's `re` and Rust's `regex` differ; matching a pattern
                    // only validates input and never changes a CLK, so a schema
                    // with one is accepted but the pattern is not enforced.
                    Format::String {
                        encoding,
                        case: None,
                        min_length: None,
                        max_length: None,
                    }
                } else {
                    let case = match self.case.as_deref() {
                        None | Some("mixed") => None,
                        Some("lower") => Some(Case::Lower),
                        Some("upper") => Some(Case::Upper),
                        Some(other) => return Err(schema_err(format!("unknown case `{other}`"))),
                    };
                    Format::String {
                        encoding,
                        case,
                        min_length: self.min_length,
                        max_length: self.max_length,
                    }
                }
            }
            "integer" => Format::Integer {
                minimum: self.minimum,
                maximum: self.maximum,
            },
            "date" => {
                let fmt = self
                    .format
                    .ok_or_else(|| schema_err("a date format needs `format`"))?;
                Format::Date(DateFormat::parse(&fmt)?)
            }
            "enum" => Format::Enum(
                self.values
                    .ok_or_else(|| schema_err("an enum format needs `values`"))?
                    .into_iter()
                    .collect::<HashSet<_>>(),
            ),
            other => return Err(schema_err(format!("unknown format type `{other}`"))),
        })
    }
}
