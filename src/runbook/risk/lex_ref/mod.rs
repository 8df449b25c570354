//! The original character-based risk lexer, kept for tests only as the reference the byte
//! lexer ([`super::lex`]) is checked against.
//!
//! A small shell lexer, just precise enough to classify commands: words with their quotes
//! removed, control operators, redirections and heredoc bodies. It works on arbitrary text and
//! never panics; unterminated quotes and substitutions simply run to the end of the input.

use scan::{placeholder_end, scan_balanced};

mod quoted;
mod scan;

/// One word after quote removal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word as the program would receive it (quotes removed, `$(…)` kept verbatim).
    pub text: String,
    /// The word as written, quotes included; used to recognise `NAME=value` assignments.
    pub raw: String,
    /// Bodies of `$(…)`, backticks and `<(…)` found in the word: commands that run too.
    pub subs: Vec<String>,
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
pub(crate) enum Tok {
    Word(Word),
    Op(Op),
    /// A heredoc's body: stdin of the command it belongs to.
    HereDoc(String),
    /// `<<< word`: stdin of the command it belongs to.
    HereStr(Word),
    /// `< file`: stdin comes from a file we cannot see.
    StdinFile,
    /// Any other redirection; its target has been consumed and does not matter.
    Redirect,
}

/// Splits `text` into tokens.
pub(crate) fn lex(text: &str) -> Vec<Tok> {
    let mut lx = Lexer {
        s: text.chars().collect(),
        i: 0,
        toks: Vec::new(),
        pending: Vec::new(),
    };
    lx.run();
    lx.toks
}

struct Lexer {
    s: Vec<char>,
    i: usize,
    toks: Vec<Tok>,
    /// Heredocs whose bodies start after the current line: (token index, delimiter, strip tabs).
    pending: Vec<(usize, String, bool)>,
}

impl Lexer {
    fn at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn starts(&self, pat: &str) -> bool {
        pat.chars().enumerate().all(|(k, c)| self.at(k) == Some(c))
    }

    fn run(&mut self) {
        while let Some(c) = self.at(0) {
            match c {
                ' ' | '\t' | '\r' => self.i += 1,
                '\\' if self.at(1) == Some('\n') => self.i += 2,
                '\n' => {
                    self.i += 1;
                    self.toks.push(Tok::Op(Op::Newline));
                    self.read_heredoc_bodies();
                }
                '#' => self.skip_comment(),
                '|' | '&' | ';' | '(' | ')' => self.operator(c),
                '<' if placeholder_end(&self.s, self.i).is_none() && self.at(1) != Some('(') => {
                    self.redirect()
                }
                '>' if self.at(1) != Some('(') => self.redirect(),
                d if d.is_ascii_digit() && self.fd_redirect() => self.redirect(),
                _ => {
                    let w = self.word();
                    self.toks.push(Tok::Word(w));
                }
            }
        }
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.at(0) {
            if c == '\n' {
                break;
            }
            self.i += 1;
        }
    }

    fn operator(&mut self, c: char) {
        let (op, len) = match c {
            '|' if self.at(1) == Some('|') => (Op::Or, 2),
            '|' if self.at(1) == Some('&') => (Op::Pipe, 2),
            '|' => (Op::Pipe, 1),
            '&' if self.at(1) == Some('&') => (Op::And, 2),
            '&' if self.at(1) == Some('>') => return self.redirect(),
            '&' => (Op::Amp, 1),
            ';' if self.starts(";;&") => (Op::CaseEnd, 3),
            ';' if self.starts(";;") || self.starts(";&") => (Op::CaseEnd, 2),
            ';' => (Op::Semi, 1),
            '(' if self.at(1) == Some('(') => {
                // `(( arithmetic ))`: no command inside.
                self.i = scan_balanced(&self.s, self.i).1;
                return;
            }
            '(' => (Op::LParen, 1),
            _ => (Op::RParen, 1),
        };
        self.i += len;
        self.toks.push(Tok::Op(op));
    }

