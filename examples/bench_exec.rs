//! Measures the execution engine; driven by `scripts/bench-exec`, which prints the figures.
//!
//! `bench_exec flood [N]`: `seq 1 N` (default 3,000,000) through the engine into a `vt100::Parser`
//! (40×120, 10,000 lines of scrollback), as a pane would; prints `flood_secs` and the process's
//! peak RSS (`VmHWM`). `bench_exec latency [RUNS]`: spawn → first byte of `printf x`, RUNS times
//! one after another (default 100); prints median and p90 in milliseconds.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use runbook::exec::{Engine, ExecConfig, ExecEvent, RunRequest, RunState};
use tokio::sync::mpsc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bench_exec: no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let arg_n = |default: u64| {
        args.get(1)
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let result = match args.first().map(String::as_str) {
        Some("flood") => runtime.block_on(flood(arg_n(3_000_000))),
        Some("latency") => runtime.block_on(latency(arg_n(100))),
        _ => Err("usage: bench_exec flood [N] | latency [RUNS]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_exec: {e}");
            ExitCode::FAILURE
        }
    }
}

fn new_engine() -> Result<(Engine, mpsc::Receiver<ExecEvent>), String> {
    Engine::with_channel(ExecConfig::default()).map_err(|e| e.to_string())
}

async fn flood(n: u64) -> Result<(), String> {
    let (engine, mut rx) = new_engine()?;
    let mut parser = vt100::Parser::new(40, 120, 10_000);
    let mut req = RunRequest::new("flood", format!("seq 1 {n}"));
    req.rows = 40;
    req.cols = 120;
    let start = Instant::now();
    let run = engine.spawn(req).map_err(|e| e.to_string())?;
    let mut bytes = 0usize;
    let state = loop {
        match rx.recv().await {
            Some(ExecEvent::Output { run: r, bytes: b }) if r == run => {
                bytes += b.len();
                parser.process(&b);
            }
            Some(ExecEvent::Exited { run: r, state, .. }) if r == run => break state,
            Some(_) => {}
            None => return Err("engine channel closed".into()),
        }
    };
    let secs = start.elapsed().as_secs_f64();
    if state != RunState::Exited(0) {
        return Err(format!("flood ended with {state:?}"));
    }
    let last = parser.screen().contents();
    let last_line = last
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if last_line.trim() != n.to_string() {
        return Err(format!("screen ends with {last_line:?}, not {n}"));
    }
    println!("flood_secs={secs:.3}");
    println!("flood_bytes={bytes}");
    println!("peak_rss_kb={}", peak_rss_kb().unwrap_or(0));
    Ok(())
}

async fn latency(runs: u64) -> Result<(), String> {
    let (engine, mut rx) = new_engine()?;
    let mut first_byte = Vec::new();
    let mut total = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let run = engine
            .spawn(RunRequest::new("latency", "printf x"))
            .map_err(|e| e.to_string())?;
        let mut first: Option<Duration> = None;
        loop {
            match rx.recv().await {
                Some(ExecEvent::Output { run: r, .. }) if r == run => {
                    first.get_or_insert_with(|| start.elapsed());
                }
                Some(ExecEvent::Exited { run: r, .. }) if r == run => break,
                Some(_) => {}
                None => return Err("engine channel closed".into()),
            }
        }
        first_byte.push(first.ok_or("a run printed nothing")?);
        total.push(start.elapsed());
    }
    let (median, p90) = percentiles(&mut first_byte);
    println!("first_byte_median_ms={:.2}", ms(median));
    println!("first_byte_p90_ms={:.2}", ms(p90));
    let (median, p90) = percentiles(&mut total);
    println!("spawn_to_exited_median_ms={:.2}", ms(median));
    println!("spawn_to_exited_p90_ms={:.2}", ms(p90));
    Ok(())
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| {
        let idx = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(idx).copied().unwrap_or_default()
    };
    (at(0.5), at(0.9))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set size of this process, from `/proc/self/status`.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
