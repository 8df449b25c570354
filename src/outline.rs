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
    // Streamed: the JSON of a large runbook is several times its size.
    let mut stdout = crate::listing::stdout();
    let written = if json {
        write_json(&mut stdout, &book)
    } else {
        let colour = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        stdout.write_all(render(&book, colour).as_bytes())
    };
    match written.and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("runbook: cannot write the listing: {e}");
            ExitCode::from(2)
        }
    }
}

/// The `--json` contract, pretty-printed, and a final newline.
fn write_json(out: &mut impl Write, book: &Runbook) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, book).map_err(|e| {
        if e.is_io() {
            std::io::Error::from(e)
        } else {
            std::io::Error::other(format!("cannot encode JSON: {e}"))
        }
    })?;
    out.write_all(b"\n")
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
        "{}: {}, {}, {}",
        crate::check::count(book.steps.len(), "step"),
        crate::check::count(counts(StepKind::Check), "check"),
        crate::check::count(counts(StepKind::Command), "command"),
        crate::check::count(counts(StepKind::Note), "note")
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
