//! Split a shell block into commands the way a shell reads it (see "Commands inside a block" in
//! RUNBOOK-MODEL.md), and split session (`console`) blocks into commands and expected output.
//!
//! The line-level decisions come from [`lex::Scanner`]: a command ends at the first line after
//! which nothing is left open (quote, heredoc, compound command, trailing `\`, `|`, `&&`, `||`).

pub(crate) mod find;
pub mod lex;
pub mod redirect;

#[cfg(test)]
mod equiv_tests;
#[cfg(test)]
mod fast_path_tests;
#[cfg(test)]
mod lex_ref;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod split_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::sync::LazyLock;

use lex::{Scan, Scanner};
use regex::Regex;

/// One command of a block before risk analysis. Its text is a slice of the block whenever the
/// command's lines are contiguous there (always, but for blocks with `\r` and multi-line
/// session commands), and its label always is: the parser puts a step's strings in one buffer
/// and points commands into the step's code rather than copying them (see `build.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCommand<'a> {
    /// The command's text, all its lines (continuations, heredoc bodies) joined with `\n`.
    pub text: Cow<'a, str>,
    /// 1-based line in the file of the command's first line.
    pub line: usize,
    /// The comment line directly above, cleaned (`# 1. Verify` → `Verify`).
    pub label: Option<&'a str>,
}

/// Whether `code` holds a `\r` (which `lines()` drops before a `\n`).
fn has_cr(code: &str) -> bool {
    find::find_byte(code.as_bytes(), b'\r').is_some()
}

/// A line that is blank or a comment only (the separators between commands): once its
/// leading white space (Unicode's) is trimmed, nothing or a `#`.
fn is_blank_or_comment(line: &str) -> bool {
    // ASCII white space first, byte by byte; other white space is rare and left to `trim`.
    let rest = line.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    match rest.as_bytes().first() {
        None | Some(b'#') => true,
        Some(c) if c.is_ascii() => false,
        Some(_) => {
            let t = rest.trim_start();
            t.is_empty() || t.starts_with('#')
        }
    }
}

/// Splits `code` (a block's content; its first line is line `first_line` of the file).
pub fn split_commands(code: &str, first_line: usize) -> Vec<RawCommand<'_>> {
    if has_cr(code) {
        return split_lines(code, first_line, Scanner::without_ctx()).0;
    }
    // Plain lines read from rest leave a scanner as it was: none is made until a line that is
    // not plain comes.
    split_slices(code, first_line, &mut Lazy(None))
}

/// [`split_commands`], plus the scan [`lex::scan`] gives of `code` followed by `\n` (the script
/// a single-block step hands to variable discovery), from the same pass over the lines. `None`
/// when `code` holds a `\r`: the splitter reads lines without it, the script scan with it.
pub fn split_and_scan(code: &str, first_line: usize) -> Option<(Vec<RawCommand<'_>>, Scan)> {
    if has_cr(code) {
        return None;
    }
    let mut scanner = Scanner::new();
    scanner.reserve(code.len() + 2);
    let cmds = split_slices(code, first_line, &mut scanner);
    // `lines()` leaves out a final empty piece that `split('\n')` (what `scan` uses) yields.
    if code.is_empty() || code.ends_with('\n') {
        scanner.scan_line("");
    }
    // The piece after the script's own trailing `\n`.
    scanner.scan_line("");
    Some((cmds, scanner.finish()))
}

/// Reads a block's lines for the splitter, in order.
trait LineReader {
    /// Reads `line`, after which `rest` bytes of the block remain; returns whether the command
    /// goes on.
    fn read(&mut self, line: &str, rest: usize) -> bool;
}

impl LineReader for Scanner {
    fn read(&mut self, line: &str, _: usize) -> bool {
        self.scan_line(line)
    }
}

/// A scanner that only tells whether a command goes on, made at the first line that is not
/// [`lex::is_plain`]: a plain line leaves a fresh scanner as it was, so none is needed before.
struct Lazy(Option<Scanner>);

impl LineReader for Lazy {
    fn read(&mut self, line: &str, rest: usize) -> bool {
        match self.0.as_mut() {
            Some(s) => s.scan_line(line),
            None if lex::is_plain(line) => false,
            None => {
                let s = self.0.insert(Scanner::without_ctx());
                // The scanner keeps the text it reads, each line with its `\n`: one
                // allocation for this line and the rest.
                s.reserve(line.len() + rest + 2);
                s.scan_line_not_plain(line)
            }
        }
    }
}

