//! The session journal: an append-only `journal.jsonl` per session, the single source of truth for
//! what was done. The UI shows a step as done only after its event is durably on disk.
//!
//! - [`event`]: what a line holds ([`Record`] = timestamp + [`Event`]).
//! - [`store`]: where sessions live, listing, resolving ids, finding a session to resume.
//! - [`writer`]: the [`Journal`] handle; a writer task fsyncs each line before acknowledging it.
//! - [`reader`]: reading a journal back, tolerating a torn last line.
//! - [`replay`]: folding records into per-step state; reconciling it with a changed runbook.
//! - [`export`]: markdown and JSON reports; [`cli`]: `runbook sessions` and `runbook export`.

pub mod cli;
pub mod event;
pub mod export;
pub mod fs;
pub mod reader;
pub mod record;
mod redact;
mod remask;
pub mod replay;
pub mod store;
pub mod writer;

pub use event::{Event, Mode, Record, SectionOutline, StepOutline};
pub use reader::read_journal;
pub use replay::{ResumeReport, SessionState, StepState, StepStatus, reconcile, replay};
pub use store::{SessionStatus, SessionSummary, data_dir, find_resumable, list_sessions, resolve};
pub use writer::Journal;

use std::path::PathBuf;

/// The journal file's name inside a session directory.
pub const JOURNAL_FILE: &str = "journal.jsonl";
/// The lock file held (advisory `flock`) by the process writing a session.
pub const LOCK_FILE: &str = "journal.lock";
/// The folder of captured step output inside a session directory.
pub const OUTPUT_DIR: &str = "output";

/// Everything that can go wrong with journals and sessions.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot find a data directory: set RUNBOOK_DATA_DIR or HOME")]
    NoDataDir,
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot encode journal event: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("session {} is open in another runbook process", .0.display())]
    Locked(PathBuf),
    #[error("the journal writer needs a tokio runtime")]
    NoRuntime,
    #[error("the journal writer has stopped")]
    Closed,
    #[error("journal write failed: {0}")]
    Write(String),
    #[error("no sessions in {}", .0.display())]
    NoSessions(PathBuf),
    #[error("no session matches {0:?}")]
    SessionNotFound(String),
    #[error("{which:?} matches several sessions: {}", matches.join(", "))]
    AmbiguousSession { which: String, matches: Vec<String> },
}

impl JournalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        JournalError::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests;
