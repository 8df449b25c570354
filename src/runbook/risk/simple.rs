//! Tokens → simple commands. Shell grammar (`if`, loops, `case`, groups, subshells, functions)
//! is flattened: what matters for risk is every simple command that may run, with its words,
//! its stdin and the substitutions it contains.

use super::Text;
use super::lex::{Op, Sink, Tok, Word, lex_into};

/// Where a command's stdin comes from, when it is not the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input<'a> {
    /// Text we can see: heredoc body, here-string, or what `cat <<EOF`/`echo` pipes in.
    Text(Text<'a>),
    /// A file or a pipe whose content we do not know.
    Opaque,
}

/// One simple command of a command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Simple<'a> {
    /// Words after the leading `NAME=value` assignments, quotes removed.
    pub words: Vec<Text<'a>>,
    /// Bodies of `$(…)` / backticks / `<(…)` anywhere in the command, assignments included.
    pub subs: Vec<Text<'a>>,
    /// Explicit stdin (heredoc, here-string, `< file`).
    pub stdin: Option<Input<'a>>,
    /// Reads the previous command's output through `|`.
    pub piped_in: bool,
    /// Followed by `&`.
    pub background: bool,
    /// The condition of a `while`/`until` loop (`while read line`): input is not the keyboard.
    pub loop_cond: bool,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Header {
    #[default]
    None,
    /// `for x in …` / `select x in …`: words are a list, not a command.
    For,
    /// `case WORD in`: until `in`, then patterns.
    Case,
    /// `function name` / `name()`: until the body's `{`.
    Function,
}

struct Parser<'a, F> {
    /// Receives each simple command as soon as it is complete.
    emit: F,
    /// The command being read; emitted, then cleared for the next one (keeping its buffers).
    cur: Simple<'a>,
    /// The command emitted last, when `emit` asked to keep it (see [`for_each_simple`]).
    prev: Option<Simple<'a>>,
    touched: bool,
    pattern: bool,
    dbracket: bool,
    header: Header,
    depth: usize,
}

/// Splits `text` into simple commands and hands each one, in order, to `emit`, with the one
/// emitted just before it if `emit` asked to keep that one (by returning `true`): what a
/// command writes to a pipe is only worked out when the next command reads it. Commands are
/// lent, not given: `emit` may take what it needs out of them (a stdin text, say).
pub(crate) fn for_each_simple<'a>(
    text: &'a str,
    emit: impl FnMut(&mut Simple<'a>, Option<&mut Simple<'a>>) -> bool,
) {
    let mut p = Parser {
        emit,
        cur: Simple {
            // Room for a typical command's words: one allocation for the whole text.
            words: Vec::with_capacity(12),
            ..Simple::default()
        },
        prev: None,
        touched: false,
        pattern: false,
        dbracket: false,
        header: Header::None,
        depth: 0,
    };
    lex_into(text, &mut p);
    p.flush(false);
}

/// Keywords dropped at command position: they only group or separate commands.
#[rustfmt::skip]
pub(crate) const DROP_KEYWORDS: &[&str] = &[

    "if", "then", "else", "elif", "fi", "do", "done", "!", "{", "}", "esac", "]]", "in",

];

impl<'a, F: FnMut(&mut Simple<'a>, Option<&mut Simple<'a>>) -> bool> Sink<'a> for Parser<'a, F> {
    fn token(&mut self, tok: Tok<'a>) {
        match tok {
            Tok::Word(w) => self.read_word(w),
            Tok::Op(op) => self.op(op),
            Tok::HereDoc(body) => {
                self.touched = true;
                self.cur.stdin = Some(match self.cur.stdin.take() {
                    Some(Input::Text(t)) => Input::Text(Text::Owned(t.into_owned() + &body)),
                    _ => Input::Text(body),
                });
            }
            Tok::HereStr(w) => {
                self.touched = true;
                self.cur.subs.extend(w.subs);
                self.cur.stdin = Some(Input::Text(w.text));
            }
            Tok::StdinFile => {
                if self.cur.stdin.is_none() {
                    self.cur.stdin = Some(Input::Opaque);
                }
            }
            Tok::Redirect => {}
        }
    }

    fn word(&mut self, w: Word<'a>) {
        self.read_word(w);
    }
}

impl<'a, F: FnMut(&mut Simple<'a>, Option<&mut Simple<'a>>) -> bool> Parser<'a, F> {
    fn read_word(&mut self, mut w: Word<'a>) {
        if self.pattern {
            if self.cur.words.is_empty() && w.text == "esac" {
                self.pattern = false;
            }
            return;
        }
        if self.cur.subs.is_empty() {
            // Usually the first: take the word's list as it is.
            std::mem::swap(&mut self.cur.subs, &mut w.subs);
        } else {
            self.cur.subs.append(&mut w.subs);
        }
        if self.dbracket {
            if w.text == "]]" {
                self.dbracket = false;
            }
            return;
        }
        match self.header {
            Header::None => {}
            Header::Case => {
                if w.text == "in" {
                    self.header = Header::None;
                    self.pattern = true;
                }
                return;
            }
            Header::Function => {
                if w.text == "{" {
                    self.header = Header::None;
                }
                return;
            }
            Header::For => return,
        }
        self.touched = true;
        if self.cur.words.is_empty() {
            self.command_start(w);
        } else {
            self.cur.words.push(w.text);
        }
    }

