//! [`Engine`]: starts runs, forwards input and resizes, stops runs, and carries shell state.
//!
//! Every method returns quickly (no waiting on a child): blocking reads and waits live on the
//! threads of [`super::run`], so the engine is safe to call from async code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use nix::sys::signal::Signal;
use portable_pty::PtySize;
use tokio::sync::mpsc;

use super::carry::{Carried, RunFiles, ShellKind, sh_quote};
use super::log::LogWriter;
use super::merge::Base;
use super::prep::{
    Launched, abandon, command, cwd_notice, launch, private_dir, remove_files, resolve_cwd,
    resolve_shell, write_run_files,
};
use super::procs;
use super::run::{ReaderState, RunCtx, RunEntry, Shared, Sink, start_threads};
use super::types::{ExecConfig, ExecError, ExecEvent, RunId, RunInfo, RunRequest, RunState};

/// How many input writes may wait for a process that is not reading.
const INPUT_QUEUE: usize = 256;

/// Runs steps in pseudo-terminals; see the [module docs](super) for the behaviour.
pub struct Engine {
    config: ExecConfig,
    tx: mpsc::Sender<ExecEvent>,
    shared: Arc<Shared>,
    /// Private (0700) directory for scripts, wrappers and captured state; removed on drop.
    dir: PathBuf,
    next_id: AtomicU64,
}

impl Engine {
    /// An engine that reports on `tx` (create it bounded: its capacity bounds buffered output).
    pub fn new(config: ExecConfig, tx: mpsc::Sender<ExecEvent>) -> Result<Self, ExecError> {
        let dir = private_dir()?;
        let shared = Arc::new(Shared {
            runs: Mutex::new(HashMap::new()),
            carried: Mutex::new(Carried::default()),
            cancel: Arc::new(AtomicBool::new(false)),
            timings: config.stop_grace,
        });
        Ok(Self {
            config,
            tx,
            shared,
            dir,
            next_id: AtomicU64::new(1),
        })
    }

    /// An engine together with the receiving end of a new channel of `config.channel_capacity`.
    pub fn with_channel(
        config: ExecConfig,
    ) -> Result<(Self, mpsc::Receiver<ExecEvent>), ExecError> {
        let (tx, rx) = mpsc::channel(config.channel_capacity.max(1));
        Ok((Self::new(config, tx)?, rx))
    }

    /// Starts `req.script` in a new PTY with the carried state; events follow on the channel.
    pub fn spawn(&self, req: RunRequest) -> Result<RunId, ExecError> {
        let shell = resolve_shell(&self.config.shell)?;
        let carried = self.shared.carried().clone();
        let cwd = resolve_cwd(req.cwd.as_deref(), carried.cwd.as_deref())?;
        let mut req = req;
        if let Some(notice) = cwd_notice(carried.cwd.as_deref(), &cwd) {
            req.script = format!("printf '%s\\n' {} >&2\n{}", sh_quote(&notice), req.script);
        }
        let id = RunId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let files = RunFiles::new(&self.dir, id.0, ShellKind::of(&shell));
        let written = write_run_files(&files, &req, &carried);
        if let Err(e) = written {
            remove_files(&files);
            return Err(e);
        }
        let result = self.start(id, &req, &shell, &cwd, &carried, files.clone());
        if result.is_err() {
            remove_files(&files);
        }
        result.map(|()| id)
    }

    fn start(
        &self,
        id: RunId,
        req: &RunRequest,
        shell: &Path,
        cwd: &Path,
        carried: &Carried,
        files: RunFiles,
    ) -> Result<(), ExecError> {
        let log = match &req.log_path {
            Some(path) => Some(LogWriter::open(path, Arc::clone(&req.mask))?),
            None => None,
        };
        let cmd = command(shell, cwd, &files, req, carried);
        let Launched {
            master,
            reader,
            writer,
            pid,
        } = launch(cmd, req.rows, req.cols)?;
        let (input_tx, input_rx) = sync_channel(INPUT_QUEUE);
        self.shared.runs().insert(
            id,
            RunEntry {
                step_id: req.step_id.clone(),
                started_at: SystemTime::now(),
                start: Instant::now(),
                state: RunState::Running,
                duration: None,
                pid,
                master: Some(master),
                input: Some(input_tx),
                stop_requested: false,
            },
        );
        let ctx = RunCtx {
            id,
            pid,
            files,
            sink: Arc::new(Sink::new(id, self.tx.clone(), log)),
            reader: Arc::new(ReaderState::default()),
            shared: Arc::clone(&self.shared),
            base: Base {
                carried: carried.clone(),
                cwd: cwd.to_path_buf(),
            },
        };
        if let Err(e) = start_threads(ctx, reader, writer, input_rx) {
            abandon(pid);
            self.shared.runs().remove(&id);
            return Err(ExecError::io("cannot start the run's threads", e));
        }
        Ok(())
    }

