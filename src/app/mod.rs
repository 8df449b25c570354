//! The interactive app's loop: one channel of [`Msg`]s in (keys, PTY output, journal acks,
//! signals, ticks), `state::update` decides, [`effects`] carries out what it returns, and the
//! screen is redrawn only when the state says it changed — at most ~60 times a second, after
//! draining every pending message (a flooding pane costs one frame, not one per chunk).

pub(crate) mod effects;
mod open;

pub use open::{OpenArgs, cmd_open};

use crate::exec::{Engine, ExecEvent, RunState};
use crate::state::{Msg, State, update};
use crate::theme::Theme;
use futures::StreamExt;
use std::time::{Duration, Instant};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Capacity of the app's message channel; senders wait when it is full (no unbounded queue).
/// Kept small: every queued output chunk is work a key press would otherwise wait behind.
const CHANNEL: usize = 64;
/// Shortest time between two frames.
const FRAME: Duration = Duration::from_millis(16);
/// How often the spinner and clocks move while something runs.
const TICK: Duration = Duration::from_millis(250);

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Why the loop ended.
pub enum Exit {
    Quit,
    Signal,
}

/// Runs the loop until the state asks to quit or a signal arrives.
pub async fn run(
    term: &mut crate::tui::Term,
    mut state: State,
    theme: &Theme,
    fx: &mut effects::Effects,
    engine_events: mpsc::Receiver<ExecEvent>,
) -> std::io::Result<Exit> {
    let (tx, mut rx) = mpsc::channel::<Msg>(CHANNEL);
    // Keys have their own channel, read first: a flooding pane never delays a key press.
    let (input_tx, mut input_rx) = mpsc::channel::<Msg>(CHANNEL);
    fx.set_sender(tx.clone());
    spawn_input(input_tx);
    spawn_exec_bridge(engine_events, tx.clone());
    let mut signals = Signals::new()?;
    let size = term.size()?;
    let mut pending = vec![
        Msg::Resize {
            cols: size.width,
            rows: size.height,
        },
        Msg::Tick { now_ms: now_ms() },
    ];
    pending.extend(fx.initial_msgs());
    for msg in pending {
        if handle(&mut state, fx, msg).await {
            return Ok(Exit::Quit);
        }
    }
    term.draw(|f| crate::ui::draw(f, &state, theme))?;
    state.take_dirty();
    fx.first_frame_drawn(&mut state);
    let mut last_frame = Instant::now();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        // Ticks only while something runs: an idle app makes no wake-ups at all.
        let busy = fx.busy();
        let frame_due = state
            .dirty
            .then(|| FRAME.saturating_sub(last_frame.elapsed()));
        tokio::select! {
            biased;
            () = signals.recv() => return Ok(Exit::Signal),
            Some(msg) = input_rx.recv() => {
                // Idle, the clock does not tick (no wake-ups); it catches up on every key instead.
                if !busy && handle(&mut state, fx, Msg::Tick { now_ms: now_ms() }).await {
                    return Ok(Exit::Quit);
                }
                if handle(&mut state, fx, msg).await {
                    return Ok(Exit::Quit);
                }
            }
            msg = rx.recv() => {
                let Some(msg) = msg else { return Ok(Exit::Quit) };
                if handle(&mut state, fx, msg).await {
                    return Ok(Exit::Quit);
                }
                // Drain what is already queued, but only until a frame is due: a flood refills
                // the queue as fast as it is read. Keys that arrive meanwhile go first.
                while !(state.dirty && last_frame.elapsed() >= FRAME) {
                    let next = match input_rx.try_recv() {
                        Ok(key) => key,
                        Err(_) => match rx.try_recv() {
                            Ok(msg) => msg,
                            Err(_) => break,
                        },
                    };
                    if handle(&mut state, fx, next).await {
                        return Ok(Exit::Quit);
                    }
                }
            }
            _ = ticker.tick(), if busy => {
                if handle(&mut state, fx, Msg::Tick { now_ms: now_ms() }).await {
                    return Ok(Exit::Quit);
                }
            }
            () = tokio::time::sleep(frame_due.unwrap_or(FRAME)), if frame_due.is_some() => {}
        }
        if fx.take_suspend() {
            crate::tui::suspend(term)?;
            state.dirty = true;
        }
        if state.dirty && last_frame.elapsed() >= FRAME {
            term.draw(|f| crate::ui::draw(f, &state, theme))?;
            state.take_dirty();
            last_frame = Instant::now();
        }
    }
}

/// Updates the state with one message and carries out the effects, then the messages those
/// effects answer at once (a started run); true when quitting.
async fn handle(state: &mut State, fx: &mut effects::Effects, msg: Msg) -> bool {
    let mut queue = vec![msg];
    while !queue.is_empty() {
        for msg in std::mem::take(&mut queue) {
            let effects = update(state, msg);
            if fx.apply(state, effects).await {
                return true;
            }
            queue.extend(fx.take_immediate());
        }
    }
    false
}

/// Keys, mouse, paste and resize from crossterm's event stream.
fn spawn_input(tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        let mut events = crossterm::event::EventStream::new();
        while let Some(Ok(event)) = events.next().await {
            use crossterm::event::Event as E;
            let msg = match event {
                E::Key(key) => Msg::Key(key),
                E::Mouse(mouse) => Msg::Mouse(mouse),
                E::Paste(text) => Msg::Paste(text),
                E::Resize(cols, rows) => Msg::Resize { cols, rows },
                _ => continue,
            };
            if tx.send(msg).await.is_err() {
                break;
            }
        }
    });
}

/// PTY events become messages; the bounded channels back-pressure a flooding child.
fn spawn_exec_bridge(mut events: mpsc::Receiver<ExecEvent>, tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            let msg = match event {
                ExecEvent::Output { run, bytes } => Msg::Output { run: run.0, bytes },
                ExecEvent::Exited {
                    run,
                    state,
                    duration,
                } => {
                    let duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
                    match state {
                        RunState::Exited(code) => Msg::RunExited {
                            run: run.0,
                            exit_code: Some(code),
                            stopped: false,
                            duration_ms,
                        },
                        RunState::Stopped => Msg::RunExited {
                            run: run.0,
                            exit_code: None,
                            stopped: true,
                            duration_ms,
                        },
                        RunState::FailedToStart(_) | RunState::Running => Msg::RunExited {
                            run: run.0,
                            exit_code: None,
                            stopped: false,
                            duration_ms,
                        },
                    }
                }
            };
            if tx.send(msg).await.is_err() {
                break;
            }
        }
    });
}

/// SIGTERM and SIGHUP end the app cleanly (SIGINT is a key in raw mode).
struct Signals {
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
    }
}

/// The engine, shared between the loop's effects and the clean-up after the loop.
pub(crate) type SharedEngine = std::sync::Arc<Engine>;