/// Splits a block without `\r`: its lines are the `\n`-separated pieces of `code`, so each
/// command is a slice of it and no line list is built.
fn split_slices<'a>(
    code: &'a str,
    first_line: usize,
    reader: &mut impl LineReader,
) -> Vec<RawCommand<'a>> {
    let mut out = Vec::new();
    // Line index and byte offset of the command being read, and the line above it when that
    // line may serve as its label.
    let mut start: Option<(usize, usize, Option<&'a str>)> = None;
    // Lines before this index belong to earlier commands and cannot serve as a label.
    let mut free_from = 0;
    let mut prev: Option<&'a str> = None;
    let mut at = 0;
    let mut end = 0;
    let command = |s: usize, from: usize, to: usize, above: Option<&'a str>| RawCommand {
        text: Cow::Borrowed(code.get(from..to).unwrap_or_default().trim_end()),
        line: first_line + s,
        label: above.and_then(clean_label),
    };
    // The lines `code.lines()` gives: none after a final `\n`.
    for idx in 0.. {
        if at >= code.len() {
            break;
        }
        let line_start = at;
        end = find::find_byte(&code.as_bytes()[at..], b'\n').map_or(code.len(), |p| at + p);
        let line = code.get(line_start..end).unwrap_or_default();
        at = end + 1;
        let open = reader.read(line, code.len().saturating_sub(at));
        if start.is_none() {
            if is_blank_or_comment(line) {
                prev = Some(line);
                continue;
            }
            let above = prev.filter(|_| idx > free_from);
            start = Some((idx, line_start, above));
        }
        if !open && let Some((s, from, above)) = start.take() {
            out.push(command(s, from, end, above));
            free_from = idx + 1;
        }
        prev = Some(line);
    }
    if let Some((s, from, above)) = start {
        // Something was left open (quote, heredoc…): it swallows the rest of the block.
        out.push(command(s, from, end, above));
    }
    out
}

/// Splits a block with `\r`: `lines()` drops it, so commands are joined lines.
fn split_lines(
    code: &str,
    first_line: usize,
    mut scanner: Scanner,
) -> (Vec<RawCommand<'_>>, Scanner) {
    let lines: Vec<&str> = code.lines().collect();
    let block = Lines { lines: &lines };
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    // Lines before this index belong to earlier commands and cannot serve as a label.
    let mut free_from = 0;
    for (idx, line) in lines.iter().enumerate() {
        let open = scanner.scan_line(line);
        if start.is_none() {
            if is_blank_or_comment(line) {
                continue;
            }
            start = Some(idx);
        }
        if !open && let Some(s) = start.take() {
            out.push(block.command(s, idx, free_from, first_line));
            free_from = idx + 1;
        }
    }
    if let Some(s) = start {
        // Something was left open (quote, heredoc…): it swallows the rest of the block.
        let last = lines.len().saturating_sub(1);
        out.push(block.command(s, last, free_from, first_line));
    }
    (out, scanner)
}

/// A block's lines (of a block with `\r`, which `lines()` removes).
struct Lines<'v, 'a> {
    lines: &'v [&'a str],
}

impl<'a> Lines<'_, 'a> {
    /// The lines `start..=end` joined with `\n`, trailing blanks removed: a slice of the block
    /// when it is one line.
    fn text(&self, start: usize, end: usize) -> Cow<'a, str> {
        match &self.lines[start..=end] {
            [one] => Cow::Borrowed(one.trim_end()),
            lines => Cow::Owned(lines.join("\n").trim_end().to_string()),
        }
    }

    /// Builds the command made of `lines[start..=end]`.
    fn command(
        &self,
        start: usize,
        end: usize,
        free_from: usize,
        first_line: usize,
    ) -> RawCommand<'a> {
        let label = start
            .checked_sub(1)
            .filter(|above| *above >= free_from)
            .and_then(|above| self.lines.get(above).copied())
            .and_then(clean_label);
        RawCommand {
            text: self.text(start, end),
            line: first_line + start,
            label,
        }
    }
}

