//! Quotes, `$…` and backticks of the reference lexer.

use super::scan::{scan_balanced, scan_braces};
use super::{Lexer, Word};

impl Lexer {
    pub(super) fn single_quoted(&mut self, w: &mut Word) {
        self.i += 1;
        while let Some(c) = self.at(0) {
            self.i += 1;
            if c == '\'' {
                return;
            }
            w.text.push(c);
        }
    }

    /// Inside `"…"`; the opening quote is already consumed.
    pub(super) fn double_quoted(&mut self, w: &mut Word) {
        while let Some(c) = self.at(0) {
            match c {
                '"' => {
                    self.i += 1;
                    return;
                }
                '\\' => {
                    match self.at(1) {
                        Some('\n') => {}
                        Some(n @ ('"' | '\\' | '$' | '`')) => w.text.push(n),
                        Some(n) => {
                            w.text.push('\\');
                            w.text.push(n);
                        }
                        None => w.text.push('\\'),
                    }
                    self.i += 2;
                }
                '$' => self.dollar(w),
                '`' => self.backtick(w),
                _ => {
                    w.text.push(c);
                    self.i += 1;
                }
            }
        }
    }

    pub(super) fn dollar(&mut self, w: &mut Word) {
        let start = self.i;
        match self.at(1) {
            Some('(') if self.at(2) == Some('(') => {
                self.i = scan_balanced(&self.s, self.i + 1).1;
            }
            Some('(') => {
                let (inner, end) = scan_balanced(&self.s, self.i + 1);
                w.subs.push(inner);
                self.i = end;
            }
            Some('{') => self.i = scan_braces(&self.s, self.i + 1),
            Some('\'') => {
                self.i += 2;
                self.ansi_c(w);
                return;
            }
            Some('"') => {
                self.i += 2;
                self.double_quoted(w);
                return;
            }
            _ => self.i += 1,
        }
        let end = self.i.min(self.s.len());
        w.text.extend(&self.s[start..end]);
    }

    /// `$'…'` with C escapes; the opening `$'` is already consumed.
    pub(super) fn ansi_c(&mut self, w: &mut Word) {
        while let Some(c) = self.at(0) {
            self.i += 1;
            match c {
                '\'' => return,
                '\\' => {
                    let n = self.at(0);
                    self.i += 1;
                    w.text.push(match n {
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some(o) => o,
                        None => '\\',
                    });
                }
                _ => w.text.push(c),
            }
        }
    }

    pub(super) fn backtick(&mut self, w: &mut Word) {
        let start = self.i;
        self.i += 1;
        let mut inner = String::new();
        while let Some(c) = self.at(0) {
            self.i += 1;
            match c {
                '`' => break,
                '\\' if self.at(0) == Some('`') => {
                    inner.push('`');
                    self.i += 1;
                }
                _ => inner.push(c),
            }
        }
        let end = self.i.min(self.s.len());
        w.text.extend(&self.s[start..end]);
        w.subs.push(inner);
    }
}
