//! `${VAR}` / `$VAR` / `<placeholder>` discovery, and safe substitution of placeholder values.
//!
//! Everything here rests on [`crate::runbook::shell::lex::scan`], which tells for every byte
//! whether it is code, a comment, or inside which kind of quote or heredoc.

mod names;
mod places;
mod subst;

#[cfg(test)]
mod equiv_tests;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;

pub use subst::{shell_quote, substitute_placeholders, written_forms};

use crate::runbook::shell::find::find_byte;
use crate::runbook::shell::lex::{self, Scan};
use names::{is_shell_var, references};
pub(crate) use places::is_placeholder_token;
use places::{Span, placeholder_spans};

/// Whether `script` holds the byte `x`.
fn has(script: &str, x: u8) -> bool {
    find_byte(script.as_bytes(), x).is_some()
}

/// Names the script assigns itself (`X=`, `export X`, `read X`, `for X in`), in order; the same
/// rule [`variables`] uses to leave them out.
pub fn assigned_names(script: &str) -> Vec<String> {
    let scan = lex::scan(script);
    names::assigned(&scan)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Variables referenced and not assigned by the script, in order of first appearance.
pub fn variables(script: &str) -> Vec<String> {
    if !has(script, b'$') {
        return Vec::new();
    }
    to_strings(variables_in(&lex::scan(script)))
}

/// [`variables`] and [`placeholders`] of one script from a single scan; text without `$` (or
/// without `<`) cannot hold any, and text with neither is not scanned at all.
pub fn discover(script: &str) -> (Vec<String>, Vec<String>) {
    match discovery_scan(script) {
        Some(scan) => {
            let (variables, placeholders) = discover_in(&scan);
            (to_strings(variables), to_strings(placeholders))
        }
        None => (Vec::new(), Vec::new()),
    }
}

/// The scan [`discover`] makes of `script`; `None` when the script can hold neither variables
/// nor placeholders (no `$`, no `<`).
pub fn discovery_scan(script: &str) -> Option<Scan> {
    (has(script, b'$') || has(script, b'<')).then(|| lex::scan(script))
}

/// [`discover`] from a scan already made of the script; the names are slices of the scan (the
/// parser copies them into the step's buffer).
pub fn discover_in(scan: &Scan) -> (Vec<&str>, Vec<&str>) {
    (variables_in(scan), placeholders_in(scan))
}

fn to_strings(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(str::to_string).collect()
}

fn variables_in(scan: &Scan) -> Vec<&str> {
    // What the script assigns is looked up only once a reference needs it.
    let mut own: Option<Vec<&str>> = None;
    let mut out: Vec<&str> = Vec::new();
    for r in references(scan) {
        if is_shell_var(r.name) || out.contains(&r.name) {
            continue;
        }
        if !own
            .get_or_insert_with(|| names::assigned(scan))
            .contains(&r.name)
        {
            out.push(r.name);
        }
    }
    out
}

/// The default of the first `${NAME:-default}` / `${NAME-default}` (or `:=` / `=`) in the script,
/// with one pair of surrounding quotes removed.
pub fn default_of(script: &str, name: &str) -> Option<String> {
    let scan = lex::scan(script);
    let b = scan.src.as_bytes();
    references(&scan)
        .filter(|r| r.braced && r.name == name)
        .find_map(|r| {
            let op = [":-", ":=", "-", "="]
                .into_iter()
                .find(|op| scan.src[r.after..].starts_with(op))?;
            let start = r.after + op.len();
            let end = param_end(b, start);
            Some(unquote(&scan.src[start..end]).to_string())
        })
}

/// The offset of the `}` closing a `${…}` whose word starts at `start` (or the end of the text).
fn param_end(b: &[u8], start: usize) -> usize {
    let mut depth = 0u32;
    let mut k = start;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            q @ (b'\'' | b'"') => {
                k += b[k + 1..]
                    .iter()
                    .position(|c| *c == q)
                    .map_or(b.len(), |p| p + 1);
            }
            b'{' => depth += 1,
            b'}' if depth == 0 => return k,
            b'}' => depth -= 1,
            _ => {}
        }
        k += 1;
    }
    b.len()
}

fn unquote(s: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q))
            && !inner.contains(q)
        {
            return inner;
        }
    }
    s
}

/// Placeholders (`<pod-name>`) in the script, in order of first appearance.
pub fn placeholders(script: &str) -> Vec<String> {
    if !has(script, b'<') {
        return Vec::new();
    }
    to_strings(placeholders_in(&lex::scan(script)))
}

fn placeholders_in(scan: &Scan) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for s in placeholder_spans(scan) {
        if !out.contains(&s.name) {
            out.push(s.name);
        }
    }
    out
}
