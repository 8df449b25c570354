//! Equivalence of the one-command fast paths ([`super::plain`]) with the general path, on
//! inputs built around their boundary: keywords and assignments at command position (quoted
//! or not), wrappers, SQL-looking words, runs of blanks, quotes, expansions, escapes,
//! placeholders, redirection-looking bytes, and bytes that send the text to the general path.

use proptest::prelude::*;

use super::{analyze_general, analyze_plain, bare_sql, names_general, names_of_words, plain};

#[rustfmt::skip]
const PIECES: &[&str] = &[
    // keywords at command position
    "if", "then", "else", "elif", "fi", "do", "done", "esac", "in", "while", "until", "for",
    "select", "case", "function", "true", ":", "{", "}", "!", "[[", "]]", "time", "coproc",
    // assignments and near-assignments
    "A=1", "A=", "_x=y", "A+=2", "a1_B=c=d", "1A=2", "=x", "A-B=1", "A.B=1", "PATH=/bin:/x",
    // wrappers and their flags
    "sudo", "-u", "root", "env", "-i", "-u", "X", "xargs", "-n", "1", "-I", "%", "watch", "-n",
    "2", "timeout", "5s", "sh", "bash", "-c", "-lc", "nohup", "nice", "exec", "command", "-v",
    "eval", "su", "chroot", "/mnt", "npx", "unbuffer", "stdbuf", "-oL", "microk8s", "k3s",
    // SQL-looking words
    "SELECT", "select", "Select", "from", "FROM", "DROP", "drop", "table", "TABLE", "update",
    "UPDATE", "set", "SET", "insert", "into", "delete", "DELETE", "grant", "on", "to", "x;",
    "TRUNCATE", "truncate", "EXPLAIN", "WITH", "alter", "create", "index", "revoke",
    // programs and arguments
    "kubectl", "get", "pods", "-n", "prod", "delete", "pod", "x", "--replicas=0", "scale",
    "exec", "-it", "--", "helm", "uninstall", "psql", "-c", "mysql", "-e", "redis-cli", "FLUSHALL",
    "ping", "curl", "-X", "DELETE", "POST", "-d", "@f", "docker", "rm", "run", "git", "push",
    "--force", "aws", "s3", "rm", "az", "login", "gcloud", "get-credentials", "rm", "-rf", "/",
    "tail", "-f", "vim", "less", "top", "-b", "read", "sleep", "infinity", "yes", "find",
    "-delete", "sed", "-i", "ssh", "host", "./deploy.sh", "/usr/bin/kubectl", "terraform",
    "apply", "-auto-approve", "systemctl", "restart", "journalctl", "python3", "-m", "mkfs.ext4",
    "tee", "/dev/null", "flux", "logs", "ssh-keygen", "-l", "crontab", "-r", "kubectx",
    "pg_restore", "-c", "sqlite3", "db", ".tables", "mongosh", "--eval", "prisma", "studio",
    // plain punctuation
    "-", "--", ".", "/", ":", ",", "@", "%", "+", "=", "a,b", "x@y:z", "50%",
];

/// Quoting, expansions, placeholders and escapes: words the lexer rewrites or keeps whole.
#[rustfmt::skip]
const WORDISH: &[&str] = &[
    "'", "\"", "'a b'", "\"a b\"", "\"$X\"", "$X", "${Y:-d}", "${Z}", "$", "$'\\n'", "$\"a\"",
    "\\", "\\ ", "\\'", "\\\"", "\\n", "\\é", "<pod>", "<a.b-c>", "<", ">", "<x", "x>", "2>", "2",
    "10<", "=\"\"", "A=\"b c\"", "\"if\"", "'while'", "\"A=1\"", "é", "日本", "*", "?", "[", "]",
    "[[", "]]", "{", "}", "!", "~", "\t", "\r", "\\\n",
];

/// Bytes that send the text to the general path (operators, newlines, comments, subs).
const SPLITTING: &[&str] = &[
    "\n", ";", "|", "&", "#", "(", ")", "`", "$(", "<(", ">(", "a#b",
];

fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![8 => Just(" "), 2 => Just("  "), 1 => Just("")]
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(PIECES).prop_map(str::to_string),
        2 => "[a-zA-Z0-9_./:=,@%+-]{1,6}",
        4 => prop::sample::select(WORDISH).prop_map(str::to_string),
        1 => prop::sample::select(SPLITTING).prop_map(str::to_string),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), separator()), 0..30).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, sep)| format!("{p}{sep}"))
            .collect()
    })
}

fn check(text: &str) -> Result<(), TestCaseError> {
    if bare_sql::is_bare_sql(text) {
        return Ok(());
    }
    for depth in [0, super::MAX_DEPTH] {
        let Some(fast) = plain::with_words(text, |words| analyze_plain(words, depth)) else {
            return Ok(());
        };
        prop_assert_eq!(
            fast,
            analyze_general(text, depth),
            "{:?} at depth {}",
            text,
            depth
        );
        let (mut fast, mut general) = (Vec::new(), Vec::new());
        plain::with_words(text, |words| names_of_words(words, None, depth, &mut fast));
        names_general(text, depth, &mut general);
        prop_assert_eq!(fast, general, "{:?} at depth {}", text, depth);
    }
    Ok(())
}

#[test]
fn boundary_cases() {
    for text in [
        "",
        " ",
        "kubectl get pods",
        "  kubectl  get   pods  ",
        "A=1",
        "A=1 B=2 kubectl delete pod x",
        "then do kubectl get pods",
        "while true",
        "for x in a b",
        "case x in esac kubectl delete pod x",
        "select x in a b",
        "function f",
        "sudo -u root rm -rf /x",
        "env A=1 sh -c kubectl",
        "watch -n 2 kubectl get pods",
        "SELECT 1",
        "select x in a",
        "update t set a=1",
        "1A=2 kubectl",
        "x y z a b c d e f g h i j k l m n o p q r s t u v w x y z",
        "kubectl logs \"$POD\" --since=${SINCE:-10m} -n ${NAMESPACE}",
        "kubectl scale rs <name> --replicas=0",
        "\"if\" kubectl",
        "'while' true",
        "A=\"b c\" kubectl delete pod x",
        "\"A=1\" kubectl",
        "echo 2> x",
        "echo x 2>&1",
        "echo < x",
        "[[ -f x ]] kubectl",
        "kubectl get \\\n pods",
    ] {
        check(text).unwrap_or_else(|e| panic!("{e}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6000))]

    #[test]
    fn plain_path_matches_general_path(text in text()) {
        check(&text)?;
    }
}
