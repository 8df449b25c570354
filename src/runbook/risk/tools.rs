//! Containers (`docker`, `podman`, `nerdctl`, `docker compose`), `git`, and systemd
//! (`systemctl`, `service`, `journalctl`).

use super::args::{Args, parse, payload_start};
use super::flags::FlagSet;
use super::{Analysis, Ctx};
use super::{Arg, AsStr, Text};
use crate::runbook::Risk;
use std::sync::LazyLock;

pub(crate) fn classify(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    Some(match prog {
        "docker" | "podman" | "nerdctl" => docker(args, ctx),
        "docker-compose" | "podman-compose" => compose(args, ctx),
        "git" => git(args),
        "systemctl" => systemctl(args),
        "service" => {
            let a = parse(args, &[], false);
            let read = a.has(&["--status-all"]) || matches!(a.verb(1).as_str(), "status" | "");
            Analysis::of(if read { Risk::Read } else { Risk::Write })
        }
        "journalctl" => {
            let a = parse(
                args,
                &[
                    "-u",
                    "--unit",
                    "-n",
                    "--lines",
                    "-p",
                    "--priority",
                    "-o",
                    "--output",
                    "-S",
                    "--since",
                    "-U",
                    "--until",
                    "-t",
                    "-b",
                    "--boot",
                ],
                false,
            );
            let risk = if a.flags.iter().any(|(n, _)| n.starts_with("--vacuum")) {
                Risk::Destructive
            } else if a.has(&["--rotate", "--flush", "--sync"]) {
                Risk::Write
            } else {
                Risk::Read
            };
            Analysis::of(risk).long_running_if(a.has(&["-f", "--follow"]))
        }
        _ => return None,
    })
}

#[rustfmt::skip]
const DOCKER_GLOBAL: &[&str] = &[

    "-H", "--host", "--context", "-c", "--config", "-l", "--log-level",

];
#[rustfmt::skip]
const DOCKER_RUN_VALUE: &[&str] = &[
    "-e", "--env", "--env-file", "-v", "--volume", "-p", "--publish", "--name", "--network",
    "--net", "-w", "--workdir", "-u", "--user", "--entrypoint", "--mount", "-l", "--label",
    "--platform", "-m", "--memory", "--cpus", "--restart", "--hostname", "-h", "--add-host",
    "--log-driver", "--log-opt", "--device", "--cap-add", "--cap-drop", "--security-opt", "--tmpfs",
    "--shm-size", "--ulimit", "--pull", "--dns", "--expose", "--link", "--volumes-from", "--gpus",
    "--ipc", "--pid", "--runtime", "--stop-signal", "--stop-timeout", "--health-cmd", "--cidfile",
    "--memory-swap", "--cpu-shares", "-c", "--cpuset-cpus", "--group-add", "--detach-keys",
    "--network-alias", "--ip", "--label-file",
];
static DOCKER_RUN_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(DOCKER_RUN_VALUE));

/// Management commands whose second word is the action (`docker image rm`).
#[rustfmt::skip]
const GROUPS: &[&str] = &[
    "image", "container", "network", "volume", "system", "builder", "buildx", "context", "node",
    "service", "stack", "secret", "config", "plugin", "manifest", "swarm", "trust", "pod",
];

fn docker(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let start = payload_start(args, DOCKER_GLOBAL);
    let Some(verb) = args.get(start) else {
        return Analysis::READ;
    };
    let rest = &args[start + 1..];
    if verb == "compose" {
        return compose(rest, ctx);
    }
    let a = parse(rest, &*DOCKER_RUN_FLAGS, false);
    let (action, group) = if GROUPS.contains(&verb.as_str()) {
        (a.verb(0), Some(verb.as_str()))
    } else {
        (Text::Owned(verb.to_ascii_lowercase()), None)
    };
    let risk = docker_risk(group, &action, &a);
    let mut out = Analysis::of(risk);
    if matches!(action.as_str(), "exec" | "run") && group.is_none() {
        // `docker exec CONTAINER CMD…` / `docker run IMAGE CMD…`: the command inside counts.
        let from = payload_start(rest, &*DOCKER_RUN_FLAGS) + 1;
        if let Some(payload) = rest.get(from..).filter(|p| !p.is_empty()) {
            out = out.join(ctx.words(payload));
        }
        let tty = a.has(&["-i", "--interactive"]) && a.has(&["-t", "--tty"]);
        out = out.interactive_if(tty);
    }
    let follow = (action == "logs" && a.has(&["-f", "--follow"]))
        || action == "events"
        || (action == "stats" && !a.has(&["--no-stream"]));
    out.interactive_if(action == "attach")
        .long_running_if(follow)
}

fn docker_risk(group: Option<&str>, action: &str, a: &Args) -> Risk {
    use Risk::*;
    match (group, action) {
        (_, "rm" | "rmi" | "remove" | "prune") => Destructive,
        (Some("swarm"), "leave") if a.has(&["-f", "--force"]) => Destructive,
        (
            None,
            "images" | "info" | "ps" | "inspect" | "logs" | "version" | "stats" | "top" | "port"
            | "diff" | "history" | "search" | "events",
        )
        | (
            Some(_),
            "ls" | "list" | "inspect" | "ps" | "logs" | "history" | "top" | "port" | "diff"
            | "stats" | "df" | "info" | "events" | "show" | "du",
        ) => Read,
        (None, "") => Read,
        _ => Write,
    }
}

