//! The CLK (cryptographic long-term key): a Bloom filter, serialised as clkhash
//! does (bitarray bytes, most significant bit first, base64) and held as u64
//! words so that comparing two CLKs is a handful of AND + popcount instructions.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::error::{Error, Result};

/// One encoded record.
///
/// Words hold the serialised bytes in little-endian order (what anonlink's C++
/// does by casting the byte buffer), zero-padded to a whole word: the padding
/// changes no popcount, so similarities are exactly anonlink's.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Clk {
    len_bytes: usize,
    words: Box<[u64]>,
}

impl Clk {
    /// A CLK from its serialised bytes (clkhash's `bitarray.tobytes()`).
    pub fn from_bytes(bytes: &[u8]) -> Clk {
        let words = bytes
            .chunks(8)
            .map(|chunk| {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                u64::from_le_bytes(word)
            })
            .collect();
        Clk {
            len_bytes: bytes.len(),
            words,
        }
    }

    /// The serialised bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.words.iter().flat_map(|w| w.to_le_bytes()).collect();
        out.truncate(self.len_bytes);
        out
    }

    /// clkhash's `serialize_bitarray`: standard base64 of the bytes.
    pub fn to_base64(&self) -> String {
        B64.encode(self.to_bytes())
    }

    /// clkhash's `deserialize_bitarray`.
    pub fn from_base64(s: &str) -> Result<Clk> {
        let bytes = B64
            .decode(s.trim())
            .map_err(|e| Error::Clk(format!("base64: {e}")))?;
        Ok(Clk::from_bytes(&bytes))
    }

    /// Length in bits (a whole number of bytes, as once serialised).
    pub fn bits(&self) -> usize {
        self.len_bytes * 8
    }

    /// The packed words; the last may be zero-padded.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Number of bits set.
    pub fn popcount(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// Sørensen–Dice coefficient, computed as anonlink does (0 when either
    /// filter is empty).
    pub fn dice(&self, other: &Clk) -> f64 {
        let (a, b) = (self.popcount(), other.popcount());
        if a == 0 || b == 0 {
            return 0.0;
        }
        let and: u32 = self
            .words
            .iter()
            .zip(other.words.iter())
            .map(|(x, y)| (x & y).count_ones())
            .sum();
        f64::from(2 * and) / f64::from(a + b)
    }
}

impl fmt::Debug for Clk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clk({})", self.to_base64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        let clk = Clk::from_bytes(&[0x80, 1, 2, 3, 4, 5, 6, 7, 8, 0xff]);
        assert_eq!(clk.bits(), 80);
        assert_eq!(clk.popcount(), 1 + 1 + 1 + 2 + 1 + 2 + 2 + 3 + 1 + 8);
        let back = Clk::from_base64(&clk.to_base64()).unwrap();
        assert_eq!(back, clk);
        assert_eq!(back.to_bytes(), [0x80, 1, 2, 3, 4, 5, 6, 7, 8, 0xff]);
    }

    #[test]
    fn dice_of_overlapping_filters() {
        let a = Clk::from_bytes(&[0b1111_0000, 0]);
        let b = Clk::from_bytes(&[0b1100_0000, 1]);
        assert_eq!(a.dice(&b), 2.0 * 2.0 / 7.0);
        assert_eq!(a.dice(&Clk::from_bytes(&[0, 0])), 0.0);
    }
}
