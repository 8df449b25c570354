//! Prefixes and payload carriers: `sudo`, `env`, `nohup`, `time`, `timeout`, `nice`, `xargs`,
//! `watch`, `sh -c`, `eval`, `su -c`, `chroot`, `npx`… The command they run is what counts.

use super::Arg;
use super::args::{base, parse, payload_start};
use super::flags::{FlagSet, ValueFlags};
use super::simple::Input;
use super::{Analysis, Ctx};
use std::sync::LazyLock;

/// What a wrapper runs.
pub(crate) enum Unwrapped<'a> {
    /// The rest of the words are a command of their own.
    Words {
        rest: &'a [Arg<'a>],
        /// A pure prefix (`sudo`, `env`, `time`…): not reported by `program_names`.
        prefix: bool,
    },
    /// Shell text run by the wrapper (`sh -c`, `eval`, `watch`, a heredoc fed to `bash`).
    Script { text: String, watch: bool },
}

/// Analyses a wrapped command, or `None` when `words` is not a wrapper with a payload.
pub(crate) fn classify(words: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    Some(match unwrap(words, ctx.stdin)? {
        Unwrapped::Words { rest: [], .. } => Analysis::READ,
        Unwrapped::Words { rest, .. } => ctx.words(rest),
        Unwrapped::Script { text, watch: false } => ctx.script(&text),
        // `watch` reruns its payload until stopped and never reads the keyboard.
        Unwrapped::Script { text, watch: true } => Analysis {
            interactive: false,
            long_running: true,
            ..ctx.script(&text)
        },
    })
}

#[rustfmt::skip]
const SUDO_VALUE: &[&str] = &[
    "-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group", "--host",
    "--prompt", "--chdir", "--close-from", "--role", "--type", "--other-user",
];
static SUDO_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(SUDO_VALUE));

#[rustfmt::skip]
const XARGS_VALUE: &[&str] = &[
    "-n", "-I", "-P", "-d", "-L", "-s", "-a", "-E", "-e", "--max-args", "--replace",
    "--max-procs", "--delimiter", "--max-lines", "--max-chars", "--arg-file", "--eof",
    "--process-slot-var",
];
static XARGS_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(XARGS_VALUE));

