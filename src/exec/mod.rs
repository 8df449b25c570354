//! Execution engine: runs steps in pseudo-terminals, as if in the operator's own terminal.
//!
//! Each run starts the configured shell (default `bash`) on a generated wrapper script inside a
//! fresh PTY (`portable-pty`), so `[ -t 1 ]` is true, colours and `\r` progress work, and a step
//! that reads a line can be answered through [`Engine::write_input`]. The raw byte stream is sent to
//! the caller as [`ExecEvent::Output`] over a *bounded* channel (a flood back-pressures the child
//! instead of growing memory) and is also written, ANSI-stripped and secret-masked, to an optional
//! log file.
//!
//! # Carried environment
//! After each run the wrapper's `EXIT` trap dumps the shell's variables (`declare -p`), functions
//! (`declare -f`) and working directory; these become the starting state of the next run, as in one
//! terminal. Readonly and bash-internal variables (`BASH*`, `PPID`, `RANDOM`, `SHLVL`, …) are
//! dropped. When runs overlap, each run's changes (variables set or unset, functions, a `cd`)
//! are applied to the carried state as it is when the run finishes, so both runs' exports
//! survive; where two changed the same name, the last to finish wins (see `merge.rs`). Shell options
//! (`set -e`), aliases and traps do not carry over; a step that installs its own `EXIT` trap
//! replaces the capture, and the carried state then stays as it was. With a POSIX shell other
//! than bash (`sh`, `dash`, `ash`, `busybox`, `ksh`…) the wrapper uses POSIX words only:
//! variables (exported ones stay exported) and the working directory carry over, functions do
//! not. Any other shell (`zsh`, `fish`…) runs each script as it is, and nothing carries over.
//!
//! # Values
//! Values in [`RunRequest::env`] reach the child as environment variables, never as shell text, and
//! override a carried variable of the same name for that run.
//!
//! # Processes
//! Every run is a session and process group of its own (portable-pty calls `setsid`). A stop sends
//! SIGINT to the foreground group and the run's group, SIGTERM to every group of the session after
//! [`StopTimings::term_after`], SIGKILL after [`StopTimings::kill_after`]. Background jobs left behind
//! when a step's shell exits get SIGHUP (as when a terminal window closes) and the same escalation,
//! so no process outlives its step. Dropping the [`Engine`] SIGKILLs its sessions, and
//! [`kill_all_groups`] SIGKILLs every live session of the process (for signal handlers and panic
//! hooks).

mod carry;
mod describe;
mod engine;
mod log;
mod merge;
mod posix;
mod prep;
mod procs;
mod run;
mod types;
mod unquote;
mod wrapper;

pub use describe::describe_exit;
pub use engine::Engine;
pub use log::strip_ansi;
pub(crate) use prep::resolve_shell;
pub use procs::kill_all_groups;
pub use types::{
    ExecConfig, ExecError, ExecEvent, MaskFn, RunId, RunInfo, RunRequest, RunState, StopTimings,
};
