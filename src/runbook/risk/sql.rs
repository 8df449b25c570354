//! SQL text → risk. SQL words count only where SQL goes to a database; callers decide that
//! (and `bare_sql` recognises a statement used as a command), this module only reads the SQL.

use crate::runbook::Risk;

/// Risk of SQL text (statements, psql `\` meta-commands, sqlite `.` dot-commands).
/// String literals and comments are ignored, so `SELECT 'DROP TABLE x'` is a read.
pub(crate) fn sql_risk(text: &str) -> Risk {
    let (code, metas) = strip(text);
    code.split(';').map(statement_risk).fold(metas, Risk::max)
}

/// Removes comments and literals, and replaces meta-commands (`\i file`, `.read file`) by `;`:
/// returns what is left, with the highest risk of the meta-commands.
///
/// Every character the rules look at is ASCII, so cutting the text at those bytes keeps
/// character boundaries; any other character is copied whole.
fn strip(text: &str) -> (String, Risk) {
    let b = text.as_bytes();
    // Literals become ` x ` (or ` on `…): at most one byte longer than the literal's quotes.
    let mut code = String::with_capacity(text.len() + 16);
    let mut metas = Risk::Read;
    let mut i = 0;
    let mut line_start = true;
    let find = |from: usize, byte: u8| {
        let rest = b.get(from..).unwrap_or_default();
        rest.iter()
            .position(|&c| c == byte)
            .map_or(b.len(), |k| from + k)
    };
    while let Some(&c) = b.get(i) {
        let next = b.get(i + 1).copied();
        // The character just before the new position, when it is not simply the last one cut.
        let mut copied = None;
        match c {
            b'-' if next == Some(b'-') => i = find(i, b'\n'),
            b'/' if next == Some(b'*') => {
                let rest = text.get(i + 2..).unwrap_or_default();
                i = rest.find("*/").map_or(b.len(), |k| i + 2 + k + 2);
            }
            b'\\' => {
                let end = find(i, b'\n');
                metas = metas.max(meta_risk(text.get(i..end).unwrap_or_default()));
                code.push(';');
                i = end;
            }
            b'.' if line_start && next.is_some_and(|n| n.is_ascii_alphabetic()) => {
                let end = find(i, b'\n');
                metas = metas.max(meta_risk(text.get(i..end).unwrap_or_default()));
                code.push(';');
                i = end;
            }
            b'\'' | b'"' | b'`' => {
                let end = find(i + 1, c);
                let lit = text.get(i + 1..end).unwrap_or_default();
                // Keep a literal that is a setting's value (`= 'on'`); blank out all others.
                let keep = ["on", "true", "yes", "1"]
                    .iter()
                    .any(|v| lit.eq_ignore_ascii_case(v));
                code.push(' ');
                code.push_str(if keep { lit } else { "x" });
                code.push(' ');
                i = end + 1;
            }
            b'-' | b'/' | b'.' => {
                // Not a comment or a dot-command here: an ordinary character.
                code.push(char::from(c));
                i += 1;
                copied = Some(char::from(c));
            }
            _ => {
                // A run of ordinary characters, copied at once; `line_start` is then what
                // updating it character by character would give.
                let rest = b.get(i..).unwrap_or_default();
                let len = rest
                    .iter()
                    .position(|c| matches!(c, b'-' | b'/' | b'\\' | b'.' | b'\'' | b'"' | b'`'))
                    .unwrap_or(rest.len());
                let run = text.get(i..i + len).unwrap_or_default();
                code.push_str(run);
                i += len;
                let blank = |s: &str| s.chars().all(char::is_whitespace);
                line_start = match run.rfind('\n') {
                    Some(nl) => blank(run.get(nl + 1..).unwrap_or_default()),
                    None => line_start && blank(run),
                };
                continue;
            }
        }
        // Past the end (an unterminated literal) there is no character before: no change.
        let before = copied.or_else(|| text.get(..i).and_then(|head| head.chars().next_back()));
        if let Some(p) = before {
            line_start = p == '\n' || (line_start && p.is_whitespace());
        }
    }
    (code, metas)
}

fn meta_risk(m: &str) -> Risk {
    let body = m.get(1..).unwrap_or("");
    let cmd = body
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let lower = m.to_ascii_lowercase();
    let writes = if m.starts_with('\\') {
        matches!(
            cmd.as_str(),
            "i" | "ir" | "include" | "include_relative" | "gexec"
        ) || cmd.starts_with('!')
            || (cmd == "copy" && lower.contains(" from "))
    } else {
        matches!(
            cmd.as_str(),
            "read" | "import" | "restore" | "load" | "shell" | "system" | "clone"
        )
    };
    if writes { Risk::Write } else { Risk::Read }
}

#[rustfmt::skip]
const SIDE_EFFECT_FUNCTIONS: &[&str] = &[

    "PG_CANCEL_BACKEND", "PG_RELOAD_CONF", "PG_ROTATE_LOGFILE", "SETVAL", "NEXTVAL",

    "PG_SWITCH_WAL", "PG_CREATE_RESTORE_POINT", "PG_PROMOTE", "PG_CREATE_LOGICAL_REPLICATION_SLOT",

    "PG_CREATE_PHYSICAL_REPLICATION_SLOT",

];

/// The words of a statement that the rules look at (compared without case).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    Drop,
    Truncate,
    TerminateBackend,
    Delete,
    From,
    Insert,
    Update,
    Merge,
    Upsert,
    Analyze,
    Into,
    ReadOnlySetting,
    To,
    /// `ON`, `TRUE`, `YES`, `1`.
    On,
    /// `GLOBAL`, `PERSIST`, `PERSIST_ONLY`.
    Global,
    SideEffect,
    Other,
}

