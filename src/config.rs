//! `<config dir>/config.toml`: theme, keymap, shell, scrollback, production and secret patterns.
//!
//! The config dir is `$RUNBOOK_CONFIG_DIR`, else the platform config dir (`directories`). Every
//! key is optional and overrides the built-in default. A file that does not parse gives ONE clear
//! message naming the file and line, and the defaults are used; a bad entry (unknown action, bad
//! key string, wrong type) gives the same kind of message and the rest of the file still applies.
//!
//! ```toml
//! theme = "light"
//! shell = "/bin/bash"
//! scrollback = 20000
//! production_patterns = ["prod", "live"]
//! secret_patterns = ["PASSWORD", "TOKEN"]
//! [keys]
//! run = "enter"
//! move_down = ["j", "down", "ctrl-n"]
//! ```
//! Parsing is pure ([`parse_config`]); [`load_config`] is the IO edge.

use crate::state::action::Action;
use crate::state::keymap::{KeyBinding, Keymap};
use crate::theme::line_of;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The TUI's settings after defaults and the user's file.
/// The most lines of scrollback an output pane keeps.
pub const MAX_SCROLLBACK: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub theme: String,
    pub keymap: Keymap,
    /// Shell for steps; `None` = the runbook's or the user's `$SHELL`.
    pub shell: Option<String>,
    /// Lines of scrollback kept per output pane.
    pub scrollback: usize,
    /// Words that mark a kube context as production (matched against its `-`/`_`/`.` parts).
    pub production_patterns: Vec<String>,
    /// Variable-name fragments that make a value secret (case-insensitive substring).
    pub secret_patterns: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            theme: "dark".to_string(),
            keymap: Keymap::default(),
            shell: None,
            scrollback: 10_000,
            production_patterns: ["prod", "production", "prd", "live"]
                .map(String::from)
                .to_vec(),
            secret_patterns: [
                "PASSWORD",
                "SECRET",
                "TOKEN",
                "KEY",
                "CREDENTIAL",
                "PRIVATE",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

/// A problem in a config file, printed as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<String>,
    shell: Option<String>,
    scrollback: Option<Spanned<i64>>,
    production_patterns: Option<Vec<String>>,
    secret_patterns: Option<Vec<String>>,
    keys: Option<BTreeMap<Spanned<String>, Spanned<KeySpec>>>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum KeySpec {
    One(String),
    Many(Vec<String>),
}

impl Config {
    /// True when a kube context looks like production: one of its parts (split on anything
    /// that is not a letter or digit) equals a pattern, case-insensitively. `aks-prod-eu` and
    /// `live` match `prod`/`live`; `reproduce` does not match `prod`.
    pub fn is_production(&self, context: &str) -> bool {
        let context = context.to_lowercase();
        context.split(|c: char| !c.is_alphanumeric()).any(|part| {
            self.production_patterns
                .iter()
                .any(|p| p.to_lowercase() == part)
        })
    }

    /// True when a variable name looks secret (`DB_PASSWORD`, `api_token`).
    /// The same rule as [`Config::is_secret_name`], for the journal's redaction: each pattern is a
    /// literal, case-insensitive part of the name.
    pub fn secret_policy(&self) -> crate::secrets::SecretPolicy {
        let literal: Vec<String> = self
            .secret_patterns
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| regex::escape(p))
            .collect();
        // Escaped literals always compile; the default policy is only a fallback for the types.
        crate::secrets::SecretPolicy::from_patterns(&literal).unwrap_or_default()
    }

    pub fn is_secret_name(&self, name: &str) -> bool {
        let name = name.to_uppercase();
        self.secret_patterns
            .iter()
            .any(|p| !p.is_empty() && name.contains(&p.to_uppercase()))
    }
}

/// Parses `text` (the contents of `file`) over the defaults. Never fails: problems come back
/// alongside the best config that could be made.
pub fn parse_config(text: &str, file: &str) -> (Config, Vec<ConfigError>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let problem = |offset: usize, message: String| ConfigError {
        file: file.to_string(),
        line: line_of(text, offset),
        message,
    };
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            problems.push(problem(
                offset,
                format!("{} (using defaults)", e.message().trim()),
            ));
            return (config, problems);
        }
    };
    if let Some(theme) = raw.theme {
        config.theme = theme;
    }
    config.shell = raw.shell;
    if let Some(n) = raw.scrollback {
        match usize::try_from(*n.get_ref()) {
            Ok(lines) if lines > MAX_SCROLLBACK => {
                // Each line of each pane is kept as terminal cells: a few KB apiece.
                config.scrollback = MAX_SCROLLBACK;
                let text = format!("scrollback is at most {MAX_SCROLLBACK} lines; using that");
                problems.push(problem(n.span().start, text));
            }
            Ok(lines) => config.scrollback = lines,
            Err(_) => problems.push(problem(n.span().start, "scrollback must be ≥ 0".into())),
        }
    }
    if let Some(p) = raw.production_patterns {
        config.production_patterns = p;
    }
    if let Some(p) = raw.secret_patterns {
        config.secret_patterns = p;
    }
    let mut taken = Vec::new();
    for (name, spec) in raw.keys.unwrap_or_default() {
        let Some(action) = Action::from_name(name.get_ref()) else {
            let message = format!("unknown action `{}` in [keys]", name.get_ref());
            problems.push(problem(name.span().start, message));
            continue;
        };
        let texts = match spec.get_ref() {
            KeySpec::One(k) => vec![k.clone()],
            KeySpec::Many(ks) => ks.clone(),
        };
        let mut keys = Vec::new();
        for k in texts {
            match KeyBinding::parse(&k) {
                Some(b) => keys.push(b),
                None => problems.push(problem(
                    spec.span().start,
                    format!("bad key `{k}` for `{}`", name.get_ref()),
                )),
            }
        }
        if !keys.is_empty() {
            for (other, key) in config.keymap.bind(action, keys) {
                taken.push((name.span().start, other, key));
            }
        }
    }
    // A remap that leaves another action without any key is almost always a mistake.
    for (at, other, key) in taken {
        if config.keymap.keys(other).is_empty() {
            let message = format!(
                "`{}` was the only key of `{}`, which now has none",
                key.label(),
                other.name()
            );
            problems.push(problem(at, message));
        }
    }
    (config, problems)
}

