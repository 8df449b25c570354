//! The per-run output log: ANSI-stripped, secret-masked, one terminal line per file line.
//!
//! Masking runs on whole lines, so a secret split across two PTY reads is still masked. A line
//! longer than [`MAX_PENDING`] without a newline is written in pieces (bounded memory), which could
//! split a secret at that boundary; real output does not have megabyte lines.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::Path;

use super::types::{ExecError, MaskFn};

/// Longest partial line held back while waiting for its newline.
const MAX_PENDING: usize = 1 << 20;

/// Appends the cleaned transcript of one run to a file.
pub(crate) struct LogWriter {
    out: BufWriter<File>,
    mask: MaskFn,
    pending: Vec<u8>,
    /// The first IO error; later writes are skipped so a full disk does not stall the run.
    failed: bool,
}

impl LogWriter {
    pub(crate) fn open(path: &Path, mask: MaskFn) -> Result<Self, ExecError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| ExecError::io(format!("cannot open output log {}", path.display()), e))?;
        Ok(Self {
            out: BufWriter::new(file),
            mask,
            pending: Vec::new(),
            failed: false,
        })
    }

    /// Takes one chunk of raw PTY bytes; writes every line it completes.
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(pos) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let end = start + pos;
            let line = clean_line(&self.pending[start..end]);
            self.emit(&line);
            start = end + 1;
        }
        self.pending.drain(..start);
        if self.pending.len() > MAX_PENDING {
            let piece = std::mem::take(&mut self.pending);
            let line = clean_line(&piece);
            self.emit(&line);
        }
        self.flush();
    }

    /// Writes the final partial line, if any, and flushes.
    pub(crate) fn finish(&mut self) {
        if !self.pending.is_empty() {
            let piece = std::mem::take(&mut self.pending);
            let line = clean_line(&piece);
            self.emit(&line);
        }
        self.flush();
    }

    fn emit(&mut self, line: &str) {
        if self.failed {
            return;
        }
        let masked = (self.mask)(line);
        if writeln!(self.out, "{masked}").is_err() {
            self.failed = true;
        }
    }

    fn flush(&mut self) {
        if !self.failed && self.out.flush().is_err() {
            self.failed = true;
        }
    }
}

/// What a terminal line reads as: escapes removed, and of `\r`-separated rewrites (progress bars)
/// only the last one kept, since that is what stayed on the screen.
fn clean_line(raw: &[u8]) -> String {
    // The stripper drops `\r` too, so pick the last rewrite before stripping.
    let mut end = raw.len();
    while end > 0 && raw[end - 1] == b'\r' {
        end -= 1;
    }
    let line = &raw[..end];
    let start = line.iter().rposition(|&b| b == b'\r').map_or(0, |p| p + 1);
    strip_ansi(&String::from_utf8_lossy(&line[start..]))
}

/// `text` without ANSI escape sequences, tabs kept: the stripper drops them, which glues the
/// columns of `cut -f`, TSV and `printf '\t'` output together.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(&strip_ansi_escapes::strip_str(piece));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn masked_writer(path: &Path) -> LogWriter {
        LogWriter::open(path, Arc::new(|l: &str| l.replace("hunter2", "****"))).unwrap()
    }

    #[test]
    fn secret_split_across_chunks_is_masked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.log");
        let mut log = masked_writer(&path);
        log.write(b"token=hun");
        log.write(b"ter2\r\nnext\r\n");
        log.write(b"tail hunter2");
        log.finish();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "token=****\nnext\ntail ****\n");
    }

    #[test]
    fn colours_and_progress_rewrites_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.log");
        let mut log = masked_writer(&path);
        log.write(b"\x1b[32mok\x1b[0m\r\n10%\r50%\r100%\r\n");
        log.finish();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "ok\n100%\n");
    }

    #[test]
    fn a_huge_line_is_written_in_bounded_pieces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.log");
        let mut log = masked_writer(&path);
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..20 {
            log.write(&chunk);
        }
        assert!(log.pending.len() <= MAX_PENDING);
        log.finish();
        let len = std::fs::metadata(&path).unwrap().len();
        // 20 × 64 KiB of `a`, plus one newline per piece written.
        assert_eq!(len, 20 * 64 * 1024 + 2);
    }

    #[test]
    fn tabs_survive_cleaning() {
        assert_eq!(
            clean_line(b"col1\tcol2\t\x1b[31mcol3\x1b[0m\r"),
            "col1\tcol2\tcol3"
        );
        assert_eq!(strip_ansi("a\tb"), "a\tb");
    }
}
