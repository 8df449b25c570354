//! Database clients: where SQL (or redis / mongo commands) actually reaches a database.
//! `psql`, `mysql`, `sqlite3`, `clickhouse-client`, `cqlsh`, `mongosh`, `redis-cli`, `prisma`,
//! and the PostgreSQL tools (`pg_dump`, `pg_restore`, …).

use super::args::{Args, parse};
use super::flags::FlagSet;
use super::simple::Input;
use super::sql::sql_risk;
use super::{Analysis, Ctx};
use super::{Arg, AsStr};
use crate::runbook::Risk;
use std::sync::LazyLock;

pub(crate) fn classify(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    let first = args.first().map(AsStr::as_str);
    Some(match prog {
        "psql" | "gitlab-psql" => psql(args, ctx),
        "mysql" | "mariadb" => mysql(args, ctx),
        "sqlite3" | "sqlite" => sqlite(args, ctx),
        "clickhouse-client" => clickhouse(args, ctx),
        "clickhouse" if first == Some("client") => clickhouse(&args[1..], ctx),
        "cqlsh" => {
            let a = parse(
                args,
                &[
                    "-e",
                    "--execute",
                    "-f",
                    "--file",
                    "-u",
                    "-p",
                    "-k",
                    "--keyspace",
                ],
                false,
            );
            client(
                &a.values(&["-e", "--execute"]),
                a.has(&["-f", "--file"]),
                a.has(&["--version", "--help"]),
                ctx,
                sql_risk,
            )
        }
        "mongosh" | "mongo" => mongo(args, ctx),
        "redis-cli" | "valkey-cli" | "keydb-cli" => super::redis::redis(args, ctx),
        "prisma" => prisma(args, ctx),
        "pg_isready" | "pg_dump" | "pg_dumpall" | "pg_basebackup" | "mysqldump"
        | "pg_controldata" | "pg_config" | "pg_lsclusters" => Analysis::READ,
        "pg_restore" => {
            let a = parse(args, &*PG_RESTORE_FLAGS, false);
            if a.has(&["-l", "--list"]) {
                Analysis::READ
            } else if a.has(&["-c", "--clean"]) {
                Analysis::DESTRUCTIVE
            } else {
                Analysis::WRITE
            }
        }
        "dropdb" | "dropuser" => Analysis::DESTRUCTIVE,
        _ => return None,
    })
}

#[rustfmt::skip]
const PG_RESTORE_VALUE: &[&str] = &[

    "-d", "--dbname", "-f", "--file", "-F", "--format", "-j", "--jobs", "-n", "--schema", "-N",

    "-t", "--table", "-T", "--trigger", "-U", "--username", "-h", "--host", "-p", "--port", "-L",

    "--use-list", "-I", "--index", "-P", "--function", "-S", "--superuser", "--role",

];
static PG_RESTORE_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(PG_RESTORE_VALUE));

/// Common shape of a client: inline commands, script files, stdin, else an interactive prompt.
pub(crate) fn client(
    inline: &[&str],
    file: bool,
    info_only: bool,
    ctx: &Ctx,
    judge: fn(&str) -> Risk,
) -> Analysis {
    let mut risk = inline.iter().map(|c| judge(c)).max().unwrap_or(Risk::Read);
    if file {
        // A script file we cannot read: it may do anything.
        risk = risk.max(Risk::Write);
    }
    match ctx.stdin {
        Some(Input::Text(t)) => risk = risk.max(judge(t)),
        Some(Input::Opaque) => risk = risk.max(Risk::Write),
        None => {}
    }
    let keyboard = inline.is_empty() && !file && !info_only && ctx.stdin.is_none();
    Analysis::of(risk).interactive_if(keyboard)
}

#[rustfmt::skip]
const PSQL_VALUE: &[&str] = &[

    "-c", "--command", "-d", "--dbname", "-f", "--file", "-h", "--host", "-p", "--port", "-U",

    "--username", "-v", "--set", "--variable", "-o", "--output", "-L", "--log-file", "-P",

    "--pset", "-F", "--field-separator", "-R", "--record-separator", "-T", "--table-attr",

];
static PSQL_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(PSQL_VALUE));

fn psql(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a = parse(args, &*PSQL_FLAGS, false);
    let files = a.values(&["-f", "--file"]);
    let from_stdin = files.contains(&"-");
    let file = files.iter().any(|f| *f != "-");
    let info = a.has(&["-l", "--list", "-V", "--version", "--help", "-?"]);
    let mut out = client(&a.values(&["-c", "--command"]), file, info, ctx, sql_risk);
    if from_stdin && ctx.stdin.is_none() {
        out.interactive = true;
    }
    // `-W` always asks for the password.
    out.interactive_if(a.has(&["-W", "--password"]))
}

