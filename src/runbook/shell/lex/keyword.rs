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

/// How a word at command position reads.
pub(super) fn keyword_of(w: &[u8]) -> Keyword {
    // Slice patterns compile to a test of the length, then of the bytes: command names, which
    // are most words here, fall through after a comparison or two.
    match w {
        [b'i', b'f'] => Keyword::Open(Nest::If),
        [b'w', b'h', b'i', b'l', b'e'] | [b'u', b'n', b't', b'i', b'l'] => {
            Keyword::Open(Nest::Loop)
        }
        [b'f', b'o', b'r'] | [b's', b'e', b'l', b'e', b'c', b't'] => Keyword::For,
        [b'c', b'a', b's', b'e'] => Keyword::Case,
        [b'{'] => Keyword::Open(Nest::Brace),
        [b'f', b'u', b'n', b'c', b't', b'i', b'o', b'n'] => Keyword::Function,
        [b'f', b'i'] => Keyword::Close(Nest::If),
        [b'd', b'o', b'n', b'e'] => Keyword::Close(Nest::Loop),
        [b'e', b's', b'a', b'c'] => Keyword::Close(Nest::Case),
        [b'}'] => Keyword::Close(Nest::Brace),
        [b't', b'h', b'e', b'n']
        | [b'd', b'o']
        | [b'e', b'l', b's', b'e']
        | [b'e', b'l', b'i', b'f']
        | [b'!']
        | [b't', b'i', b'm', b'e'] => Keyword::Prefix,
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
