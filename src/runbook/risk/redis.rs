//! `redis-cli` (and its forks): the command given on the command line or fed on stdin decides.

use super::Arg;
use super::args::parse;
use super::db::client;
use super::flags::FlagSet;
use super::{Analysis, Ctx};
use crate::runbook::Risk;
use std::sync::LazyLock;

#[rustfmt::skip]
const REDIS_VALUE: &[&str] = &[

    "-h", "-p", "-a", "-n", "-u", "-s", "--user", "--pass", "-r", "-i", "-d", "-D", "--cacert",

    "--cert", "--key", "--sni", "--pattern", "--count", "--eval", "--rdb", "--functions-rdb",

    "--memkeys-samples", "--intrinsic-latency", "-t", "--cacertdir", "--tls-ciphers",

];
static REDIS_FLAGS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet::new(REDIS_VALUE));

pub(crate) fn redis(args: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    let a = parse(args, &*REDIS_FLAGS, true);
    let endless = a.has(&[
        "--stat",
        "--latency",
        "--latency-history",
        "--latency-dist",
        "--intrinsic-latency",
    ]) || a.value(&["-r"]) == Some("-1");
    if let Some(cmd) = a.pos.first() {
        let sub = a
            .pos
            .get(1)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        let lower = cmd.to_ascii_lowercase();
        let follow = matches!(
            lower.as_str(),
            "monitor" | "subscribe" | "psubscribe" | "ssubscribe"
        );
        return Analysis::of(redis_command_risk(&lower, &sub)).long_running_if(endless || follow);
    }
    let tool = a.has(&[
        "--scan",
        "--bigkeys",
        "--memkeys",
        "--hotkeys",
        "--rdb",
        "--functions-rdb",
        "--stat",
    ]) || a.has(&[
        "--latency",
        "--latency-history",
        "--latency-dist",
        "--intrinsic-latency",
        "--version",
        "-v",
    ]);
    let writes = a.has(&["--pipe", "--eval"]);
    let judge = |t: &str| {
        t.lines()
            .map(|l| {
                let mut w = l.split_whitespace().map(str::to_ascii_lowercase);
                let cmd = w.next().unwrap_or_default();
                if cmd.is_empty() {
                    Risk::Read
                } else {
                    redis_command_risk(&cmd, &w.next().unwrap_or_default())
                }
            })
            .max()
            .unwrap_or(Risk::Read)
    };
    client(&[], writes, tool, ctx, judge).long_running_if(endless)
}

fn redis_command_risk(cmd: &str, sub: &str) -> Risk {
    use Risk::*;
    #[rustfmt::skip]
    const READS: &[&str] = &[
        "ping", "info", "get", "mget", "getrange", "strlen", "exists", "keys", "scan", "sscan",
        "hscan", "zscan", "type", "ttl", "pttl", "expiretime", "dbsize", "time", "echo", "hget",
        "hgetall", "hmget", "hkeys", "hvals", "hlen", "hexists", "hstrlen", "lrange", "llen",
        "lindex", "lpos", "smembers", "scard", "sismember", "smismember", "srandmember", "sdiff",
        "sinter", "sunion", "zrange", "zrangebyscore", "zrevrange", "zrevrangebyscore",
        "zrangebylex", "zscore", "zcard", "zcount", "zrank", "zrevrank", "zmscore", "xlen",
        "xrange", "xrevrange", "xread", "xinfo", "xpending", "pubsub", "object", "role", "lastsave",
        "latency", "command", "monitor", "subscribe", "psubscribe", "ssubscribe", "bitcount",
        "getbit", "bitpos", "pfcount", "geopos", "geodist", "dump", "randomkey", "sort_ro", "hello",
        "auth", "select", "readonly", "quit", "memory",
    ];
    match cmd {
        "del" | "unlink" | "getdel" | "flushall" | "flushdb" | "shutdown" => Destructive,
        "cluster" if sub == "reset" => Destructive,
        "script" | "function" if matches!(sub, "flush" | "delete") => Destructive,
        "acl" if sub == "deluser" => Destructive,
        "slowlog" if matches!(sub, "get" | "len") => Read,
        "client" if matches!(sub, "list" | "info" | "getname" | "id") => Read,
        "config" if sub == "get" => Read,
        "cluster"
            if matches!(
                sub,
                "info"
                    | "nodes"
                    | "slots"
                    | "shards"
                    | "myid"
                    | "keyslot"
                    | "countkeysinslot"
                    | "getkeysinslot"
            ) =>
        {
            Read
        }
        "acl" if matches!(sub, "list" | "whoami" | "users" | "getuser" | "cat" | "log") => Read,
        "module" if sub == "list" => Read,
        _ if READS.contains(&cmd) => Read,
        _ => Write,
    }
}
