//! Key derivation and the hashing of tokens into Bloom-filter bits, following
//! clkhash's `key_derivation` and `bloomfilter` modules bit for bit.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use crate::schema::{HashKind, Kdf, KdfHash, Strategy};

/// clkhash derives this many keys per field, whatever the field's hash: one
/// for SHA-1 and one for MD5 in doubleHash, the first alone in blakeHash.
const KEYS_PER_FIELD: usize = 2;

/// HKDF (RFC 5869) of the secret into `KEYS_PER_FIELD` keys per field, in field
/// order, ignored fields included (clkhash's `generate_key_lists`).
pub(crate) fn derive_keys(secret: &[u8], num_fields: usize, kdf: &Kdf) -> Vec<[Vec<u8>; 2]> {
    let mut okm = vec![0u8; num_fields * KEYS_PER_FIELD * kdf.key_size];
    let info = kdf.info.as_deref().unwrap_or_default();
    // Schema loading bounds the output length, so expansion cannot fail.
    match kdf.hash {
        KdfHash::Sha256 => Hkdf::<Sha256>::new(kdf.salt.as_deref(), secret)
            .expand(info, &mut okm)
            .expect("HKDF output length checked by the schema"),
        KdfHash::Sha512 => Hkdf::<Sha512>::new(kdf.salt.as_deref(), secret)
            .expand(info, &mut okm)
            .expect("HKDF output length checked by the schema"),
    }
    okm.chunks(KEYS_PER_FIELD * kdf.key_size)
        .map(|pair| {
            let (a, b) = pair.split_at(kdf.key_size);
            [a.to_vec(), b.to_vec()]
        })
        .collect()
}

/// A field's keyed hash functions, keyed once and cloned per token.
// One per field, built once: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum TokenHasher {
    Double {
        sha1: Hmac<Sha1>,
        md5: Hmac<Md5>,
        prevent_singularity: bool,
    },
    Blake {
        /// One keyed state per salt "0", "1", …: a token that sets k bits needs
        /// ⌈k/32⌉ digests.
        states: Vec<blake2b_simd::State>,
    },
}

impl TokenHasher {
    pub(crate) fn new(kind: HashKind, keys: &[Vec<u8>; 2], strategy: Strategy) -> TokenHasher {
        match kind {
            HashKind::DoubleHash {
                prevent_singularity,
            } => TokenHasher::Double {
                sha1: Hmac::new_from_slice(&keys[0]).expect("HMAC takes any key length"),
                md5: Hmac::new_from_slice(&keys[1]).expect("HMAC takes any key length"),
                prevent_singularity,
            },
            HashKind::BlakeHash => {
                let max_k = match strategy {
                    Strategy::BitsPerToken(k) | Strategy::BitsPerFeature(k) => k,
                };
                let states = (0..max_k.div_ceil(32))
                    .map(|i| {
                        blake2b_simd::Params::new()
                            .key(&keys[0])
                            .salt(i.to_string().as_bytes())
                            .to_state()
                    })
                    .collect();
                TokenHasher::Blake { states }
            }
        }
    }

    /// Replaces `out` with the `k` bit positions of `token` in a filter of `l`
    /// bits. The positions for k are a prefix of those for any larger k.
    pub(crate) fn positions(&self, token: &[u8], k: usize, l: usize, out: &mut Vec<u32>) {
        out.clear();
        let mut set = |i: usize| out.push(i as u32);
        match self {
            TokenHasher::Double {
                sha1,
                md5,
                prevent_singularity,
            } => {
                let sha1_h = mod_be(&keyed(sha1, token, &[]), l);
                let mut md5_h = mod_be(&keyed(md5, token, &[]), l);
                if *prevent_singularity {
                    // clkhash appends chr(i).encode() until the step is non-zero.
                    let mut i = 0u32;
                    let mut suffix = [0u8; 4];
                    while md5_h == 0 {
                        let c = char::from_u32(i).expect("small code points are valid");
                        md5_h =
                            mod_be(&keyed(md5, token, c.encode_utf8(&mut suffix).as_bytes()), l);
                        i += 1;
                    }
                }
                let mut g = sha1_h;
                for _ in 0..k {
                    set(g);
                    g = (g + md5_h) % l;
                }
            }
            TokenHasher::Blake { states } => {
                for (mac, state) in states.iter().enumerate().take(k.div_ceil(32)) {
                    let digest = state.clone().update(token).finalize();
                    let shorts = digest.as_bytes().chunks_exact(2);
                    for pair in shorts.take(k - 32 * mac) {
                        set(usize::from(u16::from_le_bytes([pair[0], pair[1]])) % l);
                    }
                }
            }
        }
    }
}

fn keyed<M: Mac + Clone>(mac: &M, token: &[u8], suffix: &[u8]) -> hmac::digest::Output<M> {
    let mut mac = mac.clone();
    mac.update(token);
    mac.update(suffix);
    mac.finalize().into_bytes()
}

/// A big-endian unsigned integer modulo `l`: Python's `int(hexdigest, 16) % l`.
fn mod_be(bytes: &[u8], l: usize) -> usize {
    let l = l as u128;
    bytes
        .iter()
        .fold(0u128, |acc, &b| ((acc << 8) | u128::from(b)) % l) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_endian_modulo() {
        assert_eq!(mod_be(&[1, 0], 1000), 256);
        assert_eq!(mod_be(&[0xff; 20], 1024), 1023);
        assert_eq!(mod_be(&[0x12, 0x34, 0x56], 1000), 0x123456 % 1000);
    }
}
