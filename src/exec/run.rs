//! The threads behind one run: a reader (PTY → events and log), a writer (input → PTY) and a waiter
//! (exit → carried state → `Exited`).
//!
//! Ordering: every event of a run goes through its [`Sink`], whose lock is held while sending, and
//! the sink closes when `Exited` is sent. So `Exited` is strictly the last event of a run, whichever
//! thread gets there first. The waiter sends it only once the reader has drained the PTY (it hit
//! EOF), or when no process of the run's session is left and the reader has sat in one `read` call
//! for a while (a process that escaped into another session still holds the terminal).

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;
use portable_pty::MasterPty;
use tokio::sync::mpsc;

use super::carry::{Carried, RunFiles};
use super::log::LogWriter;
use super::merge::Base;
use super::procs;
use super::types::{ExecEvent, RunId, RunInfo, RunState, StopTimings};

/// Largest chunk read from a PTY at once.
const READ_CHUNK: usize = 64 * 1024;
/// How often the waiter looks at the reader and the session while draining.
const DRAIN_POLL: Duration = Duration::from_millis(20);

/// State shared by the engine and the threads of its runs.
pub(crate) struct Shared {
    pub runs: Mutex<HashMap<RunId, RunEntry>>,
    pub carried: Mutex<Carried>,
    /// Set when the engine is dropped: background escalations stop (everything was SIGKILLed).
    pub cancel: Arc<AtomicBool>,
    pub timings: StopTimings,
}

impl Shared {
    pub(crate) fn runs(&self) -> MutexGuard<'_, HashMap<RunId, RunEntry>> {
        self.runs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn carried(&self) -> MutexGuard<'_, Carried> {
        self.carried.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The engine's record of one run.
pub(crate) struct RunEntry {
    pub step_id: String,
    pub started_at: SystemTime,
    pub start: Instant,
    pub state: RunState,
    pub duration: Option<Duration>,
    /// The shell's pid = session id = process-group id.
    pub pid: i32,
    /// Kept for resizes and the foreground group; dropped when the run ends (closes the terminal).
    pub master: Option<Box<dyn MasterPty + Send>>,
    pub input: Option<SyncSender<Vec<u8>>>,
    pub stop_requested: bool,
}

impl RunEntry {
    pub(crate) fn info(&self) -> RunInfo {
        RunInfo {
            step_id: self.step_id.clone(),
            state: self.state.clone(),
            started_at: self.started_at,
            duration: self.duration.unwrap_or_else(|| self.start.elapsed()),
            pid: self.pid,
        }
    }
}

/// The one door through which a run's events leave (see the module doc).
pub(crate) struct Sink {
    inner: Mutex<SinkInner>,
}

struct SinkInner {
    closed: bool,
    run: RunId,
    tx: mpsc::Sender<ExecEvent>,
    log: Option<LogWriter>,
}

impl Sink {
    pub(crate) fn new(run: RunId, tx: mpsc::Sender<ExecEvent>, log: Option<LogWriter>) -> Self {
        Self {
            inner: Mutex::new(SinkInner {
                closed: false,
                run,
                tx,
                log,
            }),
        }
    }

    /// Logs and sends one chunk; false once the run is over. Blocks while the channel is full, which
    /// is what back-pressures a flooding child.
    fn output(&self, bytes: &[u8]) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.closed {
            return false;
        }
        if let Some(log) = inner.log.as_mut() {
            log.write(bytes);
        }
        let event = ExecEvent::Output {
            run: inner.run,
            bytes: bytes.to_vec(),
        };
        // A dropped receiver means nobody listens any more; keep draining the PTY for the log.
        let _ = inner.tx.blocking_send(event);
        true
    }

    fn finish(&self, state: RunState, duration: Duration) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.closed {
            return;
        }
        inner.closed = true;
        if let Some(log) = inner.log.as_mut() {
            log.finish();
        }
        let run = inner.run;
        let _ = inner.tx.blocking_send(ExecEvent::Exited {
            run,
            state,
            duration,
        });
    }
}

/// What the waiter needs to know about the reader.
#[derive(Default)]
pub(crate) struct ReaderState {
    /// Set once, when the reader has seen EOF; the condvar wakes the waiter at once.
    done: Mutex<bool>,
    done_cv: Condvar,
    in_read: AtomicBool,
    reads: AtomicU64,
}

impl ReaderState {
    /// True once the reader is done; waits up to `timeout` for that.
    fn wait_done(&self, timeout: Duration) -> bool {
        let done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        let (done, _) = self
            .done_cv
            .wait_timeout_while(done, timeout, |done| !*done)
            .unwrap_or_else(PoisonError::into_inner);
        *done
    }
}

/// Everything the threads of one run share.
pub(crate) struct RunCtx {
    pub id: RunId,
    pub pid: i32,
    pub files: RunFiles,
    pub sink: Arc<Sink>,
    pub reader: Arc<ReaderState>,
    pub shared: Arc<Shared>,
    /// What the run started from, to merge its changes when others ran meanwhile.
    pub base: Base,
}

fn spawn_named<F: FnOnce() + Send + 'static>(name: String, f: F) -> std::io::Result<()> {
    thread::Builder::new().name(name).spawn(f).map(|_| ())
}

