//! Public data types of the execution engine: configuration, requests, events, states, errors.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Masks secrets in one line of output before it is written to a log file.
pub type MaskFn = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// When a stop escalates; both delays are measured from the stop request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopTimings {
    /// SIGTERM to every process group of the run after this delay (SIGINT is sent at once).
    pub term_after: Duration,
    /// SIGKILL to every process group of the run after this delay (should be ≥ `term_after`).
    pub kill_after: Duration,
}

impl Default for StopTimings {
    fn default() -> Self {
        Self {
            term_after: Duration::from_secs(2),
            kill_after: Duration::from_secs(5),
        }
    }
}

/// Engine-wide settings.
#[derive(Debug, Clone)]
pub struct ExecConfig {
    /// The shell; a bare name is looked up on `PATH` at each spawn.
    pub shell: PathBuf,
    /// Escalation timings of a stop.
    pub stop_grace: StopTimings,
    /// Capacity of the event channel made by [`crate::exec::Engine::with_channel`]. Each run's
    /// reader blocks while the channel is full, so buffered output is bounded by this many chunks.
    pub channel_capacity: usize,
}

impl Default for ExecConfig {
    fn default() -> Self {
        Self {
            shell: PathBuf::from("bash"),
            stop_grace: StopTimings::default(),
            channel_capacity: 256,
        }
    }
}

/// Identifies one run of a step within an [`crate::exec::Engine`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub u64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run-{}", self.0)
    }
}

/// Where a run is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunState {
    Running,
    /// The script's exit code; a death by signal N is reported as 128 + N, as shells do.
    Exited(i32),
    /// The operator stopped the run.
    Stopped,
    /// The run could not be started; the reason is a readable sentence.
    FailedToStart(String),
}

impl From<&ExecError> for RunState {
    /// Lets a caller record a failed [`crate::exec::Engine::spawn`] like any other outcome.
    fn from(err: &ExecError) -> Self {
        RunState::FailedToStart(err.to_string())
    }
}

/// A snapshot of one run, for the UI and the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    pub step_id: String,
    pub state: RunState,
    pub started_at: SystemTime,
    /// Time since start while running; the final duration once finished.
    pub duration: Duration,
    /// Process id of the run's shell, which is also its session and process-group id.
    pub pid: i32,
}

/// What the engine tells its caller, over the bounded channel given to [`crate::exec::Engine::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecEvent {
    /// Raw bytes from the PTY (colours, `\r`, everything), at most 64 KiB at a time.
    Output { run: RunId, bytes: Vec<u8> },
    /// Always the last event of a run: no `Output` of that run follows it.
    Exited {
        run: RunId,
        state: RunState,
        duration: Duration,
    },
}

/// One request to run a step's script.
#[derive(Clone)]
pub struct RunRequest {
    pub step_id: String,
    /// The whole block (or one command of it), run as one script.
    pub script: String,
    /// Values that reach the child as environment variables; they override carried state.
    pub env: Vec<(String, String)>,
    /// Working directory; overrides the carried one.
    pub cwd: Option<PathBuf>,
    pub rows: u16,
    pub cols: u16,
    /// Where the ANSI-stripped, masked transcript is appended.
    pub log_path: Option<PathBuf>,
    /// Applied to every complete line written to the log.
    pub mask: MaskFn,
}

impl RunRequest {
    /// A request with no extra env, the carried cwd, an 80×24 terminal, no log and no masking.
    pub fn new(step_id: impl Into<String>, script: impl Into<String>) -> Self {
        Self {
            step_id: step_id.into(),
            script: script.into(),
            env: Vec::new(),
            cwd: None,
            rows: 24,
            cols: 80,
            log_path: None,
            mask: Arc::new(|line: &str| line.to_owned()),
        }
    }
}

impl fmt::Debug for RunRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Env values may be secrets: show names only.
        let names: Vec<&str> = self.env.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RunRequest")
            .field("step_id", &self.step_id)
            .field("script_len", &self.script.len())
            .field("env", &names)
            .field("cwd", &self.cwd)
            .field("rows", &self.rows)
            .field("cols", &self.cols)
            .field("log_path", &self.log_path)
            .finish_non_exhaustive()
    }
}

/// Why a run could not be started or controlled.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("shell not found: {0} (not an executable file, nor on PATH)")]
    ShellNotFound(PathBuf),
    #[error("working directory missing: {0}")]
    CwdMissing(PathBuf),
    #[error("pseudo-terminal unavailable: {0}")]
    PtyUnavailable(String),
    #[error("could not start the shell: {0}")]
    Spawn(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("no such run: {0}")]
    UnknownRun(RunId),
    #[error("{0} is not running")]
    NotRunning(RunId),
    #[error("input to {0} is backed up: the process is not reading")]
    InputFull(RunId),
    #[error("could not resize the terminal of {run}: {reason}")]
    Resize { run: RunId, reason: String },
}

impl ExecError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        ExecError::Io {
            what: what.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_debug_hides_env_values() {
        let mut req = RunRequest::new("s1", "echo hi");
        req.env.push(("TOKEN".into(), "hunter2".into()));
        let shown = format!("{req:?}");
        assert!(shown.contains("TOKEN"));
        assert!(!shown.contains("hunter2"));
    }

    #[test]
    fn failed_spawn_becomes_a_state() {
        let err = ExecError::CwdMissing(PathBuf::from("/nope"));
        assert_eq!(
            RunState::from(&err),
            RunState::FailedToStart("working directory missing: /nope".into())
        );
    }

    #[test]
    fn run_id_displays() {
        assert_eq!(RunId(7).to_string(), "run-7");
    }
}
