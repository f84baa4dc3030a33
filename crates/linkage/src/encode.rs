//! Encoding records into CLKs: clkhash's `crypto_bloom_filter`, with the keyed
//! hash states prepared once per run instead of once per token.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use rayon::prelude::*;

use crate::clk::Clk;
use crate::error::{Error, Result};
use crate::format::TextEncoding;
use crate::hashing::{TokenHasher, derive_keys};
use crate::schema::{FieldSpec, Schema};

/// The linkage secret shared by the organisations of a deployment. Text secrets
/// are used as their UTF-8 bytes, as clkhash does.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Secret {
        Secret(bytes.into())
    }
}

impl Secret {
    /// A key for blocking-key hashes, independent of the CLK keys.
    pub(crate) fn blocking_key(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        hkdf::Hkdf::<sha2::Sha256>::new(None, &self.0)
            .expand(b"zakrila-linkage-blocking-v1", &mut key)
            .expect("32 bytes is a valid HKDF output length");
        key
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Secret {
        Secret(s.as_bytes().to_vec())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// A schema with its keys derived and hash functions keyed: build once, encode
/// many records (from many threads).
pub struct Encoder<'s> {
    schema: &'s Schema,
    hashers: Vec<Option<TokenHasher>>,
}

impl<'s> Encoder<'s> {
    pub fn new(schema: &'s Schema, secret: &Secret) -> Encoder<'s> {
        let keys = derive_keys(&secret.0, schema.fields.len(), &schema.kdf);
        let hashers = schema
            .fields
            .iter()
            .zip(&keys)
            .map(|(field, keys)| {
                field
                    .spec
                    .as_ref()
                    .map(|s| TokenHasher::new(s.hash, keys, s.strategy))
            })
            .collect();
        Encoder { schema, hashers }
    }

    /// Encodes one record: one value per schema field, in schema order.
    pub fn encode<S: AsRef<str>>(&self, record: &[S]) -> Result<Clk> {
        self.encode_with(record, &mut Scratch::default())
    }

    /// Encodes many records on all of rayon's threads; the output is in input
    /// order. Fails on the first invalid record.
    pub fn encode_all<R, S>(&self, records: &[R]) -> Result<Vec<Clk>>
    where
        R: AsRef<[S]> + Sync,
        S: AsRef<str>,
    {
        records
            .par_iter()
            .map_init(Scratch::default, |scratch, r| {
                self.encode_with(r.as_ref(), scratch)
            })
            .collect()
    }

    fn encode_with<S: AsRef<str>>(&self, record: &[S], scratch: &mut Scratch) -> Result<Clk> {
        let fields = &self.schema.fields;
        if record.len() != fields.len() {
            return Err(Error::RecordLength {
                expected: fields.len(),
                got: record.len(),
            });
        }
        let hash_bits = self.schema.hash_bits();
        let mut filter = vec![0u8; hash_bits.div_ceil(8)];
        let Scratch { tokens, cache } = scratch;
        cache.resize_with(fields.len(), HashMap::new);
        let fields = record.iter().zip(fields).zip(&self.hashers).zip(cache);
        for (((value, field), hasher), cache) in fields {
            let (Some(spec), Some(hasher)) = (&field.spec, hasher) else {
                continue;
            };
            tokens
                .fill(spec, value.as_ref())
                .map_err(|reason| Error::Entry {
                    field: field.identifier.clone(),
                    reason,
                })?;
            if cache.len() > CACHE_LIMIT {
                cache.clear();
            }
            let n = tokens.len();
            for (i, token) in tokens.iter().enumerate() {
                let k = spec.strategy.k_for(i, n);
                let cached = match cache.get_mut(token) {
                    Some(p) if p.len() >= k => p,
                    Some(p) => {
                        hasher.positions(token, k, hash_bits, p);
                        p
                    }
                    None => {
                        let mut p = Vec::new();
                        hasher.positions(token, k, hash_bits, &mut p);
                        cache.entry(token.to_vec()).or_insert(p)
                    }
                };
                for &bit in &cached[..k] {
                    filter[bit as usize >> 3] |= 0x80 >> (bit & 7);
                }
            }
        }
        let mut bits = hash_bits;
        for _ in 0..self.schema.xor_folds {
            filter = fold_xor(&filter, bits);
            bits /= 2;
        }
        Ok(Clk::from_bytes(&filter))
    }
}

/// Token bit positions remembered per field, like clkhash's LRU caches: names,
/// dates and codes repeat across records, and a lookup is far cheaper than the
/// two keyed hashes per token. Dropped wholesale when it grows past this.
const CACHE_LIMIT: usize = 1 << 16;

/// Per-thread buffers and cache of [`Encoder::encode_with`].
#[derive(Default)]
struct Scratch {
    tokens: Tokens,
    cache: Vec<HashMap<Vec<u8>, Vec<u32>>>,
}

/// Encodes one record. Derives the keys each time: use an [`Encoder`] for more.
pub fn encode<S: AsRef<str>>(schema: &Schema, secret: &Secret, record: &[S]) -> Result<Clk> {
    Encoder::new(schema, secret).encode(record)
}

/// Encodes many records in parallel, in input order.
pub fn encode_all<R, S>(schema: &Schema, secret: &Secret, records: &[R]) -> Result<Vec<Clk>>
where
    R: AsRef<[S]> + Sync,
    S: AsRef<str>,
{
    Encoder::new(schema, secret).encode_all(records)
}

/// The encoded tokens of one field value, concatenated, because the strategy
/// needs their number before the first is hashed.
#[derive(Default)]
struct Tokens {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Tokens {
    fn fill(&mut self, spec: &FieldSpec, value: &str) -> Result<(), String> {
        self.bytes.clear();
        self.ends.clear();
        let formatted = match &spec.missing {
            // Missing values skip validation and formatting, as in clkhash.
            Some(m) if m.sentinel == value => Cow::Borrowed(m.replace_with.as_str()),
            _ => spec.format.prepare(value)?,
        };
        let encoding = TextEncoding::for_format(&spec.format);
        let mut failure = None;
        spec.comparison.tokenize(&formatted, |token| {
            if let Err(e) = encoding.encode_into(token, &mut self.bytes) {
                failure.get_or_insert(e);
            }
            self.ends.push(self.bytes.len());
        })?;
        failure.map_or(Ok(()), Err)
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(s, &e)| &self.bytes[s..e])
    }
}

/// One XOR fold of a filter of `bits` bits: first half XOR second half.
fn fold_xor(filter: &[u8], bits: usize) -> Vec<u8> {
    let half = bits / 2;
    let mut out = vec![0u8; half.div_ceil(8)];
    if half.is_multiple_of(8) {
        let (a, b) = filter.split_at(half / 8);
        for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
            *o = x ^ y;
        }
    } else {
        let bit = |i: usize| filter[i >> 3] >> (7 - (i & 7)) & 1;
        for i in 0..half {
            out[i >> 3] |= (bit(i) ^ bit(i + half)) << (7 - (i & 7));
        }
    }
    out
}
