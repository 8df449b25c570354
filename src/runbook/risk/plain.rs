//! Fast paths for the most common shape of command text: one simple command on one line, made
//! of words only (`kubectl get pods -n prod`, `kubectl logs "$POD" -n <ns>`). Such text needs
//! no parser: it has no operator, newline, comment, redirection, heredoc or substitution, so
//! it is exactly one simple command, without stdin, substitutions or `&`.
//!
//! One look at the bytes decides. Text made only of "plain" bytes (letters, digits, space and
//! `-_./:=,@%+`) is split on spaces: every plain byte is one the lexer copies verbatim, and
//! space is the only separator among them. Other text without any byte that could start an
//! operator, a comment or a substitution (`\n|&;()#` and the backquote) is read word by word
//! by the lexer itself ([`lex::words_only`]), which gives up at any other token.
//!
//! What the parser does at command position is kept: leading `NAME=value` assignments and the
//! keywords it drops (`then`, `do`, …) are skipped; a word that changes the parser's state
//! (`while`, `for`, `case`, `select`, `function`, `[[`) sends the text to the general path.
//! Equivalence is checked by a property test (`plain_tests`).

use super::lex;
use super::scan::placeholder_end;
use super::simple::{DROP_KEYWORDS, STATEFUL, is_assignment, may_be_keyword};
use super::small::Small;
use super::{Arg, Text};

/// A byte outside the plain set.
const NOT_PLAIN: u8 = 1;
/// A byte that may start an operator, a newline, a comment or a substitution.
const SPLITS: u8 = 2;
/// `<` or `>`: part of a `<placeholder>`, or a redirection.
const ANGLE: u8 = 4;

/// The class bits of every byte.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let plain = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b' ' | b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'@' | b'%' | b'+'
            );
        let splits = matches!(c, b'\n' | b'|' | b'&' | b';' | b'(' | b')' | b'#' | b'`');
        let angle = matches!(c, b'<' | b'>');
        t[b] = if plain { 0 } else { NOT_PLAIN }
            | if splits { SPLITS } else { 0 }
            | if angle { ANGLE } else { 0 };
        b += 1;
    }
    t
};

/// Words kept inline; a longer command allocates.
type Words<'a> = Small<Arg<'a>, 8>;

/// Calls `f` with the command's words (after leading assignments and dropped keywords) when
/// `text` is one line of words that the general path would read as a single simple command;
/// `None` when the general path is needed.
pub(super) fn with_words<R>(text: &str, f: impl FnOnce(&[Arg<'_>]) -> R) -> Option<R> {
    let class = text
        .bytes()
        .fold(0, |class, b| class | CLASS[usize::from(b)]);
    // A redirection or a heredoc (`> f`, `<<<`) would make the lexer give up only after
    // reading the words before it: rule them out first.
    if class & SPLITS != 0 || (class & ANGLE != 0 && !only_placeholders(text.as_bytes())) {
        return None;
    }
    let mut words = Words::default();
    if class == 0 {
        // Space is the only ASCII whitespace among plain bytes: this is `split(' ')` without
        // the empty pieces, done on bytes. A plain word is its own raw text.
        let mut rest = text.split_ascii_whitespace();
        for word in rest.by_ref() {
            if at_command_position(word, word)? {
                words.push(Arg(word));
                break;
            }
        }
        for word in rest {
            words.push(Arg(word));
        }
    } else {
        lex::words_only(text, |w| {
            // `$(…)`, backquotes and `<(…)` cannot occur without a splitting byte; were there
            // any, the general path would analyse them.
            if !w.subs.is_empty() {
                return None;
            }
            // A word whose text had to be rebuilt (`a"b"`, `$'\n'`) is left to the general
            // path, which keeps it.
            let Text::Borrowed(text) = w.text else {
                return None;
            };
            if !words.is_empty() || at_command_position(text, w.raw)? {
                words.push(Arg(text));
            }
            Some(())
        })?;
    }
    Some(f(&words))
}

/// Whether every `<` and `>` of the text belongs to a `<placeholder>`.
fn only_placeholders(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(k) = b
        .get(i..)
        .and_then(|r| r.iter().position(|&c| c == b'<' || c == b'>'))
    {
        match placeholder_end(b, i + k) {
            Some(end) => i = end,
            None => return false,
        }
    }
    true
}

/// What `simple::Parser::command_start` does with a word (as `text`, written `raw`) before
/// the command's first word: keep it (`true`), skip it (`false`: an assignment or a keyword it
/// drops), or `None` for a keyword the general path must see.
fn at_command_position(text: &str, raw: &str) -> Option<bool> {
    if may_be_keyword(text) {
        if raw == text && DROP_KEYWORDS.contains(&text) {
            return Some(false);
        }
        if STATEFUL.contains(&text) {
            return None;
        }
    }
    Some(!is_assignment(raw))
}
