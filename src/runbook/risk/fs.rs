//! Everything else with a fixed meaning: shell builtins, text filters and inspection tools
//! (read), file operations (write), deleting and disk tools (destructive), editors, pagers,
//! REPLs and shells (interactive), followers such as `tail -f` (long-running).

use super::args::parse;
use super::{Analysis, Ctx};
use crate::runbook::Risk;

/// Programs that only look: builtins without side effects, text filters, inspection tools.
#[rustfmt::skip]
const READ: &[&str] = &[
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
const DESTRUCTIVE: &[&str] = &[
    "rm", "rmdir", "unlink", "shred", "wipefs", "dd", "mkswap", "blkdiscard", "srm", "truncate",
    "userdel", "groupdel", "deluser", "delgroup", "sgdisk",
];

/// Programs that open a full-screen UI or a prompt: (risk, long-running).
const KEYBOARD: &[(&str, Risk, bool)] = &[
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

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish"];
#[rustfmt::skip]
const REPLS: &[&str] = &[
    "python", "python3", "node", "irb", "ipython", "ruby", "perl", "lua",
];

pub(crate) fn classify(prog: &str, args: &[String], ctx: &Ctx) -> Option<Analysis> {
    if let Some(a) = special(prog, args, ctx) {
        return Some(a);
    }
    if let Some((_, risk, endless)) = KEYBOARD.iter().find(|(p, _, _)| *p == prog) {
        return Some(keyboard_program(prog, *risk, *endless, args));
    }
    if READ.contains(&prog) {
        return Some(Analysis::READ);
    }
    if DESTRUCTIVE.contains(&prog) || prog.starts_with("mkfs") {
        return Some(Analysis::DESTRUCTIVE);
    }
    let version = |a: &String| matches!(a.as_str(), "--version" | "-V" | "--help" | "-h");
    if (SHELLS.contains(&prog) || REPLS.contains(&prog)) && args.iter().any(version) {
        return Some(Analysis::READ);
    }
    if SHELLS.contains(&prog) || REPLS.contains(&prog) {
        // No script, no `-c`, nothing on stdin: a prompt waiting for the keyboard.
        let prompt = ctx.stdin.is_none()
            && args
                .iter()
                .all(|a| a.starts_with('-') && !matches!(a.as_str(), "-c" | "-e" | "-m"));
        let server = args
            .windows(2)
            .any(|w| w[0] == "-m" && w[1] == "http.server");
        return Some(
            Analysis::WRITE
                .interactive_if(prompt)
                .long_running_if(server),
        );
    }
    None
}

/// Editors, pagers and monitors; `top -b` is a batch report, `emacs --batch` a script.
fn keyboard_program(prog: &str, risk: Risk, endless: bool, args: &[String]) -> Analysis {
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

fn special(prog: &str, args: &[String], ctx: &Ctx) -> Option<Analysis> {
    let a = |r: Risk| Some(Analysis::of(r));
    let has = |names: &[&str]| args.iter().any(|x| names.contains(&x.as_str()));
    match prog {
        "read" => Some(Analysis::READ.interactive_if(ctx.stdin.is_none() && !ctx.loop_cond)),
        "sleep" => Some(Analysis::READ.long_running_if(has(&["infinity", "inf"]))),
        "tail" => {
            let p = parse(
                args,
                &["-n", "--lines", "-c", "--bytes", "-s", "--pid"],
                false,
            );
            Some(Analysis::READ.long_running_if(p.has(&["-f", "-F", "--follow", "--retry"])))
        }
        "dmesg" => {
            let p = parse(args, &["-l", "--level", "-f", "--facility"], false);
            let risk = if p.has(&["-c", "-C", "--clear", "--read-clear"]) {
                Risk::Write
            } else {
                Risk::Read
            };
            Some(Analysis::of(risk).long_running_if(p.has(&["-w", "--follow", "-W"])))
        }
        "yes" => Some(Analysis::READ.long_running_if(true)),
        "sed" => {
            let p = parse(
                args,
                &["-e", "--expression", "-f", "--file", "-l", "--line-length"],
                false,
            );
            let in_place =
                p.has(&["-i"]) || p.flags.iter().any(|(n, _)| n.starts_with("--in-place"));
            a(if in_place { Risk::Write } else { Risk::Read })
        }
        "tee" => a(
            if args
                .iter()
                .any(|x| !x.starts_with('-') && !x.starts_with("/dev/"))
            {
                Risk::Write
            } else {
                Risk::Read
            },
        ),
        "find" => Some(find(args, ctx)),
        "tar" => {
            let listing = args
                .first()
                .is_some_and(|f| !f.starts_with("--") && f.trim_start_matches('-').contains('t'))
                || has(&["--list"]);
            a(if listing { Risk::Read } else { Risk::Write })
        }
        "unzip" => a(if has(&["-l", "-t", "-v", "-Z"]) {
            Risk::Read
        } else {
            Risk::Write
        }),
        "gzip" | "gunzip" | "bzip2" | "bunzip2" | "xz" | "unxz" | "zstd" => a(
            if has(&["-c", "--stdout", "-l", "--list", "-t", "--test"]) {
                Risk::Read
            } else {
                Risk::Write
            },
        ),
        "fdisk" | "sfdisk" => a(if has(&["-l", "--list", "-d", "--dump"]) {
            Risk::Read
        } else {
            Risk::Destructive
        }),
        "parted" => a(if has(&["-l", "--list", "print"]) {
            Risk::Read
        } else {
            Risk::Destructive
        }),
        "crontab" => {
            let p = parse(args, &["-u"], false);
            if p.has(&["-l"]) {
                a(Risk::Read)
            } else if p.has(&["-r"]) {
                a(Risk::Destructive)
            } else {
                Some(Analysis::WRITE.interactive_if(p.has(&["-e"])))
            }
        }
        "ip" => {
            let changes = [
                "add", "del", "delete", "set", "flush", "change", "replace", "append", "up", "down",
            ];
            a(if args.iter().any(|x| changes.contains(&x.as_str())) {
                Risk::Write
            } else {
                Risk::Read
            })
        }
        "iptables" | "ip6tables" | "nft" | "ufw" => {
            let read = has(&[
                "-L",
                "-S",
                "--list",
                "--list-rules",
                "-nL",
                "-nvL",
                "list",
                "status",
            ]);
            a(if read { Risk::Read } else { Risk::Write })
        }
        "hostname" => a(if args.iter().all(|x| x.starts_with('-')) {
            Risk::Read
        } else {
            Risk::Write
        }),
        "ssh-keygen" => a(if has(&["-l", "-F", "-y", "-lf"]) {
            Risk::Read
        } else {
            Risk::Write
        }),
        "sops" => a(if has(&["-d", "--decrypt"]) {
            Risk::Read
        } else {
            Risk::Write
        }),
        // `sudo` without a command: `-i`/`-s` open a root shell, `-l`/`-v`/`-k` only look.
        "sudo" | "doas"
            if has(&[
                "-l",
                "-v",
                "-k",
                "-K",
                "--list",
                "--validate",
                "-V",
                "--version",
            ]) =>
        {
            a(Risk::Read)
        }
        "sudo" | "doas" => {
            Some(Analysis::WRITE.interactive_if(has(&["-i", "-s", "--login", "--shell"])))
        }
        "chroot" => Some(Analysis::WRITE.interactive_if(true)),
        "kill" | "pkill" | "killall" => a(if has(&["-l", "-L"]) {
            Risk::Read
        } else {
            Risk::Write
        }),
        _ => None,
    }
}

/// `find … -delete` deletes; `-exec CMD {} \;` runs CMD (analysed), `-ok` asks each time.
fn find(args: &[String], ctx: &Ctx) -> Analysis {
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
