//! Measures the interactive app; driven by `scripts/bench-tui`, which prints the figures.
//!
//! `bench_tui fixture BYTES PATH`: writes a generated runbook of at least BYTES bytes (the same
//! generator `benches/tui.rs` uses, through `#[path]`).
//! `bench_tui latency [N] [outline|output]`: runs the real [`Engine`] on `seq 1 N` (default
//! 3,000,000) and drives a [`State`] the way `src/app/mod.rs` does (bounded channels, draw to a
//! 120×40 `TestBackend` when dirty and at most every 16 ms, tick every 250 ms while running) while
//! a timer injects `j` every 20 ms. Prints key-to-frame latency
//! (injection → end of the first draw after the key was handled), draw times and the flood's time.
//! With `output` (default) the output pane has focus, so `j` acts on the flooding pane and every
//! frame draws it; with `outline` the keys alternate `j`/`k` in the outline. `keys-first`
//! (default) is what the app does: keys on their own channel, read before any output, and
//! draining stops once a frame is due. `all` (drain until empty, one shared channel) and
//! `bounded` (stop draining when a frame is due, shared channel) are the loop before that fix,
//! kept for comparison.

use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::{Terminal, backend::TestBackend};
use runbook::config::Config;
use runbook::exec::{Engine, ExecConfig, ExecEvent, RunId, RunRequest, RunState};
use runbook::state::{Effect, Item, Mode, Msg, State, layout, nav, update};
use runbook::theme::Theme;
use tokio::sync::mpsc;

/// The app's constants (`src/app/mod.rs`), repeated so the harness behaves like the loop.
const CHANNEL: usize = 64;
const FRAME: Duration = Duration::from_millis(16);
const TICK: Duration = Duration::from_millis(250);
/// How often a key is injected.
const KEY_EVERY: Duration = Duration::from_millis(20);

/// Generated runbooks: realistic sections, checks, bash blocks and notes, written for the bench.
pub mod fixture {
    const AREAS: [(&str, &str, &str); 6] = [
        ("Primary database", "postgresql", "db-01.internal"),
        ("Session cache", "redis-server", "cache-02.internal"),
        ("Edge proxy", "nginx", "edge-03.internal"),
        ("Event bus", "kafka", "bus-04.internal"),
        ("Search cluster", "opensearch", "search-05.internal"),
        ("Job runner", "worker", "jobs-06.internal"),
    ];

    /// One section: two checks (one manual, one with a block), one command step, one note.
    fn section(out: &mut String, i: usize) {
        let (name, svc, host) = AREAS[i % AREAS.len()];
        out.push_str(&format!(
            "## {i}. {name}\n\n\
             The {name} sits behind `{host}`. Drain it before touching it and keep the \
             on-call channel informed; roll back if the error rate rises above 1 %.\n\n\
             - [ ] Tell the on-call engineer that maintenance {i} on {svc} starts now\n\
             - [ ] Check that {svc} is healthy before the change:\n  \
             ```bash\n  curl -fsS https://{host}/healthz\n  \
             systemctl status {svc} --no-pager | head -n 5\n  ```\n  \
             - Expected: active (running)\n\n\
             Restart {svc} and read its last log lines:\n\n\
             ```bash\n# Restart {svc} (window {i})\nsudo systemctl restart {svc}\n\
             journalctl -u {svc} -n 50 --no-pager\n```\n\n\
             Settings that must not change:\n\n\
             ```yaml\nservice: {svc}\nreplicas: 3\nmaxUnavailable: 1\n```\n\n"
        ));
    }

    fn header(title: &str) -> String {
        format!(
            "# {title}\n\nQuarterly maintenance of the platform services, one area at a time. \
             Every area is drained, restarted and verified before the next one starts.\n\n"
        )
    }

    /// A runbook of at least `min_bytes` bytes.
    pub fn text(min_bytes: usize) -> String {
        let mut out = header("Platform maintenance window");
        let mut i = 1;
        while out.len() < min_bytes {
            section(&mut out, i);
            i += 1;
        }
        out
    }

    /// A runbook with at least `steps` steps (four per section), optionally with a first section
    /// whose single command floods the output with `seq 1 flood`.
    pub fn with_steps(steps: usize, flood: Option<u64>) -> String {
        let mut out = header("Platform maintenance window");
        if let Some(n) = flood {
            out.push_str(&format!(
                "## 0. Output flood\n\nPrint a lot of numbers:\n\n```bash\nseq 1 {n}\n```\n\n"
            ));
        }
        for i in 1..=steps.div_ceil(4) {
            section(&mut out, i);
        }
        out
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fixture") => write_fixture(&args[1..]),
        Some("latency") => {
            let n = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3_000_000);
            let output_focus = args.get(2).is_none_or(|a| a != "outline");
            let drain = Drain::parse(args.get(3));
            runtime().and_then(|rt| rt.block_on(latency(n, output_focus, drain)))
        }
        _ => Err("usage: bench_tui fixture BYTES PATH | latency [N] [outline|output] [all|bounded|keys-first]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_tui: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The app's runtime: multi-threaded, two workers (`src/app/open.rs`).
fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("no runtime: {e}"))
}