    /// True when digits at the cursor are a file descriptor directly followed by `<` or `>`.
    fn fd_redirect(&self) -> bool {
        let mut k = 0;
        while self.at(k).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
        }
        matches!(self.at(k), Some('<' | '>')) && self.at(k + 1) != Some('(')
    }

    fn redirect(&mut self) {
        while self.at(0).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.starts("<<<") {
            self.i += 3;
            let w = self.target().unwrap_or_default();
            self.toks.push(Tok::HereStr(w));
        } else if self.starts("<<") {
            self.i += 2;
            let strip = self.at(0) == Some('-');
            if strip {
                self.i += 1;
            }
            let delim = self.target().map(|w| w.text).unwrap_or_default();
            self.pending.push((self.toks.len(), delim, strip));
            self.toks.push(Tok::HereDoc(String::new()));
        } else {
            let input = self.at(0) == Some('<') && !self.starts("<&") && !self.starts("<>");
            for pat in ["&>>", "&>", ">>", ">|", ">&", "<&", "<>", ">", "<"] {
                if self.starts(pat) {
                    self.i += pat.chars().count();
                    break;
                }
            }
            let _ = self.target();
            self.toks
                .push(if input { Tok::StdinFile } else { Tok::Redirect });
        }
    }

    /// The word after a redirection operator, if any.
    fn target(&mut self) -> Option<Word> {
        while matches!(self.at(0), Some(' ' | '\t')) {
            self.i += 1;
        }
        match self.at(0) {
            None | Some('\n' | '|' | '&' | ';' | '(' | ')' | '<' | '>') => None,
            Some(_) => Some(self.word()),
        }
    }

    fn read_heredoc_bodies(&mut self) {
        for (idx, delim, strip) in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            while self.i < self.s.len() {
                let start = self.i;
                while self.at(0).is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
                let line: String = self.s[start..self.i].iter().collect();
                self.i = (self.i + 1).min(self.s.len());
                let check = if strip {
                    line.trim_start_matches('\t')
                } else {
                    line.as_str()
                };
                // Markdown indentation often shifts the closing marker; accept it trimmed.
                if check.trim() == delim {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if let Some(tok) = self.toks.get_mut(idx) {
                *tok = Tok::HereDoc(body);
            }
        }
    }

    fn word(&mut self) -> Word {
        let mut w = Word::default();
        let start = self.i;
        while let Some(c) = self.at(0) {
            if is_plain(c) {
                let run = self.s[self.i..]
                    .iter()
                    .take_while(|c| is_plain(**c))
                    .count();
                w.text.extend(&self.s[self.i..self.i + run]);
                self.i += run;
                continue;
            }
            match c {
                ' ' | '\t' | '\r' | '\n' | '|' | '&' | ';' | ')' => break,
                '(' if w.raw_is_array_assign(&self.s[start..self.i]) => {
                    self.i = scan_balanced(&self.s, self.i).1;
                }
                '(' => break,
                '<' | '>' if self.at(1) == Some('(') => {
                    let (inner, end) = scan_balanced(&self.s, self.i + 1);
                    w.subs.push(inner);
                    self.i = end;
                }
                '<' => match placeholder_end(&self.s, self.i) {
                    Some(end) => {
                        w.text.extend(&self.s[self.i..end]);
                        self.i = end;
                    }
                    None => break,
                },
                '>' => break,
                '\\' => {
                    match self.at(1) {
                        Some('\n') => {}
                        Some(n) => w.text.push(n),
                        None => w.text.push('\\'),
                    }
                    self.i += 2;
                }
                '\'' => self.single_quoted(&mut w),
                '"' => {
                    self.i += 1;
                    self.double_quoted(&mut w);
                }
                '$' => self.dollar(&mut w),
                '`' => self.backtick(&mut w),
                _ => {
                    w.text.push(c);
                    self.i += 1;
                }
            }
        }
        let end = self.i.min(self.s.len());
        let raw = &self.s[start.min(end)..end];
        // Most words are written as they are read: copying the text is cheaper than collecting.
        w.raw = if w.text.chars().eq(raw.iter().copied()) {
            w.text.clone()
        } else {
            raw.iter().collect()
        };
        w
    }
}

/// Characters that [`Lexer::word`] copies as they are and that never end a word.
fn is_plain(c: char) -> bool {
    !matches!(
        c,
        ' ' | '\t'
            | '\r'
            | '\n'
            | '|'
            | '&'
            | ';'
            | '('
            | ')'
            | '<'
            | '>'
            | '\\'
            | '\''
            | '"'
            | '$'
            | '`'
    )
}

impl Word {
    /// `arr=(a b)`: the `(` belongs to the assignment, not to a subshell.
    fn raw_is_array_assign(&self, raw: &[char]) -> bool {
        raw.last() == Some(&'=')
            && raw
                .first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == '_')
    }
}
