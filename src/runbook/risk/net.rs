//! Network clients: `curl`, `wget`, `ssh`, `scp`, `sftp`, `rsync`, `ping`, `nc`, `telnet`.

use super::Arg;
use super::args::parse;
use super::flags::FlagSet;
use super::simple::Input;
use super::{Analysis, Ctx};
use crate::runbook::Risk;
use std::sync::LazyLock;

pub(crate) fn classify(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    Some(match prog {
        "curl" => curl(args),
        "wget" => wget(args),
        "ssh" => ssh(args, ctx),
        "scp" => Analysis::WRITE,
        "sftp" => Analysis::WRITE
            .interactive_if(!args.iter().any(|a| a.starts_with("-b")) && ctx.stdin.is_none()),
        "rsync" => {
            let a = parse(
                args,
                &["-e", "--rsh", "--exclude", "--include", "--filter", "-f"],
                false,
            );
            let deletes = a
                .flags
                .iter()
                .any(|(n, _)| n.starts_with("--delete") || n == "--remove-source-files");
            if a.has(&["-n", "--dry-run", "--list-only"]) {
                Analysis::READ
            } else if deletes {
                Analysis::DESTRUCTIVE
            } else {
                Analysis::WRITE
            }
        }
        "ping" | "ping6" => {
            // Linux ping runs until stopped unless given a count or a deadline.
            let bounded =
                parse(args, &["-c", "-w", "-W", "-i", "-s", "-I", "-t"], false).has(&["-c", "-w"]);
            Analysis::READ.long_running_if(!bounded)
        }
        "nc" | "ncat" | "netcat" => {
            let a = parse(args, &["-p", "-w", "-s", "-i", "-q"], false);
            Analysis::READ.long_running_if(a.has(&["-l", "-k"]))
        }
        "telnet" => Analysis::READ.interactive_if(ctx.stdin.is_none()),
        _ => return None,
    })
}

#[rustfmt::skip]
const CURL_VALUE: &[&str] = &[

    "-X", "-d", "-F", "-T", "-H", "-o", "-u", "-A", "-e", "-b", "-c", "-K", "-w", "-m", "-x", "-U",

    "-E", "-r", "-z", "-C", "-Q", "-Y", "-y", "-D", "-P", "-t", "--request", "--data",

    "--data-raw", "--data-binary", "--data-urlencode", "--data-ascii", "--json", "--form",

    "--form-string", "--upload-file", "--header", "--output", "--user", "--user-agent",

    "--referer", "--cookie", "--cookie-jar", "--config", "--write-out", "--max-time", "--proxy",

    "--cert", "--key", "--cacert", "--connect-timeout", "--retry", "--resolve", "--url", "--range",

    "--oauth2-bearer", "--retry-delay", "--retry-max-time", "--interface", "--dump-header",

    "--limit-rate", "--max-filesize", "--unix-socket", "--aws-sigv4",

];
static CURL_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(CURL_VALUE));

/// Read without a body or method; write with a body or POST/PUT/PATCH; DELETE is destructive.
fn curl(args: &[Arg<'_>]) -> Analysis {
    let a = parse(args, &*CURL_FLAGS, false);
    let method = a.value(&["-X", "--request"]).map(str::to_ascii_uppercase);
    let body = a.has(&[
        "-d",
        "--data",
        "--data-raw",
        "--data-binary",
        "--data-urlencode",
        "--data-ascii",
        "--json",
        "-F",
        "--form",
        "--form-string",
        "-T",
        "--upload-file",
    ]);
    // `-G` turns the data into a query string of a GET.
    let body = body && !a.has(&["-G", "--get"]);
    Analysis::of(method_risk(method.as_deref()).max(if body { Risk::Write } else { Risk::Read }))
}

fn method_risk(method: Option<&str>) -> Risk {
    match method {
        None | Some("GET" | "HEAD" | "OPTIONS") => Risk::Read,
        Some("DELETE") => Risk::Destructive,
        Some(_) => Risk::Write,
    }
}

fn wget(args: &[Arg<'_>]) -> Analysis {
    let a = parse(
        args,
        &[
            "-O",
            "--output-document",
            "-o",
            "--output-file",
            "--method",
            "--post-data",
            "--post-file",
            "--body-data",
            "--body-file",
            "--header",
            "-U",
            "--user-agent",
            "-P",
            "-t",
            "-T",
        ],
        false,
    );
    let method = a.value(&["--method"]).map(str::to_ascii_uppercase);
    let body = a.has(&["--post-data", "--post-file", "--body-data", "--body-file"]);
    let to_stdout = a.value(&["-O", "--output-document"]) == Some("-") || a.has(&["--spider"]);
    let download = if to_stdout { Risk::Read } else { Risk::Write };
    let sends = if body { Risk::Write } else { Risk::Read };
    Analysis::of(method_risk(method.as_deref()).max(sends).max(download))
}

#[rustfmt::skip]
const SSH_VALUE: &[&str] = &[

    "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q",

    "-R", "-S", "-W", "-w", "-B",

];
static SSH_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(SSH_VALUE));

/// `ssh host` is an interactive login; `ssh host CMD` and `ssh host <<EOF` run a command
/// remotely, analysed like a local one (at least write: it acts on another machine).
fn ssh(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a = parse(args, &*SSH_FLAGS, true);
    if a.has(&["-V"]) {
        return Analysis::READ;
    }
    if a.has(&["-N"]) {
        return Analysis::WRITE.long_running_if(true);
    }
    let remote = a.pos.get(1..).unwrap_or(&[]).join(" ");
    let base = Analysis::WRITE.interactive_if(a.has(&["-t"]));
    if !remote.is_empty() {
        return base.join(ctx.script(&remote));
    }
    match ctx.stdin {
        Some(Input::Text(t)) => base.join(ctx.script(t)),
        Some(Input::Opaque) => base,
        None => base.interactive_if(true),
    }
}
