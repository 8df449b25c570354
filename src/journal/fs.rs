//! Small file-system helpers of the journal: private files and directories (0600 / 0700),
//! durable writes, session directory creation, and who and where the operator is.

use super::JournalError;
use super::store::session_dir_name;
use sha2::{Digest, Sha256};
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Creates `dir` (and missing parents) with mode 0700, and sets 0700 on `dir` itself.
pub fn create_private_dir(dir: &Path) -> Result<(), JournalError> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| JournalError::io(dir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| JournalError::io(dir, e))
}

pub fn write_durably(file: &mut File, text: &str) -> std::io::Result<()> {
    file.write_all(text.as_bytes())?;
    file.flush()?;
    file.sync_data()
}

pub fn ends_with_newline(file: &mut File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    let mut last = [0u8; 1];
    let mut reader = &*file;
    reader.seek(SeekFrom::Start(len - 1))?;
    reader.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

/// Opens a file for appending with mode 0600 (`new`: it must not exist yet).
pub fn open_private(path: &Path, new: bool) -> Result<File, JournalError> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).mode(0o600);
    if new {
        options.create_new(true);
    } else {
        options.create(true);
    }
    let file = options.open(path).map_err(|e| JournalError::io(path, e))?;
    set_mode(path, 0o600)?;
    Ok(file)
}

/// Writes a report: a new file is created 0600 (it holds commands and their output); an
/// existing one keeps the mode its owner gave it.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

pub fn set_mode(path: &Path, mode: u32) -> Result<(), JournalError> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| JournalError::io(path, e))
}

pub fn sync_dir(dir: &Path) -> Result<(), JournalError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| JournalError::io(dir, e))
}

/// Creates a fresh session directory (0700), retrying with another short id on a clash.
pub fn make_session_dir(
    sessions: &Path,
    started: chrono::DateTime<chrono::Utc>,
    runbook_path: &Path,
) -> Result<PathBuf, JournalError> {
    let mut attempt = 0u32;
    loop {
        let mut hasher = Sha256::new();
        hasher.update(
            started
                .timestamp_nanos_opt()
                .unwrap_or_default()
                .to_le_bytes(),
        );
        hasher.update(std::process::id().to_le_bytes());
        hasher.update(attempt.to_le_bytes());
        hasher.update(runbook_path.as_os_str().as_encoded_bytes());
        let digest = hasher.finalize();
        let short = format!("{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2]);
        let dir = sessions.join(session_dir_name(started, runbook_path, &short));
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                set_mode(&dir, 0o700)?;
                return Ok(dir);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(JournalError::io(dir, e)),
        }
    }
}

/// The operator: `$USER`, else the name of the current uid.
pub fn operator() -> String {
    if let Some(user) = std::env::var("USER").ok().filter(|u| !u.is_empty()) {
        return user;
    }
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| "unknown".into())
}

/// This machine's host name.
pub fn host() -> String {
    nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "unknown".into())
}
