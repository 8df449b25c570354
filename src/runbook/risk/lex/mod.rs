//! A small shell lexer, just precise enough to classify commands: words with their quotes
//! removed, control operators, redirections and heredoc bodies. It works on arbitrary text and
//! never panics; unterminated quotes and substitutions simply run to the end of the input.
//!
//! It walks the bytes of the text: every byte that matters is ASCII, so cutting at those bytes
//! always gives valid `&str` slices. Words borrow their raw text; only the unquoted text is
//! copied, in runs rather than character by character.

mod text;
mod word;

use super::scan::{placeholder_end, scan_balanced};
use std::borrow::Cow;

/// One word after quote removal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    /// The word as the program would receive it (quotes removed, `$(…)` kept verbatim).
    pub text: Cow<'a, str>,
    /// The word as written, quotes included; used to recognise `NAME=value` assignments.
    pub raw: &'a str,
    /// Bodies of `$(…)`, backticks and `<(…)` found in the word: commands that run too.
    /// Borrowed from the text unless an escaped backtick had to be rewritten.
    pub subs: Vec<Cow<'a, str>>,
}

/// Control operators that end a simple command (or group commands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Pipe,
    And,
    Or,
    Semi,
    Amp,
    Newline,
    /// `;;`, `;&`, `;;&` inside `case`.
    CaseEnd,
    LParen,
    RParen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    Word(Word<'a>),
    Op(Op),
    /// A heredoc's body: stdin of the command it belongs to (borrowed when the text holds it
    /// as it is, newline-terminated lines).
    HereDoc(Cow<'a, str>),
    /// `<<< word`: stdin of the command it belongs to.
    HereStr(Word<'a>),
    /// `< file`: stdin comes from a file we cannot see.
    StdinFile,
    /// Any other redirection; its target has been consumed and does not matter.
    Redirect,
}

/// Receives the tokens of a text, in order.
pub(crate) trait Sink<'a> {
    fn token(&mut self, tok: Tok<'a>);

    /// A word: the most frequent token, passed without building a [`Tok`] around it.
    fn word(&mut self, w: Word<'a>) {
        self.token(Tok::Word(w));
    }
}

impl<'a> Sink<'a> for Vec<Tok<'a>> {
    fn token(&mut self, tok: Tok<'a>) {
        self.push(tok);
    }
}

/// Splits `text` into tokens.
#[cfg(test)]
pub(crate) fn lex(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    lex_into(text, &mut toks);
    toks
}

/// Splits `text` into tokens and hands them to `sink` as they are read: no token list in
/// between, except for the rest of a line after a heredoc operator, held back until the
/// body (the lines that follow) is known.
pub(crate) fn lex_into<'a>(text: &'a str, sink: &mut impl Sink<'a>) {
    let mut lx = Lexer {
        s: text,
        b: text.as_bytes(),
        i: 0,
        sink,
        held: Vec::new(),
        pending: None,
        more_pending: Vec::new(),
    };
    lx.run();
    lx.release();
}

/// Reads `text` as a sequence of words only, handing each to `f` in order; `None` as soon as
/// anything else would be a token (an operator, a newline, a comment, a redirection or
/// heredoc) or `f` refuses a word. Words are read exactly as [`lex_into`] reads them.
pub(crate) fn words_only<'a>(
    text: &'a str,
    mut f: impl FnMut(Word<'a>) -> Option<()>,
) -> Option<()> {
    let mut unused: Vec<Tok<'a>> = Vec::new();
    let mut lx = Lexer {
        s: text,
        b: text.as_bytes(),
        i: 0,
        sink: &mut unused,
        held: Vec::new(),
        pending: None,
        more_pending: Vec::new(),
    };
    // The branches of `Lexer::run`, keeping only those that skip blanks or read a word.
    while let Some(c) = lx.at(0) {
        match c {
            b' ' | b'\t' | b'\r' => lx.i += 1,
            b'\\' if lx.at(1) == Some(b'\n') => lx.i += 2,
            b'\n' | b'#' | b'|' | b'&' | b';' | b'(' | b')' => return None,
            b'<' if placeholder_end(lx.b, lx.i).is_none() && lx.at(1) != Some(b'(') => return None,
            b'>' if lx.at(1) != Some(b'(') => return None,
            d if d.is_ascii_digit() && lx.fd_redirect() => return None,
            _ => f(lx.word())?,
        }
    }
    Some(())
}

/// A heredoc whose body starts after the current line: (index in `held`, delimiter, strip
/// tabs).
type Pending<'a> = (usize, Cow<'a, str>, bool);

struct Lexer<'a, 's, S> {
    s: &'a str,
    b: &'a [u8],
    /// Byte offset; always a character boundary (or past the end).
    i: usize,
    sink: &'s mut S,
    /// Tokens from a heredoc operator to the end of its line, waiting for its body.
    held: Vec<Tok<'a>>,
    /// The first heredoc whose body starts after the current line.
    pending: Option<Pending<'a>>,
    /// The others on the same line, rarely any.
    more_pending: Vec<Pending<'a>>,
}

impl<'a, S: Sink<'a>> Lexer<'a, '_, S> {
    /// Passes a token on, or holds it while a heredoc body is pending.
    fn emit(&mut self, tok: Tok<'a>) {
        if self.pending.is_none() {
            self.sink.token(tok);
        } else {
            self.held.push(tok);
        }
    }

