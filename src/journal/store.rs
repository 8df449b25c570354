//! Where sessions live and how to find them.
//!
//! Root: `RUNBOOK_DATA_DIR` if set, else the platform data directory (`directories`). One
//! directory per session: `sessions/<UTC %Y%m%dT%H%M%SZ>-<runbook stem>-<6 hex>/`, whose name is
//! the session id. A session is `running` while its writer holds an advisory lock on
//! `journal.lock`; without a `session_ended` event and without that lock it was `interrupted`.

use super::event::{Event, Mode, Record};
#[cfg(test)]
use super::fs::create_private_dir;
use super::reader::read_journal;
use super::replay::replay;
use super::{JOURNAL_FILE, JournalError, LOCK_FILE};
use chrono::{DateTime, FixedOffset};
use nix::fcntl::{Flock, FlockArg};
use serde::Serialize;
use std::fs::File;
#[cfg(test)]
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The folder under the data dir that holds one directory per session.
pub const SESSIONS_DIR: &str = "sessions";

/// The data directory: `RUNBOOK_DATA_DIR` if set and not empty, else the platform data dir.
pub fn data_dir() -> Result<PathBuf, JournalError> {
    if let Some(dir) = std::env::var_os("RUNBOOK_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "runbook")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or(JournalError::NoDataDir)
}

/// The directory name for a new session: `<UTC timestamp>-<stem>-<short id>`.
pub(crate) fn session_dir_name(
    started: DateTime<chrono::Utc>,
    runbook_path: &Path,
    short: &str,
) -> String {
    let stem = runbook_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    if clean.is_empty() {
        clean.push_str("runbook");
    }
    format!("{}-{clean}-{short}", started.format("%Y%m%dT%H%M%SZ"))
}

/// Whether a session is still being written, and if not, how it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Running,
    Ended,
    /// Not ended, and its last run failed: a headless run stops at a failing step.
    Failed,
    /// Not ended otherwise: quit, killed, or a run cut off.
    Interrupted,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Running => "running",
            SessionStatus::Ended => "ended",
            SessionStatus::Failed => "failed",
            SessionStatus::Interrupted => "interrupted",
        }
    }
}

/// One line of `runbook sessions`.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    pub id: String,
    pub dir: PathBuf,
    pub started: Option<DateTime<FixedOffset>>,
    pub title: String,
    pub runbook: String,
    pub operator: String,
    pub mode: Option<Mode>,
    /// Steps done (checked, or last run exit 0); skipped steps are not counted here.
    pub done: usize,
    pub skipped: usize,
    /// Steps of kind check or command.
    pub total: usize,
    pub state: SessionStatus,
}

/// True when another open file description holds the session's writer lock.
pub(crate) fn is_locked(dir: &Path) -> bool {
    let Ok(file) = File::open(dir.join(LOCK_FILE)) else {
        return false;
    };
    match Flock::lock(file, FlockArg::LockSharedNonblock) {
        Ok(_lock) => false,
        Err((_, errno)) => errno == nix::errno::Errno::EWOULDBLOCK,
    }
}

/// Summarises one session directory from its journal.
pub fn summarize(dir: &Path) -> Result<SessionSummary, JournalError> {
    let (records, _warnings) = read_journal(&dir.join(JOURNAL_FILE))?;
    Ok(summarize_records(dir, &records))
}

fn summarize_records(dir: &Path, records: &[Record]) -> SessionSummary {
    let state = replay(records);
    let progress = state.progress();
    let start = records.iter().find_map(|r| match &r.event {
        Event::SessionStarted(s) => Some(s),
        _ => None,
    });
    let status = if state.ended.is_some() {
        SessionStatus::Ended
    } else if is_locked(dir) {
        SessionStatus::Running
    } else if state.last_run_failed.is_some() {
        SessionStatus::Failed
    } else {
        SessionStatus::Interrupted
    };
    SessionSummary {
        id: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        dir: dir.to_path_buf(),
        started: state.started,
        title: start.map(|s| s.title.clone()).unwrap_or_default(),
        runbook: start.map(|s| s.runbook.clone()).unwrap_or_default(),
        operator: start.map(|s| s.operator.clone()).unwrap_or_default(),
        mode: start.map(|s| s.mode),
        done: progress.done,
        skipped: progress.skipped,
        total: progress.total,
        state: status,
    }
}

/// All sessions under `data_dir`, newest first. A missing `sessions/` folder means no sessions;
/// directories without a journal are ignored.
pub fn list_sessions(data_dir: &Path) -> Result<Vec<SessionSummary>, JournalError> {
    let root = data_dir.join(SESSIONS_DIR);
    let entries = match std::fs::read_dir(&root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(JournalError::io(root, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| JournalError::io(&root, e))?;
        let dir = entry.path();
        if !dir.join(JOURNAL_FILE).is_file() {
            continue;
        }
        // One unreadable session must not hide the others.
        if let Ok(summary) = summarize(&dir) {
            out.push(summary);
        }
    }
    // Directory names start with the UTC start time, so they break ties in the same order.
    out.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| b.id.cmp(&a.id)));
    Ok(out)
}

/// The latest session of this runbook file that has no `session_ended` (running or interrupted).
/// Paths are compared after canonicalisation, so `./x.md` and `/abs/x.md` match.
pub fn find_resumable(
    data_dir: &Path,
    runbook_path: &Path,
) -> Result<Option<SessionSummary>, JournalError> {
    let wanted = canonical(runbook_path);
    Ok(list_sessions(data_dir)?
        .into_iter()
        .find(|s| s.state != SessionStatus::Ended && canonical(Path::new(&s.runbook)) == wanted))
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Resolves `latest`, a session id, an id prefix or the short hex id at its end.
pub fn resolve(data_dir: &Path, which: &str) -> Result<SessionSummary, JournalError> {
    let sessions = list_sessions(data_dir)?;
    if which == "latest" {
        return sessions
            .into_iter()
            .next()
            .ok_or_else(|| JournalError::NoSessions(data_dir.join(SESSIONS_DIR)));
    }
    if let Some(exact) = sessions.iter().find(|s| s.id == which) {
        return Ok(exact.clone());
    }
    let mut matches: Vec<SessionSummary> = sessions
        .into_iter()
        .filter(|s| {
            !which.is_empty()
                && (s.id.starts_with(which)
                    || s.id
                        .rsplit('-')
                        .next()
                        .is_some_and(|h| h.starts_with(which)))
        })
        .collect();
    match matches.len() {
        0 => Err(JournalError::SessionNotFound(which.to_string())),
        1 => Ok(matches.swap_remove(0)),
        _ => Err(JournalError::AmbiguousSession {
            which: which.to_string(),
            matches: matches.into_iter().map(|s| s.id).collect(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dir_name_is_utc_stem_and_short_id() {
        let t = chrono::Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
        let name = session_dir_name(t, Path::new("/x/db failover.md"), "a1b2c3");
        assert_eq!(name, "20250102T030405Z-db-failover-a1b2c3");
        assert_eq!(
            session_dir_name(t, Path::new(""), "000000"),
            "20250102T030405Z-runbook-000000"
        );
    }

    #[test]
    fn missing_sessions_folder_is_empty_list() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(list_sessions(tmp.path()).unwrap().is_empty());
        assert!(matches!(
            resolve(tmp.path(), "latest"),
            Err(JournalError::NoSessions(_))
        ));
    }

    #[test]
    fn private_dirs_are_0700() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("a/b");
        create_private_dir(&d).unwrap();
        let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
