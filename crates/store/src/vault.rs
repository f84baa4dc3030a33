//! Field encryption and blind indexes — the shared mechanism every table holding
//! identity data (persons, cases, signals, TOTP secrets) uses.
//!
//! * One 32-byte master key, from `ZAKRILA_MASTER_KEY` or a 0600 key file in the
//!   data directory. Field keys are derived from it by HKDF with a numeric key id, so
//!   no key material is ever stored in the database and any server holding the master
//!   key can decrypt any generation. Rotating means moving the "current" id forward
//!   and re-encrypting old rows; servers keep working throughout.
//! * XChaCha20-Poly1305 with a random 24-byte nonce; the associated data binds each
//!   ciphertext to `table|column|row id`, so a value copied into another row or column
//!   does not decrypt.
//! * Stored form: `k<key id>:<base64(nonce || ciphertext)>`.
//! * Blind index: HMAC-SHA-256 under a separate derived key over the column name and
//!   the normalised value, for exact search without decrypting.

use std::path::Path;

use base64::{Engine, engine::general_purpose::STANDARD_NO_PAD as B64};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("ZAKRILA_MASTER_KEY must be 32 bytes as 64 hex digits or base64")]
    BadMasterKey,
    #[error("master key file: {0}")]
    KeyFile(#[from] std::io::Error),
    #[error(
        "the master key file {0} can be read by other users (mode {1:o}); allow only its owner: chmod 600 {0}"
    )]
    KeyFileOpen(String, u32),
    #[error("a stored ciphertext is malformed")]
    Malformed,
    #[error("a stored ciphertext failed authentication (wrong key, row or column)")]
    Decrypt,
}

/// Where a value lives; bound into its ciphertext as associated data.
#[derive(Debug, Clone, Copy)]
pub struct FieldRef<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: &'a str,
}

pub struct Vault {
    master: SecretBox<[u8; 32]>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

const KEY_FILE: &str = "master.key";

impl Vault {
    pub fn from_bytes(master: [u8; 32]) -> Self {
        Self {
            master: SecretBox::new(Box::new(master)),
        }
    }

    /// The master key from the environment value if given, else from the data
    /// directory's key file, creating it (mode 0600) on first start.
    pub fn load(env_value: Option<&str>, data_dir: &Path) -> Result<Self, VaultError> {
        if let Some(v) = env_value {
            return Self::parse_master(v.trim());
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(s) => {
                refuse_shared(&path)?;
                Self::parse_master(s.trim())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                write_private(&path, hex::encode(key).as_bytes())?;
                Ok(Self::from_bytes(key))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn parse_master(s: &str) -> Result<Self, VaultError> {
        let bytes = if s.len() == 64 {
            hex::decode(s).map_err(|_| VaultError::BadMasterKey)?
        } else {
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| VaultError::BadMasterKey)?
        };
        let key: [u8; 32] = bytes.try_into().map_err(|_| VaultError::BadMasterKey)?;
        Ok(Self::from_bytes(key))
    }

    fn derive(&self, info: &str) -> [u8; 32] {
        let hk = Hkdf::<Sha256>::new(Some(b"zakrila"), self.master.expose_secret());
        let mut out = [0u8; 32];
        hk.expand(info.as_bytes(), &mut out)
            .expect("32 bytes is a valid HKDF length");
        out
    }

    fn cipher(&self, key_id: u32) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.derive(&format!("field-key/{key_id}")).into())
    }

    pub fn encrypt(&self, key_id: u32, at: FieldRef<'_>, plaintext: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = aad(at);
        let ct = self
            .cipher(key_id)
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory input");
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        format!("k{key_id}:{}", B64.encode(blob))
    }

    pub fn decrypt(&self, at: FieldRef<'_>, stored: &str) -> Result<String, VaultError> {
        let (key_id, body) = split_stored(stored)?;
        let blob = B64.decode(body).map_err(|_| VaultError::Malformed)?;
        if blob.len() < 24 + 16 {
            return Err(VaultError::Malformed);
        }
        let (nonce, ct) = blob.split_at(24);
        let aad = aad(at);
        let pt = self
            .cipher(key_id)
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| VaultError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| VaultError::Malformed)
    }

    /// The key id a stored value was encrypted under (for rotation).
    pub fn key_id_of(stored: &str) -> Result<u32, VaultError> {
        split_stored(stored).map(|(id, _)| id)
    }

    /// Exact-match search token for a normalised value. Deterministic by design;
    /// the column name is mixed in so equal values in different columns differ.
    pub fn blind_index(&self, column: &str, normalised: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.derive("blind-index"))
            .expect("HMAC takes any key length");
        mac.update(column.as_bytes());
        mac.update(b"|");
        mac.update(normalised.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    /// The key the audit chain is MACed under: without it, nobody who can write to
    /// the database can recompute the chain after removing an event.
    pub fn audit_chain_key(&self) -> [u8; 32] {
        self.derive("audit-chain")
    }

    /// The deployment's secret for privacy-preserving record linkage.
    pub fn linkage_secret(&self) -> [u8; 32] {
        self.derive("linkage")
    }
}

/// [`Vault::encrypt`] and [`Vault::blind_index`] with their keys derived once, for
/// bulk work (generating a million cases): the same stored forms, without an HKDF per
/// value. Nonces come from the caller's CSPRNG (e.g. `rand::thread_rng()`) so each
/// worker thread draws its own without a system call per value.
#[derive(Clone)]
pub struct Sealer {
    key_id: u32,
    cipher: XChaCha20Poly1305,
    blind: Hmac<Sha256>,
}

impl Vault {
    pub fn sealer(&self, key_id: u32) -> Sealer {
        Sealer {
            key_id,
            cipher: self.cipher(key_id),
            blind: <Hmac<Sha256> as Mac>::new_from_slice(&self.derive("blind-index"))
                .expect("HMAC takes any key length"),
        }
    }
}

impl Sealer {
    pub fn encrypt(
        &self,
        at: FieldRef<'_>,
        plaintext: &str,
        rng: &mut (impl RngCore + rand::CryptoRng),
    ) -> String {
        let mut nonce = [0u8; 24];
        rng.fill_bytes(&mut nonce);
        let aad = aad(at);
        let ct = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory input");
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        format!("k{}:{}", self.key_id, B64.encode(blob))
    }

