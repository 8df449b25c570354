//! Which classifier a program goes to first, and what the other lists say about it, in one
//! lookup per command. `classify` used to try every classifier in turn, and each miss compared
//! the name with every arm of a long `match`; one hash lookup now skips the classifiers that
//! cannot claim the name.
//!
//! The table holds every name the `match` arms of `kube`, `cloud`, `db`, `net` and `tools`
//! mention (guarded arms included), each with the earliest of those classifiers that mentions
//! it. Classification still runs the chain from there on, so a classifier that declines (a
//! guard that does not hold) passes the command on exactly as before. A name in no family
//! list can only be claimed by `fs`, the last classifier. The same entry also tells whether
//! the name is a wrapper (`wrap`) and which list of `fs` names it.

use super::cloud::GENERIC;
use super::fs::{self, Listed};
use super::table::Table;
use std::sync::LazyLock;

/// The classifiers, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Family {
    Kube,
    Cloud,
    Db,
    Net,
    Tools,
    Fs,
}

#[rustfmt::skip]
const KUBE: &[&str] = &[
    "kubectl", "oc", "helm", "kustomize", "stern", "kubetail", "kubectx", "kubens", "k9s",
];
#[rustfmt::skip]
const CLOUD: &[&str] = &["az", "aws", "gcloud", "gsutil", "terraform", "tofu", "terragrunt"];
#[rustfmt::skip]
const DB: &[&str] = &[
    "psql", "gitlab-psql", "mysql", "mariadb", "sqlite3", "sqlite", "clickhouse-client",
    "clickhouse", "cqlsh", "mongosh", "mongo", "redis-cli", "valkey-cli", "keydb-cli", "prisma",
    "pg_isready", "pg_dump", "pg_dumpall", "pg_basebackup", "mysqldump", "pg_controldata",
    "pg_config", "pg_lsclusters", "pg_restore", "dropdb", "dropuser",
];
#[rustfmt::skip]
const NET: &[&str] = &[
    "curl", "wget", "ssh", "scp", "sftp", "rsync", "ping", "ping6", "nc", "ncat", "netcat",
    "telnet",
];
#[rustfmt::skip]
const TOOLS: &[&str] = &[
    "docker", "podman", "nerdctl", "docker-compose", "podman-compose", "git", "systemctl",
    "service", "journalctl",
];

/// What one lookup tells about a program name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// The first classifier that may claim the name.
    pub family: Family,
    /// Whether the name may be a wrapper (`sudo`, `sh -c`…); when not, `wrap` finds no payload.
    pub wraps: bool,
    /// Which list of `fs` names it, for when the chain reaches `fs`.
    pub fs: Option<Listed>,
}

const UNLISTED: Entry = Entry {
    family: Family::Fs,
    wraps: false,
    fs: None,
};

/// Every program `wrap` unwraps (the arms of its `prefix` and `carrier`).
#[rustfmt::skip]
const WRAPPERS: &[&str] = &[
    "sudo", "doas", "env", "nohup", "builtin", "exec", "command", "time", "nice", "ionice",
    "stdbuf", "unbuffer", "timeout", "xargs", "watch", "sh", "bash", "zsh", "dash", "ksh", "ash",
    "mksh", "eval", "su", "chroot", "npx", "bunx", "microk8s", "k3s",
];