/// Finds the payload of a wrapper command.
pub(crate) fn unwrap<'a>(words: &'a [Arg<'a>], stdin: Option<&Input>) -> Option<Unwrapped<'a>> {
    let prog = base(words.first()?);
    let args = &words[1..];
    prefix(prog, args).or_else(|| carrier(prog, args, stdin))
}

/// The words after the flags of a wrapper.
fn after<'a>(args: &'a [Arg<'a>], value_flags: &(impl ValueFlags + ?Sized)) -> &'a [Arg<'a>] {
    &args[payload_start(args, value_flags).min(args.len())..]
}

/// Pure prefixes: they change how the command runs, not what it does.
fn prefix<'a>(prog: &str, args: &'a [Arg<'a>]) -> Option<Unwrapped<'a>> {
    let rest = match prog {
        "sudo" | "doas" => after(args, &*SUDO_FLAGS),
        "env" => return env(args),
        "nohup" | "builtin" => args,
        "exec" => after(args, &["-a"]),
        "command" if !args.iter().any(|a| a == "-v" || a == "-V") => after(args, &[]),
        "time" => after(args, &["-f", "-o", "--format", "--output"]),
        "nice" => after(args, &["-n", "--adjustment"]),
        "ionice" => after(args, &["-c", "-n", "-p", "--class", "--classdata"]),
        "stdbuf" => after(args, &["-i", "-o", "-e", "--input", "--output", "--error"]),
        _ => return None,
    };
    (!rest.is_empty()).then_some(Unwrapped::Words { rest, prefix: true })
}

/// Programs that run another command given as words or as shell text.
fn carrier<'a>(prog: &str, args: &'a [Arg<'a>], stdin: Option<&Input>) -> Option<Unwrapped<'a>> {
    let words = |rest: &'a [Arg<'a>]| Unwrapped::Words {
        rest,
        prefix: false,
    };
    let script = |text: String| Some(Unwrapped::Script { text, watch: false });
    match prog {
        "unbuffer" => Some(words(args)),
        // `timeout DURATION CMD…`
        "timeout" => {
            let rest = after(args, &["-s", "-k", "--signal", "--kill-after"]);
            Some(words(rest.get(1..).unwrap_or(&[])))
        }
        // Without a command, xargs runs `echo`: a read.
        "xargs" => Some(words(after(args, &*XARGS_FLAGS))),
        "watch" => {
            let rest = after(
                args,
                &["-n", "--interval", "-q", "--equexit", "-s", "--shotsdir"],
            );
            (!rest.is_empty()).then(|| Unwrapped::Script {
                text: rest.join(" "),
                watch: true,
            })
        }
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash" | "mksh" => shell(args, stdin),
        "eval" => script(args.join(" ")),
        "su" => {
            let a = parse(
                args,
                &["-c", "--command", "-s", "--shell", "-g", "-G", "-w"],
                false,
            );
            script(a.value(&["-c", "--command"])?.to_string())
        }
        // `chroot DIR CMD…`
        "chroot" => {
            let rest = after(args, &["--userspec", "--groups"]);
            rest.get(1..).filter(|r| !r.is_empty()).map(words)
        }
        "npx" | "bunx" => {
            let rest = after(args, &["-p", "--package", "-c", "--call"]);
            (!rest.is_empty()).then(|| words(rest))
        }
        "microk8s" | "k3s" if args.first().is_some_and(|a| a == "kubectl") => Some(words(args)),
        _ => None,
    }
}

/// `env [-i] [-u NAME] [NAME=value…] CMD`.
fn env<'a>(args: &'a [Arg<'a>]) -> Option<Unwrapped<'a>> {
    let a = parse(
        args,
        &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        true,
    );
    if let Some(text) = a.value(&["-S", "--split-string"]) {
        return Some(Unwrapped::Script {
            text: text.to_string(),
            watch: false,
        });
    }
    let start = args.len() - a.pos.len();
    let rest = &args[start..];
    let skip = rest
        .iter()
        .take_while(|w| super::simple::is_assignment(w))
        .count();
    let rest = &rest[skip..];
    (!rest.is_empty()).then_some(Unwrapped::Words { rest, prefix: true })
}

/// `sh -c TEXT …`, or a shell reading a script we can see on stdin (`bash <<EOF`).
fn shell<'a>(args: &'a [Arg<'a>], stdin: Option<&Input>) -> Option<Unwrapped<'a>> {
    let a = parse(args, &["-o", "-O", "--rcfile", "--init-file"], true);
    if a.has(&["-c"]) {
        let text = a.pos.first()?;
        return Some(Unwrapped::Script {
            text: text.to_string(),
            watch: false,
        });
    }
    match stdin {
        Some(Input::Text(t)) if a.pos.is_empty() => Some(Unwrapped::Script {
            text: t.to_string(),
            watch: false,
        }),
        _ => None,
    }
}

/// Shell builtins and keywords: never reported as programs to look for on PATH.
pub(crate) fn is_builtin(name: &str) -> bool {
    #[rustfmt::skip]
    const BUILTINS: &[&str] = &[
        "cd", "export", "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "echo",
        "read", "set", "unset", "test", "[", "[[", "]]", "true", "false", "source", ".", "exit",
        "return", "local", "declare", "typeset", "readonly", "function", "case", "esac", "while",
        "until", "select", "printf", ":", "shift", "wait", "trap", "alias", "unalias", "let",
        "eval", "type", "hash", "pushd", "popd", "dirs", "ulimit", "umask", "break", "continue",
        "jobs", "fg", "bg", "disown", "getopts", "shopt", "mapfile", "readarray", "history",
        "logout", "times", "caller", "compgen", "complete", "command", "builtin", "exec", "time",
        "kill", "pwd", "help", "bind", "enable", "suspend", "{", "}", "!",
    ];
    BUILTINS.contains(&name)
}
