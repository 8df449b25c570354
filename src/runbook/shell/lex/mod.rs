//! A line-oriented shell scanner shared by the command splitter and the variable finder.
//!
//! It is not a shell parser: it tracks just enough state (quotes, `$(…)`, `${…}`, `$((…))`,
//! backticks, heredocs, compound-command keywords at command-word position) to tell, after each
//! line, whether the command read so far is complete, and to classify every byte of the input by
//! the quoting context it sits in. It never fails: unterminated constructs simply stay open.

mod code;
pub use code::is_assignment;
mod keyword;
mod plain;
pub use plain::is_plain;
mod quoted;
mod record;
mod redirect;
mod types;

pub use types::{Ctx, Heredoc, Kind, Scan, Token, TokenKind};

/// Scans a whole script (split on `\n`, so byte offsets match `script`).
pub fn scan(script: &str) -> Scan {
    let mut s = Scanner::new();
    s.reserve(script.len() + 1);
    for line in super::find::pieces(script) {
        s.scan_line(line);
    }
    s.finish()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nest {
    If,
    Loop,
    Case,
    Brace,
    Paren,
}

/// Words following a keyword that are not at command position (`for NAME in …`, `case W in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    None,
    For,
    Case,
    Function,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeKind {
    Top,
    Subst,
    Backtick,
}

#[derive(Debug)]
struct CodeFrame {
    kind: CodeKind,
    nest: Vec<Nest>,
    cmd_pos: bool,
    header: Header,
    /// The next word is a redirection target.
    redir: bool,
    /// The word being read.
    word: Option<WordStart>,
}

impl CodeFrame {
    fn new(kind: CodeKind) -> Self {
        CodeFrame {
            kind,
            nest: Vec::new(),
            cmd_pos: true,
            header: Header::None,
            redir: false,
            word: None,
        }
    }
}

/// Where a word started.
#[derive(Debug, Clone, Copy)]
struct WordStart {
    start: usize,
    /// The word stands at command position.
    command: bool,
    /// Where its token goes in [`Scanner::tokens`] once it ends.
    token: usize,
}

/// The innermost frame when it is a code frame (the top level when nothing is nested).
fn innermost_code<'a>(
    top: &'a mut CodeFrame,
    frames: &'a mut [Frame],
) -> Option<&'a mut CodeFrame> {
    match frames.last_mut() {
        None => Some(top),
        Some(Frame::Code(f)) => Some(f),
        _ => None,
    }
}

fn is_backtick(frame: &Frame) -> bool {
    matches!(frame, Frame::Code(c) if c.kind == CodeKind::Backtick)
}

#[derive(Debug)]
enum Frame {
    Code(CodeFrame),
    Single,
    Double,
    AnsiC,
    Param { depth: u32, in_dq: bool },
    Arith { depth: u32 },
}

/// How the bytes consumed by one step are classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Plain,
    /// The second byte was escaped by the first (a backslash).
    Escape,
    Comment,
}