/// One table for every question, so that a command hashes its program name once.
static TABLE: LazyLock<Table<Entry>> = LazyLock::new(|| {
    // In chain order: a name in two family lists goes to the earlier classifier.
    let families = [
        (KUBE, Family::Kube),
        (CLOUD, Family::Cloud),
        (GENERIC, Family::Cloud),
        (DB, Family::Db),
        (NET, Family::Net),
        (TOOLS, Family::Tools),
    ];
    let mut entries: Vec<(&'static str, Entry)> = Vec::new();
    for (names, family) in families {
        entries.extend(names.iter().map(|n| (*n, Entry { family, ..UNLISTED })));
    }
    entries.extend(WRAPPERS.iter().map(|n| {
        (
            *n,
            Entry {
                wraps: true,
                ..UNLISTED
            },
        )
    }));
    entries.extend(fs::listed().into_iter().map(|(n, l)| {
        (
            n,
            Entry {
                fs: Some(l),
                ..UNLISTED
            },
        )
    }));
    // The first family and the first `fs` list win; any wrapper entry makes a wrapper.
    Table::build_merged(&entries, |held, new| {
        held.wraps |= new.wraps;
        held.fs = held.fs.or(new.fs);
    })
});

/// Everything the classifiers need to know about `prog` from their lists (a name in no list
/// goes to `fs`, wraps nothing and is in no `fs` list).
pub(super) fn lookup(prog: &str) -> Entry {
    TABLE.get(prog).unwrap_or(UNLISTED)
}

/// The first classifier that may claim `prog`.
#[cfg(test)]
pub(super) fn first_family(prog: &str) -> Family {
    lookup(prog).family
}

/// Whether `prog` may be a wrapper (`sudo`, `sh -c`…); when not, `wrap` finds no payload.
#[cfg(test)]
pub(super) fn may_wrap(prog: &str) -> bool {
    lookup(prog).wraps
}

#[cfg(test)]
mod tests {
    use super::super::simple::Input;
    use super::super::{Analysis, Arg, Ctx, by_program, cloud, db, fs, kube, net, tools, wrap};
    use super::*;

    /// Every classifier in turn, as `classify` did before the table.
    fn full_chain(prog: &str, rest: &[Arg<'_>], ctx: &Ctx) -> Analysis {
        kube::classify(prog, rest, ctx)
            .or_else(|| cloud::classify(prog, rest, ctx))
            .or_else(|| db::classify(prog, rest, ctx))
            .or_else(|| net::classify(prog, rest, ctx))
            .or_else(|| tools::classify(prog, rest, ctx))
            .or_else(|| fs::classify(prog, rest, ctx))
            .unwrap_or(Analysis::WRITE)
    }

    #[test]
    fn names_outside_the_wrapper_table_are_never_unwrapped() {
        let mut names: Vec<&str> = include_str!("wrap.rs")
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|n| n.len() < 40)
            .collect();
        names.extend(["kubectl", "grep", "sudo", "bash", "fish", "", "./run.sh"]);
        let text = Input::Text("rm -rf /".into());
        for name in names {
            for args in [
                &[][..],
                &["-c", "rm x"],
                &["kubectl", "delete", "x"],
                &["-n", "5", "ls"],
            ] {
                let mut words = vec![Arg(name)];
                words.extend(args.iter().map(|a| Arg(a)));
                for stdin in [None, Some(&text)] {
                    if !may_wrap(name) {
                        assert!(wrap::unwrap(&words, stdin).is_none(), "{words:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn dispatch_matches_the_full_chain() {
        // Every string literal of the classifiers' sources (read independently of the table,
        // so that a name missing from it shows up here), plus the table and the `fs` lists.
        let sources = [
            include_str!("kube.rs"),
            include_str!("cloud.rs"),
            include_str!("db.rs"),
            include_str!("net.rs"),
            include_str!("tools.rs"),
        ];
        let mut names: Vec<&str> = sources
            .iter()
            .flat_map(|src| src.split('"').skip(1).step_by(2))
            .filter(|n| n.len() < 40)
            .collect();
        names.extend(TABLE.slots.iter().flatten().map(|(n, _)| *n));
        names.extend(
            fs::READ
                .iter()
                .chain(fs::DESTRUCTIVE)
                .chain(fs::SHELLS)
                .chain(fs::REPLS),
        );
        names.extend(fs::KEYBOARD.iter().map(|(n, _, _)| *n));
        #[rustfmt::skip]
        names.extend([
            "tail", "read", "sleep", "yes", "dmesg", "rm", "mkfs.ext4", "dd", "client", "build",
            "unknown-tool", "./deploy.sh", "", "Kubectl",
        ]);
        #[rustfmt::skip]
        let arg_sets: &[&[&str]] = &[
            &[], &["client"], &["client", "-q", "DROP TABLE t"], &["get", "pods"], &["-f"],
            &["delete", "x", "--force"], &["exec", "-it", "p", "--", "sh"], &["-c", "rm -rf /"],
            &["--version"], &["logs", "-f", "x"], &["apply", "-auto-approve"], &["status"],
            &["log"], &["diff"], &["list"], &["ls"], &["show"], &["push", "--force"],
            &["-l"], &["-n", "1", "x"], &["https://example.com"], &["host"],
        ];
        let text = Input::Text("DELETE FROM t;".into());
        for stdin in [None, Some(&Input::Opaque), Some(&text)] {
            let ctx = Ctx {
                stdin,
                depth: 0,
                loop_cond: false,
            };
            for prog in &names {
                for args in arg_sets {
                    let args: Vec<Arg<'_>> = args.iter().map(|a| Arg(a)).collect();
                    assert_eq!(
                        by_program(prog, &args, &ctx),
                        full_chain(prog, &args, &ctx),
                        "{prog} {args:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn earliest_family_wins_and_unknown_names_go_to_fs() {
        assert_eq!(first_family("kubectl"), Family::Kube);
        assert_eq!(first_family("flux"), Family::Cloud);
        assert_eq!(first_family("clickhouse"), Family::Db);
        assert_eq!(first_family("journalctl"), Family::Tools);
        assert_eq!(first_family("grep"), Family::Fs);
        assert_eq!(first_family(""), Family::Fs);
        let listed = KUBE.len() + CLOUD.len() + GENERIC.len() + DB.len() + NET.len() + TOOLS.len();
        let families = TABLE.slots.iter().flatten();
        let families = families.filter(|(_, e)| e.family != Family::Fs).count();
        // Every name once (no family list repeats a name of another).
        assert_eq!(families, listed);
        for name in WRAPPERS {
            assert!(lookup(name).wraps, "{name}");
        }
    }
}