/// `# 1. Verify current cluster status` → `Verify current cluster status`; `None` for lines that
/// are not comments, shebangs, or comments that are empty once cleaned.
pub fn clean_label(line: &str) -> Option<&str> {
    let t = line.trim();
    if !t.starts_with('#') || t.starts_with("#!") {
        return None;
    }
    let t = t.trim_start_matches('#').trim();
    // Only text starting with a digit or an `s` can carry a numbering prefix (`\d` and `(?i)s`
    // are Unicode-aware, hence the wide test).
    let numbered = t.starts_with(|c: char| c.is_numeric() || matches!(c, 's' | 'S' | 'ſ'));
    let t = if numbered {
        strip_step_prefix(t).trim()
    } else {
        t
    };
    (!t.is_empty()).then_some(t)
}

/// Removes a leading `N.`, `N)`, `1.2`, `1.2.` or `Step N:` numbering (followed by a blank).
fn strip_step_prefix(t: &str) -> &str {
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:(?i:step)\s*\d+(?:\.\d+)*\s*[:.)\-]?|\d+(?:\.\d+)*[.)]|\d+(?:\.\d+)+)(?:\s+|$)",
        )
        .expect("static regex")
    });
    PREFIX.find(t).map_or(t, |m| &t[m.end()..])
}

/// The prompt-stripped text of a session line (`$ cmd`, `% cmd`, bare `$`).
fn strip_prompt(line: &str) -> Option<&str> {
    if line.trim_end() == "$" {
        return Some("");
    }
    line.strip_prefix("$ ").or_else(|| line.strip_prefix("% "))
}

/// Splits a session block (`console`): `$ ` / `% ` lines are commands (prompt stripped,
/// continuation lines kept); other non-blank lines are expected output, right-trimmed.
/// Prompt lines holding nothing or only a comment are neither commands nor output. Output lines
/// and one-line commands are slices of `code`.
pub fn split_session(code: &str, first_line: usize) -> (Vec<RawCommand<'_>>, Vec<&str>) {
    let mut cmds = Vec::new();
    let mut expect = Vec::new();
    let mut cur: Option<(Scanner, Vec<&str>, usize)> = None;
    for (idx, line) in code.lines().enumerate() {
        if let Some((scanner, buf, _)) = cur.as_mut() {
            // A terminal shows continuation lines after the `> ` prompt (PS2); left in, it
            // would read as a redirection (`>   -n prod` truncates a file named `-n`).
            let line = match line.strip_prefix("> ") {
                Some(rest) => rest,
                None if line.trim_end() == ">" => "",
                None => line,
            };
            buf.push(line);
            if !scanner.scan_line(line)
                && let Some((_, buf, at)) = cur.take()
            {
                push_session_command(&mut cmds, &buf, first_line + at);
            }
            continue;
        }
        if let Some(rest) = strip_prompt(line) {
            let mut scanner = Scanner::without_ctx();
            if scanner.scan_line(rest) {
                cur = Some((scanner, vec![rest], idx));
            } else {
                push_session_command(&mut cmds, &[rest], first_line + idx);
            }
        } else if !line.trim().is_empty() {
            expect.push(line.trim_end());
        }
    }
    if let Some((_, buf, at)) = cur {
        push_session_command(&mut cmds, &buf, first_line + at);
    }
    (cmds, expect)
}

/// Adds the session command made of `lines` (prompt stripped), starting at file line `line`,
/// unless it is blank or a comment.
fn push_session_command<'a>(cmds: &mut Vec<RawCommand<'a>>, lines: &[&'a str], line: usize) {
    let text = match lines {
        [one] => Cow::Borrowed(one.trim_end()),
        lines => Cow::Owned(lines.join("\n").trim_end().to_string()),
    };
    if !is_blank_or_comment(&text) {
        cmds.push(RawCommand {
            text,
            line,
            label: None,
        });
    }
}

/// Whether a block is written as a session: its first non-blank, non-comment line starts with
/// `$ ` (the parser uses it for `bash` blocks written with prompts).
pub fn looks_like_session(code: &str) -> bool {
    code.lines()
        .find(|l| !is_blank_or_comment(l))
        .is_some_and(|l| l.trim_start().starts_with("$ "))
}
