//! Field encryption and blind indexes — the shared mechanism every table holding
//! identity data (persons, cases, signals, TOTP secrets) uses.
//!
//! * A 32-byte master key, from `ZAKRILA_MASTER_KEY` or a 0600 key file in the
//!   data directory. Field keys are derived from it by HKDF with a numeric key id, so
//!   no field key is ever stored in the database. Each key id belongs to one master
//!   key (its fingerprint is recorded beside the current id, `keys.rs`); while a
//!   master-key rotation runs a server holds both keys, the new one read from
//!   `master.key.next` in the data directory the first time a value needs it.
//! * XChaCha20-Poly1305 with a random 24-byte nonce; the associated data binds each
//!   ciphertext to `table|column|row id`, so a value copied into another row or column
//!   does not decrypt.
//! * Stored form: `k<key id>:<base64(nonce || ciphertext)>`.
//! * Derived keys (blind indexes, the audit chain's HMAC key, the linkage secret)
//!   come from the first master key and outlive master-key rotations: the database
//!   keeps them sealed under the current master key (`keys.rs`), so the chain keeps
//!   verifying and the search tokens keep matching.
//! * Blind index: HMAC-SHA-256 over the column name and the normalised value, for
//!   exact search without decrypting. Names are indexed under a key of their own
//!   organisation, so equal names in two organisations give different tokens.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

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

use crate::key_file::{KEY_FILE, parse_key, refuse_shared, write_private};
pub use crate::key_file::{MasterKey, NEXT_KEY_FILE, install_next_key, promote_next_key};

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
    #[error(
        "the database encrypts under master key {0}, which this server does not hold (put it in master.key.next in the data directory, or start with it)"
    )]
    MissingMaster(String),
    #[error(
        "the master key given (fingerprint {0}) does not open this database's keys: it was rotated away or belongs to another deployment"
    )]
    NotThisDatabase(String),
}

/// Where a value lives; bound into its ciphertext as associated data.
#[derive(Debug, Clone, Copy)]
pub struct FieldRef<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: &'a str,
}

struct Master {
    key: SecretBox<[u8; 32]>,
    fp: String,
}

/// The keys that outlive master-key rotations, by name.
pub const DERIVED: [&str; 4] = ["blind-index", "blind-index-orgs", "audit-chain", "linkage"];

