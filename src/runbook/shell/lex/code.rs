//! Scanner steps in unquoted code: words, operators, comments, heredoc introducers, and the
//! compound-command keywords that keep a command open (`if…fi`, `for…done`, `case…esac`, `{…}`,
//! `(…)`), recognised only at command-word position so `echo done` does not count.

use super::keyword::keyword;
use super::quoted::escape_or_continue;
use super::{
    CodeFrame, CodeKind, Frame, Header, Mark, Nest, Scanner, Token, TokenKind, WordStart,
    innermost_code,
};

/// Bytes that end an unquoted word (besides blanks and newline).
pub(super) fn is_meta(b: u8) -> bool {
    matches!(b, b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

/// Bytes that end an unquoted word or start something inside it (quote, expansion, escape):
/// every other byte only continues the word it is in (`#` inside a word is not a comment; `{`,
/// `}` matter only once the word ends). A table: this is asked of nearly every byte.
static SPECIAL: [bool; 256] = byte_set(b" \t\r`$\\'\";&|()<>");

/// [`SPECIAL`] but for the blanks that only separate words: a line holding none of these is
/// made of words and blanks (see `plain`).
static NOT_WORD_OR_BLANK: [bool; 256] = byte_set(b"\r`$\\'\";&|()<>");

/// A byte-indexed table of the bytes in `bytes`.
const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut k = 0;
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
}

/// Whether `c` ends an unquoted word or starts something inside it (see [`SPECIAL`]).
pub(super) fn is_special(c: u8) -> bool {
    SPECIAL[usize::from(c)]
}

/// Whether `c` is special but not a blank (see [`NOT_WORD_OR_BLANK`]).
pub(super) fn is_special_not_blank(c: u8) -> bool {
    NOT_WORD_OR_BLANK[usize::from(c)]
}

/// The end of the plain word bytes from `i` on (see [`is_special`]).
fn word_run_end(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .and_then(|rest| rest.iter().position(|c| is_special(*c)))
        .map_or(b.len(), |p| i + p)
}

/// `NAME=`, `NAME+=`, `NAME[i]=` at the start of a word.
pub fn is_assignment(w: &str) -> bool {
    is_assignment_bytes(w.as_bytes())
}

/// [`is_assignment`] of a word's bytes.
pub(super) fn is_assignment_bytes(b: &[u8]) -> bool {
    if !b
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return false;
    }
    let mut k = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    if b.get(k) == Some(&b'[') {
        match b[k..].iter().position(|c| *c == b']') {
            Some(p) => k += p + 1,
            None => return false,
        }
    }
    if b.get(k) == Some(&b'+') {
        k += 1;
    }
    b.get(k) == Some(&b'=')
}

