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
    #[error("{path}: is a device, expected a markdown file")]
    Device { path: String },
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

/// Reads a runbook file, refusing directories, devices, empty, binary, non-UTF-8 and oversized
/// files. A pipe (`<(git show …)`) is read, but never more than the limit: its size is unknown
/// up front.
pub fn read_runbook(path: &Path) -> Result<String, InputError> {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
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
    let kind = meta.file_type();
    if kind.is_char_device() || kind.is_block_device() || kind.is_socket() {
        return Err(InputError::Device { path: shown });
    }
    if meta.len() > MAX_BYTES {
        return Err(InputError::TooLarge {
            path: shown,
            size: meta.len(),
        });
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
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
    let text = String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        path,
        offset: e.utf8_error().valid_up_to(),
    })?;
    // Editors on Windows start files with a byte-order mark; markdown would read it as text and
    // the first heading as a paragraph.
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
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

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let text = decode("f", "\u{feff}# Title\n\n- [ ] step\n".into()).unwrap();
        let book = crate::runbook::parse_titled(&text, "stem");
        assert_eq!(book.title, "Title");
        assert_eq!(book.steps[0].title, "step");
        assert_eq!(decode("f", "x\u{feff}".into()).unwrap(), "x\u{feff}");
    }

    #[test]
    fn devices_are_refused_and_pipes_bounded() {
        let err = read_runbook(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/zero: is a device, expected a markdown file"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                let chunk = vec![b'a'; 1 << 20];
                // Stops with a broken pipe once the reader has had enough.
                while f.write_all(&chunk).is_ok() {}
            })
        };
        let err = read_runbook(&fifo).unwrap_err();
        assert!(matches!(err, InputError::TooLarge { .. }), "{err}");
        writer.join().unwrap();
    }
}
