//! kubectl / oc / helm and their small companions (kustomize, stern, kubectx, k9s).

use super::args::{Args, parse};
use super::flags::FlagSet;
use super::{Analysis, Ctx};
use super::{Arg, AsStr};
use crate::runbook::Risk;
use std::borrow::Cow;
use std::sync::LazyLock;

/// kubectl/oc flags that take a value; skipping them finds the verb and its positionals.
#[rustfmt::skip]
pub(super) const KUBE_VALUE: &[&str] = &[
    "-n", "--namespace", "--context", "--cluster", "--user", "--kubeconfig", "-s", "--server",
    "--token", "--as", "--as-group", "--as-uid", "--request-timeout", "--certificate-authority",
    "--client-key", "--client-certificate", "--tls-server-name", "-v", "--cache-dir", "-o",
    "--output", "-l", "--selector", "-c", "--container", "-f", "--filename", "--field-selector",
    "--image", "--replicas", "--type", "-p", "--patch", "--timeout", "--for", "--since",
    "--since-time", "--tail", "--template", "-L", "--label-columns", "--sort-by", "--grace-period",
    "--overrides", "--env", "-e", "--port", "--target-port", "--name", "--to-revision",
    "--revision", "--from-literal", "--from-file", "--from-env-file", "--current-replicas",
    "--pod-running-timeout", "-k", "--kustomize", "--field-manager", "--restart",
    "--serviceaccount", "--subresource", "--profile", "--target", "--copy-to", "--max-unavailable",
    "--min", "--max", "--cpu-percent", "--limits", "--requests", "--resource-version", "--address",
    "--username", "--password", "--image-pull-policy",
];
static KUBE_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(KUBE_VALUE));

pub(crate) fn classify(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    Some(match prog {
        "kubectl" | "oc" => kubectl(prog == "oc", args, ctx),
        "helm" => helm(args),
        "kustomize" => match args.first().map(AsStr::as_str) {
            Some("build" | "version" | "cfg") | None => Analysis::READ,
            _ => Analysis::WRITE,
        },
        "stern" | "kubetail" => Analysis::READ.long_running_if(true),
        "kubectx" | "kubens" => {
            let only_list = args.iter().all(|a| a == "-c" || a == "--current");
            Analysis::of(if only_list { Risk::Read } else { Risk::Write })
        }
        "k9s" => Analysis::WRITE.interactive_if(true).long_running_if(true),
        _ => return None,
    })
}

/// The flags `kubectl` rules look at, gathered in one pass over the parsed flags. A boolean
/// flag is on when present and not set to `false`.
#[derive(Default)]
struct Seen<'a> {
    stdin: bool,
    tty: bool,
    watch: bool,
    /// `-f`, `-F` and `--follow` (`logs -f`, `oc start-build -F`).
    f: bool,
    big_f: bool,
    follow: bool,
    force: bool,
    prune: bool,
    /// `--token`, `-u` or `--username`: `oc login` does not prompt.
    credentials: bool,
    /// `--dry-run` other than `none`/`false`.
    dry_run: bool,
    /// The value of the last `--replicas`.
    replicas: Option<Option<&'a str>>,
}

