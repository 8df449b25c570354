//! Fast path for the most common shape of command: one line of "plain" bytes (letters, digits,
//! space and `-_./:=,@%+`), such as `kubectl get pods -n prod`. Such text has no quotes,
//! expansions, operators, redirections, comments or keywords that need the lexer, so its words
//! are simply the space-separated slices and it is exactly one simple command, without stdin,
//! substitutions or `&`. The general path (`lex` → `simple`) would find the same words: every
//! plain byte is one the lexer copies verbatim, and space is the only separator left.
//!
//! What the parser does at command position is kept: leading `NAME=value` assignments and the
//! keywords it drops (`then`, `do`, …) are skipped; a word that changes the parser's state
//! (`while`, `for`, `case`, `select`, `function`) sends the text to the general path.
//! Equivalence is checked by a property test (`plain_tests`).

use super::Arg;
use super::simple::{DROP_KEYWORDS, is_assignment};
use super::small::Small;

/// Bytes the lexer copies verbatim into a word and that need no other rule here.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b' ' | b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'@' | b'%' | b'+'
            );
        b += 1;
    }
    t
};

/// Words kept inline; a longer command allocates.
type Words<'a> = Small<Arg<'a>, 16>;

/// Calls `f` with the command's words (after leading assignments and dropped keywords) when
/// `text` is one plain line that the general path would read as a single simple command;
/// `None` when the general path is needed.
pub(super) fn with_plain_words<R>(text: &str, f: impl FnOnce(&[Arg<'_>]) -> R) -> Option<R> {
    if !text.bytes().all(|b| PLAIN[usize::from(b)]) {
        return None;
    }
    let mut words = Words::default();
    // Space is the only ASCII whitespace among plain bytes: this is `split(' ')` without the
    // empty pieces, done on bytes.
    for word in text.split_ascii_whitespace() {
        push(&mut words, word)?;
    }
    Some(f(&words))
}

/// Adds one word; `None` when it is a keyword the general path must see.
fn push<'a>(words: &mut Words<'a>, word: &'a str) -> Option<()> {
    if words.is_empty() {
        // Command position: what `simple::Parser::command_start` drops or reacts to.
        if DROP_KEYWORDS.contains(&word) || is_assignment(word) {
            return Some(());
        }
        if matches!(
            word,
            "while" | "until" | "for" | "select" | "case" | "function"
        ) {
            return None;
        }
    }
    words.push(Arg::Borrowed(word));
    Some(())
}
