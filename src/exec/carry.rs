//! The shell state carried from one run to the next, and the wrapper script that restores and
//! captures it.
//!
//! The wrapper sources the previous state (variables as `declare` lines, functions), installs an
//! `EXIT` trap that dumps `declare -p`, `declare -f` and `pwd` into files of its own run, then
//! sources the user's script, so `exit 3` still runs the trap and the run's status stays 3 (bash
//! keeps the pre-trap status unless the trap itself calls `exit`). The wrapper defines no variable
//! or function, so the script sees nothing of it; every word it runs is `builtin`-prefixed so user
//! functions named `declare` or `pwd` cannot hijack the capture.

pub(crate) use super::wrapper::{RunFiles, ShellKind, sh_quote};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// One variable from a `declare -p` dump, kept verbatim so bash itself re-reads its own quoting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VarRecord {
    pub name: String,
    pub flags: String,
    /// The whole `declare …` line(s), without the final newline.
    pub text: String,
}

/// Variables bash manages itself or that describe one shell instance; restoring them would be wrong
/// (`RANDOM` would repeat, `SHLVL` would climb, `PWD` would fight the real cwd) or fail (readonly).
const SPECIAL: &[&str] = &[
    "_",
    "COLUMNS",
    "COMP_CWORD",
    "COMP_KEY",
    "COMP_LINE",
    "COMP_POINT",
    "COMP_TYPE",
    "COMP_WORDBREAKS",
    "COMP_WORDS",
    "COMPREPLY",
    "DIRSTACK",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "EUID",
    "FUNCNAME",
    "GROUPS",
    "HISTCMD",
    "HOSTTYPE",
    "LINENO",
    "LINES",
    "MACHTYPE",
    "OPTERR",
    "OPTIND",
    "OSTYPE",
    "PIPESTATUS",
    "PPID",
    "PWD",
    "RANDOM",
    "SECONDS",
    "SHELLOPTS",
    "SHLVL",
    "SRANDOM",
    "UID",
];

/// True for names that are never carried over (see [`SPECIAL`]; plus every `BASH*` name).
pub(crate) fn is_special(name: &str) -> bool {
    name.starts_with("BASH") || SPECIAL.contains(&name)
}

/// Splits a `declare -p` dump into records. Values may span lines inside quotes (older bash prints
/// newlines literally inside `"…"`), so records end only at a newline outside any quote.
pub(crate) fn parse_declare_dump(dump: &str) -> Vec<VarRecord> {
    split_records(dump)
        .into_iter()
        .filter_map(|text| parse_header(&text).map(|(flags, name)| (flags, name, text)))
        .map(|(flags, name, text)| VarRecord { name, flags, text })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Double,
    Single,
    Ansi,
}

pub(crate) fn split_records(dump: &str) -> Vec<String> {
    let mut records = Vec::new();
    let mut current = String::new();
    let mut quote = Quote::None;
    let mut chars = dump.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' && quote == Quote::None {
            if !current.trim().is_empty() {
                records.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        current.push(c);
        match (quote, c) {
            (Quote::None | Quote::Double | Quote::Ansi, '\\') => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Quote::None, '"') => quote = Quote::Double,
            (Quote::None, '$') if chars.peek() == Some(&'\'') => {
                if let Some(q) = chars.next() {
                    current.push(q);
                }
                quote = Quote::Ansi;
            }
            (Quote::None, '\'') => quote = Quote::Single,
            (Quote::Double, '"') | (Quote::Single | Quote::Ansi, '\'') => quote = Quote::None,
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        records.push(current);
    }
    records
}

/// `declare -ax NAME=…` → (`ax`, `NAME`); `--` means no flags.
fn parse_header(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("declare -")?;
    let (flags, rest) = rest.split_once(' ')?;
    let name_end = rest.find('=').unwrap_or(rest.len());
    let name = &rest[..name_end];
    if !is_identifier(name) {
        return None;
    }
    let flags = flags.trim_start_matches('-').to_owned();
    Some((flags, name.to_owned()))
}

/// A shell variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The state a new run starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Carried {
    /// `None` until a run's state has been captured; then the new runs mirror it exactly.
    pub vars: Option<Vec<VarRecord>>,
    pub funcs: String,
    pub cwd: Option<PathBuf>,
}

