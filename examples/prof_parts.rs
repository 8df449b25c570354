//! Runs one part of the parser's per-step work over every input a runbook gives it, so that a
//! profiler (`valgrind --tool=callgrind`, `perf`) sees that part alone:
//!
//! ```text
//! prof_parts risk  FILE [ROUNDS]   risk::analyze on every command
//! prof_parts split FILE [ROUNDS]   shell::split_commands on every shell code block
//! prof_parts scan  FILE [ROUNDS]   shell::split_and_scan + vars::discover_in on every shell block
//! prof_parts vars  FILE [ROUNDS]   vars::discover on every shell block
//! prof_parts parse FILE [ROUNDS]   the whole parse
//! prof_parts serial FILE [ROUNDS]  the whole parse on one thread
//! ```
//!
//! The inputs are collected once, before the rounds; the printed checksum keeps the work from
//! being optimised away. Only [`measured`] needs profiling:
//! `valgrind --tool=callgrind --toggle-collect=prof_parts::measured prof_parts risk FILE`; the
//! whole parse runs on several threads, which never enter `measured`: profile it without the
//! toggle (nothing else runs in that mode but start-up and reading the file).
#![allow(clippy::unwrap_used)]

use runbook::runbook::{StepKind, parse, parse_with_threads, risk, shell, vars};
use std::hint::black_box;

/// The allocator of the `runbook` binary, so that the figures are those users get.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (part, path) = (args[0].as_str(), &args[1]);
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let text = std::fs::read_to_string(path).unwrap();
    // The whole parse is profiled without the toggle (its workers never enter `measured`), so
    // it skips the collection parse.
    let book = if part == "parse" || part == "serial" {
        Default::default()
    } else {
        parse(&text)
    };
    let commands: Vec<String> = book
        .steps
        .iter()
        .flat_map(|s| s.commands.iter().map(|c| c.text.to_string()))
        .collect();
    let blocks: Vec<String> = book
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Command && s.lang.as_deref() != Some("console"))
        .filter_map(|s| s.code.as_ref().map(|c| c.to_string()))
        .collect();
    let sum = measured(part, rounds, &text, &commands, &blocks);
    println!(
        "{part}: {} commands, {} blocks, checksum {sum}",
        commands.len(),
        blocks.len()
    );
}

/// The measured part: everything a profiler should count.
#[inline(never)]
fn measured(
    part: &str,
    rounds: usize,
    text: &str,
    commands: &[String],
    blocks: &[String],
) -> usize {
    let mut sum = 0usize;
    for _ in 0..rounds {
        match part {
            "risk" => {
                for c in commands {
                    sum += risk::analyze(black_box(c)).risk as usize;
                }
            }
            "split" => {
                for b in blocks {
                    sum += shell::split_commands(black_box(b), 1).len();
                }
            }
            "scan" => {
                for b in blocks {
                    if let Some((cmds, scan)) = shell::split_and_scan(black_box(b), 1) {
                        let (v, p) = vars::discover_in(&scan);
                        sum += cmds.len() + v.len() + p.len();
                    }
                }
            }
            "vars" => {
                for b in blocks {
                    let (v, p) = vars::discover(black_box(b));
                    sum += v.len() + p.len();
                }
            }
            "parse" => sum += parse(black_box(text)).steps.len(),
            "serial" => {
                sum += parse_with_threads(black_box(text), "Runbook", 1)
                    .steps
                    .len()
            }
            other => panic!("unknown part {other}"),
        }
    }
    sum
}
