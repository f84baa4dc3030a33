//! The master key's files: reading a key file (refused when others can read it),
//! creating the first one 0600, and a rotation's new key beside it
//! (`master.key.next`) until it replaces the old one.

use std::path::Path;

use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

use crate::vault::VaultError;

/// A master key read from a file or the environment, not yet used by a vault.
pub struct MasterKey(pub(crate) SecretBox<[u8; 32]>);

impl MasterKey {
    pub fn from_bytes(key: [u8; 32]) -> Self {
        Self(SecretBox::new(Box::new(key)))
    }

    /// The key in a file (64 hex digits or base64), refused when others can read it.
    pub fn from_file(path: &Path) -> Result<Self, VaultError> {
        let s = std::fs::read_to_string(path)?;
        refuse_shared(path)?;
        parse_key(s.trim())
    }

    /// A short public name of the key: tells keys apart without revealing them.
    pub fn fingerprint(&self) -> String {
        fingerprint(self.0.expose_secret())
    }

    /// The key as the key file holds it.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.expose_secret())
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.fingerprint())
    }
}

pub(crate) const KEY_FILE: &str = "master.key";
/// The new master key of a rotation, beside the current one.
pub const NEXT_KEY_FILE: &str = "master.key.next";

pub(crate) fn parse_key(s: &str) -> Result<MasterKey, VaultError> {
    let bytes = if s.len() == 64 {
        hex::decode(s).map_err(|_| VaultError::BadMasterKey)?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|_| VaultError::BadMasterKey)?
    };
    let key: [u8; 32] = bytes.try_into().map_err(|_| VaultError::BadMasterKey)?;
    Ok(MasterKey(SecretBox::new(Box::new(key))))
}

pub(crate) fn fingerprint(key: &[u8; 32]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"zakrila master key fingerprint");
    hex::encode(&mac.finalize().into_bytes()[..8])
}
/// Puts a rotation's new master key where servers using `data_dir` look for it
/// (`master.key.next`, 0600). Already there with the same key: nothing to do.
pub fn install_next_key(data_dir: &Path, key: &MasterKey) -> Result<(), VaultError> {
    let path = data_dir.join(NEXT_KEY_FILE);
    match MasterKey::from_file(&path) {
        Ok(there) if there.fingerprint() == key.fingerprint() => Ok(()),
        Ok(there) => Err(VaultError::MissingMaster(format!(
            "{} (another key, {}, waits in {})",
            key.fingerprint(),
            there.fingerprint(),
            path.display()
        ))),
        Err(VaultError::KeyFile(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(write_private(&path, key.to_hex().as_bytes())?)
        }
        Err(e) => Err(e),
    }
}

/// After a master-key rotation: the new key becomes the data directory's key file,
/// replacing the old one, which nothing needs any more.
pub fn promote_next_key(data_dir: &Path) -> std::io::Result<()> {
    std::fs::rename(data_dir.join(NEXT_KEY_FILE), data_dir.join(KEY_FILE))
}

/// A key file anyone but its owner can read may already be copied: refuse to use
/// it rather than go on encrypting under it.
pub(crate) fn refuse_shared(path: &Path) -> Result<(), VaultError> {
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
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
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
