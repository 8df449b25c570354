//! Parse throughput: our full `parse` against plain pulldown-cmark event iteration over the same
//! ~10 MB input built from the fixture runbooks. Target: ours ≥ 50% of raw pulldown-cmark.
//!
//! `runbook_parse` is what the app and `runbook list` run: the walk on this thread, the steps
//! finished on the other cores as the walk goes (see `src/runbook/pool.rs`). The time includes
//! dropping the result. `runbook_parse_one_thread` is the same parse on one thread, for
//! comparison with pulldown-cmark core for core.
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

fn bench(c: &mut Criterion) {
    let text = input();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("pulldown_cmark_events", |b| {
        b.iter(|| Parser::new_ext(black_box(&text), Options::all()).count());
    });
    group.bench_function("runbook_parse", |b| {
        b.iter(|| parse(black_box(&text)).steps.len());
    });
    group.bench_function("runbook_parse_one_thread", |b| {
        b.iter(|| {
            parse_with_threads(black_box(&text), "Runbook", 1)
                .steps
                .len()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