impl Carried {
    /// Reads the files a finished run's trap wrote. `None` when the capture did not complete (the
    /// cwd file is written last, so its presence means the others are whole).
    pub(crate) fn capture(files: &RunFiles) -> Option<Carried> {
        let cwd = std::fs::read_to_string(&files.cwd_out).ok()?;
        let cwd = cwd.strip_suffix('\n')?;
        let vars = std::fs::read_to_string(&files.vars_out).ok()?;
        let funcs = std::fs::read_to_string(&files.funcs_out).unwrap_or_default();
        let vars = if files.kind == ShellKind::Posix {
            super::posix::parse_dump(&vars)
        } else {
            parse_declare_dump(&vars)
        };
        let vars = vars
            .into_iter()
            .filter(|r| !r.flags.contains('r') && !is_special(&r.name))
            .collect();
        Some(Carried {
            vars: Some(vars),
            funcs,
            cwd: Some(PathBuf::from(cwd)),
        })
    }

    /// The `declare` lines to source for a run, leaving out names the run's env overrides.
    pub(crate) fn vars_script(&self, overridden: &BTreeSet<&str>) -> String {
        let mut out = String::new();
        for rec in self.vars.iter().flatten() {
            if !overridden.contains(rec.name.as_str()) {
                out.push_str(&rec.text);
                out.push('\n');
            }
        }
        out
    }

    /// The values of the variables `wanted` picks by name (those a shell line can be read back
    /// from).
    pub(crate) fn values_of(&self, wanted: &dyn Fn(&str) -> bool) -> Vec<String> {
        self.vars
            .iter()
            .flatten()
            .filter(|r| wanted(&r.name))
            .filter_map(|r| super::unquote::value_of(&r.text))
            .collect()
    }

    /// Name → value of every variable whose value can be read back.
    pub(crate) fn named_values(&self) -> std::collections::BTreeMap<String, String> {
        self.vars
            .iter()
            .flatten()
            .filter_map(|r| Some((r.name.clone(), super::unquote::value_of(&r.text)?)))
            .collect()
    }

    /// Names of carried variables, sorted, for display.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vars.iter().flatten().map(|r| r.name.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// Names of the app's own environment that a captured step unset: they must not come back
    /// through the child's inherited environment.
    pub(crate) fn unset_names(&self, base: impl Iterator<Item = String>) -> Vec<String> {
        let Some(vars) = &self.vars else {
            return Vec::new();
        };
        let known: BTreeSet<&str> = vars.iter().map(|r| r.name.as_str()).collect();
        base.filter(|n| is_identifier(n) && !is_special(n) && !known.contains(n.as_str()))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const DUMP: &str = "declare -- x=$'a\\nb'\n\
declare -- old=\"line1\nline2 \\\" still\"\n\
declare -a arr=([0]=\"1\" [1]=\"two words\")\n\
declare -rx RO=\"1\"\n\
declare -i BASHPID\n\
declare -x PATH=\"/bin\"\n\
declare -- q='it''s'\n\
declare -- RANDOM\n";

    #[test]
    fn dump_records_respect_quotes() {
        let recs = parse_declare_dump(DUMP);
        let names: Vec<&str> = recs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["x", "old", "arr", "RO", "BASHPID", "PATH", "q", "RANDOM"]
        );
        assert_eq!(recs[1].text, "declare -- old=\"line1\nline2 \\\" still\"");
        assert_eq!(recs[3].flags, "rx");
        assert_eq!(recs[0].flags, "");
    }

    #[test]
    fn capture_filters_specials_and_readonly() {
        let dir = tempfile::tempdir().unwrap();
        let files = RunFiles::new(dir.path(), 1, ShellKind::Bash);
        std::fs::write(&files.vars_out, DUMP).unwrap();
        std::fs::write(&files.cwd_out, "/tmp\n").unwrap();
        let c = Carried::capture(&files).unwrap();
        assert_eq!(c.names(), ["PATH", "arr", "old", "q", "x"]);
        assert_eq!(c.cwd, Some(PathBuf::from("/tmp")));
        let overridden: BTreeSet<&str> = ["x"].into_iter().collect();
        let script = c.vars_script(&overridden);
        assert!(!script.contains("x=$'a"));
        assert!(script.contains("declare -x PATH=\"/bin\"\n"));
    }

    #[test]
    fn incomplete_capture_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let files = RunFiles::new(dir.path(), 2, ShellKind::Bash);
        std::fs::write(&files.vars_out, DUMP).unwrap();
        assert_eq!(Carried::capture(&files), None);
    }

    #[test]
    fn unset_names_only_after_a_capture() {
        let base = || {
            ["HOME", "GONE", "BASH_ENV", "a.b"]
                .map(String::from)
                .into_iter()
        };
        assert!(Carried::default().unset_names(base()).is_empty());
        let c = Carried {
            vars: Some(parse_declare_dump("declare -x HOME=\"/root\"\n")),
            ..Carried::default()
        };
        assert_eq!(c.unset_names(base()), ["GONE"]);
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("_a1"));
        assert!(!is_identifier("1a"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier(""));
    }
}