impl Scanner {
    pub(super) fn code_step(&mut self, base: usize, line: &str, i: usize) -> (usize, Mark) {
        let b = line.as_bytes();
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => (self.words(base, b, i), Mark::Plain),
            b'#' if self.code().is_some_and(|f| f.word.is_none()) => (line.len(), Mark::Comment),
            b'`' if self.code().is_some_and(|f| f.kind == CodeKind::Backtick) => {
                self.end_word(base + i);
                self.pop();
                (i + 1, Mark::Plain)
            }
            b'$' => self.dollar(base, line, i),
            b';' | b'&' | b'|' => (self.separator(base, line, i), Mark::Plain),
            b'(' => (self.open_paren(base, line, i), Mark::Plain),
            b')' => (self.close_paren(base, i), Mark::Plain),
            b'<' | b'>' => (self.redirection(base, line, i), Mark::Plain),
            b'\\' | b'\'' | b'"' | b'`' => {
                self.start_word(base + i);
                match c {
                    b'\\' => escape_or_continue(self, line, i),
                    b'\'' => {
                        self.push(Frame::Single);
                        (i + 1, Mark::Plain)
                    }
                    b'"' => {
                        self.push(Frame::Double);
                        (i + 1, Mark::Plain)
                    }
                    b'`' => {
                        self.push(Frame::Code(CodeFrame::new(CodeKind::Backtick)));
                        (i + 1, Mark::Plain)
                    }
                    _ => (self.words(base, b, i), Mark::Plain),
                }
            }
            _ => (self.words(base, b, i), Mark::Plain),
        }
    }

    /// Blanks and plain word bytes from `i` on, read as the steps for each would (words end at
    /// blanks, start at other bytes), in one step: none of them opens or closes a frame. Returns
    /// where something else starts: a special byte, or a `#` that starts a comment.
    fn words(&mut self, base: usize, b: &[u8], mut i: usize) -> usize {
        while let Some(&c) = b.get(i) {
            match c {
                b' ' | b'\t' | b'\r' => {
                    self.end_word(base + i);
                    i += 1;
                    while matches!(b.get(i), Some(b' ' | b'\t' | b'\r')) {
                        i += 1;
                    }
                    if self.in_arguments() {
                        i = self.arguments(base, b, i);
                    }
                }
                b'#' if self.code().is_some_and(|f| f.word.is_none()) => break,
                _ if is_special(c) => break,
                _ => {
                    self.start_word(base + i);
                    i = word_run_end(b, i + 1);
                }
            }
        }
        i
    }

    /// Whether the words that come next can only be arguments of a command already named: no
    /// word in progress, not at command position, no redirection target, keyword header or
    /// function body pending, no `|` continuation to end. Such words change nothing but the
    /// tokens: [`Scanner::end_word`] returns right after recording them.
    fn in_arguments(&mut self) -> bool {
        let quiet = !self.func_pending && !self.pipe_cont;
        self.code().is_some_and(|f| {
            quiet && f.word.is_none() && !f.cmd_pos && !f.redir && f.header == Header::None
        })
    }

    /// Reads argument words and blanks from `i` on (see [`Scanner::in_arguments`]) as the
    /// steps would: one token per word. Returns where something else starts (a special byte,
    /// a comment); a word that goes on past it is left in progress, as `start_word` leaves it.
    fn arguments(&mut self, base: usize, b: &[u8], mut i: usize) -> usize {
        let depth = self.depth();
        while let Some(&c) = b.get(i) {
            if matches!(c, b' ' | b'\t' | b'\r') {
                i += 1;
                continue;
            }
            if c == b'#' || is_special(c) {
                break;
            }
            let start = i;
            i = word_run_end(b, i + 1);
            if !matches!(b.get(i), None | Some(b' ' | b'\t' | b'\r')) {
                // A quote or an expansion continues the word: the steps go on with it.
                self.start_word(base + start);
                break;
            }
            if self.record {
                self.tokens.push(Token {
                    kind: TokenKind::Word { command: false },
                    start: base + start,
                    end: base + i,
                    depth,
                });
            }
        }
        i
    }

    #[inline]
    pub(super) fn start_word(&mut self, pos: usize) {
        let token = self.tokens.len();
        if let Some(f) = self.code()
            && f.word.is_none()
        {
            let command = f.cmd_pos && !f.redir && f.header == Header::None;
            f.word = Some(WordStart {
                start: pos,
                command,
                token,
            });
        }
    }

    /// Ends the word being read (if any) and applies what it means for the nesting state.
    #[inline]
    pub(super) fn end_word(&mut self, end: usize) {
        let depth = self.depth();
        let Some(f) = innermost_code(&mut self.top, &mut self.frames) else {
            return;
        };
        let Some(WordStart {
            start,
            command: cmd,
            token,
        }) = f.word.take()
        else {
            return;
        };
        if self.record {
            // Before the tokens of substitutions inside the word: tokens stay sorted by start.
            self.tokens.insert(
                token,
                Token {
                    kind: TokenKind::Word { command: cmd },
                    start,
                    end,
                    depth,
                },
            );
        }
        self.pipe_cont = false;
        let func_pending = std::mem::replace(&mut self.func_pending, false);
        if std::mem::replace(&mut f.redir, false)
            || (!cmd && !func_pending && f.header == Header::None)
        {
            // A redirection target, or an argument: nothing else depends on it.
            return;
        }
        let w = self.src.as_bytes().get(start..end).unwrap_or_default();
        match f.header {
            Header::For => return,
            Header::Case => {
                if w == b"in" {
                    f.header = Header::None;
                    f.cmd_pos = true;
                }
                return;
            }
            Header::Function => {
                f.header = Header::None;
                f.cmd_pos = true;
                self.func_pending = true;
                return;
            }
            Header::None => {}
        }
        if func_pending && w == b"{" {
            f.nest.push(Nest::Brace);
            f.cmd_pos = true;
            return;
        }
        if !cmd {
            return;
        }
        keyword(f, w);
    }

    /// `;`, `;;`, `&`, `&&`, `&>`, `|`, `||`, `|&`.
    fn separator(&mut self, base: usize, line: &str, i: usize) -> usize {
        self.end_word(base + i);
        let rest = &line[i..];
        let (len, cont, redir) = if rest.starts_with(";;&") {
            (3, false, false)
        } else if rest.starts_with(";;") || rest.starts_with(";&") || rest.starts_with("&&") {
            (2, rest.starts_with("&&"), false)
        } else if rest.starts_with("&>>") {
            (3, false, true)
        } else if rest.starts_with("&>") {
            (2, false, true)
        } else if rest.starts_with("||") || rest.starts_with("|&") {
            (2, true, false)
        } else {
            (1, rest.starts_with('|'), false)
        };
        self.op(base + i, base + i + len);
        self.pipe_cont = cont;
        if let Some(f) = self.code() {
            if redir {
                f.redir = true;
            } else {
                f.cmd_pos = true;
                f.redir = false;
                if f.header == Header::For {
                    f.header = Header::None;
                }
            }
        }
        i + len
    }

    fn open_paren(&mut self, base: usize, line: &str, i: usize) -> usize {
        self.end_word(base + i);
        self.pipe_cont = false;
        let b = line.as_bytes();
        let after = b[i + 1..]
            .iter()
            .position(|c| !matches!(c, b' ' | b'\t'))
            .map(|p| i + 1 + p);
        let Some(f) = innermost_code(&mut self.top, &mut self.frames) else {
            return i + 1;
        };
        if let Some(p) = after.filter(|p| b[*p] == b')') {
            // `name()`: a function definition whose body may start on the next line.
            f.cmd_pos = true;
            self.func_pending = true;
            self.op(base + i, base + p + 1);
            return p + 1;
        }
        if b.get(i + 1) == Some(&b'(') && (f.cmd_pos || f.header == Header::For) {
            f.header = Header::None;
            self.push(Frame::Arith { depth: 0 });
            return i + 2;
        }
        if f.cmd_pos && f.nest.last() == Some(&Nest::Case) {
            // Optional `(` before a case pattern.
            return i + 1;
        }
        f.nest.push(Nest::Paren);
        f.cmd_pos = true;
        self.op(base + i, base + i + 1);
        i + 1
    }

    fn close_paren(&mut self, base: usize, i: usize) -> usize {
        self.end_word(base + i);
        self.pipe_cont = false;
        self.op(base + i, base + i + 1);
        let Some(f) = innermost_code(&mut self.top, &mut self.frames) else {
            return i + 1;
        };
        let top = f.nest.last().copied();
        match top {
            Some(Nest::Paren) => {
                f.nest.pop();
                f.cmd_pos = false;
            }
            // The end of a case pattern: commands follow.
            Some(Nest::Case) => f.cmd_pos = true,
            _ if f.kind == CodeKind::Subst => self.pop(),
            _ => {}
        }
        i + 1
    }
}
