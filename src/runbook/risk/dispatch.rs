//! Which classifier a program goes to first. `classify` used to try every classifier in turn,
//! and each miss compared the name with every arm of a long `match`; one lookup in a sorted
//! table now skips the classifiers that cannot claim the name.
//!
//! The table lists every name the `match` arms of `kube`, `cloud`, `db`, `net` and `tools`
//! mention (guarded arms included), each with the earliest of those classifiers that mentions
//! it. Classification still runs the chain from there on, so a classifier that declines (a
//! guard that does not hold) passes the command on exactly as before. A name in no list can
//! only be claimed by `fs`, the last classifier.

use super::cloud::GENERIC;
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

/// Names sorted for binary search, each with the earliest family that mentions it.
static TABLE: LazyLock<Vec<(&'static str, Family)>> = LazyLock::new(|| {
    let lists: [(&[&'static str], Family); 6] = [
        (KUBE, Family::Kube),
        (CLOUD, Family::Cloud),
        (GENERIC, Family::Cloud),
        (DB, Family::Db),
        (NET, Family::Net),
        (TOOLS, Family::Tools),
    ];
    let mut table: Vec<(&'static str, Family)> = lists
        .iter()
        .flat_map(|(names, f)| names.iter().map(move |n| (*n, *f)))
        .collect();
    // Sorted by name, then family: the first entry of each name is its earliest family.
    table.sort_unstable();
    table.dedup_by_key(|(n, _)| *n);
    table
});

/// The first classifier that may claim `prog`.
pub(super) fn first_family(prog: &str) -> Family {
    match TABLE.binary_search_by(|(n, _)| (*n).cmp(prog)) {
        Ok(i) => TABLE.get(i).map_or(Family::Kube, |(_, f)| *f),
        Err(_) => Family::Fs,
    }
}

#[cfg(test)]
mod tests {
    use super::super::simple::Input;
    use super::super::{Analysis, Arg, Ctx, by_program, cloud, db, fs, kube, net, tools};
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
        names.extend(TABLE.iter().map(|(n, _)| *n));
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
                    let args: Vec<Arg<'_>> = args.iter().map(|a| Arg::Borrowed(*a)).collect();
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
        let names: Vec<&str> = TABLE.iter().map(|(n, _)| *n).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]));
    }
}