fn write_fixture(args: &[String]) -> Result<(), String> {
    let (Some(bytes), Some(path)) = (args.first().and_then(|b| b.parse().ok()), args.get(1)) else {
        return Err("usage: bench_tui fixture BYTES PATH".into());
    };
    let text = fixture::text(bytes);
    std::fs::write(path, &text).map_err(|e| format!("{path}: {e}"))?;
    let book = runbook::runbook::parse(&text);
    println!(
        "fixture_bytes={} steps={} title={}",
        text.len(),
        book.steps.len(),
        book.title
    );
    Ok(())
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// What one latency run observed.
#[derive(Default)]
struct Observed {
    latencies: Vec<Duration>,
    draws: Vec<Duration>,
    /// Longest time spent handling messages between two loop turns (the drain).
    longest_drain: Duration,
    /// Messages handled in that longest drain.
    longest_drain_msgs: usize,
    bytes: usize,
    flood: Option<Duration>,
}

/// A state over a 30 KB runbook with the flood step selected and started in the real engine.
fn start_flood(engine: &Engine, n: u64, output_focus: bool) -> Result<(State, RunId), String> {
    let book = runbook::runbook::parse(&fixture::with_steps(100, Some(n)));
    let step = book
        .steps
        .iter()
        .position(|s| s.code.as_deref().is_some_and(|c| c.starts_with("seq 1 ")))
        .ok_or("no flood step in the fixture")?;
    let mut state = State::new(book, Config::default(), Mode::Live);
    update(
        &mut state,
        Msg::Resize {
            cols: 120,
            rows: 40,
        },
    );
    update(&mut state, Msg::Tick { now_ms: now_ms() });
    state.cursor = Item::Step(step);
    nav::reveal(&mut state);
    let effects = update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    let Some(Effect::Run { script, env, .. }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::Run { .. }))
    else {
        return Err("Enter on the flood step did not run it".into());
    };
    let (rows, cols) = layout::pty_size(&state);
    let mut req = RunRequest::new("flood", script);
    req.env = env;
    (req.rows, req.cols) = (rows, cols);
    let run = engine.spawn(req).map_err(|e| e.to_string())?;
    for effect in update(&mut state, Msg::RunStarted { step, run: run.0 }) {
        if let Effect::Resize { rows, cols, .. } = effect {
            engine.resize(run, rows, cols).map_err(|e| e.to_string())?;
        }
    }
    if output_focus {
        // Outline → Step → Output.
        update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Tab)));
        update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Tab)));
    }
    Ok((state, run))
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The engine's events as messages, as `spawn_exec_bridge` does.
fn bridge(mut events: mpsc::Receiver<ExecEvent>, tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            let msg = match event {
                ExecEvent::Output { run, bytes } => Msg::Output { run: run.0, bytes },
                ExecEvent::Exited {
                    run,
                    state,
                    duration,
                } => Msg::RunExited {
                    run: run.0,
                    exit_code: match state {
                        RunState::Exited(code) => Some(code),
                        _ => None,
                    },
                    stopped: state == RunState::Stopped,
                    duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
                },
            };
            if tx.send(msg).await.is_err() {
                break;
            }
        }
    });
}

/// Sends a key every [`KEY_EVERY`] until `stop`, recording when each was handed to the channel
/// (before a possibly blocking send: a full channel delays keys in the app too).
fn injector(
    tx: mpsc::Sender<Msg>,
    sent: Arc<Mutex<VecDeque<Instant>>>,
    stop: tokio::sync::watch::Receiver<bool>,
    output_focus: bool,
) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(KEY_EVERY);
        let mut n = 0u64;
        while !*stop.borrow() {
            every.tick().await;
            let c = if output_focus || n.is_multiple_of(2) {
                'j'
            } else {
                'k'
            };
            n += 1;
            if let Ok(mut q) = sent.lock() {
                q.push_back(Instant::now());
            }
            if tx.send(key(c)).await.is_err() {
                break;
            }
        }
    });
}

/// How the loop drains pending messages before a frame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Drain {
    /// Everything pending, from one channel: what `src/app/mod.rs` does.
    All,
    /// Stop draining once a frame is due (candidate fix, part 1).
    Bounded,
    /// Bounded, and keys on their own channel, taken before any output (candidate fix, whole).
    KeysFirst,
}

impl Drain {
    fn parse(arg: Option<&String>) -> Drain {
        match arg.map(String::as_str) {
            Some("bounded") => Drain::Bounded,
            Some("all") => Drain::All,
            _ => Drain::KeysFirst,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Drain::All => "all (old loop)",
            Drain::Bounded => "bounded (old loop)",
            Drain::KeysFirst => "keys-first (as src/app)",
        }
    }
}

/// The loop's state besides the app state: injection times and what was observed.
struct Probe {
    sent: Arc<Mutex<VecDeque<Instant>>>,
    /// Injection times of keys handled since the last frame.
    seen: Vec<Instant>,
    obs: Observed,
    started: Instant,
}

