//! SQL text → risk, and recognising a bare SQL statement used as a command. SQL words count
//! only where SQL goes to a database; callers decide that, this module only reads the SQL.

use crate::runbook::Risk;

/// Risk of SQL text (statements, psql `\` meta-commands, sqlite `.` dot-commands).
/// String literals and comments are ignored, so `SELECT 'DROP TABLE x'` is a read.
pub(crate) fn sql_risk(text: &str) -> Risk {
    let (code, meta) = strip(text);
    let metas = meta.iter().map(|m| meta_risk(m));
    let statements = code.split(';').map(statement_risk);
    metas.chain(statements).max().unwrap_or(Risk::Read)
}

/// Removes comments and literals; pulls out meta-commands (`\i file`, `.read file`).
fn strip(text: &str) -> (String, Vec<String>) {
    let s: Vec<char> = text.chars().collect();
    let mut code = String::new();
    let mut meta = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while let Some(&c) = s.get(i) {
        let next = s.get(i + 1).copied();
        let to_eol = |from: usize| (from..s.len()).find(|&k| s[k] == '\n').unwrap_or(s.len());
        match c {
            '-' if next == Some('-') => i = to_eol(i),
            '/' if next == Some('*') => {
                i = (i + 2..s.len().saturating_sub(1))
                    .find(|&k| s[k] == '*' && s[k + 1] == '/')
                    .map_or(s.len(), |k| k + 2);
            }
            '\\' => {
                let end = to_eol(i);
                meta.push(s[i..end].iter().collect());
                code.push(';');
                i = end;
            }
            '.' if line_start && next.is_some_and(|n| n.is_ascii_alphabetic()) => {
                let end = to_eol(i);
                meta.push(s[i..end].iter().collect());
                code.push(';');
                i = end;
            }
            '\'' | '"' | '`' => {
                let end = (i + 1..s.len()).find(|&k| s[k] == c).unwrap_or(s.len());
                let lit: String = s
                    .get(i + 1..end)
                    .map(|x| x.iter().collect())
                    .unwrap_or_default();
                // Keep a literal that is a setting's value (`= 'on'`); blank out all others.
                let keep = matches!(
                    lit.to_ascii_lowercase().as_str(),
                    "on" | "true" | "yes" | "1"
                );
                code.push(' ');
                code.push_str(if keep { &lit } else { "x" });
                code.push(' ');
                i = end + 1;
            }
            _ => {
                code.push(c);
                i += 1;
            }
        }
        if let Some(&p) = s.get(i.saturating_sub(1)) {
            line_start = p == '\n' || (line_start && p.is_whitespace());
        }
    }
    (code, meta)
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

fn statement_risk(stmt: &str) -> Risk {
    use Risk::*;
    let toks: Vec<String> = stmt
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let Some(first) = toks.first() else {
        return Read;
    };
    let has = |w: &str| toks.iter().any(|t| t == w);
    let destroys = has("DROP")
        || has("TRUNCATE")
        || has("PG_TERMINATE_BACKEND")
        || toks.iter().any(|t| t.starts_with("PG_DROP_"))
        || first == "DELETE"
        || first == "KILL"
        || toks.windows(2).any(|w| w[0] == "DELETE" && w[1] == "FROM")
        || read_only_on(&toks);
    if destroys {
        return Destructive;
    }
    let dml = has("INSERT") || has("UPDATE") || has("MERGE") || has("UPSERT");
    match first.as_str() {
        _ if SIDE_EFFECT_FUNCTIONS.iter().any(|f| has(f)) => Write,
        "EXPLAIN" if (has("ANALYZE") || has("ANALYSE")) && dml => Write,
        "EXPLAIN" => Read,
        "SELECT" if has("INTO") => Write,
        "WITH" if dml => Write,
        "COPY" if has("FROM") => Write,
        "SET"
            if matches!(
                toks.get(1).map(String::as_str),
                Some("GLOBAL" | "PERSIST" | "PERSIST_ONLY")
            ) =>
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

/// `default_transaction_read_only = on` / `TO on`: makes the database refuse writes.
fn read_only_on(toks: &[String]) -> bool {
    toks.iter().enumerate().any(|(k, t)| {
        t == "DEFAULT_TRANSACTION_READ_ONLY"
            && toks[k + 1..]
                .iter()
                .find(|v| v.as_str() != "TO")
                .is_some_and(|v| matches!(v.as_str(), "ON" | "TRUE" | "YES" | "1"))
    })
}

/// Statement keywords as written in upper case.
#[rustfmt::skip]
const UPPER: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "TRUNCATE", "ALTER", "CREATE", "GRANT",
    "REVOKE", "EXPLAIN", "WITH", "SHOW", "BEGIN", "COMMIT", "ROLLBACK", "SET", "VACUUM",
    "ANALYZE", "REINDEX", "COPY", "DESCRIBE", "CALL", "MERGE", "REFRESH", "COMMENT",
];
/// Keywords recognised in any case (the rules below tell SQL from a shell command).
const KEYWORDS: &[&str] = &[
    "select", "explain", "insert", "update", "delete", "drop", "alter", "create", "truncate",
    "grant", "revoke",
];
/// The first letters of [`UPPER`] and [`KEYWORDS`], upper-cased.
const LEADS: &[u8] = b"ABCDEGIMRSTUVW";

/// True when the command itself is a SQL statement or a psql meta-command (a `sql` line pasted
/// into a shell block), judged from its first line that is not a comment.
pub(crate) fn is_bare_sql(text: &str) -> bool {
    !surely_not_sql(text) && judge_first_line(text)
}

/// A shortcut for most commands, which start with a program name: when the text starts with a
/// word that cannot be a keyword, the first line is judged and its first word is that one, so
/// the text is not SQL. Keywords are ASCII letters only; the word ends at ASCII whitespace,
/// `;` or the end of the text (anything else ASCII makes it a non-keyword; a non-ASCII byte
/// may be Unicode whitespace, so that case is left to the full judgement).
fn surely_not_sql(text: &str) -> bool {
    let b = text.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 {
        return false;
    }
    match b.get(letters) {
        None | Some(b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b';') => {
            !spells_a_keyword(b.get(..letters).unwrap_or_default())
        }
        Some(c) => c.is_ascii(),
    }
}

/// Whether ASCII letters spell one of [`UPPER`] or [`KEYWORDS`], in any case (a test checks
/// that this list holds them all).
fn spells_a_keyword(word: &[u8]) -> bool {
    let mut lower = [0u8; 8];
    let Some(lower) = lower.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    #[rustfmt::skip]
    let hit = matches!(
        &*lower,
        b"select" | b"insert" | b"update" | b"delete" | b"drop" | b"truncate" | b"alter"
            | b"create" | b"grant" | b"revoke" | b"explain" | b"with" | b"show" | b"begin"
            | b"commit" | b"rollback" | b"set" | b"vacuum" | b"analyze" | b"reindex" | b"copy"
            | b"describe" | b"call" | b"merge" | b"refresh" | b"comment"
    );
    hit
}

/// [`is_bare_sql`] without the shortcut.
fn judge_first_line(text: &str) -> bool {
    let Some(line) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("--"))
    else {
        return false;
    };
    if let Some(meta) = line.strip_prefix('\\') {
        let cmd = meta.split_whitespace().next().unwrap_or("");
        return cmd.starts_with('d')
            || matches!(
                cmd,
                "l" | "l+"
                    | "c"
                    | "connect"
                    | "conninfo"
                    | "x"
                    | "q"
                    | "timing"
                    | "copy"
                    | "i"
                    | "ir"
                    | "pset"
            );
    }
    // Every keyword below starts with one of these letters; most commands (`kubectl`, `helm`,
    // `./x.sh`) do not, and need no word splitting or comparing.
    let lead = line.as_bytes().first().map_or(0, u8::to_ascii_uppercase);
    if !LEADS.contains(&lead) {
        return false;
    }
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("").trim_end_matches(';');
    // Compared without case; lower-cased copies are only made where a rule reads the line.
    let second = words.next().unwrap_or("");
    if UPPER.contains(&first) {
        return true;
    }
    #[rustfmt::skip]
    const OBJECTS: &[&str] = &[
        "table", "database", "schema", "index", "view", "user", "role", "extension", "function",
        "trigger", "sequence", "type", "materialized", "or", "unique", "temp", "temporary",
        "policy", "publication", "subscription", "column", "procedure",
    ];
    let Some(keyword) = KEYWORDS.iter().find(|k| first.eq_ignore_ascii_case(k)) else {
        return false;
    };
    let lower = || line.to_ascii_lowercase();
    match *keyword {
        // `select NAME in …` is the shell's menu, not SQL.
        "select" => words.next() != Some("in"),
        "explain" => true,
        "insert" => second.eq_ignore_ascii_case("into"),
        "update" => lower().contains(" set "),
        "delete" => second.eq_ignore_ascii_case("from"),
        "drop" | "alter" | "create" => OBJECTS.iter().any(|o| second.eq_ignore_ascii_case(o)),
        "truncate" => second.eq_ignore_ascii_case("table") || line.ends_with(';'),
        "grant" | "revoke" => {
            let lower = lower();
            lower.contains(" on ") || lower.contains(" to ") || lower.contains(" from ")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{KEYWORDS, LEADS, UPPER, judge_first_line, spells_a_keyword, surely_not_sql};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The shortcut only answers where the full judgement says "not SQL".
        #[test]
        fn shortcut_agrees_with_the_full_judgement(
            text in "(select|SELECT|Select|drop|DROP|update|insert|truncate|grant|with|echo|cat|x)?\
                     [a-zA-Z0-9_;.\\\\#\\- \t\n\r\u{b}\u{c}\u{1c}\u{a0}\u{3000}é]{0,4}\
                     (table|into|from|set|on|in|x)?[ a-z;]{0,8}"
        ) {
            if surely_not_sql(&text) {
                prop_assert!(!judge_first_line(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn shortcut_cases() {
        for text in [
            "kubectl get",
            "echo x",
            "cat",
            "base64 -d",
            "pg-dump",
            "SELECTx",
        ] {
            assert!(surely_not_sql(text), "{text:?}");
        }
        for text in [
            "SELECT 1",
            "drop table x",
            "Drop",
            "update;",
            "drop;x",
            "x\u{a0}y",
            "  SELECT",
            "\\d",
        ] {
            assert!(!surely_not_sql(text), "{text:?}");
        }
    }

    #[test]
    fn every_keyword_is_spelled() {
        for k in UPPER.iter().chain(KEYWORDS) {
            assert!(spells_a_keyword(k.as_bytes()), "{k}");
            assert!(spells_a_keyword(k.to_ascii_lowercase().as_bytes()), "{k}");
        }
        assert!(!spells_a_keyword(b"echo"));
        assert!(!spells_a_keyword(b"selects"));
        assert!(!spells_a_keyword(b"truncated"));
    }

    #[test]
    fn leads_cover_every_keyword() {
        for k in UPPER.iter().chain(KEYWORDS) {
            let lead = k.as_bytes()[0].to_ascii_uppercase();
            assert!(LEADS.contains(&lead), "{k}");
        }
    }
}
