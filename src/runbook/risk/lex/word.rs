//! Words: quote removal, escapes, `$…` expansions kept verbatim, substitutions collected.
//!
//! The text is assembled from pieces of the input ([`Text`]): runs of bytes that need no
//! rewriting, escaped characters taken whole (they may be several bytes long) so the cursor
//! stays on a character boundary.

use super::super::scan::{placeholder_end, scan_balanced, scan_braces};
use super::text::Text;
use super::{Lexer, Sink, Word};
use std::borrow::Cow;

/// A word being read.
struct Draft<'a> {
    text: Text<'a>,
    subs: Vec<Cow<'a, str>>,
}

impl<'a, S: Sink<'a>> Lexer<'a, '_, S> {
    /// The character starting at byte `at` (a character boundary), if any.
    fn char_at(&self, at: usize) -> Option<char> {
        self.s.get(at..).and_then(|r| r.chars().next())
    }

    /// Takes the run of bytes from the cursor for which `keep` holds, and moves past it.
    fn copy_run(&mut self, w: &mut Draft<'a>, keep: impl Fn(u8) -> bool) {
        let rest = self.b.get(self.i..).unwrap_or_default();
        let run = rest.iter().position(|&c| !keep(c)).unwrap_or(rest.len());
        w.text.piece(self.i, self.i + run);
        self.i += run;
    }

    /// Takes the character after a backslash at the cursor (or the backslash itself at the
    /// end) and moves past both; an escaped newline disappears.
    fn escaped(&mut self, w: &mut Draft<'a>, keep_backslash: impl Fn(char) -> bool) {
        let n = self.char_at(self.i + 1);
        let after = self.i + 1 + n.map_or(1, char::len_utf8);
        match n {
            Some('\n') => {}
            // The backslash and the character follow each other in the input.
            Some(n) if keep_backslash(n) => w.text.piece(self.i, after),
            Some(_) => w.text.piece(self.i + 1, after),
            None => w.text.piece(self.i, self.i + 1),
        }
        self.i = after.min(self.s.len());
    }

