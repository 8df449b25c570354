//! Everything else with a fixed meaning: shell builtins, text filters and inspection tools
//! (read), file operations (write), deleting and disk tools (destructive), editors, pagers,
//! REPLs and shells (interactive), followers such as `tail -f` (long-running).

use super::args::parse;
use super::{Analysis, Ctx};
use super::{Arg, AsStr};
use crate::runbook::Risk;

/// Programs that only look: builtins without side effects, text filters, inspection tools.
#[rustfmt::skip]
pub(super) const READ: &[&str] = &[
    "cd", "export", "set", "unset", "source", ".", "true", "false", "test", "[", "[[", ":", "echo",
    "printf", "date", "pwd", "ls", "ll", "cat", "df", "du", "env", "printenv", "grep", "egrep",
    "fgrep", "rg", "ag", "jq", "yq", "gojq", "sort", "uniq", "head", "wc", "cut", "tr", "awk",
    "gawk", "mawk", "column", "type", "which", "whereis", "command", "hash", "alias", "unalias",
    "shift", "wait", "trap", "local", "declare", "typeset", "readonly", "exit", "return", "break",
    "continue", "let", "getopts", "shopt", "umask", "ulimit", "jobs", "pushd", "popd", "dirs",
    "history", "logout", "times", "caller", "compgen", "complete", "mapfile", "readarray",
    "basename", "dirname", "realpath", "readlink", "stat", "file", "id", "whoami", "groups", "who",
    "w", "last", "uname", "uptime", "free", "ps", "pgrep", "pidof", "lsof", "netstat", "ss",
    "ifconfig", "arp", "traceroute", "tracepath", "mtr", "dig", "nslookup", "host", "whois",
    "openssl", "base64", "base32", "md5sum", "sha1sum", "sha256sum", "sha512sum", "cksum", "b2sum",
    "shasum", "diff", "cmp", "comm", "tree", "locate", "lsblk", "blkid", "lscpu", "lsmem", "lspci",
    "lsusb", "lsmod", "nproc", "getent", "vmstat", "iostat", "mpstat", "sar", "pidstat",
    "nvidia-smi", "sensors", "paste", "join", "fold", "fmt", "nl", "rev", "tac", "expand",
    "unexpand", "xxd", "od", "hexdump", "strings", "iconv", "envsubst", "bc", "seq", "tput",
    "clear", "numfmt", "expr", "locale", "lsb_release", "cal", "getconf", "ssh-keyscan", "xmllint",
    "bat", "fd", "exa", "eza", "tldr", "zcat", "bzcat", "xzcat", "zgrep", "systemd-analyze",
    "kubeval", "kubeconform", "conftest", "shellcheck", "hadolint", "promtool", "amtool", "nmap",
    "host", "curlie", "tcpdump", "iftop", "nethogs", "ethtool", "mount", "findmnt", "timedatectl",
    "hostnamectl", "loginctl", "htpasswd", "base58", "jwt", "sha224sum", "sha384sum", "dos2unix",
    "unix2dos", "yamllint", "jsonlint", "cfssl-certinfo",
];

/// Programs that delete or overwrite data by design.
#[rustfmt::skip]
pub(super) const DESTRUCTIVE: &[&str] = &[
    "rm", "rmdir", "unlink", "shred", "wipefs", "dd", "mkswap", "blkdiscard", "srm", "truncate",
    "userdel", "groupdel", "deluser", "delgroup", "sgdisk",
];

/// Programs that open a full-screen UI or a prompt: (risk, long-running).
pub(super) const KEYBOARD: &[(&str, Risk, bool)] = &[
    ("vi", Risk::Write, false),
    ("vim", Risk::Write, false),
    ("nvim", Risk::Write, false),
    ("nano", Risk::Write, false),
    ("emacs", Risk::Write, false),
    ("pico", Risk::Write, false),
    ("joe", Risk::Write, false),
    ("mcedit", Risk::Write, false),
    ("less", Risk::Read, false),
    ("more", Risk::Read, false),
    ("most", Risk::Read, false),
    ("man", Risk::Read, false),
    ("top", Risk::Read, true),
    ("htop", Risk::Read, true),
    ("btop", Risk::Read, true),
    ("atop", Risk::Read, true),
    ("glances", Risk::Read, true),
    ("ncdu", Risk::Read, false),
    ("fzf", Risk::Read, false),
    ("tmux", Risk::Write, false),
    ("screen", Risk::Write, false),
    ("mc", Risk::Write, false),
    ("passwd", Risk::Write, false),
    ("visudo", Risk::Write, false),
    ("vipw", Risk::Write, false),
    ("nmtui", Risk::Write, false),
    ("lazygit", Risk::Write, false),
    ("lazydocker", Risk::Write, false),
    ("su", Risk::Write, false),
];

pub(super) const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish"];
#[rustfmt::skip]
pub(super) const REPLS: &[&str] = &[
    "python", "python3", "node", "irb", "ipython", "ruby", "perl", "lua",
];

