//! Code-block info strings: language, Runme-style attributes, and deciding whether a block is a
//! shell script, a terminal session or a note.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// What a block is, decided from its language and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A shell script: every line is shell.
    Shell,
    /// A terminal transcript: `$ ` lines are commands, the rest is expected output.
    Session,
    /// Shown, never run.
    Note,
}

/// The parsed info string of a fenced block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info<'a> {
    /// First word, lower-cased (a slice of the info string when it already is); `None` for
    /// untagged blocks.
    pub lang: Option<Cow<'a, str>>,
    pub annotations: BTreeMap<String, String>,
}

const SHELL_LANGS: &[&str] = &["bash", "sh", "shell", "zsh"];
const SESSION_LANGS: &[&str] = &[
    "console",
    "shell-session",
    "shellsession",
    "sh-session",
    "terminal",
];

/// Command words that make an untagged block a command (see RUNBOOK-MODEL.md).
const KNOWN_COMMANDS: &[&str] = &[
    "kubectl",
    "oc",
    "helm",
    "kustomize",
    "az",
    "aws",
    "gcloud",
    "docker",
    "podman",
    "crictl",
    "curl",
    "wget",
    "psql",
    "pg_dump",
    "pg_restore",
    "redis-cli",
    "mysql",
    "mongosh",
    "etcdctl",
    "etcdutl",
    "vault",
    "terraform",
    "ansible-playbook",
    "ssh",
    "scp",
    "rsync",
    "systemctl",
    "journalctl",
    "git",
    "make",
    "cargo",
    "npm",
    "pnpm",
    "yarn",
    "npx",
    "python3",
    "python",
    "pip",
    "go",
    "java",
    "openssl",
    "dig",
    "nslookup",
    "nc",
    "jq",
    "cat",
    "ls",
    "cd",
    "export",
    "echo",
    "grep",
    "tail",
    "sleep",
    "watch",
    "rm",
    "cp",
    "mv",
    "mkdir",
    "chmod",
    "tar",
    "kill",
];

/// Parses an info string such as `sh {"name":"deploy"}` or `bash { name=x background=true } extra`.
pub fn parse_info(info: &str) -> Info<'_> {
    // Most info strings are one plain word (`bash`, `yaml`): no trimming, splitting or
    // attributes to look for.
    let plain = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+');
    if !info.is_empty() && info.bytes().all(|b| plain(&b)) {
        return Info {
            lang: Some(lower(info)),
            annotations: BTreeMap::new(),
        };
    }
    let info = info.trim();
    let (head, attrs) = match info.find('{') {
        Some(i) => (&info[..i], Some(&info[i..])),
        None => (info, None),
    };
    let mut words = head.split_whitespace();
    let lang = words
        .next()
        .map(|w| lower(w.trim_matches(|c| c == '.' || c == ',')));
    let mut annotations = BTreeMap::new();
    let rest: Vec<&str> = words.collect();
    if !rest.is_empty() {
        annotations.insert("info".to_string(), rest.join(" "));
    }
    if let Some(attrs) = attrs {
        parse_attributes(attrs, &mut annotations);
    }
    Info {
        lang: lang.filter(|l| !l.is_empty()),
        annotations,
    }
}

/// `word` in ASCII lower case, borrowed when it already is.
fn lower(word: &str) -> Cow<'_, str> {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Runme attributes: a JSON object, or `{ key=value key2="quoted value" }`. Values become strings.
fn parse_attributes(text: &str, out: &mut BTreeMap<String, String>) {
    let body = match text.rfind('}') {
        Some(end) => &text[..=end],
        None => text,
    };
    // A JSON object's first key is quoted: `{ name=x }` is not worth a JSON parse (a failed
    // one builds an error).
    let json_like = body
        .strip_prefix('{')
        .map(str::trim_start)
        .is_some_and(|rest| rest.starts_with('"') || rest.starts_with('}'));
    if json_like
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(body)
    {
        for (k, v) in map {
            let value = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            out.insert(k, value);
        }
        return;
    }
    let inner = body.trim_start_matches('{').trim_end_matches('}');
    let mut chars = inner.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() || c == ',' {
            chars.next();
            continue;
        }
        let mut key_end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c == '=' || c.is_whitespace() || c == ',' {
                break;
            }
            key_end = i + c.len_utf8();
            chars.next();
        }
        let key = inner[start..key_end].to_string();
        let mut value = String::from("true");
        if chars.peek().map(|&(_, c)| c) == Some('=') {
            chars.next();
            value = read_attr_value(&mut chars);
        }
        if !key.is_empty() {
            out.insert(key, value);
        }
    }
}