/// Incremental scanner: feed it lines with [`Scanner::scan_line`].
#[derive(Debug)]
pub struct Scanner {
    src: String,
    /// Byte contexts, run-length encoded (see [`Scan`]).
    runs: Vec<(usize, Ctx)>,
    tokens: Vec<Token>,
    heredocs: Vec<Heredoc>,
    /// The top-level code frame, which is never popped (kept apart so that a scanner starts
    /// without allocating).
    top: CodeFrame,
    /// The frames nested in it, innermost last.
    frames: Vec<Frame>,
    /// How many heredocs the current line introduced (the last ones of `heredocs`); their
    /// bodies start on the next line.
    pending: usize,
    /// The heredocs (indices into `heredocs`) whose bodies are being read, in order. Bodies
    /// only start after a code line, so they are always one line's heredocs, consecutive.
    bodies: std::ops::Range<usize>,
    /// The backtick depth the heredocs of `bodies` stand in.
    bodies_backticks: u8,
    /// The last operator of the line was `|`, `||`, `&&` or `|&`.
    pipe_cont: bool,
    /// `name()` or `function name` was read and its body has not started yet.
    func_pending: bool,
    /// The current line ended with an escaping backslash.
    bs_cont: bool,
    /// Whether byte contexts and tokens are recorded (the command splitter only needs
    /// [`Scanner::is_open`], so it skips both).
    record: bool,
    /// How many backtick frames are open (kept in step with `frames`).
    backticks: u8,
    /// A frame was pushed or popped since the byte context was last recorded.
    frames_changed: bool,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl Scanner {
    /// A scanner at the start of a script.
    pub fn new() -> Self {
        Scanner {
            src: String::new(),
            runs: Vec::new(),
            tokens: Vec::new(),
            heredocs: Vec::new(),
            top: CodeFrame::new(CodeKind::Top),
            frames: Vec::new(),
            pending: 0,
            bodies: 0..0,
            bodies_backticks: 0,
            pipe_cont: false,
            func_pending: false,
            bs_cont: false,
            record: true,
            backticks: 0,
            frames_changed: false,
        }
    }

    /// A scanner that only answers [`Scanner::is_open`]: [`Scanner::finish`] then returns no
    /// contexts and no tokens.
    pub fn without_ctx() -> Self {
        Scanner {
            record: false,
            ..Scanner::new()
        }
    }

    /// Makes room for `bytes` more bytes of text (and their contexts and tokens).
    pub fn reserve(&mut self, bytes: usize) {
        self.src.reserve(bytes);
        if self.record {
            // Rough upper bounds for shell text: growing costs a copy and an allocation.
            self.runs.reserve(bytes / 8 + 4);
            self.tokens.reserve(bytes / 4 + 4);
        }
    }

    /// Scans one line (without its `\n`); returns whether the command continues on the next line.
    pub fn scan_line(&mut self, line: &str) -> bool {
        self.scan_line_with(line, true)
    }

    /// [`Scanner::scan_line`] of a line known not to be plain ([`is_plain`] said so): the
    /// fast path would only test it again.
    pub fn scan_line_not_plain(&mut self, line: &str) -> bool {
        self.scan_line_with(line, false)
    }

    fn scan_line_with(&mut self, line: &str, may_be_plain: bool) -> bool {
        let base = self.src.len();
        self.src.push_str(line);
        self.src.push('\n');
        if !self.bodies.is_empty() {
            self.body_line(base, line);
            return self.is_open();
        }
        if may_be_plain && self.plain_line(base, line) {
            return self.is_open();
        }
        self.bs_cont = false;
        let n = line.len();
        if self.record {
            let c = self.cur_ctx();
            self.mark(base, c);
        }
        let mut i = 0;
        while i < n {
            let (j, mark) = self.step(base, line, i);
            let j = j.clamp(i + 1, n);
            if self.record {
                self.record_step(base + i, base + j, mark);
            }
            i = j;
        }
        if self.record {
            let nl = self.cur_ctx();
            self.mark(base + n, nl);
        }
        if !self.bs_cont {
            self.newline(base + n);
        }
        self.is_open()
    }

    /// Whether the command read so far continues on the next line.
    pub fn is_open(&self) -> bool {
        self.bs_cont
            || !self.frames.is_empty()
            || !self.top.nest.is_empty()
            || self.pipe_cont
            || self.func_pending
            || self.pending > 0
            || !self.bodies.is_empty()
    }

    /// Ends the scan and returns the classification.
    pub fn finish(mut self) -> Scan {
        // Words are inserted where they start (see `end_word`), so this only checks.
        if !self.tokens.is_sorted_by_key(|t| t.start) {
            self.tokens.sort_by_key(|t| t.start);
        }
        Scan {
            src: self.src,
            runs: self.runs,
            tokens: self.tokens,
            heredocs: self.heredocs,
        }
    }

    /// An unescaped newline: ends the word and, in code, the command; heredoc bodies start.
    fn newline(&mut self, pos: usize) {
        if matches!(self.frames.last(), None | Some(Frame::Code(_))) {
            self.end_word(pos);
            self.op(pos, pos + 1);
            if let Some(f) = self.code() {
                f.cmd_pos = true;
                f.redir = false;
                if f.header == Header::For {
                    f.header = Header::None;
                }
            }
        }
        if self.pending > 0 {
            // Code lines are only read when no body is, so `bodies` is empty here.
            let n = self.heredocs.len();
            self.bodies = n - self.pending.min(n)..n;
            self.bodies_backticks = self.backticks();
            self.pending = 0;
        }
    }

    fn code(&mut self) -> Option<&mut CodeFrame> {
        innermost_code(&mut self.top, &mut self.frames)
    }

    /// Nesting depth of the innermost frame (1 = top level), as tokens report it.
    fn depth(&self) -> usize {
        self.frames.len() + 1
    }

    fn op(&mut self, start: usize, end: usize) {
        if !self.record {
            return;
        }
        let depth = self.depth();
        self.tokens.push(Token {
            kind: TokenKind::Op,
            start,
            end,
            depth,
        });
    }

    fn push(&mut self, frame: Frame) {
        if is_backtick(&frame) {
            self.backticks = self.backticks.saturating_add(1);
        }
        self.frames.push(frame);
        self.frames_changed = true;
    }

    /// Pops the innermost frame; the top-level code frame is never popped.
    fn pop(&mut self) {
        if let Some(frame) = self.frames.pop() {
            self.frames_changed = true;
            if is_backtick(&frame) {
                // Exact while fewer than 255 are open; beyond, the count saturates as before.
                self.backticks =
                    u8::try_from(self.frames.iter().filter(|f| is_backtick(f)).count())
                        .unwrap_or(u8::MAX);
            }
        }
    }

    /// One step inside the innermost frame, starting at byte `i` of `line`.
    fn step(&mut self, base: usize, line: &str, i: usize) -> (usize, Mark) {
        match self.frames.last() {
            Some(Frame::Code(_)) | None => self.code_step(base, line, i),
            Some(Frame::Single) => self.single_step(line, i),
            Some(Frame::AnsiC) => self.ansi_step(line, i),
            Some(Frame::Double) => self.double_step(base, line, i),
            Some(Frame::Param { .. }) => self.param_step(base, line, i),
            Some(Frame::Arith { .. }) => self.arith_step(base, line, i),
        }
    }
}