    /// Passes on the tokens held back (their heredoc bodies filled in, when they were read).
    fn release(&mut self) {
        if !self.held.is_empty() {
            for tok in self.held.drain(..) {
                self.sink.token(tok);
            }
        }
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).copied()
    }

    fn starts(&self, pat: &str) -> bool {
        self.b
            .get(self.i..)
            .is_some_and(|rest| rest.starts_with(pat.as_bytes()))
    }

    /// Text between two byte offsets (clamped to the input).
    fn slice(&self, from: usize, to: usize) -> &'a str {
        let to = to.min(self.s.len());
        self.s.get(from.min(to)..to).unwrap_or_default()
    }

    fn run(&mut self) {
        while let Some(c) = self.at(0) {
            match c {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\\' if self.at(1) == Some(b'\n') => self.i += 2,
                b'\n' => {
                    self.i += 1;
                    self.emit(Tok::Op(Op::Newline));
                    self.read_heredoc_bodies();
                }
                b'#' => self.skip_comment(),
                b'|' | b'&' | b';' | b'(' | b')' => self.operator(c),
                b'<' if placeholder_end(self.b, self.i).is_none() && self.at(1) != Some(b'(') => {
                    self.redirect()
                }
                b'>' if self.at(1) != Some(b'(') => self.redirect(),
                d if d.is_ascii_digit() && self.fd_redirect() => self.redirect(),
                _ => {
                    let w = match self.plain_word() {
                        Some(w) => w,
                        None => self.word(),
                    };
                    if self.pending.is_none() {
                        self.sink.word(w);
                    } else {
                        self.held.push(Tok::Word(w));
                    }
                }
            }
        }
    }

    fn skip_comment(&mut self) {
        let rest = self.b.get(self.i..).unwrap_or_default();
        self.i += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
    }

    fn operator(&mut self, c: u8) {
        let (op, len) = match c {
            b'|' if self.at(1) == Some(b'|') => (Op::Or, 2),
            b'|' if self.at(1) == Some(b'&') => (Op::Pipe, 2),
            b'|' => (Op::Pipe, 1),
            b'&' if self.at(1) == Some(b'&') => (Op::And, 2),
            b'&' if self.at(1) == Some(b'>') => return self.redirect(),
            b'&' => (Op::Amp, 1),
            b';' if self.starts(";;&") => (Op::CaseEnd, 3),
            b';' if self.starts(";;") || self.starts(";&") => (Op::CaseEnd, 2),
            b';' => (Op::Semi, 1),
            b'(' if self.at(1) == Some(b'(') => {
                // `(( arithmetic ))`: no command inside.
                self.i = scan_balanced(self.s, self.i).1;
                return;
            }
            b'(' => (Op::LParen, 1),
            _ => (Op::RParen, 1),
        };
        self.i += len;
        self.emit(Tok::Op(op));
    }

    /// True when digits at the cursor are a file descriptor directly followed by `<` or `>`.
    fn fd_redirect(&self) -> bool {
        let mut k = 0;
        while self.at(k).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
        }
        matches!(self.at(k), Some(b'<' | b'>')) && self.at(k + 1) != Some(b'(')
    }

    fn redirect(&mut self) {
        while self.at(0).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.starts("<<<") {
            self.i += 3;
            let w = self.target().unwrap_or_default();
            self.emit(Tok::HereStr(w));
        } else if self.starts("<<") {
            self.i += 2;
            let strip = self.at(0) == Some(b'-');
            if strip {
                self.i += 1;
            }
            let delim = self.target().map(|w| w.text).unwrap_or_default();
            let heredoc = (self.held.len(), delim, strip);
            if self.pending.is_none() {
                // Room for the rest of a typical line.
                self.held.reserve(12);
                self.pending = Some(heredoc);
            } else {
                self.more_pending.push(heredoc);
            }
            self.held.push(Tok::HereDoc(Cow::Borrowed("")));
        } else {
            let input = self.at(0) == Some(b'<') && !self.starts("<&") && !self.starts("<>");
            for pat in ["&>>", "&>", ">>", ">|", ">&", "<&", "<>", ">", "<"] {
                if self.starts(pat) {
                    self.i += pat.len();
                    break;
                }
            }
            let _ = self.target();
            self.emit(if input { Tok::StdinFile } else { Tok::Redirect });
        }
    }

    /// The word after a redirection operator, if any.
    fn target(&mut self) -> Option<Word<'a>> {
        while matches!(self.at(0), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        match self.at(0) {
            None | Some(b'\n' | b'|' | b'&' | b';' | b'(' | b')' | b'<' | b'>') => None,
            Some(_) => Some(self.word()),
        }
    }

    fn read_heredoc_bodies(&mut self) {
        let Some(first) = self.pending.take() else {
            return;
        };
        let more = std::mem::take(&mut self.more_pending);
        for (idx, delim, strip) in std::iter::once(&first).chain(&more) {
            // The body is the lines up to the delimiter line, each with its newline: a slice
            // of the text, unless the text ends without a newline after the last one.
            let start = self.i;
            let mut end = start;
            let mut missing_newline = false;
            while self.i < self.s.len() {
                let rest = self.b.get(self.i..).unwrap_or_default();
                let len = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                let line = self.slice(self.i, self.i + len);
                let newline = self.i + len < self.s.len();
                self.i = (self.i + len + 1).min(self.s.len());
                let check = if *strip {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                // Markdown indentation often shifts the closing marker; accept it trimmed.
                if check.trim() == delim {
                    break;
                }
                end = self.i;
                missing_newline = !newline;
            }
            let body = self.slice(start, end);
            let body = if missing_newline {
                Cow::Owned(format!("{body}\n"))
            } else {
                Cow::Borrowed(body)
            };
            if let Some(tok) = self.held.get_mut(*idx) {
                *tok = Tok::HereDoc(body);
            }
        }
        self.release();
    }
}
