//! The fast path of [`Scanner::scan_line`]: a line of plain words read from rest.
//!
//! Most runbook lines are a command name and its arguments, with no quote, expansion, escape,
//! operator or redirection. Read with nothing open, such a line can only produce words, and
//! its words can only change the state through a compound-command keyword at command position.
//! Without such a keyword, the general path would record one token per word, `Code` contexts
//! (`Comment` from a `#` that starts a word), the newline operator, and leave the state as it
//! found it (but for a pending `|` continuation, which a word ends): this does the same
//! without stepping byte by byte. Anything else is left to the general path, untouched.
//! `equiv_tests` holds the scanner to the original one on lines built around these limits.

use super::code::is_special_not_blank;
use super::keyword::{Keyword, keyword_of};
use super::{Ctx, Header, Kind, Scanner, Token, TokenKind};

/// Context of unquoted code outside any substitution.
const CODE: Ctx = Ctx {
    kind: Kind::Code,
    backticks: 0,
    escaped: false,
};

impl Scanner {
    /// Nothing is open that a plain line could interact with: no frame but the top one, no
    /// heredoc, no word or function header in progress, at command position.
    fn at_rest(&self) -> bool {
        let top = &self.top;
        self.frames.is_empty()
            && top.word.is_none()
            && top.cmd_pos
            && !top.redir
            && top.header == Header::None
            && !self.bs_cont
            && !self.func_pending
            && self.pending == 0
            && self.bodies.is_empty()
    }

    /// Reads `line` (at offset `base` of the text) when it is plain and the scanner is at
    /// rest; returns `false`, having changed nothing, otherwise.
    pub(super) fn plain_line(&mut self, base: usize, line: &str) -> bool {
        if !self.at_rest() {
            return false;
        }
        let tokens = self.tokens.len();
        let record = self.record;
        let words = plain_words(line.as_bytes(), |start, end, command| {
            if record {
                self.tokens.push(Token {
                    kind: TokenKind::Word { command },
                    start: base + start,
                    end: base + end,
                    depth: 1,
                });
            }
        });
        let Some(PlainLine { words, comment }) = words else {
            self.tokens.truncate(tokens);
            return false;
        };
        if words {
            self.pipe_cont = false;
        }
        if self.record {
            let n = line.len();
            self.mark(base, CODE);
            if let Some(c) = comment {
                self.mark(
                    base + c,
                    Ctx {
                        kind: Kind::Comment,
                        ..CODE
                    },
                );
            }
            self.mark(base + n, CODE);
            self.op(base + n, base + n + 1);
        }
        true
    }
}

/// What a plain line holds.
struct PlainLine {
    /// It has at least one word.
    words: bool,
    /// Where its comment starts, if it has one.
    comment: Option<usize>,
}

/// Reads a line as plain words (see the module doc), calling `word(start, end, command)` for
/// each; `None` (after some calls, maybe) when the line is not plain.
fn plain_words(b: &[u8], mut word: impl FnMut(usize, usize, bool)) -> Option<PlainLine> {
    // Most lines that are not plain show it early: check the bytes before the words.
    if b.iter().any(|c| is_special_not_blank(*c)) {
        return None;
    }
    let mut cmd = true;
    let mut words = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' => i += 1,
            b'#' => {
                return Some(PlainLine {
                    words,
                    comment: Some(i),
                });
            }
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b' ' | b'\t') {
                    i += 1;
                }
                let at_command = cmd;
                if cmd {
                    match keyword_of(&b[start..i]) {
                        Keyword::Prefix => {}
                        Keyword::Command => cmd = false,
                        _ => return None,
                    }
                }
                words = true;
                word(start, i, at_command);
            }
        }
    }
    Some(PlainLine {
        words,
        comment: None,
    })
}

/// Whether a fresh scanner would read `line` as a plain line, and so be left as fresh (with
/// nothing open) after it: the splitter then needs no scanner for it.
pub fn is_plain(line: &str) -> bool {
    plain_words(line.as_bytes(), |_, _, _| {}).is_some()
}