fn mysql(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    // `-pSECRET` carries its value glued on; a bare `-p` / `--password` prompts.
    let prompt = args.iter().any(|w| w == "-p" || w == "--password");
    let kept: Vec<Arg<'_>> = args
        .iter()
        .filter(|w| !w.starts_with("-p") && !w.starts_with("--password"))
        .cloned()
        .collect();
    let a = parse(
        &kept,
        &[
            "-e",
            "--execute",
            "-h",
            "--host",
            "-u",
            "--user",
            "-P",
            "--port",
            "-D",
            "--database",
            "-S",
            "--socket",
        ],
        false,
    );
    let info = a.has(&["-V", "--version", "--help", "-?"]);
    client(&a.values(&["-e", "--execute"]), false, info, ctx, sql_risk).interactive_if(prompt)
}

fn sqlite(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let mut inline = Vec::new();
    let mut pos = Vec::new();
    let mut file = false;
    let mut it = args.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "-cmd" => inline.extend(it.next().map(AsStr::as_str)),
            "-init" => file |= it.next().is_some(),
            "-separator" | "-nullvalue" | "-newline" => {
                it.next();
            }
            f if f.starts_with('-') => {}
            p => pos.push(p),
        }
    }
    // `sqlite3 DB SQL…`: everything after the database is SQL (or dot-commands).
    inline.extend(pos.iter().skip(1));
    client(
        &inline,
        file,
        args.iter().any(|w| w == "-version" || w == "--version"),
        ctx,
        sql_risk,
    )
}

fn clickhouse(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a = parse(
        args,
        &[
            "-q",
            "--query",
            "-h",
            "--host",
            "--port",
            "-u",
            "--user",
            "--password",
            "-d",
            "--database",
            "-f",
            "--format",
            "--queries-file",
        ],
        false,
    );
    client(
        &a.values(&["-q", "--query"]),
        a.has(&["--queries-file"]),
        a.has(&["--version", "--help"]),
        ctx,
        sql_risk,
    )
}

/// Risk of mongo shell JavaScript.
fn js_risk(js: &str) -> Risk {
    let l = js.to_ascii_lowercase();
    let any = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if any(&[
        ".drop(",
        "dropdatabase",
        ".deletemany(",
        ".deleteone(",
        ".remove(",
        "dropindex",
        "findoneanddelete",
        "dropuser",
    ]) {
        Risk::Destructive
    } else if any(&[
        ".insert",
        ".update",
        ".replace",
        "createindex",
        "createcollection",
        ".save(",
        "createuser",
        "renamecollection",
        "findoneandupdate",
        "findoneandreplace",
        "bulkwrite",
        "admincommand",
        "rs.stepdown",
        "rs.reconfig",
        "rs.add",
        "rs.initiate",
    ]) {
        Risk::Write
    } else {
        Risk::Read
    }
}

fn mongo(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a = parse(
        args,
        &[
            "--eval",
            "-f",
            "--file",
            "-u",
            "--username",
            "-p",
            "--password",
            "--host",
            "--port",
            "--authenticationDatabase",
        ],
        false,
    );
    let file = a.has(&["-f", "--file"]) || a.pos.iter().any(|p| p.ends_with(".js"));
    client(
        &a.values(&["--eval"]),
        file,
        a.has(&["--version", "--help"]),
        ctx,
        js_risk,
    )
}

fn prisma(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a: Args = parse(
        args,
        &[
            "--file",
            "--url",
            "--schema",
            "--from-url",
            "--to-url",
            "--name",
        ],
        false,
    );
    let verb = (a.verb(0), a.verb(1));
    match (verb.0.as_str(), verb.1.as_str()) {
        // `db execute` never prompts: without `--file` it reads `--stdin`.
        ("db", "execute") => Analysis {
            interactive: false,
            ..client(&[], a.has(&["--file"]), false, ctx, sql_risk)
        },
        ("migrate", "reset") => Analysis::DESTRUCTIVE,
        ("db", "push") if a.has(&["--force-reset", "--accept-data-loss"]) => Analysis::DESTRUCTIVE,
        ("migrate", "status" | "diff") | ("validate" | "version" | "-v" | "", _) => Analysis::READ,
        ("studio", _) => Analysis::READ.long_running_if(true),
        _ => Analysis::WRITE,
    }
}
