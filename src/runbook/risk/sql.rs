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
            _ => {
                let Some(ch) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                code.push(ch);
                i += ch.len_utf8();
                copied = Some(ch);
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

/// Words are compared without case (as the upper-cased words they stand for).
fn statement_risk(stmt: &str) -> Risk {
    use Risk::*;
    let toks: Vec<&str> = stmt
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect();
    let Some(first) = toks.first() else {
        return Read;
    };
    let is = |t: &str, w: &str| t.eq_ignore_ascii_case(w);
    let has = |w: &str| toks.iter().any(|t| is(t, w));
    let drops = |t: &&str| {
        t.as_bytes()
            .get(..8)
            .is_some_and(|head| head.eq_ignore_ascii_case(b"PG_DROP_"))
    };
    let destroys = has("DROP")
        || has("TRUNCATE")
        || has("PG_TERMINATE_BACKEND")
        || toks.iter().any(drops)
        || is(first, "DELETE")
        || is(first, "KILL")
        || toks
            .windows(2)
            .any(|w| is(w[0], "DELETE") && is(w[1], "FROM"))
        || read_only_on(&toks);
    if destroys {
        return Destructive;
    }
    let dml = has("INSERT") || has("UPDATE") || has("MERGE") || has("UPSERT");
    let mut buf = [0u8; 16];
    match upper(first, &mut buf) {
        _ if SIDE_EFFECT_FUNCTIONS.iter().any(|f| has(f)) => Write,
        "EXPLAIN" if (has("ANALYZE") || has("ANALYSE")) && dml => Write,
        "EXPLAIN" => Read,
        "SELECT" if has("INTO") => Write,
        "WITH" if dml => Write,
        "COPY" if has("FROM") => Write,
        "SET"
            if toks.get(1).is_some_and(|t| {
                ["GLOBAL", "PERSIST", "PERSIST_ONLY"]
                    .iter()
                    .any(|w| is(t, w))
            }) =>
        {
            Write
        }
        "SELECT" | "SHOW" | "DESCRIBE" | "DESC" | "VALUES" | "TABLE" | "BEGIN" | "START"
        | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE" | "RESET" | "USE"
        | "LISTEN" | "UNLISTEN" | "FETCH" | "CLOSE" | "HELP" | "STATUS" | "PRAGMA" | "DECLARE"
        | "DEALLOCATE" | "WITH" | "COPY" | "SET" => Read,
        _ => Write,
    }
}

/// `word` upper-cased into `buf` when it is ASCII and fits (every statement keyword does);
/// otherwise `""`, which, like the word itself, matches no keyword.
fn upper<'b>(word: &str, buf: &'b mut [u8; 16]) -> &'b str {
    let Some(out) = buf.get_mut(..word.len()).filter(|_| word.is_ascii()) else {
        return "";
    };
    out.copy_from_slice(word.as_bytes());
    out.make_ascii_uppercase();
    std::str::from_utf8(out).unwrap_or_default()
}

/// `default_transaction_read_only = on` / `TO on`: makes the database refuse writes.
fn read_only_on(toks: &[&str]) -> bool {
    toks.iter().enumerate().any(|(k, t)| {
        t.eq_ignore_ascii_case("DEFAULT_TRANSACTION_READ_ONLY")
            && toks[k + 1..]
                .iter()
                .find(|v| !v.eq_ignore_ascii_case("TO"))
                .is_some_and(|v| {
                    ["ON", "TRUE", "YES", "1"]
                        .iter()
                        .any(|w| v.eq_ignore_ascii_case(w))
                })
    })
}
