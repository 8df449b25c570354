//! `runbook list`: the readable outline (coloured on a TTY) and the `--json` contract.

use crate::runbook::{Risk, Runbook, Step, StepKind};
use crossterm::style::Stylize;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// Entry point of `runbook list FILE [--json]`.
pub fn cmd_list(file: &Path, json: bool) -> ExitCode {
    let book = match crate::input::load(file) {
        Ok(book) => book,
        Err(e) => {
            eprintln!("runbook: {e}");
            return ExitCode::from(2);
        }
    };
    let out = if json {
        match serde_json::to_string_pretty(&book) {
            Ok(text) => text + "\n",
            Err(e) => {
                eprintln!("runbook: cannot encode JSON: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        let colour = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        render(&book, colour)
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`runbook list x | head`) is not an error worth reporting.
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}

/// The glyph of a step's kind: `[ ]`/`[x]` checks, `$` commands, `≡` notes.
fn kind_glyph(step: &Step) -> &'static str {
    match step.kind {
        StepKind::Check if step.checked => "[x]",
        StepKind::Check => "[ ]",
        StepKind::Command => " $ ",
        StepKind::Note => " ≡ ",
    }
}

/// Markers after the title: `!` write, `!!` destructive, `⏵` long-running, `⌨` interactive.
fn markers(step: &Step) -> String {
    let mut m = String::new();
    match step.risk {
        Some(Risk::Write) => m.push_str(" !"),
        Some(Risk::Destructive) => m.push_str(" !!"),
        _ => {}
    }
    if step.commands.iter().any(|c| c.long_running) {
        m.push_str(" ⏵");
    }
    if step.commands.iter().any(|c| c.interactive) {
        m.push_str(" ⌨");
    }
    m
}

/// Renders headings and numbered steps in document order.
pub fn render(book: &Runbook, colour: bool) -> String {
    let paint = |text: String, f: fn(String) -> String| if colour { f(text) } else { text };
    let mut out = String::new();
    let counts = |k: StepKind| book.steps.iter().filter(|s| s.kind == k).count();
    let _ = writeln!(
        out,
        "{}",
        paint(book.title.clone(), |t| t.bold().to_string())
    );
    let _ = writeln!(
        out,
        "{} steps: {} checks, {} commands, {} notes",
        book.steps.len(),
        counts(StepKind::Check),
        counts(StepKind::Command),
        counts(StepKind::Note)
    );
    let width = book.steps.len().to_string().len();
    let mut sections = book.sections.iter().peekable();
    for step in &book.steps {
        while let Some(section) = sections.next_if(|s| s.line <= step.line) {
            let hashes = "#".repeat(usize::from(section.level));
            let _ = writeln!(
                out,
                "\n{}",
                paint(format!("{hashes} {}", section.title), |t| t
                    .bold()
                    .blue()
                    .to_string())
            );
        }
        let indent = "  ".repeat(step.depth);
        let marks = markers(step);
        let marks = match step.risk {
            Some(Risk::Destructive) => paint(marks, |t| t.red().bold().to_string()),
            Some(Risk::Write) => paint(marks, |t| t.yellow().to_string()),
            _ => marks,
        };
        let line = format!(
            "{:>width$} {indent}{} {}",
            step.number,
            kind_glyph(step),
            step.title
        );
        let line = if step.kind == StepKind::Note {
            paint(line, |t| t.dim().to_string())
        } else {
            line
        };
        let _ = writeln!(out, "{line}{marks}");
    }
    for section in sections {
        let hashes = "#".repeat(usize::from(section.level));
        let _ = writeln!(
            out,
            "\n{}",
            paint(format!("{hashes} {}", section.title), |t| t
                .bold()
                .blue()
                .to_string())
        );
    }
    out
}
