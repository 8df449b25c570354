//! TUI costs in-process (issue 5): (a) first frame of a ~30 KB runbook — parse, `State::new`,
//! `Resize` + `Tick`, one draw on a 120×40 `TestBackend` (target ≤ 10 ms including process start,
//! see `scripts/bench-tui` for the part outside the process); (b) one frame of a 5,000-step
//! runbook whose selected step's pane holds a flood of `seq` output, alone and after one more
//! 64 KiB chunk (the per-frame work during a flood); (c) `update` throughput for 64 KiB
//! `Msg::Output` chunks of `seq` output into a pane with full scrollback.
#![allow(clippy::unwrap_used)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::{Terminal, backend::TestBackend};
use runbook::config::Config;
use runbook::runbook::Risk;
use runbook::state::{Item, Mode, Msg, State, nav, update};
use runbook::theme::Theme;
use std::hint::black_box;
use std::time::Duration;

/// The runbook generator shared with the example (its `main` and harness are unused here).
#[allow(dead_code)]
#[path = "../examples/bench_tui.rs"]
mod harness;
use harness::fixture;

const CHUNK: usize = 64 * 1024;
const RUN: u64 = 1;

/// `seq 1 n` as a PTY delivers it (`\r\n` line ends), cut into 64 KiB chunks.
fn seq_chunks(n: u64) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for i in 1..=n {
        out.extend_from_slice(format!("{i}\r\n").as_bytes());
    }
    out.chunks(CHUNK).map(<[u8]>::to_vec).collect()
}

fn theme() -> Theme {
    Theme::builtin("dark").unwrap()
}

fn first_frame(text: &str, theme: &Theme) -> usize {
    let book = runbook::runbook::parse(text);
    let mut state = State::new(book, Config::default(), Mode::Live);
    update(
        &mut state,
        Msg::Resize {
            cols: 120,
            rows: 40,
        },
    );
    update(&mut state, Msg::Tick { now_ms: 1_000_000 });
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| runbook::ui::draw(f, &state, theme)).unwrap();
    state.runbook.steps.len()
}

/// A 5,000-step state at 120×40 with a step in the middle selected and running.
fn flooded_state(chunks: &[Vec<u8>]) -> State {
    let book = runbook::runbook::parse(&fixture::with_steps(5_000, None));
    assert!(book.steps.len() >= 5_000, "{} steps", book.steps.len());
    let step = (book.steps.len() / 2..book.steps.len())
        .find(|&i| book.steps[i].is_runnable() && book.steps[i].risk == Some(Risk::Read))
        .unwrap();
    let mut state = State::new(book, Config::default(), Mode::Live);
    update(
        &mut state,
        Msg::Resize {
            cols: 120,
            rows: 40,
        },
    );
    update(&mut state, Msg::Tick { now_ms: 1_000_000 });
    state.cursor = Item::Step(step);
    nav::reveal(&mut state);
    update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(state.steps[step].starting, "Enter did not start the step");
    update(&mut state, Msg::RunStarted { step, run: RUN });
    for c in chunks {
        update(
            &mut state,
            Msg::Output {
                run: RUN,
                bytes: c.clone(),
            },
        );
    }
    assert!(
        state.panes[&RUN].history > 0,
        "the flood filled no scrollback"
    );
    state
}

fn bench(c: &mut Criterion) {
    let theme = theme();
    let text = fixture::text(30_000);
    let mut g = c.benchmark_group("tui");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.warm_up_time(Duration::from_secs(1));
    g.bench_function("parse_30kb", |b| {
        b.iter(|| runbook::runbook::parse(black_box(&text)).steps.len())
    });
    g.bench_function("first_frame_30kb", |b| {
        b.iter(|| first_frame(black_box(&text), &theme))
    });

    // 300,000 lines ≈ 2.1 MB: far more than the 10,000 lines of scrollback.
    let chunks = seq_chunks(300_000);
    let mut state = flooded_state(&chunks);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    g.bench_function("frame_5000_steps_flooded_pane", |b| {
        b.iter(|| {
            term.draw(|f| runbook::ui::draw(f, &state, &theme)).unwrap();
        })
    });
    let mut next = 0;
    g.bench_function("chunk_64k_then_frame_5000_steps", |b| {
        b.iter(|| {
            next = (next + 1) % chunks.len();
            let bytes = chunks[next].clone();
            update(&mut state, Msg::Output { run: RUN, bytes });
            term.draw(|f| runbook::ui::draw(f, &state, &theme)).unwrap();
        })
    });
    g.finish();

    let mut g = c.benchmark_group("tui_output");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(CHUNK as u64));
    let full: Vec<Vec<u8>> = chunks
        .iter()
        .filter(|c| c.len() == CHUNK)
        .cloned()
        .collect();
    let mut next = 0;
    g.bench_function("update_output_64k", |b| {
        b.iter_batched(
            || {
                next = (next + 1) % full.len();
                full[next].clone()
            },
            |bytes| update(&mut state, Msg::Output { run: RUN, bytes }),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
