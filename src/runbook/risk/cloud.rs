//! Verb-driven CLIs: `az`, `aws`, `gcloud` (the spec's rules) and tools built the same way
//! (`flux`, `argocd`, `velero`, `eksctl`, `etcdctl`, `vault`, …), plus `terraform`.

use super::args::parse;
use super::flags::{FlagSet, ValueFlags};
use super::small::Small;
use super::table::Table;
use super::{Analysis, Ctx};
use super::{Arg, AsStr, Text};
use crate::runbook::Risk;
use std::sync::LazyLock;

/// Global flags of the cloud CLIs that take a value and may come before the command path.
#[rustfmt::skip]
const GLOBAL_VALUE: &[&str] = &[
    "--region", "--profile", "--output", "-o", "--query", "--endpoint-url", "--project",
    "--account", "--configuration", "--format", "--verbosity", "--subscription", "--zone",
    "--cli-read-timeout", "--cli-connect-timeout", "--color", "--ca-bundle",
    "--impersonate-service-account", "--billing-project", "--context", "--namespace", "-n",
    "--endpoints", "--cacert", "--cert", "--key", "--user", "--password", "--address", "-w",
    "--write-out", "--server", "--auth-token", "--kubeconfig", "--kube-context",
];

static GLOBAL_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(GLOBAL_VALUE));

/// The words of a command path, lower-cased.
type Path<'a> = Small<Text<'a>, 6>;

/// Tools whose first verb-looking word decides (see [`verb_class`]).
#[rustfmt::skip]
pub(super) const GENERIC: &[&str] = &[
    "flux", "argocd", "istioctl", "linkerd", "velero", "eksctl", "kind", "minikube", "k3d", "doctl",
    "kubeadm", "ceph", "rabbitmqctl", "cilium", "consul", "nomad", "gh", "glab", "tkn", "skaffold",
    "tilt", "hcloud", "oci", "ibmcloud", "etcdctl", "etcdutl", "vault", "crictl", "ctr", "virsh",
    "openstack", "pulumi", "kubeseal", "kn", "knative", "kops", "talosctl", "clusterctl", "cmctl",
    "linode-cli", "scw", "exo",
];

pub(crate) fn classify(prog: &str, args: &[Arg<'_>], _ctx: &Ctx) -> Option<Analysis> {
    match prog {
        "az" | "aws" | "gcloud" | "gsutil" => Some(cloud(prog, args)),
        "terraform" | "tofu" | "terragrunt" => Some(terraform(args)),
        _ if GENERIC.contains(&prog) => Some(generic(prog, args)),
        _ => None,
    }
}

/// The command path: the words that are not flags, up to the first flag we do not know
/// (whose value we could mistake for a verb). Known global flags and `--x=y` are skipped.
fn path<'a>(args: &[Arg<'a>]) -> Path<'a> {
    let mut out = Path::default();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if w.starts_with('-') {
            let known = !w.contains('=') && GLOBAL_FLAGS.takes_value(w);
            if !(known || w.contains('=') || out.is_empty()) {
                break;
            }
            i += if known { 2 } else { 1 };
            continue;
        }
        // Lower-cased (copied only when it has upper-case letters).
        out.push(if w.bytes().any(|b| b.is_ascii_uppercase()) {
            Text::Owned(w.to_ascii_lowercase())
        } else {
            Text::Borrowed(w.0)
        });
        i += 1;
    }
    out
}

#[rustfmt::skip]
const DESTRUCTIVE_HEADS: &[&str] = &[

    "delete", "del", "rm", "rmi", "rmp", "rb", "remove", "uninstall", "destroy", "purge", "prune",

    "drop", "wipe", "terminate", "erase",

];
#[rustfmt::skip]
const READ_WORDS: &[&str] = &[
    "ls", "tail", "wait", "stat", "perf", "versions", "df", "usage", "quorum_status", "check", "version", "help", "info", "whoami", "status", "diff", "inspect",
    "top", "history", "tree", "trace", "stats", "health", "explain", "search", "lint", "template",
    "validate", "view", "events", "print", "query", "read", "verify", "cat", "dump", "lookup",
    "capabilities", "members", "analyze", "proxy-status", "proxy-config", "preview", "ps", "images",
    "pods", "watch", "monitor", "hashkv", "timetolive", "can-i",
];
#[rustfmt::skip]
const WRITE_WORDS: &[&str] = &[
    "create", "set", "update", "upload", "promote", "restore", "add", "start", "stop", "restart",
    "deploy", "scale", "apply", "import", "put", "attach", "detach", "assign", "login", "logout",
    "copy", "cp", "mv", "sync", "mb", "run", "invoke", "upgrade", "rotate", "reset", "renew",
    "enable", "disable", "install", "reconcile", "suspend", "resume", "bootstrap", "approve",
    "push", "pull", "tag", "move", "rename", "patch", "edit", "replace", "exec", "ssh", "write",
    "init", "join", "lock", "unlock", "publish", "trigger", "rollback", "cancel", "kill", "reboot",
    "resize", "register", "grant", "revoke", "modify", "save", "defrag", "compact", "compaction",
    "configure", "up", "dev", "seal", "unseal", "undelete",
];

