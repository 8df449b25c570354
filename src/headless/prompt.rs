//! Asking the operator on the terminal: values (secrets without echo), yes/no, typed targets.
//! Only used when stdin is a terminal; without one the run refuses up front instead of hanging.

use std::io::{BufRead, IsTerminal, Write};

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
    let _ = tcsetattr(&stdin, SetArg::TCSANOW, &quiet);
    let out = f();
    let _ = tcsetattr(&stdin, SetArg::TCSANOW, &saved);
    out
}