    /// Queues bytes for the run's terminal (keys from a focused pane, an answer to `read`).
    pub fn write_input(&self, run: RunId, bytes: &[u8]) -> Result<(), ExecError> {
        let runs = self.shared.runs();
        let entry = runs.get(&run).ok_or(ExecError::UnknownRun(run))?;
        let input = entry.input.as_ref().ok_or(ExecError::NotRunning(run))?;
        match input.try_send(bytes.to_vec()) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(ExecError::InputFull(run)),
            Err(TrySendError::Disconnected(_)) => Err(ExecError::NotRunning(run)),
        }
    }

    /// Resizes the run's terminal; the child gets SIGWINCH.
    pub fn resize(&self, run: RunId, rows: u16, cols: u16) -> Result<(), ExecError> {
        let runs = self.shared.runs();
        let entry = runs.get(&run).ok_or(ExecError::UnknownRun(run))?;
        let master = entry.master.as_ref().ok_or(ExecError::NotRunning(run))?;
        let size = PtySize {
            rows: rows.max(1),
            cols: cols.max(1),
            pixel_width: 0,
            pixel_height: 0,
        };
        master.resize(size).map_err(|e| ExecError::Resize {
            run,
            reason: e.to_string(),
        })
    }

    /// Stops a run: SIGINT now, then SIGTERM and SIGKILL per [`ExecConfig::stop_grace`]. The run
    /// ends with [`RunState::Stopped`]. Stopping a run twice is harmless.
    pub fn stop(&self, run: RunId) -> Result<(), ExecError> {
        let mut runs = self.shared.runs();
        let entry = runs.get_mut(&run).ok_or(ExecError::UnknownRun(run))?;
        if entry.state != RunState::Running {
            return Err(ExecError::NotRunning(run));
        }
        if entry.stop_requested {
            return Ok(());
        }
        entry.stop_requested = true;
        // Ctrl-C reaches the terminal's foreground group; the run's own group holds the script.
        let mut groups = vec![entry.pid];
        if let Some(fg) = entry.master.as_ref().and_then(|m| m.process_group_leader())
            && fg != entry.pid
        {
            groups.push(fg);
        }
        let cancel = Arc::clone(&self.shared.cancel);
        procs::escalate_in_background(
            entry.pid,
            Signal::SIGINT,
            groups,
            self.shared.timings,
            cancel,
        );
        Ok(())
    }

    /// Stops every running run.
    pub fn stop_all(&self) {
        for run in self.running() {
            // A run that finished meanwhile is not an error here.
            let _ = self.stop(run);
        }
    }

    /// Runs still running, in start order.
    pub fn running(&self) -> Vec<RunId> {
        let mut ids: Vec<RunId> = self
            .shared
            .runs()
            .iter()
            .filter(|(_, e)| e.state == RunState::Running)
            .map(|(id, _)| *id)
            .collect();
        ids.sort();
        ids
    }

    pub fn state(&self, run: RunId) -> Option<RunState> {
        self.shared.runs().get(&run).map(|e| e.state.clone())
    }

    pub fn info(&self, run: RunId) -> Option<RunInfo> {
        self.shared.runs().get(&run).map(RunEntry::info)
    }

    /// The working directory the next run starts in, once a run has captured one.
    pub fn carried_cwd(&self) -> Option<PathBuf> {
        self.shared.carried().cwd.clone()
    }

    /// Names (never values) of the variables the next run starts with, sorted.
    pub fn carried_vars(&self) -> Vec<String> {
        self.shared.carried().names()
    }

    /// The values of the carried variables whose name `secret` picks, for masking: a step that
    /// exports a token leaves it in the shell of the steps after it.
    pub fn carried_secrets(&self, secret: &dyn Fn(&str) -> bool) -> Vec<String> {
        self.shared.carried().values_of(secret)
    }

    /// Name → value of the carried scalar variables (those a shell line can be read back from).
    pub fn carried_values(&self) -> std::collections::BTreeMap<String, String> {
        self.shared.carried().named_values()
    }
}

// The app may keep the engine in an `Arc` shared with its tasks.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
};

impl Drop for Engine {
    /// Nothing outlives the engine: every session still holding processes gets SIGKILL.
    fn drop(&mut self) {
        self.shared.cancel.store(true, Ordering::SeqCst);
        let pids: Vec<i32> = self.shared.runs().values().map(|e| e.pid).collect();
        for pid in pids.into_iter().filter(|&pid| procs::is_registered(pid)) {
            procs::kill_session(pid, Signal::SIGKILL);
            procs::unregister(pid);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