/// The programs [`special`] knows (the names of its `match` arms): it claims every one of them.
#[rustfmt::skip]
const SPECIAL: &[&str] = &[
    "read", "sleep", "yes", "tail", "dmesg", "sed", "tee", "find", "tar", "unzip", "gzip",
    "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "fdisk", "sfdisk", "parted", "crontab",
    "ip", "iptables", "ip6tables", "nft", "ufw", "hostname", "ssh-keygen", "sops", "sudo", "doas",
    "chroot", "kill", "pkill", "killall",
];

/// Which of this module's lists first names a program, in the order `classify` consults them
/// (looked up with the program's family, in `dispatch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listed {
    /// In [`SPECIAL`]: [`special`] decides.
    Special,
    /// In [`KEYBOARD`], with its risk and whether it runs until stopped.
    Keyboard(Risk, bool),
    Read,
    Destructive,
    /// In [`SHELLS`] or [`REPLS`].
    Interpreter,
}

/// Every listed name with its list, in the order `classify` consults the lists: a name in
/// several keeps the first.
pub(super) fn listed() -> Vec<(&'static str, Listed)> {
    let mut out: Vec<(&'static str, Listed)> =
        SPECIAL.iter().map(|n| (*n, Listed::Special)).collect();
    out.extend(
        KEYBOARD
            .iter()
            .map(|(n, risk, endless)| (*n, Listed::Keyboard(*risk, *endless))),
    );
    out.extend(READ.iter().map(|n| (*n, Listed::Read)));
    out.extend(DESTRUCTIVE.iter().map(|n| (*n, Listed::Destructive)));
    out.extend(
        SHELLS
            .iter()
            .chain(REPLS)
            .map(|n| (*n, Listed::Interpreter)),
    );
    out
}

/// `fs` as a classifier on its own (the chain calls [`classify_listed`]).
#[cfg(test)]
pub(crate) fn classify(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    classify_listed(super::dispatch::lookup(prog).fs, prog, args, ctx)
}

/// [`classify`] with the program's list already looked up.
pub(super) fn classify_listed(
    listed: Option<Listed>,
    prog: &str,
    args: &[Arg<'_>],
    ctx: &Ctx,
) -> Option<Analysis> {
    // No listed name starts with `mkfs`, so checking it only for unlisted names keeps the
    // order of the lists (a test compares with scanning them one by one).
    match listed {
        Some(Listed::Special) => special(prog, args, ctx),
        Some(Listed::Keyboard(risk, endless)) => Some(keyboard_program(prog, risk, endless, args)),
        Some(Listed::Read) => Some(Analysis::READ),
        Some(Listed::Destructive) => Some(Analysis::DESTRUCTIVE),
        Some(Listed::Interpreter) => Some(interpreter(args, ctx)),
        None if prog.starts_with("mkfs") => Some(Analysis::DESTRUCTIVE),
        None => None,
    }
}

/// A shell or a REPL: `--version` only prints, no script and no stdin waits for the keyboard.
fn interpreter(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let version = |a: &Arg<'_>| matches!(a.as_str(), "--version" | "-V" | "--help" | "-h");
    if args.iter().any(version) {
        return Analysis::READ;
    }
    // No script, no `-c`, nothing on stdin: a prompt waiting for the keyboard.
    let prompt = ctx.stdin.is_none()
        && args
            .iter()
            .all(|a| a.starts_with('-') && !matches!(a.as_str(), "-c" | "-e" | "-m"));
    let server = args
        .windows(2)
        .any(|w| w[0] == "-m" && w[1] == "http.server");
    Analysis::WRITE
        .interactive_if(prompt)
        .long_running_if(server)
}

/// Editors, pagers and monitors; `top -b` is a batch report, `emacs --batch` a script.
pub(super) fn keyboard_program(
    prog: &str,
    risk: Risk,
    endless: bool,
    args: &[Arg<'_>],
) -> Analysis {
    let batch = args
        .iter()
        .any(|a| a == "-b" || a == "--batch" || a.starts_with("-bn"));
    if batch {
        let counted = args
            .iter()
            .any(|a| a == "-n" || a.starts_with("-bn") || a.starts_with("-n"));
        return Analysis::of(risk).long_running_if(prog.ends_with("top") && !counted);
    }
    Analysis::of(risk)
        .interactive_if(true)
        .long_running_if(endless)
}

pub(super) fn special(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    followers(prog, args, ctx)
        .or_else(|| files(prog, args, ctx))
        .or_else(|| system(prog, args))
}

/// `then` when any of `names` is among `args`, else `otherwise`.
fn when(args: &[Arg<'_>], names: &[&str], then: Risk, otherwise: Risk) -> Option<Analysis> {
    let hit = args.iter().any(|x| names.contains(&x.as_str()));
    Some(Analysis::of(if hit { then } else { otherwise }))
}

/// Commands whose risk is read but that wait: for input, for time, for more lines.
fn followers(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    let has = |names: &[&str]| args.iter().any(|x| names.contains(&x.as_str()));
    Some(match prog {
        "read" => Analysis::READ.interactive_if(ctx.stdin.is_none() && !ctx.loop_cond),
        "sleep" => Analysis::READ.long_running_if(has(&["infinity", "inf"])),
        "yes" => Analysis::READ.long_running_if(true),
        "tail" => {
            let p = parse(
                args,
                &["-n", "--lines", "-c", "--bytes", "-s", "--pid"],
                false,
            );
            Analysis::READ.long_running_if(p.has(&["-f", "-F", "--follow", "--retry"]))
        }
        "dmesg" => {
            let p = parse(args, &["-l", "--level", "-f", "--facility"], false);
            let clears = p.has(&["-c", "-C", "--clear", "--read-clear"]);
            let risk = if clears { Risk::Write } else { Risk::Read };
            Analysis::of(risk).long_running_if(p.has(&["-w", "--follow", "-W"]))
        }
        _ => return None,
    })
}

/// File tools whose risk depends on a flag.
fn files(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    use Risk::*;
    match prog {
        "sed" => {
            let p = parse(args, &["-e", "--expression", "-f", "--file", "-l"], false);
            let in_place =
                p.has(&["-i"]) || p.flags.iter().any(|(n, _)| n.starts_with("--in-place"));
            Some(Analysis::of(if in_place { Write } else { Read }))
        }
        // `tee` with a file writes it; `tee /dev/stderr` or plain `tee` only copies.
        "tee" => {
            let file = args
                .iter()
                .any(|x| !x.starts_with('-') && !x.starts_with("/dev/"));
            Some(Analysis::of(if file { Write } else { Read }))
        }
        "find" => Some(find(args, ctx)),
        "tar" => {
            let first = args.first().filter(|f| !f.starts_with("--"));
            let listing = first.is_some_and(|f| f.trim_start_matches('-').contains('t'));
            when(args, &["--list"], Read, if listing { Read } else { Write })
        }
        "unzip" => when(args, &["-l", "-t", "-v", "-Z"], Read, Write),
        "gzip" | "gunzip" | "bzip2" | "bunzip2" | "xz" | "unxz" | "zstd" => when(
            args,
            &["-c", "--stdout", "-l", "--list", "-t", "--test"],
            Read,
            Write,
        ),
        "fdisk" | "sfdisk" => when(args, &["-l", "--list", "-d", "--dump"], Read, Destructive),
        "parted" => when(args, &["-l", "--list", "print"], Read, Destructive),
        _ => None,
    }
}

/// System administration tools whose risk depends on a flag or a word.
fn system(prog: &str, args: &[Arg<'_>]) -> Option<Analysis> {
    use Risk::*;
    let has = |names: &[&str]| args.iter().any(|x| names.contains(&x.as_str()));
    match prog {
        "crontab" if has(&["-l"]) => Some(Analysis::READ),
        "crontab" if has(&["-r"]) => Some(Analysis::DESTRUCTIVE),
        "crontab" => Some(Analysis::WRITE.interactive_if(has(&["-e"]))),
        "ip" => {
            let changes = [
                "add", "del", "delete", "set", "flush", "change", "replace", "append",
            ];
            when(args, &changes, Write, Read)
        }
        "iptables" | "ip6tables" | "nft" | "ufw" => when(
            args,
            &[
                "-L",
                "-S",
                "--list",
                "--list-rules",
                "-nL",
                "-nvL",
                "list",
                "status",
            ],
            Read,
            Write,
        ),
        "hostname" => {
            let sets = args.iter().any(|x| !x.starts_with('-'));
            Some(Analysis::of(if sets { Write } else { Read }))
        }
        "ssh-keygen" => when(args, &["-l", "-F", "-y", "-lf"], Read, Write),
        "sops" => when(args, &["-d", "--decrypt"], Read, Write),
        // `sudo` without a command: `-i`/`-s` open a root shell, `-l`/`-v`/`-k` only look.
        "sudo" | "doas" if has(&["-l", "-v", "-k", "-K", "--list", "--validate", "-V"]) => {
            Some(Analysis::READ)
        }
        "sudo" | "doas" => {
            Some(Analysis::WRITE.interactive_if(has(&["-i", "-s", "--login", "--shell"])))
        }
        "chroot" => Some(Analysis::WRITE.interactive_if(true)),
        "kill" | "pkill" | "killall" => when(args, &["-l", "-L"], Read, Write),
        _ => None,
    }
}

/// `find … -delete` deletes; `-exec CMD {} \;` runs CMD (analysed), `-ok` asks each time.
fn find(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let mut out = Analysis::READ;
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        match w.as_str() {
            "-delete" => out = out.at_least(Risk::Destructive),
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let end = args[i..]
                    .iter()
                    .position(|x| x == ";" || x == "+")
                    .map_or(args.len(), |p| i + p);
                let payload = &args[i..end];
                out = out
                    .join(ctx.words(payload))
                    .interactive_if(w.starts_with("-ok"));
                i = end + 1;
            }
            "-fprint" | "-fprintf" | "-fls" => out = out.at_least(Risk::Write),
            _ => {}
        }
    }
    out
}