fn compose(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    #[rustfmt::skip]
    const VALUE: &[&str] = &[
        "-f", "--file", "-p", "--project-name", "--profile", "--env-file", "--project-directory",
        "--ansi", "--progress",
    ];
    let start = payload_start(args, VALUE);
    let Some(verb) = args.get(start) else {
        return Analysis::READ;
    };
    let rest = &args[start + 1..];
    let a = parse(rest, &*DOCKER_RUN_FLAGS, false);
    let risk = match verb.as_str() {
        "ps" | "logs" | "config" | "ls" | "images" | "top" | "version" | "port" | "events" => {
            Risk::Read
        }
        "rm" => Risk::Destructive,
        "down" if a.has(&["-v", "--volumes"]) => Risk::Destructive,
        _ => Risk::Write,
    };
    let mut out = Analysis::of(risk);
    if matches!(verb.as_str(), "exec" | "run") {
        let from = payload_start(rest, &*DOCKER_RUN_FLAGS) + 1;
        if let Some(payload) = rest.get(from..).filter(|p| !p.is_empty()) {
            out = out.join(ctx.words(payload));
        }
    }
    let follow = (verb == "logs" && a.has(&["-f", "--follow"]))
        || verb == "events"
        || verb == "watch"
        || (verb == "up" && !a.has(&["-d", "--detach", "--wait"]));
    out.long_running_if(follow)
}

#[rustfmt::skip]
const GIT_VALUE: &[&str] = &[
    "-m", "--message", "-F", "--file", "-b", "-B", "-u", "--set-upstream-to", "-o", "--origin",
    "--depth", "-n", "-C", "-c", "-s", "--strategy", "-X", "--format", "--pretty", "--author",
    "--since", "--until",
];
static GIT_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(GIT_VALUE));

#[rustfmt::skip]
const GIT_READ: &[&str] = &[
    "status", "log", "diff", "show", "fetch", "describe", "rev-parse", "ls-files", "ls-remote",
    "ls-tree", "blame", "shortlog", "grep", "show-ref", "cat-file", "version", "help",
    "whatchanged", "cherry", "name-rev", "merge-base", "rev-list", "for-each-ref",
    "count-objects", "fsck", "verify-commit", "check-ignore", "var",
];

fn git(args: &[Arg<'_>]) -> Analysis {
    let start = payload_start(
        args,
        &["-C", "-c", "--git-dir", "--work-tree", "--namespace"],
    );
    let Some(verb) = args.get(start) else {
        return Analysis::READ;
    };
    let a = parse(&args[start + 1..], &*GIT_FLAGS, false);
    // Commands that open an editor or ask hunk by hunk.
    let keyboard = match verb.as_str() {
        "commit" => !a.has(&[
            "-m",
            "--message",
            "-F",
            "--file",
            "--no-edit",
            "-C",
            "--fixup",
        ]),
        "rebase" => a.has(&["-i", "--interactive"]),
        "add" | "checkout" | "reset" | "restore" | "stash" => {
            a.has(&["-p", "--patch", "-i", "--interactive"])
        }
        _ => false,
    };
    Analysis::of(git_risk(verb, &a)).interactive_if(keyboard)
}

fn git_risk(verb: &str, a: &Args) -> Risk {
    use Risk::*;
    let sub = a.verb(0);
    let renames = [
        "-m",
        "-M",
        "-c",
        "-C",
        "-u",
        "--set-upstream-to",
        "--unset-upstream",
    ];
    match verb {
        _ if GIT_READ.contains(&verb) => Read,
        "branch" if a.has(&["-D", "-d", "--delete"]) => Destructive,
        "branch" if a.pos.is_empty() && !a.has(&renames) => Read,
        "tag" if a.has(&["-d", "--delete"]) => Destructive,
        "tag" if a.pos.is_empty() || a.has(&["-l", "--list"]) => Read,
        "remote" if matches!(sub.as_str(), "" | "show" | "get-url") => Read,
        "stash" if matches!(sub.as_str(), "list" | "show") => Read,
        "stash" if matches!(sub.as_str(), "drop" | "clear") => Destructive,
        "reflog" if matches!(sub.as_str(), "expire" | "delete") => Destructive,
        "reflog" => Read,
        "config" if a.has(&["--get", "--get-all", "--list", "-l", "--get-regexp"]) => Read,
        "config" if a.pos.len() == 1 => Read,
        "worktree" | "submodule" if matches!(sub.as_str(), "list" | "status" | "summary") => Read,
        "worktree" if sub == "remove" => Destructive,
        "push" if push_destroys(a) => Destructive,
        "reset" if a.has(&["--hard"]) => Destructive,
        "clean" if a.has(&["-n", "--dry-run"]) => Read,
        "clean" if a.has(&["-f", "--force"]) => Destructive,
        _ => Write,
    }
}

fn push_destroys(a: &Args) -> bool {
    a.has(&[
        "-f",
        "--force",
        "--force-with-lease",
        "--force-if-includes",
        "--mirror",
        "--delete",
        "-d",
        "--prune",
    ]) || a
        .pos
        .iter()
        .skip(1)
        .any(|r| r.starts_with('+') || r.starts_with(':'))
}

fn systemctl(args: &[Arg<'_>]) -> Analysis {
    let a = parse(
        args,
        &[
            "-H",
            "--host",
            "-M",
            "--machine",
            "-p",
            "--property",
            "-t",
            "--type",
            "--state",
            "-n",
            "--lines",
            "-o",
            "--output",
            "-s",
            "--signal",
        ],
        false,
    );
    let verb = a.verb(0);
    let read = verb.is_empty()
        || verb.starts_with("list-")
        || verb.starts_with("is-")
        || matches!(
            verb.as_str(),
            "status" | "show" | "show-environment" | "cat" | "get-default" | "help"
        );
    Analysis::of(if read { Risk::Read } else { Risk::Write }).interactive_if(verb == "edit")
}
