//! [`Engine`]: starts runs, forwards input and resizes, stops runs, and carries shell state.
//!
//! Every method returns quickly (no waiting on a child): blocking reads and waits live on the
//! threads of [`super::run`], so the engine is safe to call from async code.

use std::collections::{BTreeSet, HashMap};
use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use nix::sys::signal::Signal;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use tokio::sync::mpsc;

use super::carry::{Carried, RunFiles};
use super::log::LogWriter;
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

    /// Starts `req.script` in a new PTY with the carried state; events follow on the channel.
    pub fn spawn(&self, req: RunRequest) -> Result<RunId, ExecError> {
        let shell = resolve_shell(&self.config.shell)?;
        let carried = self.shared.carried().clone();
        let cwd = resolve_cwd(req.cwd.as_deref(), carried.cwd.as_deref())?;
        let id = RunId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let files = RunFiles::new(&self.dir, id.0);
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
        let size = PtySize {
            rows: req.rows.max(1),
            cols: req.cols.max(1),
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system()
            .openpty(size)
            .map_err(|e| ExecError::PtyUnavailable(e.to_string()))?;
        let cmd = command(shell, cwd, &files, req, carried);
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| ExecError::Spawn(e.to_string()))?;
        // Our copy of the terminal's other end must go, or the reader never sees EOF.
        drop(pair.slave);
        let pid = child
            .process_id()
            .and_then(|p| i32::try_from(p).ok())
            .ok_or_else(|| ExecError::Spawn("the shell has no process id".into()))?;
        procs::register(pid);
        let pty_err = |e: anyhow::Error| ExecError::PtyUnavailable(e.to_string());
        let io = pair
            .master
            .try_clone_reader()
            .and_then(|r| pair.master.take_writer().map(|w| (r, w)));
        let (reader, writer) = match io {
            Ok(io) => io,
            Err(e) => {
                procs::kill_session(pid, Signal::SIGKILL);
                return Err(pty_err(e));
            }
        };
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
                master: Some(pair.master),
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
        };
        if let Err(e) = start_threads(ctx, reader, writer, input_rx) {
            procs::kill_session(pid, Signal::SIGKILL);
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
}

impl Drop for Engine {
    /// Nothing outlives the engine: every session still holding processes gets SIGKILL.
    fn drop(&mut self) {
        self.shared.cancel.store(true, Ordering::SeqCst);
        let pids: Vec<i32> = self.shared.runs().values().map(|e| e.pid).collect();
        for pid in pids {
            if !procs::session_is_empty(pid) {
                procs::kill_session(pid, Signal::SIGKILL);
            }
            procs::unregister(pid);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The command line and environment of a run: the shell on the wrapper, in the run's cwd.
fn command(
    shell: &Path,
    cwd: &Path,
    files: &RunFiles,
    req: &RunRequest,
    carried: &Carried,
) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(shell);
    cmd.arg(&files.wrapper);
    cmd.cwd(cwd);
    // The pane is an xterm-like emulator whatever terminal the app itself runs in.
    cmd.env("TERM", "xterm-256color");
    cmd.env("PWD", cwd);
    // Stale sizes would override the PTY's own for `tput` and friends.
    cmd.env_remove("COLUMNS");
    cmd.env_remove("LINES");
    for name in carried.unset_names(std::env::vars_os().filter_map(|(k, _)| k.into_string().ok())) {
        cmd.env_remove(name);
    }
    for (name, value) in &req.env {
        cmd.env(name, value);
    }
    cmd
}

/// Writes the script, the state to restore and the wrapper, each readable by us only.
fn write_run_files(files: &RunFiles, req: &RunRequest, carried: &Carried) -> Result<(), ExecError> {
    let overridden: BTreeSet<&str> = req.env.iter().map(|(k, _)| k.as_str()).collect();
    write_private(&files.script, &req.script)?;
    write_private(&files.vars_in, &carried.vars_script(&overridden))?;
    write_private(&files.funcs_in, &carried.funcs)?;
    write_private(&files.wrapper, &files.wrapper_script())
}

fn write_private(path: &Path, text: &str) -> Result<(), ExecError> {
    let what = || format!("cannot write {}", path.display());
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| ExecError::io(what(), e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| ExecError::io(what(), e))
}

fn remove_files(files: &RunFiles) {
    for path in files.all() {
        let _ = std::fs::remove_file(path);
    }
}

/// Creates a fresh 0700 directory under the system temp dir.
fn private_dir() -> Result<PathBuf, ExecError> {
    let base = std::env::temp_dir();
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut last_err = None;
    for attempt in 0..16u32 {
        let dir = base.join(format!(
            "runbook-exec-{}-{stamp}-{attempt}",
            std::process::id()
        ));
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => last_err = Some(e),
        }
    }
    let err = last_err.unwrap_or_else(|| std::io::Error::other("no attempt made"));
    Err(ExecError::io(
        format!("cannot create a private directory in {}", base.display()),
        err,
    ))
}

/// `bash` → `/usr/bin/bash` via `PATH`; a path is checked as given.
fn resolve_shell(shell: &Path) -> Result<PathBuf, ExecError> {
    let is_exec = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if shell.components().count() > 1 || shell.is_absolute() {
        return if is_exec(shell) {
            Ok(shell.to_path_buf())
        } else {
            Err(ExecError::ShellNotFound(shell.to_path_buf()))
        };
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(shell))
        .find(|candidate| is_exec(candidate))
        .ok_or_else(|| ExecError::ShellNotFound(shell.to_path_buf()))
}

/// The run's cwd: the request's (relative to the carried one, like `cd`), else the carried one,
/// else the app's own. It must exist: portable-pty would silently fall back to `$HOME`.
fn resolve_cwd(requested: Option<&Path>, carried: Option<&Path>) -> Result<PathBuf, ExecError> {
    let base = match carried {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_dir().map_err(|e| ExecError::io("no current directory", e))?,
    };
    let cwd = match requested {
        Some(dir) => base.join(dir),
        None => base,
    };
    if cwd.is_dir() {
        Ok(cwd)
    } else {
        Err(ExecError::CwdMissing(cwd))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shell_lookup() {
        assert!(resolve_shell(Path::new("bash")).unwrap().is_absolute());
        assert!(matches!(
            resolve_shell(Path::new("no-such-shell-xyz")),
            Err(ExecError::ShellNotFound(_))
        ));
        assert!(matches!(
            resolve_shell(Path::new("/etc/passwd")),
            Err(ExecError::ShellNotFound(_))
        ));
    }

    #[test]
    fn cwd_resolution() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let got = resolve_cwd(Some(Path::new("sub")), Some(dir.path())).unwrap();
        assert_eq!(got, dir.path().join("sub"));
        assert_eq!(resolve_cwd(None, Some(dir.path())).unwrap(), dir.path());
        assert!(matches!(
            resolve_cwd(Some(Path::new("missing")), Some(dir.path())),
            Err(ExecError::CwdMissing(_))
        ));
    }

    #[test]
    fn private_dir_is_owner_only() {
        let dir = private_dir().unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        std::fs::remove_dir(&dir).unwrap();
        assert_eq!(mode & 0o777, 0o700);
    }
}
