//! `runbook check FILE...`: problems with `file:line:` prefixes, for the CI of runbook repositories.
//! Errors make the exit code 1; warnings (such as a program not on PATH) do not.

use crate::runbook::{Risk, Runbook, StepKind, risk};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding of `runbook check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

/// Entry point: exit 0 when clean or only warnings, 1 on errors, 2 when a file cannot be read.
pub fn cmd_check(files: &[PathBuf]) -> ExitCode {
    let mut stdout = crate::listing::stdout();
    let mut path_cache = HashMap::new();
    let (mut errors, mut warnings, mut unreadable) = (0, 0, 0);
    for file in files {
        let book = match crate::input::load(file) {
            Ok(book) => book,
            Err(e) => {
                eprintln!("runbook: {e}");
                unreadable += 1;
                continue;
            }
        };
        let mut problems = problems(&book);
        problems.extend(missing_programs(&book, &mut |p| {
            on_path(p, &mut path_cache)
        }));
        problems.sort_by_key(|p| p.line);
        for p in &problems {
            let sev = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let line = writeln!(
                stdout,
                "{}:{}: {sev}: {}",
                file.display(),
                p.line,
                p.message
            );
            if let Err(e) = line {
                return cannot_write(&e);
            }
        }
        errors += problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        warnings += problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .count();
    }
    if let Err(e) = stdout.flush() {
        return cannot_write(&e);
    }
    if unreadable > 0 {
        // Each unreadable file already has its one line; a summary would only add noise.
        return ExitCode::from(2);
    }
    eprintln!(
        "{}, {} in {}",
        count(errors, "error"),
        count(warnings, "warning"),
        count(files.len(), "file")
    );
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The one line for problems that cannot be printed (a full disk), and the exit code.
fn cannot_write(e: &std::io::Error) -> ExitCode {
    eprintln!("runbook: cannot write the problems: {e}");
    ExitCode::from(2)
}

/// The pure checks: everything except looking programs up on PATH.
pub fn problems(book: &Runbook) -> Vec<Problem> {
    let mut out: Vec<Problem> = book
        .warnings
        .iter()
        .map(|w| Problem {
            line: w.line,
            severity: if w.message.contains("unterminated") {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: w.message.clone(),
        })
        .collect();
    for step in &book.steps {
        for name in &step.placeholders {
            let declared = book.meta.variables.get(name.as_str());
            if declared.is_none_or(|v| v.default.is_none() && v.prompt.is_none()) {
                out.push(Problem {
                    line: step.line,
                    severity: Severity::Error,
                    message: format!(
                        "placeholder <{name}> has no default: declare it under `variables:` in the front matter"
                    ),
                });
            }
        }
        let confirmed =
            step.annotations.contains_key("confirm") || step.annotations.contains_key("risk");
        if step.risk == Some(Risk::Destructive) && !confirmed {
            out.push(Problem {
                line: step.line,
                severity: Severity::Error,
                message: format!(
                    "destructive step \"{}\" has no confirmation text: add {{ confirm=\"…\" }} or {{ risk=destructive }} to its code block",
                    step.title
                ),
            });
        }
        if step.kind != StepKind::Note
            && let Some(pos) = step
                .commands
                .iter()
                .position(|c| c.interactive && opens_shell(&c.text))
            && pos + 1 < step.commands.len()
        {
            out.push(Problem {
                line: step.commands[pos].line,
                severity: Severity::Warning,
                message:
                    "lines after an interactive shell run in the runbook's shell, not inside it"
                        .to_string(),
            });
        }
    }
    out
}

fn opens_shell(text: &str) -> bool {
    let t = text.trim_end();
    ["/bin/sh", "/bin/bash", " sh", " bash", "/bin/ash", " zsh"]
        .iter()
        .any(|s| t.ends_with(s))
}

/// Warnings for programs that are not on PATH (checked once per program name).
fn missing_programs(book: &Runbook, found: &mut dyn FnMut(&str) -> bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for cmd in book.steps.iter().flat_map(|s| &s.commands) {
        for program in risk::program_names(&cmd.text) {
            if program.contains('/') || program.contains('<') || program.contains('$') {
                continue;
            }
            if !found(&program) && reported.insert(program.clone()) {
                out.push(Problem {
                    line: cmd.line,
                    severity: Severity::Warning,
                    message: format!("`{program}` is not on PATH"),
                });
            }
        }
    }
    out
}

fn on_path(program: &str, cache: &mut HashMap<String, bool>) -> bool {
    *cache.entry(program.to_string()).or_insert_with(|| {
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|dir| is_executable(&dir.join(program)))
        })
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
/// `1 error`, `2 errors`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(super::count(1, "error"), "1 error");
        assert_eq!(super::count(0, "warning"), "0 warnings");
        assert_eq!(super::count(3, "file"), "3 files");
    }
}