/// Starts the reader, writer and waiter threads of a run.
pub(crate) fn start_threads(
    ctx: RunCtx,
    reader: Box<dyn Read + Send>,
    writer: Box<dyn Write + Send>,
    input: Receiver<Vec<u8>>,
) -> std::io::Result<()> {
    let id = ctx.id;
    let (sink, state) = (Arc::clone(&ctx.sink), Arc::clone(&ctx.reader));
    spawn_named(format!("exec-read-{id}"), move || {
        read_loop(reader, &sink, &state)
    })?;
    spawn_named(format!("exec-write-{id}"), move || {
        write_loop(writer, &input)
    })?;
    spawn_named(format!("exec-wait-{id}"), move || wait_run(&ctx))
}

fn read_loop(mut reader: Box<dyn Read + Send>, sink: &Sink, state: &ReaderState) {
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        state.in_read.store(true, Ordering::SeqCst);
        let result = reader.read(&mut buf);
        state.reads.fetch_add(1, Ordering::SeqCst);
        state.in_read.store(false, Ordering::SeqCst);
        match result {
            Ok(0) => break,
            Ok(n) => {
                if !sink.output(&buf[..n]) {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // EIO: every holder of the terminal's other end has closed it.
            Err(_) => break,
        }
    }
    *state.done.lock().unwrap_or_else(PoisonError::into_inner) = true;
    state.done_cv.notify_all();
}

fn write_loop(mut writer: Box<dyn Write + Send>, input: &Receiver<Vec<u8>>) {
    for bytes in input {
        if writer
            .write_all(&bytes)
            .and_then(|()| writer.flush())
            .is_err()
        {
            break;
        }
    }
}

/// Reaps the shell and returns its status, 128 + N for a death by signal N, -1 if unknowable.
fn wait_exit(pid: i32) -> i32 {
    loop {
        match waitpid(Pid::from_raw(pid), None) {
            Ok(WaitStatus::Exited(_, code)) => return code,
            Ok(WaitStatus::Signaled(_, sig, _)) => return 128 + sig as i32,
            Ok(_) | Err(Errno::EINTR) => {}
            Err(_) => return -1,
        }
    }
}

fn wait_run(ctx: &RunCtx) {
    let code = wait_exit(ctx.pid);
    let timings = ctx.shared.timings;
    let stop_requested = ctx
        .shared
        .runs()
        .get(&ctx.id)
        .is_some_and(|e| e.stop_requested);
    let groups: Vec<i32> = procs::session_groups(ctx.pid).into_iter().collect();
    if !stop_requested && !groups.is_empty() {
        // Background jobs of a finished step: hang them up, as closing a terminal would.
        let cancel = Arc::clone(&ctx.shared.cancel);
        procs::escalate_in_background(ctx.pid, Signal::SIGHUP, groups, timings, cancel);
    }
    let deadline = Instant::now() + timings.kill_after + Duration::from_secs(1);
    wait_for_drain(ctx, deadline);
    if stop_requested {
        // A stop is complete only when nothing of the run is left.
        while !procs::session_is_empty(ctx.pid) && Instant::now() < deadline {
            thread::sleep(DRAIN_POLL);
        }
    }
    if let Some(theirs) = Carried::capture(&ctx.files) {
        let inherited: BTreeMap<String, String> = if ctx.base.carried.vars.is_none() {
            std::env::vars().collect()
        } else {
            BTreeMap::new()
        };
        let mut carried = ctx.shared.carried();
        *carried = carried.merged(&ctx.base, theirs, &inherited);
    }
    let state = if stop_requested {
        RunState::Stopped
    } else {
        RunState::Exited(code)
    };
    let duration = finish_entry(ctx, &state);
    if procs::session_is_empty(ctx.pid) {
        procs::unregister(ctx.pid);
    }
    ctx.sink.finish(state, duration);
    for path in ctx.files.all() {
        let _ = std::fs::remove_file(path);
    }
}

/// Waits until the reader has drained the terminal, or provably cannot get more from the run.
fn wait_for_drain(ctx: &RunCtx, deadline: Instant) {
    let mut last_reads = u64::MAX;
    let mut stuck_checks = 0;
    loop {
        if ctx.reader.wait_done(DRAIN_POLL) {
            return;
        }
        let reads = ctx.reader.reads.load(Ordering::SeqCst);
        let blocked = ctx.reader.in_read.load(Ordering::SeqCst) && reads == last_reads;
        last_reads = reads;
        // Never give up while the reader is busy sending: a slow consumer is not a lost run.
        if blocked {
            stuck_checks += 1;
            let session_gone = procs::session_is_empty(ctx.pid);
            if (session_gone && stuck_checks >= 3) || Instant::now() >= deadline {
                return;
            }
        } else {
            stuck_checks = 0;
        }
    }
}

/// Records the final state in the engine's table and closes the run's terminal and input.
fn finish_entry(ctx: &RunCtx, state: &RunState) -> Duration {
    let mut runs = ctx.shared.runs();
    match runs.get_mut(&ctx.id) {
        Some(entry) => {
            let duration = entry.start.elapsed();
            entry.state = state.clone();
            entry.duration = Some(duration);
            entry.master = None;
            entry.input = None;
            duration
        }
        None => Duration::ZERO,
    }
}
