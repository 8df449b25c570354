//! The data that crosses the pure/IO boundary: [`Msg`] in, [`Effect`] out, [`JournalOp`] inside
//! [`Effect::Journal`]. See the module doc of [`crate::state`] for who sends and carries out what.

use crossterm::event::{KeyEvent, MouseEvent};

/// Something that happened. Every input of the state machine is one of these.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key press (crossterm; the app drops key release/repeat events on platforms that send
    /// them, or passes them: only `KeyEventKind::Press`/`Repeat` are acted on).
    Key(KeyEvent),
    /// Mouse click or wheel (crossterm).
    Mouse(MouseEvent),
    /// Pasted text (bracketed paste): goes to the focused text field or interactive process.
    Paste(String),
    /// The terminal's size, at start and on every resize.
    Resize { cols: u16, rows: u16 },
    /// The clock: milliseconds since the Unix epoch. Sent ~4×/s; only dirties when something
    /// on screen shows time (spinner, elapsed clock).
    Tick { now_ms: u64 },
    /// Kube context and namespace as read from the kubeconfig (after start and after each step).
    Kube {
        context: Option<String>,
        namespace: Option<String>,
    },
    /// The secret values the journal masks (before each run), for the output panes too.
    Secrets(Vec<String>),
    /// The values of the shell variables the next run starts with (after each run).
    Carried(std::collections::BTreeMap<String, String>),
    /// The journal wrote (and fsync'd) the op sent with `ack: Some(token)`.
    JournalAck(u64),
    /// The journal could not write the op sent with this token.
    JournalFailed { token: u64, reason: String },
    /// The process for `Effect::Run { step, .. }` started with id `run`.
    RunStarted { step: usize, run: u64 },
    /// Bytes from the run's pseudo-terminal.
    Output { run: u64, bytes: Vec<u8> },
    /// The process ended. `exit_code` is `None` when killed by a signal.
    RunExited {
        run: u64,
        exit_code: Option<i32>,
        stopped: bool,
        duration_ms: u64,
    },
    /// The process for `Effect::Run { step, .. }` could not start.
    RunFailed { step: usize, reason: String },
    /// `Effect::Export` finished.
    Exported { path: String },
    /// `Effect::Export` failed.
    ExportFailed { reason: String },
}

/// Something the app must do. `update` never does IO itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Append `op` to the journal; when `ack` is `Some(token)`, answer `Msg::JournalAck(token)`
    /// once it is durable (or `Msg::JournalFailed`).
    Journal { op: JournalOp, ack: Option<u64> },
    /// Start `script` for step index `step` (0-based into `Runbook::steps`) in a PTY of the last
    /// `Effect::Resize` size (or the output area size known at start); `command` is the index
    /// of the single command run, `None` for the whole step. `<placeholder>`s are substituted;
    /// `env` holds the `${VAR}` values. Answer `RunStarted` or `RunFailed`.
    Run {
        step: usize,
        command: Option<usize>,
        script: String,
        env: Vec<(String, String)>,
    },
    /// Stop the run (SIGINT, then TERM, then KILL, process group). Answer `RunExited`.
    Stop { run: u64 },
    /// Write bytes to the run's PTY (interactive mode, paste).
    Input { run: u64, bytes: Vec<u8> },
    /// Resize the run's PTY (the output area changed size).
    Resize { run: u64, rows: u16, cols: u16 },
    /// Export the session (markdown/JSON); answer `Exported` or `ExportFailed`.
    Export,
    /// Open this runbook file (chosen in the DIR picker).
    OpenFile(String),
    /// Resume the offered unfinished session (the state already shows its progress).
    ResumeSession { session: String },
    /// Start a new session (the operator declined to resume, or there was nothing to resume).
    StartSession,
    /// Give the terminal back and stop the process (Ctrl-Z); on `fg`, take it again and redraw.
    /// Runs go on meanwhile, in their own sessions.
    Suspend,
    /// Restore the terminal and exit.
    Quit,
}

/// What the journal records. The integrator maps these to the journal's event type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalOp {
    CheckToggled {
        id: String,
        checked: bool,
    },
    StepSkipped {
        id: String,
        reason: String,
    },
    NoteAdded {
        id: String,
        text: String,
    },
    CommandEdited {
        id: String,
        text: String,
    },
    /// `value` is already masked (`••••••`) when `secret`.
    VariableSet {
        name: String,
        value: String,
        secret: bool,
    },
    /// The operator confirmed a write/destructive step; `what` is what they agreed to.
    Confirmation {
        id: String,
        what: String,
    },
    /// `command` is the script as run, secrets masked.
    StepStarted {
        id: String,
        number: usize,
        command: String,
        run: u64,
    },
    /// `run` is the engine's run id, as in `StepStarted`.
    StepFinished {
        id: String,
        number: usize,
        exit_code: Option<i32>,
        duration_ms: u64,
        stopped: bool,
        run: u64,
    },
    /// Rehearsal mode: a write/destructive step that was shown and not run.
    StepRehearsed {
        id: String,
        number: usize,
        command: String,
    },
    SessionEnded,
}
