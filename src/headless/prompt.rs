//! Asking the operator on the terminal: values (secrets without echo), yes/no, typed targets.
//! Only used when stdin is a terminal; without one the run refuses up front instead of hanging.
//!
//! A question is read on a thread of its own through [`ask`], so that Ctrl-C, SIGTERM or SIGHUP
//! while the operator is answering ends the run at once instead of being held until the
//! answer (and then stopping the step the answer started).

use nix::sys::termios::Termios;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The signals that end a headless run: Ctrl-C, SIGTERM, SIGHUP. Installed before the first
/// question, they replace the default handlers, which would kill the run without its journal.
pub struct Signals {
    int: Signal,
    term: Signal,
    hup: Signal,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    /// Resolves when any of the three arrives.
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
    }
}

/// Runs `question` (one of the functions below) on its own thread; `None` when a signal came
/// first. The thread then stays blocked in its read until the process exits, which follows.
pub async fn ask<T: Send + 'static>(
    signals: &mut Signals,
    question: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(question());
    });
    tokio::select! {
        answer = rx => answer.ok(),
        () = signals.recv() => {
            restore_echo();
            eprintln!();
            None
        }
    }
}

/// The terminal settings a secret prompt changed, to put back if the run ends during it.
static ECHO_OFF: Mutex<Option<Termios>> = Mutex::new(None);

/// Turns echo back on if a secret prompt is still waiting.
fn restore_echo() {
    use nix::sys::termios::{SetArg, tcsetattr};
    let saved = ECHO_OFF.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(saved) = saved {
        let _ = tcsetattr(std::io::stdin(), SetArg::TCSANOW, &saved);
    }
}

/// True when questions can be asked.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Reads one line from stdin; `None` at end of input.
fn read_line() -> Option<String> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
    }
}

/// Asks for a value; an empty answer takes the default. Secrets are read without echo.
pub fn ask_value(label: &str, default: Option<&str>, secret: bool) -> Option<String> {
    let hint = match (default, secret) {
        (Some(d), false) => format!(" [{d}]"),
        (Some(_), true) => " [default: ••••••]".to_string(),
        (None, _) => String::new(),
    };
    eprint!("{label}{hint}: ");
    let _ = std::io::stderr().flush();
    let answer = if secret {
        without_echo(read_line)
    } else {
        read_line()
    };
    if secret {
        eprintln!();
    }
    let answer = answer?;
    if answer.is_empty() {
        default.map(str::to_string)
    } else {
        Some(answer)
    }
}

/// `y/N` question; anything but `y`/`yes` is no.
pub fn confirm(question: &str) -> bool {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    read_line().is_some_and(|a| matches!(a.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// The operator must type `target` exactly.
pub fn confirm_typed(target: &str) -> bool {
    eprint!("Type {target:?} to confirm: ");
    let _ = std::io::stderr().flush();
    read_line().is_some_and(|a| a.trim() == target)
}

/// Runs `f` with terminal echo off on stdin, restoring it afterwards whatever happens.
fn without_echo<T>(f: impl FnOnce() -> T) -> T {
    use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};
    let stdin = std::io::stdin();
    let Ok(saved) = tcgetattr(&stdin) else {
        return f();
    };
    let mut quiet = saved.clone();
    quiet.local_flags.remove(LocalFlags::ECHO);
    *ECHO_OFF.lock().unwrap_or_else(|p| p.into_inner()) = Some(saved);
    let _ = tcsetattr(&stdin, SetArg::TCSANOW, &quiet);
    let out = f();
    restore_echo();
    out
}