impl Word {
    fn of(token: &str) -> Word {
        let mut buf = [0u8; 40];
        match upper(token, &mut buf) {
            b"DROP" => Word::Drop,
            b"TRUNCATE" => Word::Truncate,
            b"PG_TERMINATE_BACKEND" => Word::TerminateBackend,
            b"DELETE" => Word::Delete,
            b"FROM" => Word::From,
            b"INSERT" => Word::Insert,
            b"UPDATE" => Word::Update,
            b"MERGE" => Word::Merge,
            b"UPSERT" => Word::Upsert,
            b"ANALYZE" | b"ANALYSE" => Word::Analyze,
            b"INTO" => Word::Into,
            b"DEFAULT_TRANSACTION_READ_ONLY" => Word::ReadOnlySetting,
            b"TO" => Word::To,
            b"ON" | b"TRUE" | b"YES" | b"1" => Word::On,
            b"GLOBAL" | b"PERSIST" | b"PERSIST_ONLY" => Word::Global,
            w if SIDE_EFFECT_FUNCTIONS.iter().any(|f| f.as_bytes() == w) => Word::SideEffect,
            _ => Word::Other,
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// Risk of one statement, from its words read once.
fn statement_risk(stmt: &str) -> Risk {
    use Risk::*;
    let mut tokens = words(stmt);
    let Some(first) = tokens.next() else {
        return Read;
    };
    let first_word = Word::of(first);
    let mut seen = first_word.bit();
    let mut second = Word::Other;
    let mut pg_drop = starts_pg_drop(first);
    let mut delete_from = false;
    // `default_transaction_read_only` waits for its value (after any `TO`).
    let mut awaiting_value = first_word == Word::ReadOnlySetting;
    let mut read_only_on = false;
    let mut prev = first_word;
    for (k, token) in tokens.enumerate() {
        let word = Word::of(token);
        if k == 0 {
            second = word;
        }
        seen |= word.bit();
        pg_drop |= starts_pg_drop(token);
        delete_from |= prev == Word::Delete && word == Word::From;
        if awaiting_value && word != Word::To {
            read_only_on |= word == Word::On;
            awaiting_value = false;
        }
        awaiting_value |= word == Word::ReadOnlySetting;
        prev = word;
    }
    let has = |w: Word| seen & w.bit() != 0;
    let mut buf = [0u8; 16];
    let first = std::str::from_utf8(upper(first, &mut buf)).unwrap_or_default();
    let destroys = has(Word::Drop)
        || has(Word::Truncate)
        || has(Word::TerminateBackend)
        || pg_drop
        || first == "DELETE"
        || first == "KILL"
        || delete_from
        || read_only_on;
    if destroys {
        return Destructive;
    }
    let dml = has(Word::Insert) || has(Word::Update) || has(Word::Merge) || has(Word::Upsert);
    match first {
        _ if has(Word::SideEffect) => Write,
        "EXPLAIN" if has(Word::Analyze) && dml => Write,
        "EXPLAIN" => Read,
        "SELECT" if has(Word::Into) => Write,
        "WITH" if dml => Write,
        "COPY" if has(Word::From) => Write,
        "SET" if second == Word::Global => Write,
        "SELECT" | "SHOW" | "DESCRIBE" | "DESC" | "VALUES" | "TABLE" | "BEGIN" | "START"
        | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE" | "RESET" | "USE"
        | "LISTEN" | "UNLISTEN" | "FETCH" | "CLOSE" | "HELP" | "STATUS" | "PRAGMA" | "DECLARE"
        | "DEALLOCATE" | "WITH" | "COPY" | "SET" => Read,
        _ => Write,
    }
}

/// `pg_drop_replication_slot` and the other `PG_DROP_…` functions.
fn starts_pg_drop(token: &str) -> bool {
    token
        .as_bytes()
        .get(..8)
        .is_some_and(|head| head.eq_ignore_ascii_case(b"PG_DROP_"))
}

/// `word` upper-cased into `buf` when it is ASCII and fits (every keyword does); otherwise
/// empty, which, like the word itself, matches no keyword.
fn upper<'b, const N: usize>(word: &str, buf: &'b mut [u8; N]) -> &'b [u8] {
    let Some(out) = buf.get_mut(..word.len()).filter(|_| word.is_ascii()) else {
        return &[];
    };
    out.copy_from_slice(word.as_bytes());
    out.make_ascii_uppercase();
    out
}

/// The words of a statement: the runs of alphanumeric characters and `_` (what splitting at
/// every other character and dropping the empty pieces gives), read on bytes where ASCII.
fn words(stmt: &str) -> impl Iterator<Item = &str> {
    let b = stmt.as_bytes();
    let mut i = 0;
    // The length of the character at `at` when it belongs to a word, else `None`.
    let word_char = move |at: usize| -> Option<Option<usize>> {
        let c = *b.get(at)?;
        if c.is_ascii() {
            return Some((c.is_ascii_alphanumeric() || c == b'_').then_some(1));
        }
        let ch = stmt.get(at..)?.chars().next()?;
        Some(ch.is_alphanumeric().then_some(ch.len_utf8()))
    };
    let skip = move |at: usize| {
        stmt.get(at..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8)
    };
    std::iter::from_fn(move || {
        loop {
            match word_char(i)? {
                Some(_) => break,
                None => i += skip(i),
            }
        }
        let start = i;
        while let Some(Some(len)) = word_char(i) {
            i += len;
        }
        stmt.get(start..i)
    })
}
