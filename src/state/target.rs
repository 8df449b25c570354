//! What the operator must type to run a destructive step: the resource it destroys.
//!
//! `kubectl delete pod web-1 -n prod` → `web-1`; `kubectl delete deploy/api` → `api`;
//! `helm uninstall shop` → `shop`; `rm -rf /data/old` → `/data/old`; otherwise the namespace
//! (`-n`, else the runbook's), else the word `delete`, else the program name. A step's
//! `target` annotation wins.

/// Flags of kubectl/oc/helm that take the next word as their value.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "-f",
    "--filename",
    "-o",
    "--output",
    "-c",
    "--container",
    "--context",
    "--kubeconfig",
    "--field-selector",
    "--grace-period",
    "--timeout",
    "--cluster",
    "--user",
    "-p",
    "--patch",
    "--type",
    "--replicas",
];

/// Splits a script into words, dropping quotes (good enough to find names). A line end is a
/// command separator (`;`) unless escaped by a trailing `\`; comments are dropped, so a
/// `# delete old pods` line does not decide the target.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\\') => match chars.next() {
                Some('\n') | None => {}
                Some(escaped) => cur.push(escaped),
            },
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if cur.is_empty() => while chars.next_if(|&n| n != '\n').is_some() {},
            (None, c) if c.is_whitespace() || c == ';' || c == '|' || c == '&' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                match c {
                    ' ' | '\t' | '\r' => {}
                    '\n' => out.push(";".to_string()),
                    c => out.push(c.to_string()),
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Positional words and the `-n` value of one command's words.
fn positionals(words: &[String]) -> (Vec<String>, Option<String>) {
    let mut pos = Vec::new();
    let mut ns = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if let Some(v) = w
            .strip_prefix("--namespace=")
            .or_else(|| w.strip_prefix("-n="))
        {
            ns = Some(v.to_string());
        } else if w == "-n" || w == "--namespace" {
            ns = it.next().cloned();
        } else if VALUE_FLAGS.contains(&w.as_str()) {
            it.next();
        } else if !w.starts_with('-') {
            pos.push(w.clone());
        }
    }
    (pos, ns)
}

/// The namespace the script's first `kubectl`/`oc`/`helm` command names with `-n` or
/// `--namespace`, if any: it wins over the kubeconfig's for that command.
pub fn namespace_of(script: &str) -> Option<String> {
    let all = words(script);
    all.split(|w| matches!(w.as_str(), ";" | "|" | "&"))
        .filter(|c| {
            let program = c
                .iter()
                .find(|w| !matches!(w.as_str(), "sudo" | "env") && !w.contains('='));
            program.is_some_and(|p| {
                matches!(p.rsplit('/').next(), Some("kubectl" | "oc" | "k" | "helm"))
            })
        })
        .find_map(|c| positionals(c).1)
}

/// `target` with its `$NAME` / `${NAME}` references replaced by their values, so that the
/// operator types (and sees) the path `rm -rf "$WORKDIR"` destroys, not `$WORKDIR`. Unchanged
/// unless every reference has a value.
pub fn expand(target: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = target;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, used) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => return target.to_string(),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match value(name).filter(|v| valid && !v.is_empty()) {
            Some(v) => out.push_str(&v),
            None => return target.to_string(),
        }
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

