//! What a scan reports: the quoting context of every byte, the tokens of unquoted code and the
//! heredocs.

/// The quoting context of one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Unquoted shell code.
    Code,
    /// A `#` comment (to the end of the line).
    Comment,
    /// Inside `'…'`.
    Single,
    /// Inside `"…"` (or `$"…"`).
    Double,
    /// Inside `$'…'`.
    AnsiC,
    /// Inside `${…}`; `in_dq` when the expansion itself stands inside double quotes.
    Param { in_dq: bool },
    /// Inside `$((…))` or `((…))`.
    Arith,
    /// A heredoc body line whose delimiter was unquoted (expansions happen).
    HereUnquoted,
    /// A quoted heredoc's body line, or any heredoc's terminator line (literal text).
    HereQuoted,
}

/// Classification of one byte of the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ctx {
    pub kind: Kind,
    /// How many backtick substitutions enclose the byte.
    pub backticks: u8,
    /// The byte follows an escaping backslash.
    pub escaped: bool,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A shell word; `command` when it stands at command-word position.
    Word { command: bool },
    /// An operator (`;`, `|`, `&&`, newline, redirection, parenthesis…).
    Op,
}

/// A token of unquoted code, as a byte range of [`Scan::src`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// Nesting depth of the frame the token belongs to (1 = top level).
    pub depth: usize,
}

/// A heredoc introduced by `<<`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter with quotes removed.
    pub delim: String,
    /// `<<-`: leading tabs of body lines and of the terminator are stripped.
    pub strip_tabs: bool,
    /// The delimiter was quoted (`'EOF'`, `"EOF"`, `\EOF`): the body is literal.
    pub quoted: bool,
}

/// The result of scanning a whole script.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The scanned text: the script's lines, each followed by `\n`.
    pub src: String,
    /// The context of every byte of `src`, run-length encoded: each entry gives the context of
    /// the bytes from its offset up to the next entry's. Consumers look at a handful of bytes
    /// (`$`, `<`), so one entry per byte would be mostly written and never read. Runs are
    /// canonical (two neighbours never hold the same context), so two scans that classify
    /// every byte alike compare equal.
    pub(super) runs: Vec<(usize, Ctx)>,
    /// Tokens of unquoted code at every nesting level, sorted by start.
    pub tokens: Vec<Token>,
    /// Every heredoc seen, in order.
    pub heredocs: Vec<Heredoc>,
}

impl Scan {
    /// The context of byte `pos` of `src` (`None` past its end).
    pub fn ctx_at(&self, pos: usize) -> Option<Ctx> {
        if pos >= self.src.len() {
            return None;
        }
        let k = self.runs.partition_point(|(start, _)| *start <= pos);
        self.runs.get(k.checked_sub(1)?).map(|(_, c)| *c)
    }

    /// The distinct contexts of the bytes `start..end` of `src`, in order (`None` when the range
    /// reaches past the end).
    pub fn ctx_runs(&self, start: usize, end: usize) -> Option<impl Iterator<Item = Ctx> + '_> {
        if start > end || end > self.src.len() {
            return None;
        }
        let runs = if start == end {
            &[]
        } else {
            let first = self
                .runs
                .partition_point(|(s, _)| *s <= start)
                .checked_sub(1)?;
            let last = self.runs.partition_point(|(s, _)| *s < end);
            self.runs.get(first..last)?
        };
        Some(runs.iter().map(|(_, c)| *c))
    }

    /// One context per byte of `src` (what the reference scanner records), for tests.
    #[cfg(test)]
    pub fn ctx_bytes(&self) -> Vec<Ctx> {
        (0..self.src.len()).filter_map(|p| self.ctx_at(p)).collect()
    }
}