    /// The word at the cursor when it is one run of plain bytes (most words are), moving
    /// past it; `None`, with the cursor unmoved, when [`Lexer::word`] must read it.
    #[inline]
    pub(super) fn plain_word(&mut self) -> Option<Word<'a>> {
        let start = self.i;
        let rest = self.b.get(start..).unwrap_or_default();
        let run = rest
            .iter()
            .position(|&c| !is_plain(c))
            .unwrap_or(rest.len());
        if !self.ends_word(start, start + run) {
            return None;
        }
        self.i = start + run;
        let raw = self.slice(start, self.i);
        Some(Word {
            text: Cow::Borrowed(raw),
            raw,
            subs: Vec::new(),
        })
    }

    pub(super) fn word(&mut self) -> Word<'a> {
        // Most words are one run of plain bytes: they are their own text, borrowed.
        if let Some(w) = self.plain_word() {
            return w;
        }
        let start = self.i;
        let mut w = Draft {
            text: Text::new(self.s),
            subs: Vec::new(),
        };
        while let Some(c) = self.at(0) {
            if is_plain(c) {
                self.copy_run(&mut w, is_plain);
                continue;
            }
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b'|' | b'&' | b';' | b')' => break,
                b'(' if raw_is_array_assign(self.b.get(start..self.i).unwrap_or_default()) => {
                    self.i = scan_balanced(self.s, self.i).1;
                }
                b'(' => break,
                b'<' | b'>' if self.at(1) == Some(b'(') => {
                    let (inner, end) = scan_balanced(self.s, self.i + 1);
                    w.subs.push(Cow::Borrowed(inner));
                    self.i = end;
                }
                b'<' => match placeholder_end(self.b, self.i) {
                    Some(end) => {
                        w.text.piece(self.i, end);
                        self.i = end;
                    }
                    None => break,
                },
                b'>' => break,
                b'\\' => self.escaped(&mut w, |_| false),
                b'\'' => self.single_quoted(&mut w),
                b'"' => {
                    self.i += 1;
                    self.double_quoted(&mut w);
                }
                b'$' => self.dollar(&mut w),
                b'`' => self.backtick(&mut w),
                // Unreachable (every other byte is plain or handled above), kept for safety:
                // an ASCII byte taken as it is.
                _ => {
                    w.text.piece(self.i, self.i + 1);
                    self.i += 1;
                }
            }
        }
        Word {
            text: w.text.finish(),
            raw: self.slice(start, self.i),
            subs: w.subs,
        }
    }

    /// Whether the byte at `at` ends the word that started at `start` (the same decisions as
    /// the loop of [`Lexer::word`], for a word with nothing but plain bytes before `at`).
    fn ends_word(&self, start: usize, at: usize) -> bool {
        let next = self.b.get(at + 1).copied();
        match self.b.get(at).copied() {
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'|' | b'&' | b';' | b')') => true,
            Some(b'(') => !raw_is_array_assign(self.b.get(start..at).unwrap_or_default()),
            Some(b'>') => next != Some(b'('),
            Some(b'<') => next != Some(b'(') && placeholder_end(self.b, at).is_none(),
            Some(_) => false,
        }
    }

    fn single_quoted(&mut self, w: &mut Draft<'a>) {
        self.i += 1;
        self.copy_run(w, |c| c != b'\'');
        if self.at(0) == Some(b'\'') {
            self.i += 1;
        }
    }

    /// Inside `"…"`; the opening quote is already consumed.
    fn double_quoted(&mut self, w: &mut Draft<'a>) {
        while let Some(c) = self.at(0) {
            match c {
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\\' => self.escaped(w, |n| !matches!(n, '"' | '\\' | '$' | '`')),
                b'$' => self.dollar(w),
                b'`' => self.backtick(w),
                _ => self.copy_run(w, |c| !matches!(c, b'"' | b'\\' | b'$' | b'`')),
            }
        }
    }

    fn dollar(&mut self, w: &mut Draft<'a>) {
        let start = self.i;
        match self.at(1) {
            Some(b'(') if self.at(2) == Some(b'(') => {
                self.i = scan_balanced(self.s, self.i + 1).1;
            }
            Some(b'(') => {
                let (inner, end) = scan_balanced(self.s, self.i + 1);
                w.subs.push(Cow::Borrowed(inner));
                self.i = end;
            }
            Some(b'{') => self.i = scan_braces(self.b, self.i + 1),
            Some(b'\'') => {
                self.i += 2;
                self.ansi_c(w);
                return;
            }
            Some(b'"') => {
                self.i += 2;
                self.double_quoted(w);
                return;
            }
            _ => self.i += 1,
        }
        w.text.piece(start, self.i);
    }

    /// `$'…'` with C escapes; the opening `$'` is already consumed.
    fn ansi_c(&mut self, w: &mut Draft<'a>) {
        while let Some(c) = self.at(0) {
            match c {
                b'\'' => {
                    self.i += 1;
                    return;
                }
                b'\\' => {
                    let n = self.char_at(self.i + 1);
                    let after = self.i + 1 + n.map_or(1, char::len_utf8);
                    match n {
                        Some('n') => w.text.push('\n'),
                        Some('t') => w.text.push('\t'),
                        Some(_) => w.text.piece(self.i + 1, after),
                        None => w.text.piece(self.i, self.i + 1),
                    }
                    self.i = after.min(self.s.len());
                }
                _ => self.copy_run(w, |c| !matches!(c, b'\'' | b'\\')),
            }
        }
    }

    fn backtick(&mut self, w: &mut Draft<'a>) {
        let start = self.i;
        self.i += 1;
        // Borrowed until an escape has to be rewritten.
        let mut inner: Cow<'a, str> = Cow::Borrowed("");
        while let Some(c) = self.at(0) {
            match c {
                b'`' => {
                    self.i += 1;
                    break;
                }
                b'\\' if self.at(1) == Some(b'`') => {
                    inner.to_mut().push('`');
                    self.i += 2;
                }
                b'\\' => {
                    inner.to_mut().push('\\');
                    self.i += 1;
                }
                _ => {
                    let rest = self.b.get(self.i..).unwrap_or_default();
                    let run = rest
                        .iter()
                        .position(|&c| matches!(c, b'`' | b'\\'))
                        .unwrap_or(rest.len());
                    let piece = self.slice(self.i, self.i + run);
                    if inner.is_empty() {
                        inner = Cow::Borrowed(piece);
                    } else {
                        inner.to_mut().push_str(piece);
                    }
                    self.i += run;
                }
            }
        }
        w.text.piece(start, self.i);
        w.subs.push(inner);
    }
}

/// Bytes that [`Lexer::word`] copies as they are and that never end a word (every byte of a
/// multi-byte character is plain).
fn is_plain(c: u8) -> bool {
    PLAIN[usize::from(c)]
}

/// [`is_plain`] for every byte.
const PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let special = b" \t\r\n|&;()<>\\'\"$`";
    let mut k = 0;
    while k < special.len() {
        t[special[k] as usize] = false;
        k += 1;
    }
    t
};

/// `arr=(a b)`: the `(` belongs to the assignment, not to a subshell.
fn raw_is_array_assign(raw: &[u8]) -> bool {
    raw.last() == Some(&b'=')
        && raw
            .first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
}
