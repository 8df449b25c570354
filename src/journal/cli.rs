//! `runbook sessions [--json]` and `runbook export SESSION|latest [--format md|json] [-o FILE]`.
//! Problems are one clear line on stderr; a missing data dir or unknown session exits 2.

use super::store::{SessionSummary, data_dir, list_sessions, resolve};
use super::{JOURNAL_FILE, JournalError, export, read_journal};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Markdown: a filled-in copy of the procedure, for a change ticket.
    Md,
    /// JSON: `{ "session": …, "steps": […], "events": […] }`.
    Json,
}

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("runbook: {message}");
    ExitCode::from(code)
}

/// The data dir, which must exist for listing or exporting.
fn existing_data_dir() -> Result<PathBuf, ExitCode> {
    let dir = data_dir().map_err(|e| fail(2, e))?;
    if !dir.is_dir() {
        return Err(fail(
            2,
            format!(
                "no sessions yet: data directory {} does not exist",
                dir.display()
            ),
        ));
    }
    Ok(dir)
}

/// `runbook sessions [--json]`.
pub fn cmd_sessions(json: bool) -> ExitCode {
    let dir = match existing_data_dir() {
        Ok(d) => d,
        Err(code) => return code,
    };
    let sessions = match list_sessions(&dir) {
        Ok(s) => s,
        Err(e) => return fail(1, e),
    };
    let text = if json {
        match serde_json::to_string_pretty(&sessions) {
            Ok(t) => format!("{t}\n"),
            Err(e) => return fail(1, e),
        }
    } else if sessions.is_empty() {
        format!("No sessions in {}\n", dir.display())
    } else {
        sessions_table(&sessions)
    };
    print_stdout(&text)
}

fn print_stdout(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not worth an error message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(1, e),
    }
}

/// A readable table, newest first; the runbook column comes last because it is the longest.
pub fn sessions_table(sessions: &[SessionSummary]) -> String {
    let header = [
        "ID",
        "STARTED (UTC)",
        "OPERATOR",
        "MODE",
        "PROGRESS",
        "STATE",
        "RUNBOOK",
    ];
    let rows: Vec<[String; 7]> = sessions
        .iter()
        .map(|s| {
            let skipped = if s.skipped > 0 {
                format!(" (+{} skipped)", s.skipped)
            } else {
                String::new()
            };
            [
                s.id.clone(),
                s.started
                    .map(|t| t.to_utc().format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|| "?".into()),
                s.operator.clone(),
                s.mode.map_or("?", |m| m.as_str()).to_string(),
                format!("{}/{}{skipped}", s.done, s.total),
                s.state.as_str().to_string(),
                format!("{} ({})", s.title, s.runbook),
            ]
        })
        .collect();
    let mut widths = header.map(UnicodeWidthStr::width);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.map(String::from));
    for row in &rows {
        line(row);
    }
    out
}

/// `runbook export SESSION|latest [--format md|json] [-o FILE]`.
pub fn cmd_export(session: &str, format: ExportFormat, output: Option<&Path>) -> ExitCode {
    let dir = match existing_data_dir() {
        Ok(d) => d,
        Err(code) => return code,
    };
    let summary = match resolve(&dir, session) {
        Ok(s) => s,
        Err(
            e @ (JournalError::SessionNotFound(_)
            | JournalError::AmbiguousSession { .. }
            | JournalError::NoSessions(_)),
        ) => return fail(2, e),
        Err(e) => return fail(1, e),
    };
    let journal = summary.dir.join(JOURNAL_FILE);
    let (records, warnings) = match read_journal(&journal) {
        Ok(r) => r,
        Err(e) => return fail(1, e),
    };
    for w in warnings {
        eprintln!("runbook: warning: {}: {w}", journal.display());
    }
    let text = match format {
        ExportFormat::Md => export::export_markdown(&records, Some(&summary.dir)),
        ExportFormat::Json => {
            match serde_json::to_string_pretty(&export::export_json(&records, Some(&summary.dir))) {
                Ok(t) => format!("{t}\n"),
                Err(e) => return fail(1, e),
            }
        }
    };
    match output {
        // A path the user gave that cannot be written is bad input, as for `list`: exit 2.
        Some(path) => match super::fs::write_private(path, &text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(2, format!("{}: {e}", path.display())),
        },
        None => print_stdout(&text),
    }
}
