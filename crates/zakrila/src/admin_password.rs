//! The first administrator's one-time password is handed over in a file that only
//! the server's own user can read (0600), in the data directory — never on the
//! console, which systemd's journal, a container log or a CI log keeps for anyone
//! who reads them.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

/// The file's name in the data directory.
pub const FILE_NAME: &str = "admin-password.txt";

/// Writes the administrator's address and one-time password to the file (replacing
/// an older one), readable and writable by the owner only; answers its path.
pub fn hand_over(data_dir: &Path, email: &str, password: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(data_dir)?;
    let path = data_dir.join(FILE_NAME);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path)?;
    // A file that was already there keeps its old mode when opened: set it before
    // writing the secret.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    writeln!(f, "{email}\n{password}")?;
    f.sync_all()?;
    Ok(path)
}

/// Hands the password over and says on the console where it is (not what it is).
pub fn announce(data_dir: &Path, password: &str) -> Result<(), crate::Startup> {
    let email = zakrila_store::bootstrap::ADMIN_EMAIL;
    let path = hand_over(data_dir, email, password).map_err(|e| {
        crate::Startup(format!(
            "cannot write the administrator's one-time password to {}: {e}",
            data_dir.join(FILE_NAME).display()
        ))
    })?;
    println!(
        "Created the administrator {email}. Its one-time password is in {} (readable by this user only); \
         sign in, change it, then delete the file.",
        path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_password_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("zakrila-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // An older file open to everyone is narrowed, not reused as it was.
        let old = dir.join(FILE_NAME);
        std::fs::write(&old, "old").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        let path = hand_over(&dir, "admin@zakrila.local", "s3cret-one-time").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "admin@zakrila.local\ns3cret-one-time\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
