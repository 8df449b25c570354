//! `kubectl` as `kube` read it before it gathered the flags in one pass (every question a
//! scan of the flags), kept for tests only as the reference the new reading is checked
//! against, with generated command lines.

use super::args::{Args, parse};
use super::kube::KUBE_VALUE;
use super::simple::Input;
use super::{Analysis, Arg, AsStr, Ctx};
use crate::runbook::Risk;
use proptest::prelude::*;
use std::borrow::Cow;

/// True when a boolean flag is present and not set to `false`.
fn on(a: &Args, names: &[&str]) -> bool {
    a.flags
        .iter()
        .any(|(n, v)| names.contains(&n.as_str()) && !matches!(*v, Some("false")))
}

pub(super) fn kubectl(oc: bool, words: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a = parse(words, KUBE_VALUE, false);
    let verb = a.verb(0);
    let sub = a.verb(1);
    let mut risk = verb_risk(oc, &verb, &sub, &a);
    let dry = a
        .flags
        .iter()
        .any(|(n, v)| n == "--dry-run" && !matches!(*v, Some("none" | "false")));
    if dry
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
    let tty = on(&a, &["-i", "--stdin"]) && on(&a, &["-t", "--tty"]);
    let needs_keyboard = tty
        || verb == "edit"
        || (oc && verb == "debug" && payload.is_none())
        || (oc && verb == "rsh" && payload.is_none())
        || (oc && verb == "login" && !a.has(&["--token", "-u", "--username"]))
        || (verb == "attach" && tty);
    let watch = verb != "rollout" && on(&a, &["-w", "--watch", "--watch-only"]);
    let follow = matches!(verb.as_str(), "logs" | "log") && on(&a, &["-f", "--follow"]);
    let endless = matches!(verb.as_str(), "port-forward" | "proxy" | "observe")
        || (oc && verb == "start-build" && on(&a, &["-F", "--follow"]));
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

fn verb_risk(oc: bool, verb: &str, sub: &str, a: &Args) -> Risk {
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
        "scale" if replicas_zero(a) => Destructive,
        "delete" | "drain" => Destructive,
        "replace" | "apply" if a.has(&["--force"]) || (verb == "apply" && a.has(&["--prune"])) => {
            Destructive
        }
        "adm" if oc => match sub {
            "drain" => Destructive,
            "top" | "inspect" | "who-can" => Read,
            _ => Write,
        },
        _ => Write,
    }
}

/// `--replicas=0` / `--replicas 0` (also `00`): scaling to zero takes the workload down.
fn replicas_zero(a: &Args) -> bool {
    a.value(&["--replicas"])
        .and_then(|v| v.trim().parse::<u64>().ok())
        == Some(0)
}

#[rustfmt::skip]
const VOCABULARY: &[&str] = &[
    // verbs and sub-verbs
    "get", "describe", "logs", "log", "delete", "drain", "apply", "replace", "scale", "exec",
    "run", "debug", "rsh", "attach", "edit", "cp", "rollout", "status", "history", "restart",
    "auth", "can-i", "whoami", "config", "view", "use-context", "adm", "top", "inspect",
    "who-can", "project", "projects", "login", "start-build", "port-forward", "proxy", "observe",
    "process", "Get", "DELETE", "pods", "pod/x", "deploy", "node/n", "x",
    // flags
    "-i", "-t", "-it", "-ti", "--stdin", "--tty", "--stdin=false", "-i=false", "-w", "--watch",
    "--watch-only", "--watch=false", "-f", "-F", "--follow", "--follow=false", "-n", "ns", "-o",
    "yaml", "--force", "--prune", "--token", "tok", "-u", "--username", "--username=u",
    "--replicas", "--replicas=0", "--replicas=00", "--replicas= 0", "--replicas=3", "0", "3",
    "--dry-run", "--dry-run=client", "--dry-run=none", "--dry-run=false", "--dry-run=server",
    "-c", "ctr", "-l", "app=x", "--", "sh", "bash", "-c", "rm -rf /", "psql", "DROP TABLE t",
    "--all-namespaces", "-A", "-v=5", "-it=false", "--grace-period=0",
];

fn words() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..10)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn one_pass_reading_matches_the_reference(words in words(), oc in any::<bool>()) {
        let args: Vec<Arg<'_>> = words.iter().map(|w| Arg(w)).collect();
        let text = Input::Text("rm -rf /".into());
        for stdin in [None, Some(&Input::Opaque), Some(&text)] {
            let ctx = Ctx { stdin, depth: 0, loop_cond: false };
            let prog = if oc { "oc" } else { "kubectl" };
            prop_assert_eq!(
                super::kube::classify(prog, &args, &ctx),
                Some(kubectl(oc, &args, &ctx)),
                "{} {:?}", prog, words
            );
        }
    }
}
