//! Masking a run's output log again once the run has shown what its secrets were. A step that
//! fetches a token and prints it (`export API_TOKEN="$(vault …)"; echo "$API_TOKEN"`) writes
//! the value before anything knows it is a secret; only the shell state the run leaves names
//! it. The screen has shown it by then (the operator ran it), but the record must not keep it.

use super::fs::{create_private_dir, set_mode, sync_dir};
use super::{JournalError, OUTPUT_DIR, writer::Journal};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

impl Journal {
    /// Adds secret `values` (those a run left in the shell); returns whether one was new.
    pub fn add_secrets(&self, values: impl IntoIterator<Item = String>) -> bool {
        let before = self.masker().values().len();
        for value in values {
            self.add_secret(&value);
        }
        self.masker().values().len() > before
    }

    /// Masks the output file `name` (in the session's `output/`) with every secret known now;
    /// returns whether it changed. The file is replaced whole (renamed over), so a crash
    /// leaves either the old or the new text. Blocking: call it off the UI thread.
    pub fn remask_output(&self, name: &str) -> Result<bool, JournalError> {
        let dir = self.dir().join(OUTPUT_DIR);
        // A file name, never a path: it comes from the journal but is read back from disk.
        if name.is_empty() || name.contains('/') || name.starts_with('.') {
            return Ok(false);
        }
        let path = dir.join(name);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(JournalError::io(&path, e)),
        };
        let text = String::from_utf8_lossy(&bytes);
        let masked = self.masker().mask(&text);
        if masked == text {
            return Ok(false);
        }
        create_private_dir(&dir)?;
        let tmp = dir.join(format!(".{name}.masking"));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut file| {
                file.write_all(masked.as_bytes())?;
                file.sync_data()
            });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(JournalError::io(&tmp, e));
        }
        set_mode(&tmp, 0o600)?;
        std::fs::rename(&tmp, &path).map_err(|e| JournalError::io(&path, e))?;
        sync_dir(&dir)?;
        Ok(true)
    }
}
