//! A document's content encrypted in chunks: the STREAM construction (Hoang, Reyhanitabar,
//! Rogaway, Vizár) over XChaCha20-Poly1305 under a random key of the document's
//! own, as the `aead` crate implements it. Each chunk is authenticated with its
//! position and whether it is the last, so chunks cannot be reordered, dropped or
//! the stream cut short without the reader noticing; the document's id is the
//! associated data of every chunk. Memory stays at one chunk whatever the size.

use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305,
    aead::{
        generic_array::GenericArray,
        stream::{DecryptorBE32, EncryptorBE32},
    },
};
use rand::RngCore;

use crate::{
    StoreError,
    vault::{FieldRef, Vault, VaultError},
};

/// Plaintext bytes per chunk: a database row or one read of the file each.
pub const CHUNK: usize = 256 * 1024;
/// The Poly1305 tag each chunk carries.
pub const TAG: usize = 16;
/// XChaCha20's 24-byte nonce less STREAM's 32-bit counter and last-chunk flag.
const PREFIX: usize = 19;

/// A document's own key and nonce prefix.
pub struct FileKey {
    key: [u8; 32],
    pub prefix: [u8; PREFIX],
}

impl Drop for FileKey {
    fn drop(&mut self) {
        self.key = [0; 32];
    }
}

fn key_ref(id: &str) -> FieldRef<'_> {
    FieldRef {
        table: "case_documents",
        column: "file_key",
        row_id: id,
    }
}

impl FileKey {
    pub fn random() -> Self {
        let mut k = FileKey {
            key: [0; 32],
            prefix: [0; PREFIX],
        };
        rand::rngs::OsRng.fill_bytes(&mut k.key);
        rand::rngs::OsRng.fill_bytes(&mut k.prefix);
        k
    }

    /// The key as stored: encrypted by the vault, bound to the document's row.
    pub fn wrap(&self, vault: &Vault, key_id: u32, doc_id: &str) -> String {
        vault.encrypt(key_id, key_ref(doc_id), &hex::encode(self.key))
    }

    pub fn unwrap(
        vault: &Vault,
        doc_id: &str,
        stored: &str,
        prefix_hex: &str,
    ) -> Result<Self, StoreError> {
        let bad = || StoreError::Vault(VaultError::Malformed);
        let key = hex::decode(vault.decrypt(key_ref(doc_id), stored)?).map_err(|_| bad())?;
        let prefix = hex::decode(prefix_hex).map_err(|_| bad())?;
        Ok(FileKey {
            key: key.try_into().map_err(|_| bad())?,
            prefix: prefix.try_into().map_err(|_| bad())?,
        })
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(GenericArray::from_slice(&self.key))
    }
}

/// Encrypts a content fed in pieces of any size into chunks of [`CHUNK`] bytes.
pub struct Sealer {
    enc: Option<EncryptorBE32<XChaCha20Poly1305>>,
    aad: Vec<u8>,
    /// Plaintext not yet sealed; a full chunk waits here until more content shows
    /// it is not the last.
    buf: Vec<u8>,
}

impl Sealer {
    pub fn new(key: &FileKey, doc_id: &str) -> Self {
        Sealer {
            enc: Some(EncryptorBE32::from_aead(
                key.cipher(),
                GenericArray::from_slice(&key.prefix),
            )),
            aad: doc_id.as_bytes().to_vec(),
            buf: Vec::with_capacity(CHUNK + TAG),
        }
    }

    /// Takes a piece of content; calls `out` with each chunk sealed meanwhile.
    pub fn push(
        &mut self,
        mut piece: &[u8],
        mut out: impl FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        while !piece.is_empty() {
            if self.buf.len() == CHUNK {
                let enc = self.enc.as_mut().ok_or(StoreError::Conflict("sealed"))?;
                enc.encrypt_next_in_place(&self.aad, &mut self.buf)
                    .map_err(|_| StoreError::Conflict("stream"))?;
                out(&self.buf)?;
                self.buf.clear();
            }
            let take = (CHUNK - self.buf.len()).min(piece.len());
            self.buf.extend_from_slice(&piece[..take]);
            piece = &piece[take..];
        }
        Ok(())
    }