fn read_attr_value(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> String {
    let mut value = String::new();
    let quote = match chars.peek() {
        Some(&(_, q @ ('"' | '\''))) => {
            chars.next();
            Some(q)
        }
        _ => None,
    };
    for (_, c) in chars.by_ref() {
        match quote {
            Some(q) if c == q => break,
            None if c.is_whitespace() || c == ',' => break,
            _ => value.push(c),
        }
    }
    value
}

/// Decides how a block runs from its language and content.
pub fn block_kind(lang: Option<&str>, code: &str) -> BlockKind {
    match lang {
        Some(l) if SESSION_LANGS.contains(&l) || l.ends_with("session") => {
            if has_prompt_line(code) {
                BlockKind::Session
            } else {
                BlockKind::Shell
            }
        }
        Some(l) if SHELL_LANGS.contains(&l) => {
            if first_code_line(code).is_some_and(|l| l.starts_with("$ ")) {
                BlockKind::Session
            } else {
                BlockKind::Shell
            }
        }
        Some(_) => BlockKind::Note,
        None => match first_code_line(code) {
            Some(line) if line.starts_with("$ ") => BlockKind::Session,
            Some(line) if starts_with_known_command(line) => BlockKind::Shell,
            _ => BlockKind::Note,
        },
    }
}

fn has_prompt_line(code: &str) -> bool {
    code.lines()
        .any(|l| l.starts_with("$ ") || l.starts_with("% ") || l.trim_end() == "$")
}

/// First line that is neither blank nor a comment, trimmed at the start.
fn first_code_line(code: &str) -> Option<&str> {
    code.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Options of the prefixes below that take a value as the next word (`sudo -u postgres psql`,
/// `env -u HOME make`, `time -o out make`); other options (`-E`, `-i`, `--user=x`) are one word.
fn takes_value(prefix: &str, option: &str) -> bool {
    let options: &[&str] = match prefix {
        "sudo" => &[
            "-u",
            "-g",
            "-C",
            "-D",
            "-h",
            "-p",
            "-r",
            "-t",
            "-U",
            "-R",
            "--user",
            "--group",
            "--chdir",
            "--host",
            "--prompt",
            "--role",
            "--type",
            "--other-user",
            "--close-from",
        ],
        "env" => &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"],
        "time" => &["-o", "-f", "--output", "--format"],
        _ => &[],
    };
    options.contains(&option)
}

/// True when the line starts with a known command word, optionally after `sudo`, `env`, `time`
/// (and their options) or `VAR=value` prefixes, or with a path to a program (`./x`,
/// `/opt/tool/bin/x`). A word glued to a line continuation (`kubectl\`) counts without it.
pub fn starts_with_known_command(line: &str) -> bool {
    let mut prefix = None;
    let mut words = line.split_whitespace();
    while let Some(word) = words.next() {
        if matches!(word, "sudo" | "env" | "time") {
            prefix = Some(word);
            continue;
        }
        if is_assignment(word) {
            continue;
        }
        if let Some(prefix) = prefix
            && word.starts_with('-')
        {
            if takes_value(prefix, word) {
                words.next();
            }
            continue;
        }
        let word = word.strip_suffix('\\').unwrap_or(word);
        if word.starts_with("./")
            || (word.starts_with('/') && word.len() > 1 && !word.contains('*'))
        {
            return true;
        }
        return KNOWN_COMMANDS.contains(&word);
    }
    false
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// True when a YAML text looks like a Kubernetes manifest (`apiVersion` and `kind` at top level).
pub fn is_manifest(code: &str) -> bool {
    let top = |key: &str| {
        code.lines()
            .any(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))
    };
    top("apiVersion") && top("kind")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        let i = parse_info("Bash");
        assert_eq!(i.lang.as_deref(), Some("bash"));
        let i = parse_info(r#"sh {"name":"deploy","interactive":"false"}"#);
        assert_eq!(i.lang.as_deref(), Some("sh"));
        assert_eq!(i.annotations["name"], "deploy");
        assert_eq!(i.annotations["interactive"], "false");
        let i = parse_info("sh { name=deploy background=true }");
        assert_eq!(i.annotations["name"], "deploy");
        assert_eq!(i.annotations["background"], "true");
        let i = parse_info(r#"bash title="x y" { risk=destructive confirm="type the ns" }"#);
        assert_eq!(i.annotations["info"], r#"title="x y""#);
        assert_eq!(i.annotations["risk"], "destructive");
        assert_eq!(i.annotations["confirm"], "type the ns");
        let i = parse_info(r#"{"name":"x"}"#);
        assert_eq!(i.lang, None);
        assert_eq!(parse_info("").lang, None);
        let i = parse_info(r#"sh {"timeout": 30, "ok": true}"#);
        assert_eq!(i.annotations["timeout"], "30");
        assert_eq!(i.annotations["ok"], "true");
    }

    #[test]
    fn kinds() {
        assert_eq!(
            block_kind(Some("bash"), "kubectl get pods\n"),
            BlockKind::Shell
        );
        assert_eq!(
            block_kind(Some("bash"), "# hi\n$ kubectl get pods\nNAME\n"),
            BlockKind::Session
        );
        assert_eq!(
            block_kind(Some("console"), "$ ls\nfile\n"),
            BlockKind::Session
        );
        assert_eq!(block_kind(Some("console"), "ls -l\n"), BlockKind::Shell);
        assert_eq!(block_kind(Some("yaml"), "a: b\n"), BlockKind::Note);
        assert_eq!(
            block_kind(None, "sudo kubectl get pods\n"),
            BlockKind::Shell
        );
        assert_eq!(block_kind(None, "FOO=1 helm list\n"), BlockKind::Shell);
        assert_eq!(block_kind(None, "./deploy.sh prod\n"), BlockKind::Shell);
        assert_eq!(block_kind(None, "+-----+\n| box |\n"), BlockKind::Note);
        assert_eq!(block_kind(None, "SELECT * FROM t;\n"), BlockKind::Note);
        assert_eq!(block_kind(None, "# only a comment\n"), BlockKind::Note);
        assert_eq!(block_kind(None, "/ root\n"), BlockKind::Note);
        assert_eq!(
            block_kind(None, "sudo -u postgres psql -c 'select 1'\n"),
            BlockKind::Shell
        );
        assert_eq!(
            block_kind(None, "sudo -E --user=ops env -u HOME make deploy\n"),
            BlockKind::Shell
        );
        assert_eq!(block_kind(None, "time -p curl -sf x\n"), BlockKind::Shell);
        assert_eq!(
            block_kind(None, "kubectl\\\n  get pods\n"),
            BlockKind::Shell
        );
        assert_eq!(block_kind(None, "sudo -u postgres\n"), BlockKind::Note);
        assert_eq!(block_kind(None, "-u kubectl\n"), BlockKind::Note);
    }

    #[test]
    fn manifests() {
        assert!(is_manifest(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"
        ));
        assert!(!is_manifest("kind: Pod\n"));
        assert!(!is_manifest("spec:\n  apiVersion: v1\n  kind: Pod\n"));
    }
}
