//! Escaping for the markdown report: every piece of recorded text is escaped for where it lands
//! (inline text, table cell, code span, fenced block, HTML) so that the report renders as
//! written on GitHub whatever the operator typed or a command printed.

use std::fmt::Write as _;

/// Escapes text for inline markdown (also safe in a table cell): every ASCII punctuation that
/// markdown or GFM gives a meaning is backslash-escaped; newlines become spaces.
pub(crate) fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Like [`escape_inline`] line by line, keeping the line breaks.
pub(super) fn escape_inline_multiline(text: &str) -> String {
    text.lines()
        .map(escape_inline)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Indents every line after the first (continuation lines of a list item).
pub(super) fn indent_lines(text: &str, indent: &str) -> String {
    text.replace('\n', &format!("\n{indent}"))
}

pub(super) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A code span inside a table cell: enough backticks, pipes escaped (GFM reads `\|` as `|`).
pub(super) fn code_span_cell(text: &str) -> String {
    let text = text.replace('\n', " ").replace('|', "\\|");
    let ticks = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A fenced block indented by `indent`, with a fence longer than any backtick run inside.
pub(super) fn fenced(out: &mut String, indent: &str, lang: &str, body: &str) {
    let fence = "`".repeat((longest_backtick_run(body) + 1).max(3));
    let _ = writeln!(out, "{indent}{fence}{lang}");
    for line in body.lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = writeln!(out, "{indent}{fence}");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn inline_escapes_markdown_and_table_syntax() {
        assert_eq!(escape_inline("a|b `c` *d*\nx"), "a\\|b \\`c\\` \\*d\\* x");
        assert_eq!(escape_inline("<script>"), "\\<script\\>");
    }

    #[test]
    fn fence_is_longer_than_backtick_runs() {
        let mut out = String::new();
        fenced(&mut out, "  ", "sh", "echo ````\nls");
        assert_eq!(out, "  `````sh\n  echo ````\n  ls\n  `````\n");
        let mut out = String::new();
        fenced(&mut out, "", "sh", "echo `date`");
        assert!(out.starts_with("```sh\n"));
    }

    #[test]
    fn code_spans_in_cells() {
        assert_eq!(code_span_cell("a|b"), "`a\\|b`");
        assert_eq!(code_span_cell("x `y`"), "`` x `y` ``");
    }
}
