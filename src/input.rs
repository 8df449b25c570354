//! Loading a runbook file: every way a user can hand us a bad file gets one clear message.

use std::path::Path;

/// Files larger than this are refused (a runbook is prose, not a data set).
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: no such file")]
    NotFound { path: String },
    #[error("{path}: is a directory, expected a markdown file")]
    IsDirectory { path: String },
    #[error("{path}: permission denied")]
    PermissionDenied { path: String },
    #[error("{path}: file is empty")]
    Empty { path: String },
    #[error("{path}: file is too large ({size} bytes; the limit is 20 MB)")]
    TooLarge { path: String, size: u64 },
    #[error("{path}: looks like a binary file (contains NUL bytes), expected markdown text")]
    Binary { path: String },
    #[error("{path}: not valid UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize },
    #[error("{path}: cannot read: {message}")]
    Io { path: String, message: String },
}

/// Reads a runbook file, refusing directories, empty, binary, non-UTF-8 and oversized files.
pub fn read_runbook(path: &Path) -> Result<String, InputError> {
    let shown = path.display().to_string();
    let io_error = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound {
            path: shown.clone(),
        },
        std::io::ErrorKind::PermissionDenied => InputError::PermissionDenied {
            path: shown.clone(),
        },
        _ => InputError::Io {
            path: shown.clone(),
            message: e.to_string(),
        },
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(InputError::IsDirectory { path: shown });
    }
    if meta.len() > MAX_BYTES {
        return Err(InputError::TooLarge {
            path: shown,
            size: meta.len(),
        });
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    decode(&shown, bytes)
}

/// Checks bytes already in memory (embedded runbooks, stdin) by the same rules.
pub fn decode(shown: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let path = shown.to_string();
    if bytes.len() as u64 > MAX_BYTES {
        return Err(InputError::TooLarge {
            path,
            size: bytes.len() as u64,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty { path });
    }
    if bytes.contains(&0) {
        return Err(InputError::Binary { path });
    }
    String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        path,
        offset: e.utf8_error().valid_up_to(),
    })
}

/// The file stem, used as the title of a runbook with neither H1 nor front-matter title.
pub fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "runbook".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Reads and parses a runbook file, with `source` set to the path as given.
pub fn load(path: &Path) -> Result<crate::runbook::Runbook, InputError> {
    let text = read_runbook(path)?;
    let mut book = crate::runbook::parse_titled(&text, &stem(path));
    book.source = path.display().to_string();
    Ok(book)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bad_bytes() {
        assert!(matches!(
            decode("f", b"  \n".to_vec()),
            Err(InputError::Empty { .. })
        ));
        assert!(matches!(
            decode("f", b"a\0b".to_vec()),
            Err(InputError::Binary { .. })
        ));
        assert!(matches!(
            decode("f", vec![b'a', 0xff]),
            Err(InputError::NotUtf8 { offset: 1, .. })
        ));
        assert_eq!(decode("f", b"# x".to_vec()).unwrap(), "# x");
    }
}
