//! Compound-command keywords: what a word at command-word position does to the nesting state
//! (`if…fi`, `for…done`, `case…esac`, `{…}`), so that `echo done` does not count.

use super::code::is_assignment_bytes as is_assignment;
use super::{CodeFrame, Header, Nest};

/// What a word at command position does to the nesting state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    /// Opens a compound command (`if`, `while`, `until`, `{`).
    Open(Nest),
    /// `for` / `select`: a loop whose next word is its variable.
    For,
    /// `case`: a compound command whose words up to `in` are its subject.
    Case,
    /// `function`: the next word is a function name.
    Function,
    /// Closes the innermost compound command of its kind (`fi`, `done`, `esac`, `}`).
    Close(Nest),
    /// Leaves the next word at command position (`then`, `do`, `!`, `time`, `NAME=value`…).
    Prefix,
    /// A command name: the words after it are its arguments.
    Command,
}

/// Whether a word could be one of the keywords of [`keyword_of`]: they are at most 8 bytes
/// long and start with one of a few bytes, which rules out most command names at once.
fn may_be_keyword(w: &[u8]) -> bool {
    w.len() <= 8 && matches!(w.first(), Some(b'i' | b'w' | b'u' | b'f' | b's' | b'c' | b'{'
        | b'd' | b'e' | b'}' | b't' | b'!'))
}

/// How a word at command position reads.
pub(super) fn keyword_of(w: &[u8]) -> Keyword {
    if !may_be_keyword(w) {
        return if is_assignment(w) {
            Keyword::Prefix
        } else {
            Keyword::Command
        };
    }
    match w {
        b"if" => Keyword::Open(Nest::If),
        b"while" | b"until" => Keyword::Open(Nest::Loop),
        b"for" | b"select" => Keyword::For,
        b"case" => Keyword::Case,
        b"{" => Keyword::Open(Nest::Brace),
        b"function" => Keyword::Function,
        b"fi" => Keyword::Close(Nest::If),
        b"done" => Keyword::Close(Nest::Loop),
        b"esac" => Keyword::Close(Nest::Case),
        b"}" => Keyword::Close(Nest::Brace),
        b"then" | b"do" | b"else" | b"elif" | b"!" | b"time" => Keyword::Prefix,
        _ if is_assignment(w) => Keyword::Prefix,
        _ => Keyword::Command,
    }
}

/// Applies a word at command position: keywords open and close compound commands.
pub(super) fn keyword(f: &mut CodeFrame, w: &[u8]) {
    match keyword_of(w) {
        Keyword::Open(n) => f.nest.push(n),
        Keyword::For => {
            f.nest.push(Nest::Loop);
            f.header = Header::For;
        }
        Keyword::Case => {
            f.nest.push(Nest::Case);
            f.header = Header::Case;
        }
        Keyword::Function => f.header = Header::Function,
        Keyword::Close(n) => {
            if let Some(p) = f.nest.iter().rposition(|x| *x == n) {
                f.nest.truncate(p);
            }
            f.cmd_pos = false;
        }
        Keyword::Prefix => {}
        Keyword::Command => f.cmd_pos = false,
    }
}
