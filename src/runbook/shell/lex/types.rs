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
    /// One entry per byte of `src`.
    pub ctx: Vec<Ctx>,
    /// Tokens of unquoted code at every nesting level, sorted by start.
    pub tokens: Vec<Token>,
    /// Every heredoc seen, in order.
    pub heredocs: Vec<Heredoc>,
}
