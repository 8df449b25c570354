//! PURE. Resolving a step's `${VAR}` and `<placeholder>` values before it runs.
//!
//! Sources, in order: values given by the operator (`--set`, or typed earlier in the session),
//! variables left by earlier steps, the process environment (for `${VAR}` only), front-matter
//! defaults, and `${VAR:-default}` written in the script itself. Whatever is left must be asked
//! for. Values are never spliced into shell code here: variables travel as environment variables
//! and placeholders are quoted by [`crate::runbook::vars::substitute_placeholders`].

use crate::runbook::vars;
use crate::runbook::{Meta, Step};
use std::collections::BTreeMap;

/// Whether a name is a shell variable or a `<placeholder>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Variable,
    Placeholder,
}

/// A value the operator still has to give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub name: String,
    pub kind: NameKind,
    pub default: Option<String>,
    pub prompt: Option<String>,
    pub secret: bool,
    pub choices: Vec<String>,
}

/// Where values come from, apart from the step itself.
pub struct Sources<'a> {
    /// `--set NAME=VALUE` and values the operator typed earlier in the session.
    pub given: &'a BTreeMap<String, String>,
    /// True when an earlier step of the session left this shell variable set.
    pub carried: &'a dyn Fn(&str) -> bool,
    /// The process environment.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub meta: &'a Meta,
    /// Secret by name (front matter `secret: true` is checked here too).
    pub is_secret: &'a dyn Fn(&str) -> bool,
    /// Use front-matter defaults without asking (headless runs); the TUI asks with them pre-filled.
    pub use_defaults: bool,
}

/// The outcome: what to pass to the child, and what is still missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// `${VAR}` values for the child's environment (only names the operator or front matter gave:
    /// carried and inherited ones already reach the child on their own).
    pub env: Vec<(String, String)>,
    pub placeholders: BTreeMap<String, String>,
    pub missing: Vec<Need>,
}

/// Resolves every variable and placeholder of `step`.
pub fn resolve(step: &Step, sources: &Sources<'_>) -> Resolved {
    let mut out = Resolved::default();
    let script = step
        .commands
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for name in &step.variables {
        if let Some(value) = sources.given.get(name.as_str()) {
            out.env.push((name.to_string(), value.clone()));
        } else if (sources.carried)(name) || (sources.env)(name).is_some() {
            // Reaches the child through the carried shell state or the inherited environment.
        } else if let Some(value) = front_default(sources, name) {
            out.env.push((name.to_string(), value));
        } else if vars::default_of(&script, name).is_none() {
            out.missing
                .push(need(name, NameKind::Variable, sources, &script));
        }
    }
    for name in &step.placeholders {
        if let Some(value) = sources.given.get(name.as_str()) {
            out.placeholders.insert(name.to_string(), value.clone());
        } else if let Some(value) = front_default(sources, name) {
            out.placeholders.insert(name.to_string(), value);
        } else {
            out.missing
                .push(need(name, NameKind::Placeholder, sources, &script));
        }
    }
    out
}

fn front_default(sources: &Sources<'_>, name: &str) -> Option<String> {
    if !sources.use_defaults {
        return None;
    }
    sources
        .meta
        .variables
        .get(name)
        .and_then(|v| v.default.clone())
}

fn need(name: &str, kind: NameKind, sources: &Sources<'_>, script: &str) -> Need {
    let spec = sources.meta.variables.get(name);
    let inline = match kind {
        NameKind::Variable => vars::default_of(script, name),
        NameKind::Placeholder => None,
    };
    Need {
        name: name.to_string(),
        kind,
        default: spec.and_then(|s| s.default.clone()).or(inline),
        prompt: spec.and_then(|s| s.prompt.clone()),
        secret: spec.is_some_and(|s| s.secret) || (sources.is_secret)(name),
        choices: spec.map(|s| s.choices.clone()).unwrap_or_default(),
    }
}

/// The script a step runs: its commands (all, or the one picked), placeholders substituted as
/// quoted words. Variables stay `${VAR}` references and reach the child as environment.
pub fn script_for(
    step: &Step,
    command: Option<usize>,
    placeholders: &BTreeMap<String, String>,
) -> String {
    let raw = match command.and_then(|i| step.commands.get(i)) {
        Some(cmd) => cmd.text.to_string(),
        None => step
            .commands
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    vars::substitute_placeholders(&raw, &|name| placeholders.get(name).cloned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::runbook::{VarSpec, parse};

    fn step(md: &str) -> Step {
        parse(md).steps.into_iter().next().unwrap()
    }

    fn sources<'a>(
        given: &'a BTreeMap<String, String>,
        meta: &'a Meta,
        use_defaults: bool,
    ) -> Sources<'a> {
        Sources {
            given,
            carried: &|n| n == "CARRIED",
            env: &|n| (n == "FROM_ENV").then(|| "e".to_string()),
            meta,
            is_secret: &|n| n.contains("TOKEN"),
            use_defaults,
        }
    }

    #[test]
    fn sources_in_order() {
        let s = step(
            "```bash\necho $GIVEN $CARRIED $FROM_ENV $DEFAULTED ${INLINE:-x} $API_TOKEN <pod>\n```\n",
        );
        let mut meta = Meta::default();
        meta.variables.insert(
            "DEFAULTED".into(),
            VarSpec {
                default: Some("d".into()),
                ..VarSpec::default()
            },
        );
        let given = BTreeMap::from([("GIVEN".to_string(), "g".to_string())]);
        let r = resolve(&s, &sources(&given, &meta, true));
        assert_eq!(
            r.env,
            [
                ("GIVEN".into(), "g".into()),
                ("DEFAULTED".into(), "d".into())
            ]
        );
        let missing: Vec<_> = r
            .missing
            .iter()
            .map(|n| (n.name.as_str(), n.kind, n.secret))
            .collect();
        assert_eq!(
            missing,
            [
                ("API_TOKEN", NameKind::Variable, true),
                ("pod", NameKind::Placeholder, false)
            ]
        );
    }

    #[test]
    fn the_tui_asks_with_defaults_prefilled() {
        let s = step("```bash\nkubectl logs <pod>\n```\n");
        let mut meta = Meta::default();
        meta.variables.insert(
            "pod".into(),
            VarSpec {
                default: Some("web-1".into()),
                secret: true,
                ..VarSpec::default()
            },
        );
        let given = BTreeMap::new();
        let r = resolve(&s, &sources(&given, &meta, false));
        assert_eq!(r.missing[0].default.as_deref(), Some("web-1"));
        assert!(r.missing[0].secret, "front matter `secret: true`");
        let r = resolve(&s, &sources(&given, &meta, true));
        assert!(r.missing.is_empty());
        assert_eq!(r.placeholders["pod"], "web-1");
    }

    #[test]
    fn placeholders_are_quoted_into_the_script() {
        let s = step("```bash\necho <pod>\necho \"x=<pod>\"\n```\n");
        let values = BTreeMap::from([("pod".to_string(), "$(touch /tmp/pwned)".to_string())]);
        assert_eq!(
            script_for(&s, None, &values),
            "echo '$(touch /tmp/pwned)'\necho \"x=\\$(touch /tmp/pwned)\""
        );
        assert_eq!(
            script_for(&s, Some(0), &values),
            "echo '$(touch /tmp/pwned)'"
        );
    }
}