    fn command_start(&mut self, w: Word<'a>) {
        let t: &str = &w.text;
        if !may_be_keyword(t) {
            // None of the keywords below: only an assignment is special.
            if !is_assignment(w.raw) {
                self.cur.words.push(w.text);
            }
            return;
        }
        if w.raw == w.text && DROP_KEYWORDS.contains(&t) {
            return;
        }
        match t {
            "while" | "until" => self.cur.loop_cond = true,
            "for" => self.header = Header::For,
            "select" => {
                // `select x in …` shows a menu and reads the choice, like `read`.
                let mut prompt = Simple {
                    words: vec![Text::Borrowed("read")],
                    stdin: self.cur.stdin.clone(),
                    piped_in: self.cur.piped_in,
                    ..Simple::default()
                };
                if (self.emit)(&mut prompt, self.prev.as_mut()) {
                    self.prev = Some(prompt);
                } else {
                    self.prev = None;
                }
                self.header = Header::For;
            }
            "case" => self.header = Header::Case,
            "function" => self.header = Header::Function,
            "[[" => {
                self.dbracket = true;
                self.cur.words.push(w.text);
            }
            _ if is_assignment(w.raw) => {}
            _ => self.cur.words.push(w.text),
        }
    }

    fn op(&mut self, op: Op) {
        if self.pattern {
            if op == Op::RParen {
                self.pattern = false;
            }
            return;
        }
        if self.dbracket && matches!(op, Op::And | Op::Or | Op::LParen | Op::RParen) {
            return;
        }
        self.dbracket = false;
        match (self.header, op) {
            (Header::For, Op::Semi | Op::Newline) => self.header = Header::None,
            (Header::Function, Op::LParen | Op::RParen | Op::Newline) => return,
            (Header::None, _) => {}
            _ => return,
        }
        match op {
            Op::Pipe => self.flush(true),
            Op::Amp => {
                self.cur.background = true;
                self.flush(false);
            }
            Op::CaseEnd => {
                self.flush(false);
                self.pattern = true;
            }
            Op::LParen if !self.cur.words.is_empty() => {
                // `name() { … }`: a function definition, not a command.
                self.cur.words.clear();
                self.header = Header::Function;
            }
            Op::LParen => {
                self.depth += 1;
                self.flush(false);
            }
            Op::RParen => {
                self.depth = self.depth.saturating_sub(1);
                self.flush(false);
            }
            Op::And | Op::Or | Op::Semi | Op::Newline => self.flush(false),
        }
    }

    fn flush(&mut self, pipe_next: bool) {
        let cur = &mut self.cur;
        if self.touched || !cur.words.is_empty() || !cur.subs.is_empty() || cur.stdin.is_some() {
            let keep = (self.emit)(cur, self.prev.as_mut());
            if keep {
                // Kept as the previous command; the next one gets the older buffers.
                let older = self.prev.take().unwrap_or_default();
                self.prev = Some(std::mem::replace(cur, older));
            } else {
                self.prev = None;
            }
        }
        // A fresh command, reusing the buffers of the last one.
        let cur = &mut self.cur;
        cur.words.clear();
        cur.subs.clear();
        cur.stdin = None;
        cur.background = false;
        cur.loop_cond = false;
        cur.piped_in = pipe_next;
        self.touched = false;
    }
}

/// Keywords that change the parser's state at command position.
pub(crate) const STATEFUL: &[&str] = &["while", "until", "for", "select", "case", "function", "[["];

/// The first bytes of [`DROP_KEYWORDS`] and [`STATEFUL`], one bit each.
const KEYWORD_LEADS: u128 = {
    let mut mask = 0u128;
    let lists = [DROP_KEYWORDS, STATEFUL];
    let mut l = 0;
    while l < lists.len() {
        let mut k = 0;
        while k < lists[l].len() {
            let first = lists[l][k].as_bytes()[0];
            if first < 128 {
                mask |= 1 << first;
            }
            k += 1;
        }
        l += 1;
    }
    mask
};

/// False when `word` surely is none of the keywords of [`DROP_KEYWORDS`] and [`STATEFUL`]:
/// most command names (`kubectl`, `grep`) start with a byte that no keyword starts with.
pub(crate) fn may_be_keyword(word: &str) -> bool {
    let lead = word.as_bytes().first().map_or(0, |&b| u32::from(b));
    lead < 128 && KEYWORD_LEADS >> lead & 1 == 1
}

/// `NAME=value`, `NAME+=value`, `NAME[i]=value` as written (an unquoted name).
pub(crate) fn is_assignment(raw: &str) -> bool {
    // The name starts the word: a word that starts otherwise is no assignment.
    if !raw
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
    {
        return false;
    }
    // `=` is ASCII: its byte position is a character boundary.
    let Some(eq) = raw.bytes().position(|b| b == b'=') else {
        return false;
    };
    let name = raw[..eq].trim_end_matches('+');
    let name = match name.find('[') {
        Some(b) if name.ends_with(']') => &name[..b],
        _ => name,
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