impl<'a> Seen<'a> {
    fn of(a: &Args<'a>) -> Seen<'a> {
        let mut s = Seen::default();
        for (name, value) in a.flags.iter() {
            let on = !matches!(*value, Some("false"));
            match name.as_str() {
                "-i" | "--stdin" => s.stdin |= on,
                "-t" | "--tty" => s.tty |= on,
                "-w" | "--watch" | "--watch-only" => s.watch |= on,
                "-f" => s.f |= on,
                "-F" => s.big_f |= on,
                "--follow" => s.follow |= on,
                "--force" => s.force = true,
                "--prune" => s.prune = true,
                "--token" | "-u" | "--username" => s.credentials = true,
                "--replicas" => s.replicas = Some(*value),
                "--dry-run" => s.dry_run |= !matches!(*value, Some("none" | "false")),
                _ => {}
            }
        }
        s
    }

    /// `--replicas=0` / `--replicas 0` (also `00`): scaling to zero takes the workload down.
    fn replicas_zero(&self) -> bool {
        self.replicas
            .flatten()
            .and_then(|v| v.trim().parse::<u64>().ok())
            == Some(0)
    }
}

fn kubectl(oc: bool, words: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a = parse(words, &*KUBE_FLAGS, false);
    let seen = Seen::of(&a);
    let verb = a.verb(0);
    let sub = a.verb(1);
    let mut risk = verb_risk(oc, &verb, &sub, &a, &seen);
    if seen.dry_run
        && !matches!(
            verb.as_str(),
            "exec" | "attach" | "cp" | "debug" | "edit" | "rsh"
        )
    {
        risk = Risk::Read;
    }
    let mut out = Analysis::of(risk);

    // The payload runs inside the cluster: its risk counts, it shares our stdin.
    let payload = payload(oc, &verb, &a);
    if let Some(p) = &payload {
        out = out.join(ctx.words(p));
    }
    let tty = seen.stdin && seen.tty;
    let needs_keyboard = tty
        || verb == "edit"
        || (oc && verb == "debug" && payload.is_none())
        || (oc && verb == "rsh" && payload.is_none())
        || (oc && verb == "login" && !seen.credentials)
        || (verb == "attach" && tty);
    let watch = verb != "rollout" && seen.watch;
    let follow = matches!(verb.as_str(), "logs" | "log") && (seen.f || seen.follow);
    let endless = matches!(verb.as_str(), "port-forward" | "proxy" | "observe")
        || (oc && verb == "start-build" && (seen.big_f || seen.follow));
    out.interactive_if(needs_keyboard)
        .long_running_if(watch || follow || endless)
}

/// The command run in a pod by `exec`/`run`/`debug` (after `--`) or `oc rsh POD CMD`.
/// Borrowed from the command's words unless `oc rsh` rebuilds it from positionals.
fn payload<'a>(oc: bool, verb: &str, a: &Args<'a>) -> Option<Cow<'a, [Arg<'a>]>> {
    match verb {
        "exec" | "run" | "debug" => a.rest.filter(|r| !r.is_empty()).map(Cow::Borrowed),
        "rsh" if oc => {
            let p: Vec<Arg<'a>> = a.pos.iter().skip(2).map(|s| Arg(s)).collect();
            let p = if p.is_empty() {
                Cow::Borrowed(a.rest.unwrap_or_default())
            } else {
                Cow::Owned(p)
            };
            (!p.is_empty()).then_some(p)
        }
        _ => None,
    }
}

fn verb_risk(oc: bool, verb: &str, sub: &str, a: &Args, seen: &Seen) -> Risk {
    use Risk::*;
    match verb {
        "" | "get" | "describe" | "logs" | "log" | "top" | "explain" | "version"
        | "cluster-info" | "api-resources" | "api-versions" | "wait" | "diff" | "events"
        | "port-forward" | "proxy" | "kustomize" | "completion" | "plugin" | "options" | "help" => {
            Read
        }
        "whoami" | "status" | "projects" | "process" | "observe" if oc => Read,
        "project" if oc => {
            if a.pos.len() > 1 {
                Write
            } else {
                Read
            }
        }
        "auth" if matches!(sub, "can-i" | "whoami") => Read,
        "rollout" if matches!(sub, "status" | "history") => Read,
        "config"
            if matches!(
                sub,
                "get-contexts" | "current-context" | "view" | "get-clusters" | "get-users"
            ) =>
        {
            Read
        }
        "scale" if seen.replicas_zero() => Destructive,
        "delete" | "drain" => Destructive,
        "replace" | "apply" if seen.force || (verb == "apply" && seen.prune) => Destructive,
        "adm" if oc => match sub {
            "drain" => Destructive,
            "top" | "inspect" | "who-can" => Read,
            _ => Write,
        },
        _ => Write,
    }
}

#[rustfmt::skip]
const HELM_VALUE: &[&str] = &[

    "-n", "--namespace", "--kube-context", "--kubeconfig", "-f", "--values", "--set",

    "--set-string", "--set-file", "--set-json", "--version", "-o", "--output", "--timeout",

    "--repo", "--username", "--password", "--description", "--post-renderer", "--history-max",

    "--max", "-r", "--revision", "--registry-config", "--repository-config", "--ca-file",

    "--cert-file", "--key-file",

];
static HELM_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(HELM_VALUE));

fn helm(words: &[Arg<'_>]) -> Analysis {
    use Risk::*;
    let a = parse(words, &*HELM_FLAGS, false);
    let sub = a.verb(1);
    let risk = match a.verb(0).as_str() {
        "" | "list" | "ls" | "status" | "get" | "history" | "hist" | "show" | "inspect"
        | "template" | "search" | "lint" | "version" | "env" | "verify" | "diff" | "completion"
        | "help" => Read,
        "repo" | "plugin" | "dependency" | "dep" | "registry"
            if matches!(sub.as_str(), "list" | "ls") =>
        {
            Read
        }
        "uninstall" | "delete" | "del" | "un" => Destructive,
        _ => Write,
    };
    let risk = if a.has(&["--dry-run"]) { Read } else { risk };
    Analysis::of(risk)
}
