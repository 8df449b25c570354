//! Parse throughput: our full `parse` against plain pulldown-cmark event iteration over the same
//! ~10 MB input built from the fixture runbooks. Target: ours ≥ 50% of raw pulldown-cmark.
//!
//! `runbook_parse` is what the app and `runbook list` run: a file this large is cut at
//! top-level headings and its pieces are walked and finished on all cores (see
//! `src/runbook/parse/chunks.rs`). The time includes dropping the result.
//! `runbook_parse_one_thread` is the same parse on one thread, for comparison with
//! pulldown-cmark core for core.
//!
//! The fixtures are written to cover the model's rules, so they are far denser in steps than
//! real runbooks (a step every ~110 bytes, against ~550 in `../shared`). When `../shared`
//! exists, the group `real` measures the same over ~10 MB made of its runbooks (those whose
//! fences are all closed: an open one would swallow the copies after it).
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pulldown_cmark::{Options, Parser};
use runbook::runbook::{parse, parse_with_threads};
use std::hint::black_box;

/// The allocator of the `runbook` binary, so that the figures are those users get.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn input() -> String {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut parts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        // Front matter only counts at the top of a file; an unterminated fence would swallow
        // everything after it. Neither says anything about throughput.
        .filter(|t| {
            !t.starts_with("---") && !t.starts_with("+++") && t.matches("```").count() % 2 == 0
        })
        .collect();
    parts.sort();
    let unit = parts.join("\n\n");
    let mut text = String::with_capacity(10_500_000);
    while text.len() < 10_000_000 {
        text.push_str(&unit);
        text.push_str("\n\n");
    }
    text
}

/// ~10 MB of the runbooks in `../shared/corpus` and `../shared/seeds`, when they exist.
fn real_input() -> Option<String> {
    let shared = format!("{}/../shared", env!("CARGO_MANIFEST_DIR"));
    let mut parts: Vec<String> = ["corpus", "seeds"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(format!("{shared}/{dir}")).ok())
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter(|t| {
            parse_with_threads(t, "x", 1)
                .warnings
                .iter()
                .all(|w| !w.message.contains("unterminated"))
        })
        .collect();
    parts.sort();
    let unit = parts.join("\n\n");
    if unit.is_empty() {
        return None;
    }
    let mut text = String::with_capacity(10_500_000);
    while text.len() < 10_000_000 {
        text.push_str(&unit);
        text.push_str("\n\n");
    }
    Some(text)
}

fn bench(c: &mut Criterion) {
    run_group(c, "parse", &input());
    match real_input() {
        Some(text) => run_group(c, "real", &text),
        None => println!("note: ../shared not found; skipping the `real` group"),
    }
}

fn run_group(c: &mut Criterion, name: &str, text: &str) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("pulldown_cmark_events", |b| {
        b.iter(|| Parser::new_ext(black_box(text), Options::all()).count());
    });
    group.bench_function("runbook_parse", |b| {
        b.iter(|| parse(black_box(text)).steps.len());
    });
    group.bench_function("runbook_parse_one_thread", |b| {
        b.iter(|| {
            parse_with_threads(black_box(text), "Runbook", 1)
                .steps
                .len()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
