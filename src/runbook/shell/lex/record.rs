//! What a recording scan keeps besides tokens: the context of every byte, run-length encoded
//! (see [`Scan`](super::Scan)), and heredoc body lines, which are classified without being scanned.

use super::{Ctx, Frame, Kind, Mark, Scanner};

impl Scanner {
    /// Records that the bytes from `pos` on have context `c` (until the next mark). Marks come
    /// in order; a later mark at the same offset replaces the earlier one.
    pub(super) fn mark(&mut self, pos: usize, c: Ctx) {
        if self.runs.last().is_some_and(|(at, _)| *at == pos) {
            self.runs.pop();
        }
        if self.runs.last().is_none_or(|(_, last)| *last != c) {
            self.runs.push((pos, c));
        }
    }

    /// Records the contexts of the bytes `from..to` that one step consumed. They all have the
    /// context the step started in (which the runs already end with), but for a comment and an
    /// escaped byte; a frame the step pushed or popped gives the bytes after it a new one.
    pub(super) fn record_step(&mut self, from: usize, to: usize, mark: Mark) {
        match mark {
            Mark::Plain => {}
            Mark::Comment => {
                let c = self.cur_ctx();
                self.mark(
                    from,
                    Ctx {
                        kind: Kind::Comment,
                        ..c
                    },
                );
                // The newline after the comment is marked by the line's end.
            }
            Mark::Escape if to > from + 1 => {
                let c = self.cur_ctx();
                self.mark(from + 1, Ctx { escaped: true, ..c });
                self.mark(from + 2, c);
            }
            Mark::Escape => {}
        }
        if std::mem::replace(&mut self.frames_changed, false) {
            let c = self.cur_ctx();
            self.mark(to, c);
        }
    }

    pub(super) fn backticks(&self) -> u8 {
        self.backticks
    }

    pub(super) fn cur_ctx(&self) -> Ctx {
        let kind = match self.frames.last() {
            Some(Frame::Code(_)) | None => Kind::Code,
            Some(Frame::Single) => Kind::Single,
            Some(Frame::Double) => Kind::Double,
            Some(Frame::AnsiC) => Kind::AnsiC,
            Some(Frame::Param { in_dq, .. }) => Kind::Param { in_dq: *in_dq },
            Some(Frame::Arith { .. }) => Kind::Arith,
        };
        Ctx {
            kind,
            backticks: self.backticks(),
            escaped: false,
        }
    }

    /// A heredoc body line: not scanned as code; pops the heredoc at its terminator.
    pub(super) fn body_line(&mut self, base: usize, line: &str) {
        let Some(doc) = self.heredocs.get(self.bodies.start) else {
            return;
        };
        let bq = self.bodies_backticks;
        let cand = if doc.strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        // Lenient about trailing blanks: runbooks often carry them and the intent is clear.
        let is_end = cand.trim_end() == doc.delim;
        let kind = if doc.quoted || is_end {
            Kind::HereQuoted
        } else {
            Kind::HereUnquoted
        };
        if self.record {
            let plain = Ctx {
                kind,
                backticks: bq,
                escaped: false,
            };
            self.mark(base, plain);
            if kind == Kind::HereUnquoted {
                // Each backslash escapes the byte after it, unless it is escaped itself.
                let b = line.as_bytes();
                let mut k = 0;
                while let Some(p) = b.get(k..).and_then(|r| r.iter().position(|c| *c == b'\\')) {
                    let esc = k + p + 1;
                    if esc >= b.len() {
                        break;
                    }
                    self.mark(
                        base + esc,
                        Ctx {
                            escaped: true,
                            ..plain
                        },
                    );
                    self.mark(base + esc + 1, plain);
                    k = esc + 1;
                }
            }
        }
        if is_end {
            self.bodies.start += 1;
        }
    }
}
