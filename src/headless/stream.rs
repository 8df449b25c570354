//! The terminal side of a headless step: its output on stdout, and piped stdin passed to it.

use std::io::Write;
use std::sync::Arc;

/// Output shown while a step runs: raw on a terminal, ANSI-stripped and masked when piped.
pub(super) struct Sink {
    pub tty: bool,
    pub mask: Arc<dyn Fn(&str) -> String + Send + Sync>,
    pub pending: Vec<u8>,
    pub tail: Vec<u8>,
}

impl Sink {
    pub fn write(&mut self, bytes: &[u8]) {
        self.tail.extend_from_slice(bytes);
        if self.tail.len() > 8192 {
            self.tail.drain(..self.tail.len() - 4096);
        }
        let mut out = std::io::stdout().lock();
        if self.tty {
            let _ = out.write_all(bytes).and_then(|()| out.flush());
            return;
        }
        self.pending.extend_from_slice(bytes);
        while let Some(pos) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=pos).collect();
            let text = crate::exec::strip_ansi(&String::from_utf8_lossy(&line));
            let _ = writeln!(out, "{}", (self.mask)(text.trim_end_matches(['\r', '\n'])));
        }
    }

    pub fn finish(&mut self) {
        if !self.pending.is_empty() {
            let text = crate::exec::strip_ansi(&String::from_utf8_lossy(&self.pending));
            let _ = writeln!(std::io::stdout().lock(), "{}", (self.mask)(&text));
            self.pending.clear();
        }
    }
}

/// End-of-file for a reader on a terminal (Ctrl-D).
pub(super) const EOF: &[u8] = b"\x04";

/// Standard input passed to the running step when it is not a terminal: `echo yes | runbook run`
/// answers a step's `read`, and with nothing (or `/dev/null`) a reading step sees end-of-file.
pub(super) struct PipedInput {
    pub rx: tokio::sync::mpsc::Receiver<Vec<u8>>,
    pub at_eof: bool,
    /// Held (never used) with a terminal, so that the channel simply stays silent.
    _idle: Option<tokio::sync::mpsc::Sender<Vec<u8>>>,
}

impl PipedInput {
    pub fn start(stdin_is_tty: bool) -> PipedInput {
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        if stdin_is_tty {
            // Never read: the terminal belongs to the confirmation prompts.
            return PipedInput {
                rx,
                at_eof: false,
                _idle: Some(tx),
            };
        }
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = vec![0u8; 4096];
            let mut input = std::io::stdin().lock();
            while let Ok(n @ 1..) = input.read(&mut buf) {
                if tx.blocking_send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        PipedInput {
            rx,
            at_eof: false,
            _idle: None,
        }
    }
}