    /// Seals what is left as the last chunk.
    pub fn finish(mut self) -> Result<Vec<u8>, StoreError> {
        let enc = self.enc.take().ok_or(StoreError::Conflict("sealed"))?;
        enc.encrypt_last_in_place(&self.aad, &mut self.buf)
            .map_err(|_| StoreError::Conflict("stream"))?;
        Ok(std::mem::take(&mut self.buf))
    }
}

/// Decrypts a document's chunks in order.
pub struct Opener {
    dec: Option<DecryptorBE32<XChaCha20Poly1305>>,
    aad: Vec<u8>,
}

impl Opener {
    pub fn new(key: &FileKey, doc_id: &str) -> Self {
        Opener {
            dec: Some(DecryptorBE32::from_aead(
                key.cipher(),
                GenericArray::from_slice(&key.prefix),
            )),
            aad: doc_id.as_bytes().to_vec(),
        }
    }

    /// The plaintext of the next chunk (`last` for the final one), in place.
    pub fn open(&mut self, mut chunk: Vec<u8>, last: bool) -> Result<Vec<u8>, StoreError> {
        let failed = || StoreError::Vault(VaultError::Decrypt);
        let opened = if last {
            let dec = self.dec.take().ok_or_else(failed)?;
            dec.decrypt_last_in_place(&self.aad, &mut chunk)
        } else {
            let dec = self.dec.as_mut().ok_or_else(failed)?;
            dec.decrypt_next_in_place(&self.aad, &mut chunk)
        };
        opened.map_err(|_| failed())?;
        Ok(chunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal(content: &[u8], piece: usize) -> Vec<Vec<u8>> {
        let key = FileKey {
            key: [3; 32],
            prefix: [5; PREFIX],
        };
        let mut s = Sealer::new(&key, "doc");
        let mut chunks = vec![];
        for p in content.chunks(piece) {
            s.push(p, |c| {
                chunks.push(c.to_vec());
                Ok(())
            })
            .unwrap();
        }
        chunks.push(s.finish().unwrap());
        chunks
    }

    fn open(chunks: Vec<Vec<u8>>, id: &str) -> Result<Vec<u8>, StoreError> {
        let key = FileKey {
            key: [3; 32],
            prefix: [5; PREFIX],
        };
        let mut o = Opener::new(&key, id);
        let n = chunks.len();
        let mut out = vec![];
        for (i, c) in chunks.into_iter().enumerate() {
            out.extend(o.open(c, i + 1 == n)?);
        }
        Ok(out)
    }

    #[test]
    fn round_trips_in_chunks_and_refuses_tampering() {
        let content: Vec<u8> = (0..CHUNK * 2 + 17).map(|i| (i % 251) as u8).collect();
        for piece in [1000, CHUNK, CHUNK * 3] {
            let chunks = seal(&content, piece);
            assert_eq!(chunks.len(), 3);
            assert_eq!(chunks[0].len(), CHUNK + TAG);
            assert_eq!(open(chunks, "doc").unwrap(), content);
        }
        // Exactly one chunk: the full chunk is the last.
        let one = vec![7u8; CHUNK];
        let chunks = seal(&one, 4096);
        assert_eq!(chunks.len(), 1);
        assert_eq!(open(chunks, "doc").unwrap(), one);
        // Cut short, reordered, or moved to another document: refused.
        let chunks = seal(&content, CHUNK);
        assert!(open(chunks[..2].to_vec(), "doc").is_err());
        assert!(
            open(
                vec![chunks[1].clone(), chunks[0].clone(), chunks[2].clone()],
                "doc"
            )
            .is_err()
        );
        assert!(open(chunks, "other").is_err());
    }
}
