//! Fast path for the most common shape of command: one line of "plain" bytes (letters, digits,
//! space and `-_./:=,@%+`), such as `kubectl get pods -n prod`. Such text has no quotes,
//! expansions, operators, redirections, comments or keywords that need the lexer, so its words
//! are simply the space-separated slices and it is exactly one simple command, without stdin,
//! substitutions or `&`. The general path (`lex` → `simple`) would find the same words: every
//! plain byte is one the lexer copies verbatim, and space is the only separator left.
//!
//! What the parser does at command position is kept: leading `NAME=value` assignments and the
//! keywords it drops (`then`, `do`, …) are skipped; a word that changes the parser's state
//! (`while`, `for`, `case`, `select`, `function`) sends the text to the general path, as does a
//! command with more words than the buffer holds. Equivalence is checked by a property test.

use super::Arg;
use super::simple::{DROP_KEYWORDS, is_assignment};

/// Words kept on the stack; longer commands take the general path.
const MAX_WORDS: usize = 24;

/// The words of a plain one-line command, borrowed from its text.
pub(super) struct PlainWords<'a> {
    buf: [Arg<'a>; MAX_WORDS],
    len: usize,
}

impl<'a> PlainWords<'a> {
    pub fn as_slice(&self) -> &[Arg<'a>] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// Bytes the lexer copies verbatim into a word and that need no other rule here.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b' ' | b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'@' | b'%' | b'+'
        )
}

/// The command's words (after leading assignments and dropped keywords) when `text` is one
/// plain line that the general path would read as a single simple command; `None` otherwise.
pub(super) fn plain_words(text: &str) -> Option<PlainWords<'_>> {
    if !text.bytes().all(is_plain) {
        return None;
    }
    const EMPTY: Arg<'static> = Arg::Borrowed("");
    let mut out = PlainWords {
        buf: [EMPTY; MAX_WORDS],
        len: 0,
    };
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if out.len == 0 {
            if DROP_KEYWORDS.contains(&word) || is_assignment(word) {
                continue;
            }
            if matches!(
                word,
                "while" | "until" | "for" | "select" | "case" | "function"
            ) {
                return None;
            }
        }
        *out.buf.get_mut(out.len)? = Arg::Borrowed(word);
        out.len += 1;
    }
    Some(out)
}
