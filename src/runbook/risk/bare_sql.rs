//! Recognising a bare SQL statement used as a command (a `sql` line pasted into a shell
//! block): such a command is judged by its SQL, not as a program.

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
/// [`LEADS`] as one bit per letter (`A` is bit 0).
const LEAD_MASK: u32 = {
    let mut mask = 0;
    let mut k = 0;
    while k < LEADS.len() {
        mask |= 1 << (LEADS[k] - b'A');
        k += 1;
    }
    mask
};

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
    // No keyword starts with most letters (`kubectl`, `helm`…): one bit test.
    if let Some(&first) = b.first()
        && first.is_ascii_alphabetic()
        && LEAD_MASK >> (first.to_ascii_uppercase() - b'A') & 1 == 0
    {
        return true;
    }
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 {
        // The first line starts with this byte too when it is none of blank, `#`, `-` (a
        // comment or an empty line), `\` (a psql meta-command) or a non-ASCII byte (maybe
        // Unicode whitespace): then no keyword starts it (`./run.sh`, `[ -f x ]`, `$CMD`).
        return b.first().is_some_and(|&c| {
            c.is_ascii() && !c.is_ascii_whitespace() && !matches!(c, b'\x0b' | b'#' | b'-' | b'\\')
        });
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
    // Every keyword has three to eight letters (a test checks it).
    if !(3..=8).contains(&word.len()) {
        return false;
    }
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
            "x\u{a0}y",
            "./run.sh",
            "[ -f x ]",
            "$KUBECTL get pods",
        ] {
            assert!(surely_not_sql(text), "{text:?}");
        }
        for text in [
            "SELECT 1",
            "drop table x",
            "Drop",
            "update;",
            "drop;x",
            "s\u{a0}y",
            "  SELECT",
            "\\d",
            "-- c\nSELECT 1",
            "# c\nSELECT 1",
            "\u{b}SELECT",
            "\u{3000}SELECT",
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
        for k in UPPER.iter().chain(KEYWORDS) {
            assert!((3..=8).contains(&k.len()), "{k}");
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