pub struct Vault {
    /// The master keys this server holds; the first is the one it started with.
    masters: RwLock<Vec<Arc<Master>>>,
    /// Which master key each key id encrypts under, as far as the database said.
    bound: RwLock<HashMap<u32, String>>,
    /// The derived keys as the database keeps them; until installed, derived from
    /// the first master key (a database that never rotated its master key).
    derived: Option<HashMap<String, [u8; 32]>>,
    /// Where a rotation's new master key waits (`master.key.next`).
    next_file: Option<PathBuf>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

fn hkdf(master: &[u8; 32], info: &str) -> [u8; 32] {
    let hk = Hkdf::<Sha256>::new(Some(b"zakrila"), master);
    let mut out = [0u8; 32];
    hk.expand(info.as_bytes(), &mut out)
        .expect("32 bytes is a valid HKDF length");
    out
}

fn blind_mac(key: &[u8; 32], column: &str, normalised: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(column.as_bytes());
    mac.update(b"|");
    mac.update(normalised.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// An organisation's name-index key: from the deployment's root and the
/// organisation's id.
fn org_key(root: &[u8; 32], org_id: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(root).expect("HMAC takes any key length");
    mac.update(b"org|");
    mac.update(org_id.as_bytes());
    mac.finalize().into_bytes().into()
}

impl Vault {
    pub fn from_bytes(master: [u8; 32]) -> Self {
        Self::from_key(MasterKey(SecretBox::new(Box::new(master))))
    }

    fn from_key(key: MasterKey) -> Self {
        let fp = key.fingerprint();
        Self {
            masters: RwLock::new(vec![Arc::new(Master { key: key.0, fp })]),
            bound: Default::default(),
            derived: None,
            next_file: None,
        }
    }

    /// The master key from the environment value if given, else from the data
    /// directory's key file, creating it (mode 0600) on first start. A rotation's
    /// new key is looked for beside it when a value needs it.
    pub fn load(env_value: Option<&str>, data_dir: &Path) -> Result<Self, VaultError> {
        let mut vault = Self::from_key(Self::load_key(env_value, data_dir)?);
        vault.next_file = Some(data_dir.join(NEXT_KEY_FILE));
        Ok(vault)
    }

    fn load_key(env_value: Option<&str>, data_dir: &Path) -> Result<MasterKey, VaultError> {
        if let Some(v) = env_value {
            return parse_key(v.trim());
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(s) => {
                refuse_shared(&path)?;
                parse_key(s.trim())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                write_private(&path, hex::encode(key).as_bytes())?;
                Ok(MasterKey(SecretBox::new(Box::new(key))))
            }
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(test)]
    fn parse_master(s: &str) -> Result<Self, VaultError> {
        parse_key(s).map(Self::from_key)
    }

    /// The fingerprint of the master key this server started with.
    pub fn fingerprint(&self) -> String {
        self.masters.read().expect("vault lock")[0].fp.clone()
    }

    /// Holds one more master key (a rotation's new one); returns its fingerprint.
    pub fn add_master(&self, key: MasterKey) -> String {
        let fp = key.fingerprint();
        let mut masters = self.masters.write().expect("vault lock");
        if !masters.iter().any(|m| m.fp == fp) {
            masters.push(Arc::new(Master {
                key: key.0,
                fp: fp.clone(),
            }));
        }
        fp
    }

    fn master(&self, fp: &str) -> Option<Arc<Master>> {
        let found = self
            .masters
            .read()
            .expect("vault lock")
            .iter()
            .find(|m| m.fp == fp)
            .cloned();
        found.or_else(|| {
            self.pick_up_next();
            self.masters
                .read()
                .expect("vault lock")
                .iter()
                .find(|m| m.fp == fp)
                .cloned()
        })
    }

    /// Reads `master.key.next` if it is there: how a running server learns the new
    /// key of a rotation started by another process.
    fn pick_up_next(&self) -> bool {
        let Some(path) = &self.next_file else {
            return false;
        };
        match MasterKey::from_file(path) {
            Ok(key) => {
                self.add_master(key);
                true
            }
            Err(VaultError::KeyFile(e)) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the next master key file");
                false
            }
        }
    }

    /// Records that `key_id` encrypts under the master key `fp`; an error when this
    /// server does not hold that key.
    pub fn bind(&self, key_id: u32, fp: &str) -> Result<(), VaultError> {
        if self
            .bound
            .read()
            .expect("vault lock")
            .get(&key_id)
            .map(String::as_str)
            == Some(fp)
        {
            return Ok(());
        }
        if self.master(fp).is_none() {
            return Err(VaultError::MissingMaster(fp.to_owned()));
        }
        self.bound
            .write()
            .expect("vault lock")
            .insert(key_id, fp.to_owned());
        Ok(())
    }

    /// The master key `key_id` encrypts under: the bound one, else the first.
    fn master_of(&self, key_id: u32) -> Arc<Master> {
        let bound = self.bound.read().expect("vault lock").get(&key_id).cloned();
        bound
            .and_then(|fp| self.master(&fp))
            .unwrap_or_else(|| self.masters.read().expect("vault lock")[0].clone())
    }

    fn cipher_of(master: &Master, key_id: u32) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(
            &hkdf(master.key.expose_secret(), &format!("field-key/{key_id}")).into(),
        )
    }

    fn cipher(&self, key_id: u32) -> XChaCha20Poly1305 {
        Self::cipher_of(&self.master_of(key_id), key_id)
    }

    /// A derived key: as the database keeps it, else from the first master key.
    fn derive(&self, name: &str) -> [u8; 32] {
        match self.derived.as_ref().and_then(|d| d.get(name)) {
            Some(k) => *k,
            None => hkdf(
                self.masters.read().expect("vault lock")[0]
                    .key
                    .expose_secret(),
                name,
            ),
        }
    }

    /// Every derived key, to be sealed in the database.
    pub fn derived_keys(&self) -> HashMap<String, String> {
        DERIVED
            .iter()
            .map(|n| ((*n).to_owned(), hex::encode(self.derive(n))))
            .collect()
    }

    /// Uses the derived keys the database keeps (read at open, before any use).
    pub fn install_derived(&mut self, keys: &HashMap<String, String>) -> Result<(), VaultError> {
        let mut out = HashMap::new();
        for name in DERIVED {
            let hex = keys.get(name).ok_or(VaultError::Malformed)?;
            let bytes = hex::decode(hex).map_err(|_| VaultError::Malformed)?;
            out.insert(
                name.to_owned(),
                bytes.try_into().map_err(|_| VaultError::Malformed)?,
            );
        }
        self.derived = Some(out);
        Ok(())
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

    /// Decrypts under the master key the value's key id is bound to, else under
    /// each master key held (at most two, during a rotation), then once more after
    /// looking for a rotation's new key.
    pub fn decrypt(&self, at: FieldRef<'_>, stored: &str) -> Result<String, VaultError> {
        let (key_id, body) = split_stored(stored)?;
        let blob = B64.decode(body).map_err(|_| VaultError::Malformed)?;
        if blob.len() < 24 + 16 {
            return Err(VaultError::Malformed);
        }
        let (nonce, ct) = blob.split_at(24);
        let aad = aad(at);
        let attempt = |m: &Master| {
            Self::cipher_of(m, key_id)
                .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
                .ok()
        };
        let mut candidates = vec![self.master_of(key_id)];
        candidates.extend(self.masters.read().expect("vault lock").iter().cloned());
        let mut pt = candidates.iter().find_map(|m| attempt(m));
        if pt.is_none() && self.pick_up_next() {
            let masters = self.masters.read().expect("vault lock").clone();
            pt = masters.iter().find_map(|m| attempt(m));
        }
        String::from_utf8(pt.ok_or(VaultError::Decrypt)?).map_err(|_| VaultError::Malformed)
    }

    /// The key id a stored value was encrypted under (for rotation).
    pub fn key_id_of(stored: &str) -> Result<u32, VaultError> {
        split_stored(stored).map(|(id, _)| id)
    }

    /// Exact-match search token for a normalised value, the same in every
    /// organisation (tip addresses and receipts). Deterministic by design; the
    /// column name is mixed in so equal values in different columns differ.
    pub fn blind_index(&self, column: &str, normalised: &str) -> String {
        blind_mac(&self.derive("blind-index"), column, normalised)
    }

    /// Exact-match search token under `org_id`'s own key: names and the duplicate
    /// index, so that a dump does not link one person across organisations.
    pub fn org_blind_index(&self, org_id: &str, column: &str, normalised: &str) -> String {
        blind_mac(
            &org_key(&self.derive("blind-index-orgs"), org_id),
            column,
            normalised,
        )
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
    orgs_root: [u8; 32],
}

impl Vault {
    pub fn sealer(&self, key_id: u32) -> Sealer {
        Sealer {
            key_id,
            cipher: self.cipher(key_id),
            orgs_root: self.derive("blind-index-orgs"),
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

    pub fn org_blind_index(&self, org_id: &str, column: &str, normalised: &str) -> String {
        blind_mac(&org_key(&self.orgs_root, org_id), column, normalised)
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
            s.org_blind_index("o1", "name", "ivanova"),
            v.org_blind_index("o1", "name", "ivanova")
        );
    }

    #[test]
    fn name_tokens_differ_between_organisations() {
        let v = vault();
        let a = v.org_blind_index("org-a", "person_name", "ivanova");
        assert_eq!(a, v.org_blind_index("org-a", "person_name", "ivanova"));
        assert_ne!(a, v.org_blind_index("org-b", "person_name", "ivanova"));
        assert_ne!(a, v.blind_index("person_name", "ivanova"));
    }

    #[test]
    fn a_second_master_key_decrypts_what_it_encrypted_and_the_first_alone_cannot() {
        let v = vault();
        let new = Vault::from_bytes([9; 32]);
        let fp = v.add_master(parse_key(&hex::encode([9u8; 32])).unwrap());
        assert_eq!(fp, new.fingerprint());
        v.bind(2, &fp).unwrap();
        let old = v.encrypt(1, AT, "стар");
        let fresh = v.encrypt(2, AT, "нов");
        assert_eq!(v.decrypt(AT, &old).unwrap(), "стар");
        assert_eq!(v.decrypt(AT, &fresh).unwrap(), "нов");
        assert_eq!(new.decrypt(AT, &fresh).unwrap(), "нов");
        assert!(vault().decrypt(AT, &fresh).is_err());
        assert!(matches!(
            vault().bind(2, &fp),
            Err(VaultError::MissingMaster(_))
        ));
    }

    #[test]
    fn installed_derived_keys_outlive_the_master_key() {
        let old = vault();
        let mut new = Vault::from_bytes([9; 32]);
        assert_ne!(new.audit_chain_key(), old.audit_chain_key());
        new.install_derived(&old.derived_keys()).unwrap();
        assert_eq!(new.audit_chain_key(), old.audit_chain_key());
        assert_eq!(
            new.org_blind_index("o", "n", "x"),
            old.org_blind_index("o", "n", "x")
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