impl Probe {
    /// One message: keys remember their injection time until the next frame.
    fn handle(&mut self, state: &mut State, msg: Msg) {
        match &msg {
            Msg::Key(_) => {
                if let Some(t) = self.sent.lock().ok().and_then(|mut q| q.pop_front()) {
                    self.seen.push(t);
                }
            }
            Msg::Output { bytes, .. } => self.obs.bytes += bytes.len(),
            Msg::RunExited { .. } => self.obs.flood = Some(self.started.elapsed()),
            _ => {}
        }
        update(state, msg);
    }

    /// Drains after a first message, as the chosen [`Drain`] says; returns how many were handled.
    fn drain(
        &mut self,
        state: &mut State,
        rx: &mut mpsc::Receiver<Msg>,
        keys: &mut mpsc::Receiver<Msg>,
        drain: Drain,
        last_frame: Instant,
    ) -> usize {
        let mut count = 1;
        loop {
            if drain != Drain::All && state.dirty && last_frame.elapsed() >= FRAME {
                return count;
            }
            let next = keys.try_recv().or_else(|_| rx.try_recv());
            let Ok(msg) = next else { return count };
            self.handle(state, msg);
            count += 1;
        }
    }
}

async fn latency(n: u64, output_focus: bool, drain: Drain) -> Result<(), String> {
    let (engine, events) =
        Engine::with_channel(ExecConfig::default()).map_err(|e| e.to_string())?;
    let theme = Theme::builtin("dark").unwrap_or_else(Theme::no_color);
    let mut term = Terminal::new(TestBackend::new(120, 40)).map_err(|e| e.to_string())?;
    let (tx, mut rx) = mpsc::channel::<Msg>(CHANNEL);
    let (key_tx, mut keys) = mpsc::channel::<Msg>(64);
    let mut p = Probe {
        sent: Arc::new(Mutex::new(VecDeque::new())),
        seen: Vec::new(),
        obs: Observed::default(),
        started: Instant::now(),
    };
    let (mut state, _run) = start_flood(&engine, n, output_focus)?;
    bridge(events, tx.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let key_tx = if drain == Drain::KeysFirst {
        key_tx
    } else {
        tx.clone()
    };
    injector(key_tx, Arc::clone(&p.sent), stop_rx, output_focus);
    let mut draw = |state: &mut State, obs: &mut Observed| -> Result<Instant, String> {
        let t = Instant::now();
        term.draw(|f| runbook::ui::draw(f, state, &theme))
            .map_err(|e| e.to_string())?;
        state.take_dirty();
        let done = Instant::now();
        obs.draws.push(done - t);
        Ok(done)
    };
    let mut last_frame = draw(&mut state, &mut p.obs)?;
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while p.obs.flood.is_none() || !p.seen.is_empty() || state.dirty {
        let frame_due = state
            .dirty
            .then(|| FRAME.saturating_sub(last_frame.elapsed()));
        tokio::select! {
            biased;
            Some(msg) = keys.recv() => p.handle(&mut state, msg),
            msg = rx.recv() => {
                let Some(msg) = msg else { break };
                let t = Instant::now();
                p.handle(&mut state, msg);
                let count = p.drain(&mut state, &mut rx, &mut keys, drain, last_frame);
                if t.elapsed() > p.obs.longest_drain {
                    (p.obs.longest_drain, p.obs.longest_drain_msgs) = (t.elapsed(), count);
                }
            }
            _ = ticker.tick(), if p.obs.flood.is_none() => {
                update(&mut state, Msg::Tick { now_ms: now_ms() });
            }
            () = tokio::time::sleep(frame_due.unwrap_or(FRAME)), if frame_due.is_some() => {}
        }
        if p.obs.flood.is_some() {
            let _ = stop_tx.send(true);
        }
        if state.dirty && last_frame.elapsed() >= FRAME {
            last_frame = draw(&mut state, &mut p.obs)?;
            p.obs
                .latencies
                .extend(p.seen.drain(..).map(|k| last_frame - k));
        }
    }
    println!("drain={}", drain.name());
    report(&p.obs, n, output_focus);
    Ok(())
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(obs: &Observed, n: u64, output_focus: bool) {
    let mut lat = obs.latencies.clone();
    lat.sort_unstable();
    let mut draws = obs.draws.clone();
    draws.sort_unstable();
    let focus = if output_focus { "output" } else { "outline" };
    println!("focus={focus} seq=1..{n} bytes={}", obs.bytes);
    println!(
        "flood_secs={:.3}",
        obs.flood.map_or(f64::NAN, |d| d.as_secs_f64())
    );
    println!(
        "keys={} over_50ms={} key_to_frame_ms p50={:.1} p99={:.1} max={:.1}",
        lat.len(),
        lat.iter().filter(|d| d.as_millis() > 50).count(),
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        pct(&lat, 1.0)
    );
    println!(
        "frames={} draw_ms p50={:.2} p99={:.2} max={:.2}",
        draws.len(),
        pct(&draws, 0.5),
        pct(&draws, 0.99),
        pct(&draws, 1.0)
    );
    println!(
        "longest_drain_ms={:.1} msgs={}",
        obs.longest_drain.as_secs_f64() * 1000.0,
        obs.longest_drain_msgs
    );
}