/// The word to type before `script` (a destructive step) runs.
pub fn derive(script: &str, annotation: Option<&str>, meta_ns: Option<&str>) -> String {
    if let Some(t) = annotation.filter(|t| !t.trim().is_empty()) {
        return t.trim().to_string();
    }
    let all = words(script);
    // The first simple command that destroys something decides.
    let commands: Vec<&[String]> = all
        .split(|w| matches!(w.as_str(), ";" | "|" | "&"))
        .collect();
    let pick = commands
        .iter()
        .find(|c| c.iter().any(|w| is_destructive_word(w)))
        .or_else(|| commands.first());
    let cmd: Vec<String> = pick
        .map(|c| {
            c.iter()
                .skip_while(|w| matches!(w.as_str(), "sudo" | "env" | "time") || w.contains('='))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let program = cmd
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
        .unwrap_or_default();
    let (pos, ns) = positionals(cmd.get(1..).unwrap_or(&[]));
    let named = match program.as_str() {
        "kubectl" | "oc" | "k" => kube_target(&pos),
        "helm" => pos.get(1).cloned(),
        "rm" => pos.last().cloned(),
        _ => None,
    };
    named
        .or(ns)
        .or_else(|| meta_ns.map(str::to_string))
        .or_else(|| {
            all.iter()
                .any(|w| w == "delete")
                .then(|| "delete".to_string())
        })
        .unwrap_or(if program.is_empty() {
            "yes".to_string()
        } else {
            program
        })
}

fn is_destructive_word(w: &str) -> bool {
    matches!(
        w,
        "delete"
            | "drain"
            | "uninstall"
            | "rm"
            | "scale"
            | "replace"
            | "purge"
            | "DROP"
            | "TRUNCATE"
    )
}

/// `delete pod web-1` → `web-1`; `delete deploy/api` → `api`; `drain node-3` → `node-3`.
fn kube_target(pos: &[String]) -> Option<String> {
    let args = pos.get(1..)?;
    match args {
        [kind_name] if kind_name.contains('/') => kind_name.rsplit('/').next().map(str::to_string),
        [name] if matches!(pos[0].as_str(), "drain" | "cordon" | "uncordon") => Some(name.clone()),
        [_kind, name, ..] => Some(name.rsplit('/').next().unwrap_or(name).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(script: &str) -> String {
        derive(script, None, Some("shop"))
    }

    #[test]
    fn kubectl_names() {
        assert_eq!(t("kubectl delete pod web-1 -n prod"), "web-1");
        assert_eq!(
            t("kubectl -n prod delete pod web-1 --grace-period 0"),
            "web-1"
        );
        assert_eq!(t("kubectl delete deploy/api"), "api");
        assert_eq!(t("kubectl drain node-3 --ignore-daemonsets"), "node-3");
        assert_eq!(t("kubectl delete namespace old-ns"), "old-ns");
        assert_eq!(t("kubectl scale deploy web --replicas=0 -n prod"), "web");
    }

    #[test]
    fn falls_back_to_namespace_then_words() {
        assert_eq!(t("kubectl delete -f job.yaml -n batch"), "batch");
        assert_eq!(t("kubectl delete -f job.yaml"), "shop");
        assert_eq!(derive("kubectl delete -f job.yaml", None, None), "delete");
        assert_eq!(derive("psql -c 'DROP TABLE x'", None, None), "psql");
    }

    #[test]
    fn other_programs_and_annotation() {
        assert_eq!(t("helm uninstall payments -n prod"), "payments");
        assert_eq!(t("sudo rm -rf /var/lib/old"), "/var/lib/old");
        assert_eq!(t("echo bye && kubectl delete pod 'db-0'"), "db-0");
        assert_eq!(derive("anything", Some("prod-db"), None), "prod-db");
    }

    /// A line end separates commands: the destructive line decides, not the script's first
    /// word; continuations and comments do not get in the way.
    #[test]
    fn multi_line_scripts() {
        assert_eq!(t("ls /tmp/victim\nrm -rf /tmp/victim"), "/tmp/victim");
        assert_eq!(t("kubectl get pods\nkubectl delete pod web-1"), "web-1");
        assert_eq!(t("kubectl delete pod \\\n  web-1 \\\n  -n prod"), "web-1");
        assert_eq!(
            t("# delete the old one first\nkubectl delete deploy/api"),
            "api"
        );
    }

    #[test]
    fn references_in_a_target_are_expanded_only_when_all_are_known() {
        let value = |n: &str| match n {
            "WORKDIR" => Some("/tmp/demo.x1".to_string()),
            "NS" => Some("shop".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        assert_eq!(expand("$WORKDIR", &value), "/tmp/demo.x1");
        assert_eq!(expand("${WORKDIR}/cache", &value), "/tmp/demo.x1/cache");
        assert_eq!(expand("$NS-$WORKDIR", &value), "shop-/tmp/demo.x1");
        assert_eq!(expand("$WORKDIR/$UNKNOWN", &value), "$WORKDIR/$UNKNOWN");
        assert_eq!(expand("$EMPTY", &value), "$EMPTY");
        assert_eq!(expand("${open", &value), "${open");
        assert_eq!(expand("$1", &value), "$1");
        assert_eq!(expand("web-1", &value), "web-1");
    }

    #[test]
    fn the_namespace_a_command_names() {
        assert_eq!(
            namespace_of("helm uninstall 'shop' -n 'qa'").as_deref(),
            Some("qa")
        );
        let script = "echo -n hi\nkubectl --namespace=prod delete pod x";
        assert_eq!(namespace_of(script).as_deref(), Some("prod"));
        assert_eq!(namespace_of("kubectl delete pod x"), None);
        assert_eq!(namespace_of("echo -n x"), None);
    }
}
