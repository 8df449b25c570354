//! Times one `parse` of a file given on the command line (`parse_time FILE [RUNS [THREADS]]`)
//! against plain pulldown-cmark event
//! iteration (`Options::all()`, as `benches/parse.rs` does): a quick look, not the benchmark.
//! `parse_time --dump FILE...` prints `{:#?}` of each parse instead, to compare results across
//! changes; `parse_time --once FILE` parses once and prints the step count (for profilers).
#![allow(clippy::unwrap_used)]
use pulldown_cmark::{Options, Parser};

/// The allocator of the `runbook` binary, so that the figures are those users get.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};

/// Best of `runs` timings of `f`.
fn best(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut out = (Duration::MAX, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let n = f();
        out = (out.0.min(t.elapsed()), n);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--dump") {
        for path in &args[1..] {
            let text = std::fs::read_to_string(path).unwrap();
            println!("== {path}\n{:#?}", runbook::runbook::parse(&text));
        }
        return;
    }
    if args.first().map(String::as_str) == Some("--once") {
        let text = std::fs::read_to_string(&args[1]).unwrap();
        println!("{}", runbook::runbook::parse(&text).steps.len());
        return;
    }
    let path = &args[0];
    let runs = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    // A third argument sets the number of threads (default: what `parse` uses).
    let threads: Option<usize> = args.get(2).and_then(|t| t.parse().ok());
    let text = std::fs::read_to_string(path).unwrap();
    let mb = |d: Duration| text.len() as f64 / d.as_secs_f64() / 1e6;
    let (ours, steps) = best(runs, || match threads {
        Some(n) => runbook::runbook::parse_with_threads(&text, "Runbook", n)
            .steps
            .len(),
        None => runbook::runbook::parse(&text).steps.len(),
    });
    let (raw, _) = best(runs, || Parser::new_ext(&text, Options::all()).count());
    println!(
        "{} bytes, {steps} steps: parse {ours:?} ({:.1} MB/s), pulldown-cmark {raw:?} ({:.1} MB/s), ratio {:.1}%",
        text.len(),
        mb(ours),
        mb(raw),
        100.0 * raw.as_secs_f64() / ours.as_secs_f64()
    );
}