/// The config directory: `$RUNBOOK_CONFIG_DIR`, else the platform's (`~/.config/runbook`).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RUNBOOK_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "runbook").map(|d| d.config_dir().to_path_buf())
}

/// IO edge: reads `dir/config.toml` when it exists. A missing file is not a problem.
pub fn load_config(dir: Option<&Path>) -> (Config, Vec<ConfigError>) {
    let Some(path) = dir.map(|d| d.join("config.toml")) else {
        return (Config::default(), Vec::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_config(&text, &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::default(), Vec::new()),
        Err(e) => {
            let error = ConfigError {
                file: path.display().to_string(),
                line: 0,
                message: format!("cannot read: {e} (using defaults)"),
            };
            (Config::default(), vec![error])
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn good_file_overrides_defaults() {
        let text = r#"
theme = "light"
scrollback = 500
production_patterns = ["blue"]
[keys]
run = "R"
move_down = ["j", "ctrl-n"]
"#;
        let (c, problems) = parse_config(text, "config.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.theme, "light");
        assert_eq!(c.scrollback, 500);
        assert!(c.is_production("aks-blue-1"));
        assert!(!c.is_production("aks-prod-1"));
        assert_eq!(c.keymap.action(&key('R')), Some(Action::Run));
        assert_eq!(
            c.keymap
                .action(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            None
        );
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(c.keymap.action(&ctrl_n), Some(Action::MoveDown));
        // Untouched actions keep their defaults.
        assert_eq!(c.keymap.action(&key('s')), Some(Action::Skip));
    }

    #[test]
    fn syntax_error_names_file_and_line_then_defaults() {
        let (c, problems) =
            parse_config("theme = \"light\"\n\nscrollback = = 3\n", "/x/config.toml");
        assert_eq!(c, Config::default());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);
        assert!(problems[0].to_string().starts_with("/x/config.toml:3: "));
    }

    #[test]
    fn wrong_type_and_unknown_field_are_reported() {
        let (_, p) = parse_config("theme = 3\n", "c");
        assert_eq!(p[0].line, 1);
        let (_, p) = parse_config("\ncolour = \"x\"\n", "c");
        assert_eq!(p[0].line, 2);
        assert!(p[0].message.contains("colour"));
    }

    #[test]
    fn unknown_action_and_bad_key_keep_the_rest() {
        let text = "[keys]\nfly = \"x\"\nskip = \"hyper-q\"\nhelp = \"H\"\n";
        let (c, p) = parse_config(text, "c.toml");
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!((p[0].line, p[1].line), (2, 3));
        assert!(p[0].message.contains("unknown action `fly`"));
        assert!(p[1].message.contains("bad key `hyper-q`"));
        assert_eq!(c.keymap.action(&key('H')), Some(Action::Help));
        assert_eq!(c.keymap.action(&key('s')), Some(Action::Skip));
    }

    #[test]
    fn production_and_secret_defaults() {
        let c = Config::default();
        assert!(c.is_production("prod"));
        assert!(c.is_production("gke_acme_europe-west1_PRD-main"));
        assert!(c.is_production("live.eu"));
        assert!(!c.is_production("reproduce"));
        assert!(!c.is_production("staging"));
        assert!(c.is_secret_name("db_password"));
        assert!(c.is_secret_name("API_TOKEN"));
        assert!(c.is_secret_name("SSH_PRIVATE"));
        assert!(!c.is_secret_name("NAMESPACE"));
        // The journal's redaction follows the same rule, patterns taken literally.
        let c = Config {
            secret_patterns: vec!["PIN".into(), "a.b".into()],
            ..Config::default()
        };
        let policy = c.secret_policy();
        for name in ["bank_pin", "XA.BX", "API_TOKEN", "axb"] {
            assert_eq!(
                policy.is_secret(name, None),
                c.is_secret_name(name),
                "{name}"
            );
        }
        assert!(policy.is_secret("bank_pin", None) && !policy.is_secret("axb", None));
    }

    #[test]
    fn a_remap_that_leaves_an_action_without_keys_is_reported() {
        let (c, p) = parse_config("[keys]\nrun = [\"enter\", \"x\"]\n", "c.toml");
        assert_eq!(c.keymap.label(Action::Stop), "—");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, 2);
        assert_eq!(
            p[0].message,
            "`x` was the only key of `stop`, which now has none"
        );
        let (_, p) = parse_config("[keys]\nrun = [\"enter\", \"x\"]\nstop = \"X\"\n", "c");
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn scrollback_is_capped_with_a_word() {
        let (c, p) = parse_config("scrollback = 999999999999\n", "c.toml");
        assert_eq!(c.scrollback, MAX_SCROLLBACK);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("at most 100000 lines"), "{p:?}");
    }

    #[test]
    fn missing_file_is_silent_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let (c, p) = load_config(Some(dir.path()));
        assert!(p.is_empty());
        assert_eq!(c, Config::default());
        std::fs::write(dir.path().join("config.toml"), "scrollback = 42\n").unwrap();
        assert_eq!(load_config(Some(dir.path())).0.scrollback, 42);
    }
}
