//! Redirections in unquoted code: `<`, `>`, `>>`, `2>&1`, `<(…)`, here-strings (`<<<`) and
//! heredocs (`<<EOF`, `<<-EOF`, `<<'EOF'`), whose bodies start on the next line.

use super::code::is_meta;
use super::{Heredoc, Nest, Scanner};

/// Reads a heredoc delimiter word starting at `j`: (unquoted text, was quoted, end offset).
fn delimiter(line: &str, mut j: usize) -> (String, bool, usize) {
    let b = line.as_bytes();
    let ends = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'`') || is_meta(c);
    // Most delimiters (`EOF`) are a plain word: their text is a slice of the line.
    let plain_end = b[j.min(b.len())..]
        .iter()
        .position(|c| ends(*c) || matches!(c, b'\'' | b'"' | b'\\'))
        .map_or(b.len(), |p| j + p);
    if !matches!(b.get(plain_end), Some(b'\'' | b'"' | b'\\'))
        && let Some(word) = line.get(j..plain_end)
    {
        return (word.to_string(), false, plain_end);
    }
    let mut out: Vec<u8> = Vec::new();
    let mut quoted = false;
    while j < b.len() {
        let c = b[j];
        if ends(c) {
            break;
        }
        match c {
            b'\'' | b'"' => {
                quoted = true;
                let close = b[j + 1..]
                    .iter()
                    .position(|x| *x == c)
                    .map_or(b.len(), |p| j + 1 + p);
                out.extend_from_slice(&b[j + 1..close]);
                j = (close + 1).min(b.len());
            }
            b'\\' => {
                quoted = true;
                if let Some(n) = b.get(j + 1) {
                    out.push(*n);
                }
                j = (j + 2).min(b.len());
            }
            _ => {
                out.push(c);
                j += 1;
            }
        }
    }
    // Removing quotes and backslashes may split a character: such bytes become U+FFFD.
    let text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (text, quoted, j)
}

impl Scanner {
    /// `<`, `>`, `<<`, `<<<`, `<(`, `>(` and friends.
    pub(super) fn redirection(&mut self, base: usize, line: &str, i: usize) -> usize {
        self.end_word(base + i);
        self.pipe_cont = false;
        let rest = &line[i..];
        if rest.starts_with("<(") || rest.starts_with(">(") {
            if let Some(f) = self.code() {
                f.nest.push(Nest::Paren);
                f.cmd_pos = true;
            }
            self.op(base + i, base + i + 2);
            return i + 2;
        }
        let len = if rest.starts_with("<<<") {
            3
        } else if rest.starts_with("<<") {
            if let Some(end) = self.heredoc(base, line, i) {
                return end;
            }
            2
        } else if [">>", ">&", ">|", "<&", "<>"]
            .iter()
            .any(|p| rest.starts_with(p))
        {
            2
        } else {
            1
        };
        self.op(base + i, base + i + len);
        if let Some(f) = self.code() {
            f.redir = true;
        }
        i + len
    }

    /// `<<[-]WORD`: registers a heredoc whose body starts on the next line.
    fn heredoc(&mut self, base: usize, line: &str, i: usize) -> Option<usize> {
        let b = line.as_bytes();
        let mut j = i + 2;
        let strip_tabs = b.get(j) == Some(&b'-');
        if strip_tabs {
            j += 1;
        }
        while matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let (delim, quoted, end) = delimiter(line, j);
        if delim.is_empty() && !quoted {
            return None;
        }
        self.op(base + i, base + end);
        let doc = Heredoc {
            delim,
            strip_tabs,
            quoted,
        };
        self.heredocs.push(doc);
        self.pending += 1;
        Some(end)
    }
}