    pub fn blind_index(&self, column: &str, normalised: &str) -> String {
        let mut mac = self.blind.clone();
        mac.update(column.as_bytes());
        mac.update(b"|");
        mac.update(normalised.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

fn aad(at: FieldRef<'_>) -> Vec<u8> {
    format!("{}|{}|{}", at.table, at.column, at.row_id).into_bytes()
}

fn split_stored(stored: &str) -> Result<(u32, &str), VaultError> {
    let rest = stored.strip_prefix('k').ok_or(VaultError::Malformed)?;
    let (id, body) = rest.split_once(':').ok_or(VaultError::Malformed)?;
    Ok((id.parse().map_err(|_| VaultError::Malformed)?, body))
}

/// A key file anyone but its owner can read may already be copied: refuse to use
/// it rather than go on encrypting under it.
fn refuse_shared(path: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(VaultError::KeyFileOpen(path.display().to_string(), mode));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes a file readable by its owner only.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(contents)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: FieldRef<'static> = FieldRef {
        table: "persons",
        column: "family_name",
        row_id: "r1",
    };

    fn vault() -> Vault {
        Vault::from_bytes([7; 32])
    }

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let v = vault();
        let ct = v.encrypt(1, AT, "Иванова");
        assert!(ct.starts_with("k1:"));
        assert!(!ct.contains("Иванова"));
        assert_eq!(v.decrypt(AT, &ct).unwrap(), "Иванова");
        // Random nonces: the same value encrypts differently each time.
        assert_ne!(ct, v.encrypt(1, AT, "Иванова"));
    }

    #[test]
    fn a_value_moved_to_another_row_or_column_does_not_decrypt() {
        let v = vault();
        let ct = v.encrypt(1, AT, "Иванова");
        let other_row = FieldRef { row_id: "r2", ..AT };
        let other_col = FieldRef {
            column: "given_name",
            ..AT
        };
        assert!(matches!(
            v.decrypt(other_row, &ct),
            Err(VaultError::Decrypt)
        ));
        assert!(matches!(
            v.decrypt(other_col, &ct),
            Err(VaultError::Decrypt)
        ));
    }

    #[test]
    fn older_key_generations_still_decrypt() {
        let v = vault();
        let old = v.encrypt(1, AT, "x");
        let new = v.encrypt(2, AT, "x");
        assert_eq!(Vault::key_id_of(&old).unwrap(), 1);
        assert_eq!(Vault::key_id_of(&new).unwrap(), 2);
        assert_eq!(v.decrypt(AT, &old).unwrap(), v.decrypt(AT, &new).unwrap());
    }

    #[test]
    fn another_master_key_cannot_decrypt() {
        let ct = vault().encrypt(1, AT, "x");
        assert!(Vault::from_bytes([8; 32]).decrypt(AT, &ct).is_err());
    }

    #[test]
    fn blind_index_is_deterministic_per_column() {
        let v = vault();
        assert_eq!(
            v.blind_index("name", "ivanova"),
            v.blind_index("name", "ivanova")
        );
        assert_ne!(
            v.blind_index("name", "ivanova"),
            v.blind_index("name", "petrova")
        );
        assert_ne!(
            v.blind_index("name", "ivanova"),
            v.blind_index("other", "ivanova")
        );
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = Vault::load(None, dir.path()).unwrap();
        let b = Vault::load(None, dir.path()).unwrap();
        let ct = a.encrypt(1, AT, "x");
        assert_eq!(b.decrypt(AT, &ct).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn the_bulk_sealer_writes_what_the_vault_reads() {
        let v = vault();
        let s = v.sealer(3);
        let ct = s.encrypt(AT, "Иванова", &mut rand::thread_rng());
        assert_eq!(Vault::key_id_of(&ct).unwrap(), 3);
        assert_eq!(v.decrypt(AT, &ct).unwrap(), "Иванова");
        assert_eq!(
            s.blind_index("name", "ivanova"),
            v.blind_index("name", "ivanova")
        );
    }

    #[test]
    fn bad_master_key_is_refused() {
        assert!(matches!(
            Vault::parse_master("short"),
            Err(VaultError::BadMasterKey)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("zakrila-vault-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(KEY_FILE);
        let _ = std::fs::remove_file(&path);
        assert!(Vault::load(None, &dir).is_ok(), "created 0600");
        assert!(Vault::load(None, &dir).is_ok(), "read back");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let err = Vault::load(None, &dir).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
