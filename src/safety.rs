//! PURE. What an operator must type to confirm a destructive step: the thing it destroys.
//!
//! `kubectl delete pod web-1 -n shop` → `web-1`; `kubectl delete ns shop` → `shop`;
//! `rm -rf "$WORKDIR"` → `$WORKDIR`; `helm uninstall web` → `web`; otherwise the namespace given
//! with `-n`, otherwise the program name. Typing a name is slower than pressing `y`, which is the
//! point: the operator reads what is about to go.

use crate::runbook::{Risk, Step};

/// The word to type before the step's destructive commands run; `None` when nothing is
/// destructive.
pub fn confirm_target(step: &Step) -> Option<String> {
    let cmd = step
        .commands
        .iter()
        .find(|c| c.risk == Risk::Destructive)
        .or_else(|| {
            // A `risk=destructive` annotation marks the step, whatever its commands look like.
            (step.risk == Some(Risk::Destructive))
                .then(|| step.commands.first())
                .flatten()
        })?;
    Some(target_of(&cmd.text))
}

/// The target of one command, by the rules in the module doc.
pub fn target_of(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    let program_at = words
        .iter()
        .position(|w| !matches!(w.as_str(), "sudo" | "env" | "time" | "nohup") && !w.contains('='));
    let Some(start) = program_at else {
        return "confirm".to_string();
    };
    let program = words[start]
        .rsplit('/')
        .next()
        .unwrap_or(&words[start])
        .to_string();
    let args = &words[start + 1..];
    let namespace = flag_value(args, &["-n", "--namespace"]);
    let positional: Vec<&String> = positional(args);
    let found = match program.as_str() {
        "kubectl" | "oc" => match positional.as_slice() {
            [verb, kind, name, ..] if is_verb(verb) => Some((*name).clone()),
            [verb, kind_name, ..] if is_verb(verb) && kind_name.contains('/') => {
                kind_name.split('/').nth(1).map(str::to_string)
            }
            [verb, kind] if is_verb(verb) && !kind.starts_with('-') && namespace.is_none() => {
                Some((*kind).clone())
            }
            _ => None,
        },
        "helm" => positional.get(1).map(|s| (*s).clone()),
        "rm" | "rmdir" | "shred" | "wipefs" | "dd" | "truncate" => {
            positional.last().map(|s| (*s).clone())
        }
        _ => None,
    };
    found.or(namespace).unwrap_or(program)
}

fn is_verb(word: &str) -> bool {
    matches!(word, "delete" | "drain" | "scale" | "replace" | "cordon")
}

fn flag_value(args: &[String], names: &[&str]) -> Option<String> {
    for (i, arg) in args.iter().enumerate() {
        for name in names {
            if arg == name {
                return args.get(i + 1).cloned();
            }
            if let Some(v) = arg.strip_prefix(&format!("{name}=")) {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// Words that are neither flags nor values of the common `-n`/`-o`/`-l`/`-f` flags.
fn positional(args: &[String]) -> Vec<&String> {
    let mut out = Vec::new();
    let mut skip = false;
    for arg in args {
        if skip {
            skip = false;
            continue;
        }
        if matches!(
            arg.as_str(),
            "-n" | "--namespace" | "-o" | "-l" | "--selector" | "-f" | "--context" | "-c"
        ) {
            skip = true;
            continue;
        }
        if arg.starts_with('-') || arg == "|" || arg == "&&" {
            if arg == "|" || arg == "&&" {
                break;
            }
            continue;
        }
        out.push(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::target_of;

    #[test]
    fn targets() {
        assert_eq!(target_of("kubectl delete pod web-1 -n shop"), "web-1");
        assert_eq!(target_of("kubectl -n shop delete pod web-1"), "web-1");
        assert_eq!(target_of("kubectl delete ns shop-old"), "shop-old");
        assert_eq!(target_of("kubectl delete deploy/web -n shop"), "web");
        assert_eq!(target_of("kubectl delete pods -l app=web -n shop"), "shop");
        assert_eq!(
            target_of("kubectl drain node-3 --ignore-daemonsets"),
            "node-3"
        );
        assert_eq!(target_of("helm uninstall web -n shop"), "web");
        assert_eq!(target_of("rm -rf \"$WORKDIR\""), "$WORKDIR");
        assert_eq!(target_of("sudo rm -rf /var/lib/app"), "/var/lib/app");
        assert_eq!(target_of("psql -c 'DROP TABLE x'"), "psql");
    }
}
