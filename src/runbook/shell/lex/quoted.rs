//! Scanner steps inside quotes and expansions: `'…'`, `$'…'`, `"…"`, `${…}`, `$((…))`, and the
//! `$` forms that open them.

use super::{CodeFrame, CodeKind, Frame, Mark, Scanner};

/// A backslash at byte `i`: escapes the next byte, or continues the line when it is the last one.
pub(super) fn escape_or_continue(s: &mut Scanner, line: &str, i: usize) -> (usize, Mark) {
    let b = line.as_bytes();
    let at_end = i + 1 >= b.len() || (i + 2 == b.len() && b[i + 1] == b'\r');
    if at_end {
        s.bs_cont = true;
        (b.len(), Mark::Plain)
    } else {
        (i + 2, Mark::Escape)
    }
}

/// The first byte after `i` (which is plain) that `special` flags, or the end of the line.
fn run_end(line: &str, i: usize, special: impl Fn(u8) -> bool) -> usize {
    let b = line.as_bytes();
    b.get(i + 1..)
        .and_then(|rest| rest.iter().position(|c| special(*c)))
        .map_or(b.len(), |p| i + 1 + p)
}

/// Bytes a step inside `${…}` acts on.
fn is_param_special(c: u8) -> bool {
    matches!(c, b'\\' | b'\'' | b'"' | b'$' | b'`' | b'{' | b'}')
}

/// Bytes a step inside `$((…))` acts on.
fn is_arith_special(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'\\' | b'$' | b'"' | b'`')
}

impl Scanner {
    pub(super) fn single_step(&mut self, line: &str, i: usize) -> (usize, Mark) {
        let b = line.as_bytes();
        if b[i] == b'\'' {
            self.pop();
            return (i + 1, Mark::Plain);
        }
        // Everything up to the closing quote is literal.
        let end = b[i..]
            .iter()
            .position(|c| *c == b'\'')
            .map_or(b.len(), |p| i + p);
        (end, Mark::Plain)
    }

    pub(super) fn ansi_step(&mut self, line: &str, i: usize) -> (usize, Mark) {
        match line.as_bytes()[i] {
            b'\\' => (i + 2, Mark::Escape),
            b'\'' => {
                self.pop();
                (i + 1, Mark::Plain)
            }
            _ => (
                run_end(line, i, |c| matches!(c, b'\\' | b'\'')),
                Mark::Plain,
            ),
        }
    }

    pub(super) fn double_step(&mut self, base: usize, line: &str, i: usize) -> (usize, Mark) {
        match line.as_bytes()[i] {
            b'\\' => escape_or_continue(self, line, i),
            b'"' => {
                self.pop();
                (i + 1, Mark::Plain)
            }
            b'$' => self.dollar(base, line, i),
            b'`' => {
                self.push(Frame::Code(CodeFrame::new(CodeKind::Backtick)));
                (i + 1, Mark::Plain)
            }
            _ => {
                let b = line.as_bytes();
                let special = |c: &u8| matches!(c, b'\\' | b'"' | b'$' | b'`');
                let end = b[i..].iter().position(special).map_or(b.len(), |p| i + p);
                (end, Mark::Plain)
            }
        }
    }

    pub(super) fn param_step(&mut self, base: usize, line: &str, i: usize) -> (usize, Mark) {
        let Some(Frame::Param { depth, in_dq }) = self.frames.last_mut() else {
            return (i + 1, Mark::Plain);
        };
        let in_dq = *in_dq;
        match line.as_bytes()[i] {
            b'\\' => return escape_or_continue(self, line, i),
            b'\'' if !in_dq => self.push(Frame::Single),
            b'"' => self.push(Frame::Double),
            b'$' => return self.dollar(base, line, i),
            b'`' => self.push(Frame::Code(CodeFrame::new(CodeKind::Backtick))),
            b'{' => *depth += 1,
            b'}' if *depth == 0 => self.pop(),
            b'}' => *depth -= 1,
            // Bytes that change nothing, up to the next that may.
            _ => return (run_end(line, i, is_param_special), Mark::Plain),
        }
        (i + 1, Mark::Plain)
    }

    pub(super) fn arith_step(&mut self, base: usize, line: &str, i: usize) -> (usize, Mark) {
        let b = line.as_bytes();
        let Some(Frame::Arith { depth }) = self.frames.last_mut() else {
            return (i + 1, Mark::Plain);
        };
        match b[i] {
            b'(' => *depth += 1,
            b')' if *depth == 0 => {
                self.pop();
                // `))` closes the arithmetic; a lone `)` is tolerated as a close too.
                return (
                    if b.get(i + 1) == Some(&b')') {
                        i + 2
                    } else {
                        i + 1
                    },
                    Mark::Plain,
                );
            }
            b')' => *depth -= 1,
            b'\\' => return escape_or_continue(self, line, i),
            b'$' => return self.dollar(base, line, i),
            b'"' => self.push(Frame::Double),
            b'`' => self.push(Frame::Code(CodeFrame::new(CodeKind::Backtick))),
            // Bytes that change nothing, up to the next that may.
            _ => return (run_end(line, i, is_arith_special), Mark::Plain),
        }
        (i + 1, Mark::Plain)
    }

    /// A `$` at byte `i`: opens `$'…'`, `$"…"`, `$((…))`, `$(…)` or `${…}`, else is plain text.
    pub(super) fn dollar(&mut self, base: usize, line: &str, i: usize) -> (usize, Mark) {
        let b = line.as_bytes();
        let in_dq = matches!(
            self.frames.last(),
            Some(Frame::Double | Frame::Param { in_dq: true, .. })
        );
        let quotes_open = matches!(
            self.frames.last(),
            None | Some(Frame::Code(_) | Frame::Param { in_dq: false, .. })
        );
        self.start_word(base + i);
        match b.get(i + 1) {
            Some(b'\'') if quotes_open => {
                self.push(Frame::AnsiC);
                (i + 2, Mark::Plain)
            }
            Some(b'"') if quotes_open => {
                self.push(Frame::Double);
                (i + 2, Mark::Plain)
            }
            Some(b'(') if b.get(i + 2) == Some(&b'(') => {
                self.push(Frame::Arith { depth: 0 });
                (i + 3, Mark::Plain)
            }
            Some(b'(') => {
                self.push(Frame::Code(CodeFrame::new(CodeKind::Subst)));
                (i + 2, Mark::Plain)
            }
            Some(b'{') => {
                self.push(Frame::Param { depth: 0, in_dq });
                (i + 2, Mark::Plain)
            }
            _ => (i + 1, Mark::Plain),
        }
    }
}
