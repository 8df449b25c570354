//! Prefixes and payload carriers: `sudo`, `env`, `nohup`, `time`, `timeout`, `nice`, `xargs`,
//! `watch`, `sh -c`, `eval`, `su -c`, `chroot`, `npx`… The command they run is what counts.

use super::args::{base, parse, payload_start};
use super::simple::Input;
use super::{Analysis, Ctx};

/// What a wrapper runs.
pub(crate) enum Unwrapped<'a> {
    /// The rest of the words are a command of their own.
    Words {
        rest: &'a [String],
        /// A pure prefix (`sudo`, `env`, `time`…): not reported by `program_names`.
        prefix: bool,
    },
    /// Shell text run by the wrapper (`sh -c`, `eval`, `watch`, a heredoc fed to `bash`).
    Script { text: String, watch: bool },
}

/// Analyses a wrapped command, or `None` when `words` is not a wrapper with a payload.
pub(crate) fn classify(words: &[String], ctx: &Ctx) -> Option<Analysis> {
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

/// Finds the payload of a wrapper command.
pub(crate) fn unwrap<'a>(words: &'a [String], stdin: Option<&Input>) -> Option<Unwrapped<'a>> {
    let prog = base(words.first()?);
    let args = &words[1..];
    let after = |flags: &[&str]| &args[payload_start(args, flags).min(args.len())..];
    let prefixed =
        |rest: &'a [String]| (!rest.is_empty()).then_some(Unwrapped::Words { rest, prefix: true });
    match prog {
        "sudo" | "doas" => prefixed(after(&[
            "-u",
            "-g",
            "-h",
            "-p",
            "-C",
            "-D",
            "-r",
            "-t",
            "-U",
            "-T",
            "--user",
            "--group",
            "--host",
            "--prompt",
            "--chdir",
            "--close-from",
            "--role",
            "--type",
            "--other-user",
        ])),
        "env" => env(args),
        "nohup" | "builtin" => prefixed(args),
        "exec" => prefixed(after(&["-a"])),
        "command" if !args.iter().any(|a| a == "-v" || a == "-V") => prefixed(after(&[])),
        "time" => prefixed(after(&["-f", "-o", "--format", "--output"])),
        "nice" => prefixed(after(&["-n", "--adjustment"])),
        "ionice" => prefixed(after(&["-c", "-n", "-p", "--class", "--classdata"])),
        "stdbuf" => prefixed(after(&["-i", "-o", "-e", "--input", "--output", "--error"])),
        "unbuffer" => Some(Unwrapped::Words {
            rest: args,
            prefix: false,
        }),
        "timeout" => {
            let rest = after(&["-s", "-k", "--signal", "--kill-after"]);
            Some(Unwrapped::Words {
                rest: rest.get(1..).unwrap_or(&[]),
                prefix: false,
            })
        }
        "xargs" => Some(Unwrapped::Words {
            rest: after(&[
                "-n",
                "-I",
                "-P",
                "-d",
                "-L",
                "-s",
                "-a",
                "-E",
                "-e",
                "--max-args",
                "--replace",
                "--max-procs",
                "--delimiter",
                "--max-lines",
                "--max-chars",
                "--arg-file",
                "--eof",
                "--process-slot-var",
            ]),
            prefix: false,
        }),
        "watch" => {
            let rest = after(&["-n", "--interval", "-q", "--equexit", "-s", "--shotsdir"]);
            (!rest.is_empty()).then(|| Unwrapped::Script {
                text: rest.join(" "),
                watch: true,
            })
        }
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash" | "mksh" => shell(args, stdin),
        "eval" => Some(Unwrapped::Script {
            text: args.join(" "),
            watch: false,
        }),
        "su" => {
            let a = parse(
                args,
                &["-c", "--command", "-s", "--shell", "-g", "-G", "-w"],
                false,
            );
            let text = a.value(&["-c", "--command"])?;
            Some(Unwrapped::Script {
                text: text.to_string(),
                watch: false,
            })
        }
        "chroot" => {
            let rest = after(&["--userspec", "--groups"]);
            let rest = rest.get(1..).unwrap_or(&[]);
            (!rest.is_empty()).then_some(Unwrapped::Words {
                rest,
                prefix: false,
            })
        }
        "npx" | "bunx" => {
            let rest = after(&["-p", "--package", "-c", "--call"]);
            (!rest.is_empty()).then_some(Unwrapped::Words {
                rest,
                prefix: false,
            })
        }
        "microk8s" | "k3s" if args.first().is_some_and(|a| a == "kubectl") => {
            Some(Unwrapped::Words {
                rest: args,
                prefix: false,
            })
        }
        _ => None,
    }
}

/// `env [-i] [-u NAME] [NAME=value…] CMD`.
fn env(args: &[String]) -> Option<Unwrapped<'_>> {
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
fn shell<'a>(args: &'a [String], stdin: Option<&Input>) -> Option<Unwrapped<'a>> {
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
            text: t.clone(),
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
