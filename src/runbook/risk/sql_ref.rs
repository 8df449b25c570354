//! The original `sql_risk` (characters collected into a `Vec<char>`, a `String` per token),
//! kept for tests only as the reference the allocation-light [`super::sql`] is checked against.

use crate::runbook::Risk;

/// Risk of SQL text (statements, psql `\` meta-commands, sqlite `.` dot-commands).
/// String literals and comments are ignored, so `SELECT 'DROP TABLE x'` is a read.
pub(super) fn sql_risk(text: &str) -> Risk {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// SQL-ish fragments, so that random inputs hit every state of `strip` and every rule.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "SELECT", "select", "DROP", "drop", "TABLE", "x", ";", " ", " ", "\n", "\n", "\t", "'", "\"",
        "`", "--", "/*", "*/", "/", "*", "-", "\\", "\\i", "\\copy", " from ", "\\!", ".read",
        ".tables", ".", "a", "DELETE", "FROM", "delete", "from", "INSERT", "INTO", "UPDATE",
        "SET", "set", "GLOBAL", "persist_only", "EXPLAIN", "ANALYZE", "analyse", "WITH", "COPY",
        "TRUNCATE", "pg_terminate_backend", "PG_DROP_replication_slot", "pg_drop_", "KILL",
        "default_transaction_read_only", "TO", "to", "=", "on", "'on'", "'ON'", "\"true\"", "'1'",
        "yes", "1", "setval", "nextval", "pg_reload_conf", "merge", "upsert", "(", ")", ",",
        "é", "日本", "\u{a0}", "\u{2028}", "_", "SHOW", "BEGIN", "commit", "vacuum", "\r\n",
        // whole fragments, so that rules meet each other often
        "SELECT 1", "SELECT 'x' ", "'x'", "'on'", "\"a b\"", "/* c */", "/* c", "-- c\n", "-- é\n",
        ".read f", ".import f", ".tables\n", " .read f", "\\i f\n", "\\dt\n", "é .read f",
        "\u{a0}.read f", "DROP TABLE t;", "SELECT * INTO t FROM u;", "SET default_transaction_read_only TO on",
    ];

    fn sqlish() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat()),
            1 => any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10000))]

        #[test]
        fn sql_risk_matches_the_reference(text in sqlish()) {
            prop_assert_eq!(super::super::sql::sql_risk(&text), super::sql_risk(&text), "{:?}", text);
        }
    }
}