/// What a word is in the lists above: one bit per list.
const DESTRUCTIVE_WORD: u8 = 1;
const READ_WORD: u8 = 2;
const WRITE_WORD: u8 = 4;

/// The lists as one table: a word's lists in one lookup instead of scanning them all.
static WORDS: LazyLock<Table<u8>> = LazyLock::new(|| {
    let mut entries: Vec<(&'static str, u8)> = Vec::new();
    entries.extend(DESTRUCTIVE_HEADS.iter().map(|w| (*w, DESTRUCTIVE_WORD)));
    entries.extend(READ_WORDS.iter().map(|w| (*w, READ_WORD)));
    entries.extend(WRITE_WORDS.iter().map(|w| (*w, WRITE_WORD)));
    Table::build_merged(&entries, |held, new| *held |= new)
});

/// The lists `word` is in.
fn lists_of(word: &str) -> u8 {
    WORDS.get(word).unwrap_or(0)
}

/// The risk one word of a command path stands for, if it is a verb. `logs` counts only for
/// tools where it is a verb (`flux logs`), not for the clouds (`aws logs delete-log-group`).
fn verb_class(word: &str, logs_is_verb: bool) -> Option<Risk> {
    let head = word.split(['-', '_']).next().unwrap_or(word);
    if word.starts_with("get-credentials") {
        return Some(Risk::Write);
    }
    let head_lists = lists_of(head);
    if head_lists & DESTRUCTIVE_WORD != 0 {
        return Some(Risk::Destructive);
    }
    let word_lists = if word == head {
        head_lists
    } else {
        lists_of(word)
    };
    let reads = ["show", "list", "get", "describe"];
    if reads.iter().any(|r| word.starts_with(r)) || (word_lists | head_lists) & READ_WORD != 0 {
        return Some(Risk::Read);
    }
    if logs_is_verb && matches!(word, "logs" | "log") {
        return Some(Risk::Read);
    }
    if head_lists & WRITE_WORD != 0 {
        return Some(Risk::Write);
    }
    None
}

/// First verb in the path decides; no verb at all means help or version (read), a path of
/// unknown words is an unknown action (write).
fn path_risk(path: &[Text<'_>], logs_is_verb: bool) -> Risk {
    if path.is_empty() {
        return Risk::Read;
    }
    path.iter()
        .find_map(|w| verb_class(w, logs_is_verb))
        .unwrap_or(Risk::Write)
}

/// Whether any of `names` is among `args`, alone or as `NAME=value`.
fn flag(args: &[Arg<'_>], names: &[&str]) -> bool {
    args.iter().any(|a| {
        names.iter().any(|n| {
            a.strip_prefix(n)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        })
    })
}

fn cloud(prog: &str, args: &[Arg<'_>]) -> Analysis {
    let p = path(args);
    let has = |w: &str| p.iter().any(|x| x == w);
    let mut risk = path_risk(&p, false);
    if prog == "aws" && has("s3") && flag(args, &["--delete"]) {
        risk = Risk::Destructive;
    }
    if flag(args, &["--force", "--force-delete"]) {
        risk = Risk::Destructive;
    }
    if flag(args, &["--help", "--version"]) || p.last().is_some_and(|w| w == "help") {
        risk = Risk::Read;
    }
    let login = (prog == "az" && p.first().is_some_and(|w| w == "login"))
        && !flag(
            args,
            &["--identity", "--service-principal", "--federated-token"],
        );
    let keyboard = login
        || (prog == "gcloud"
            && (p.starts_with(&["auth".into(), "login".into()]) || *p == ["init"]))
        || (prog == "aws" && *p == ["configure"])
        || (prog == "gcloud" && has("ssh") && !flag(args, &["--command"]))
        || (prog == "az" && has("ssh"))
        || (prog == "aws" && has("start-session"));
    let follow = (has("tail") && (prog == "az" || flag(args, &["--follow"])))
        || (has("stream") && has("log"));
    Analysis::of(risk)
        .interactive_if(keyboard)
        .long_running_if(follow)
}

fn generic(prog: &str, args: &[Arg<'_>]) -> Analysis {
    let p = path(args);
    let has = |w: &str| p.iter().any(|x| x == w);
    let mut risk = path_risk(&p, true);
    if (prog == "kubeadm" && p.first().is_some_and(|w| w == "reset"))
        || (prog == "vault" && has("disable") && (has("secrets") || has("auth")))
        || (prog == "virsh" && has("undefine"))
    {
        risk = Risk::Destructive;
    }
    // `-w` / `-f` mean other things in these tools (`etcdctl -w table`, `ceph -f json`).
    let endless = (p.iter().any(|w| w == "logs" || w == "log") && flag(args, &["-f", "--follow"]))
        || flag(args, &["--watch"])
        || has("watch")
        || (prog == "minikube" && (has("tunnel") || has("dashboard") || has("mount")))
        || (matches!(prog, "skaffold" | "tilt") && (has("dev") || has("up")));
    let keyboard = prog == "pulumi" && has("up") && !flag(args, &["--yes", "-y", "--skip-preview"]);
    Analysis::of(risk)
        .long_running_if(endless)
        .interactive_if(keyboard)
}

fn terraform(args: &[Arg<'_>]) -> Analysis {
    use Risk::*;
    let a = parse(args, &[], false);
    let verb = a.verb(0);
    let sub = a.verb(1);
    let f = |n: &str| flag(args, &[n, &format!("-{n}")]);
    let risk = match verb.as_str() {
        "" | "plan" | "show" | "validate" | "output" | "version" | "providers" | "graph"
        | "console" => Read,
        "fmt" if f("-check") => Read,
        "state" | "workspace" if matches!(sub.as_str(), "list" | "show" | "pull") => Read,
        "state" if sub == "rm" => Destructive,
        "workspace" if sub == "delete" => Destructive,
        "destroy" => Destructive,
        "apply" if f("-destroy") => Destructive,
        _ => Write,
    };
    // apply/destroy ask "Enter a value:" unless approved up front or given a saved plan.
    let prompts = match verb.as_str() {
        "apply" => !f("-auto-approve") && !has_plan_file(args),
        "destroy" => !f("-auto-approve"),
        "console" | "login" => true,
        _ => false,
    };
    Analysis::of(risk).interactive_if(prompts && !f("-input=false"))
}

/// `terraform apply PLANFILE`: a positional after the verb that is not a flag's value.
fn has_plan_file(args: &[Arg<'_>]) -> bool {
    #[rustfmt::skip]
    const VALUE: &[&str] = &[
        "-var", "-var-file", "-target", "-replace", "-parallelism", "-state", "-state-out",
        "-backup", "-lock-timeout", "-chdir",
    ];
    let mut seen_verb = false;
    let mut skip = false;
    for w in args {
        if skip {
            skip = false;
        } else if w.starts_with('-') {
            let name = w.trim_start_matches('-');
            skip = !w.contains('=') && VALUE.iter().any(|v| v.trim_start_matches('-') == name);
        } else if seen_verb {
            return true;
        } else {
            seen_verb = true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{DESTRUCTIVE_HEADS, READ_WORDS, WRITE_WORDS, verb_class};
    use crate::runbook::Risk;

    /// `verb_class` as it was: the lists scanned one by one.
    fn scanned(word: &str, logs_is_verb: bool) -> Option<Risk> {
        let head = word.split(['-', '_']).next().unwrap_or(word);
        if word.starts_with("get-credentials") {
            return Some(Risk::Write);
        }
        if DESTRUCTIVE_HEADS.contains(&head) {
            return Some(Risk::Destructive);
        }
        let reads = ["show", "list", "get", "describe"];
        if reads.iter().any(|r| word.starts_with(r))
            || READ_WORDS.contains(&word)
            || READ_WORDS.contains(&head)
        {
            return Some(Risk::Read);
        }
        if logs_is_verb && matches!(word, "logs" | "log") {
            return Some(Risk::Read);
        }
        if WRITE_WORDS.contains(&head) {
            return Some(Risk::Write);
        }
        None
    }

    #[test]
    fn table_lookup_matches_scanning_the_lists() {
        let listed = DESTRUCTIVE_HEADS
            .iter()
            .chain(READ_WORDS)
            .chain(WRITE_WORDS);
        let mut words: Vec<String> = Vec::new();
        for w in listed.chain(&["logs", "log", "get-credentials", "", "-", "x", "describe"]) {
            for variant in [
                w.to_string(),
                format!("{w}-x"),
                format!("{w}_x"),
                format!("x-{w}"),
                format!("{w}s"),
                format!("{w}-get"),
                w.to_uppercase(),
            ] {
                words.push(variant);
            }
        }
        for word in &words {
            for logs in [false, true] {
                assert_eq!(
                    verb_class(word, logs),
                    scanned(word, logs),
                    "{word:?} {logs}"
                );
            }
        }
    }
}
