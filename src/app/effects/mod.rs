//! Carries out the state machine's [`Effect`]s: journal writes (acknowledged back as messages),
//! PTY runs, stops, input, resizes, export, opening another file, starting or resuming a session.
//! Nothing here blocks the loop: journal appends and exports run on tasks and answer by message.

mod session;

use super::SharedEngine;
use crate::exec::{RunId, RunRequest};
use crate::journal::{self, Journal, Mode as JournalMode};
use crate::runbook::Runbook;
use crate::state::{Effect, JournalOp, Msg, Notice, State};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;

/// What a session needs to be started or resumed.
pub struct SessionSource {
    pub path: PathBuf,
    pub sha256: String,
    pub mode: JournalMode,
}

/// The IO side of the app.
pub struct Effects {
    engine: SharedEngine,
    journal: Option<Journal>,
    source: SessionSource,
    data_dir: Option<PathBuf>,
    tx: Option<mpsc::Sender<Msg>>,
    /// Journal ops that arrived before the operator chose to resume or start afresh.
    queued: Vec<(JournalOp, Option<u64>)>,
    /// The journal could not be created: ops are acknowledged unrecorded instead of queued.
    unrecorded: bool,
    suspend_requested: bool,
    /// Engine run id → (step id, run number of that step, output file name).
    runs: HashMap<u64, (String, u32, Option<String>)>,
    /// Runs whose `step_finished` is not written yet: (step id, step number).
    open_runs: HashMap<u64, (String, usize)>,
    run_counts: HashMap<String, u32>,
    first_run: bool,
    startup: Vec<Msg>,
    /// Start the session once the first frame is on screen (creating it fsyncs; the operator
    /// should not wait for that to see the runbook).
    start_after_first_frame: bool,
    /// Messages that must reach the state before anything else from the channel: a run's
    /// `RunStarted` has to be known before its first output, which the bridge may already have
    /// queued.
    immediate: Vec<Msg>,
}

impl Effects {
    pub fn new(
        engine: SharedEngine,
        source: SessionSource,
        data_dir: Option<PathBuf>,
        startup: Vec<Msg>,
    ) -> Effects {
        Effects {
            engine,
            journal: None,
            source,
            data_dir,
            tx: None,
            queued: Vec::new(),
            unrecorded: false,
            suspend_requested: false,
            runs: HashMap::new(),
            open_runs: HashMap::new(),
            run_counts: HashMap::new(),
            first_run: true,
            startup,
            start_after_first_frame: false,
            immediate: Vec::new(),
        }
    }

    pub fn set_sender(&mut self, tx: mpsc::Sender<Msg>) {
        self.tx = Some(tx);
    }

    /// Messages to feed before the first frame (kube context, a notice…).
    pub fn initial_msgs(&mut self) -> Vec<Msg> {
        std::mem::take(&mut self.startup)
    }

    /// True while a process runs (the loop ticks for the spinner only then).
    pub fn busy(&self) -> bool {
        !self.engine.running().is_empty()
    }

    pub fn journal(&self) -> Option<&Journal> {
        self.journal.as_ref()
    }

    /// Sends a message back into the loop without ever waiting on the loop itself.
    fn post(&self, msg: Msg) {
        let Some(tx) = self.tx.clone() else { return };
        if let Err(mpsc::error::TrySendError::Full(msg)) = tx.try_send(msg) {
            tokio::spawn(async move {
                let _ = tx.send(msg).await;
            });
        }
    }

    /// Carries out `effects` in order; true when the app must quit.
    pub async fn apply(&mut self, state: &mut State, effects: Vec<Effect>) -> bool {
        for effect in effects {
            match effect {
                Effect::Journal {
                    op: JournalOp::SessionEnded,
                    ..
                } => self.end(None).await,
                Effect::Journal { op, ack } => self.journal_op(op, ack),
                Effect::Run {
                    step,
                    command: _,
                    script,
                    env,
                } => self.run(state, step, script, env),
                Effect::Stop { run } => {
                    let _ = self.engine.stop(RunId(run));
                }
                Effect::Input { run, bytes } => {
                    let _ = self.engine.write_input(RunId(run), &bytes);
                }
                Effect::Resize { run, rows, cols } => {
                    let _ = self.engine.resize(RunId(run), rows, cols);
                }
                Effect::Export => self.export(),
                Effect::OpenFile(path) => self.open_file(state, &path),
                Effect::ResumeSession { session } => self.resume(state, &session).await,
                Effect::StartSession => self.start(state),
                Effect::Suspend => self.suspend_requested = true,
                Effect::Quit => return true,
            }
        }
        false
    }

    /// True once after `Effect::Suspend`: the loop owns the terminal and suspends.
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend_requested)
    }

    /// Messages to feed back before reading the channel again (see `immediate`).
    pub fn take_immediate(&mut self) -> Vec<Msg> {
        std::mem::take(&mut self.immediate)
    }

    /// Asks for [`Effects::start`] right after the first frame.
    pub fn start_after_first_frame(&mut self) {
        self.start_after_first_frame = true;
    }

    /// Called by the loop once the first frame is drawn.
    pub fn first_frame_drawn(&mut self, state: &mut State) {
        if std::mem::take(&mut self.start_after_first_frame) {
            self.start(state);
        }
    }

    pub fn with_startup(mut self, startup: Vec<Msg>) -> Effects {
        self.startup = startup;
        self
    }

    fn run(&mut self, state: &mut State, step: usize, script: String, env: Vec<(String, String)>) {
        if self.journal.is_none() && self.data_dir.is_some() {
            self.start(state);
        }
        let Some(step_ref) = state.runbook.steps.get(step) else {
            return;
        };
        let id = step_ref.id.to_string();
        let step_ref_number = step_ref.number;
        let run_no = {
            let n = self.run_counts.entry(id.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let mut req = RunRequest::new(id.clone(), script);
        if let Some(journal) = &self.journal {
            // The journal masks secrets in what it records; it must know their values.
            for value in state.vars.values().filter(|v| v.secret) {
                journal.add_secret(&value.value);
            }
            let policy = state.config.secret_policy();
            let specs = &state.runbook.meta.variables;
            let secret = |name: &str| policy.is_secret(name, specs.get(name));
            for value in self.engine.carried_secrets(&secret) {
                journal.add_secret(&value);
            }
            req.log_path = journal.output_path(&id, run_no).ok();
            let masker = journal.masker();
            self.immediate.push(Msg::Secrets(masker.values().to_vec()));
            req.mask = Arc::new(move |line: &str| masker.mask(line));
        }
        let (rows, cols) = crate::state::layout::pty_size(state);
        req.rows = rows.max(4);
        req.cols = cols.max(20);
        req.env = env;
        if self.first_run && self.engine.carried_cwd().is_none() {
            req.cwd = state.runbook.meta.cwd.clone().map(Into::into);
        }
        self.first_run = false;
        let output = req
            .log_path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        match self.engine.spawn(req) {
            Ok(run) => {
                self.open_runs.insert(run.0, (id.clone(), step_ref_number));
                self.runs.insert(run.0, (id, run_no, output));
                self.immediate.push(Msg::RunStarted { step, run: run.0 });
            }
            Err(e) => self.immediate.push(Msg::RunFailed {
                step,
                reason: e.to_string(),
            }),
        }
    }

    fn export(&self) {
        let Some(journal) = &self.journal else {
            self.post(Msg::ExportFailed {
                reason: "this session is not recorded".into(),
            });
            return;
        };
        let dir = journal.dir().to_path_buf();
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let msg = match export_to(&dir) {
                Ok(path) => Msg::Exported { path },
                Err(reason) => Msg::ExportFailed { reason },
            };
            if let Some(tx) = tx {
                let _ = tx.blocking_send(msg);
            }
        });
    }

    fn open_file(&mut self, state: &mut State, path: &str) {
        let dir = state
            .picker
            .as_ref()
            .map(|p| PathBuf::from(&p.dir))
            .unwrap_or_default();
        let full = dir.join(path);
        match crate::input::read_runbook(&full) {
            Ok(text) => {
                let mut book: Runbook =
                    crate::runbook::parse_titled(&text, &crate::input::stem(&full));
                book.source = full.display().to_string();
                let mut next = State::new(book, state.config.clone(), state.mode);
                next.size = state.size;
                next.kube = state.kube.clone();
                // The reloaded runbook's choices decide which environment values count.
                next.env_values = std::mem::take(&mut state.env_values);
                next.env_names = state.env_names.clone();
                next.env_names.extend(next.env_values.keys().cloned());
                next.drop_env_outside_choices();
                next.now_ms = state.now_ms;
                next.dirty = true;
                *state = next;
                self.source.path = full;
                self.source.sha256 = super::open::sha256(&text);
                self.journal = None;
                self.run_counts.clear();
                let offer = self
                    .data_dir
                    .as_deref()
                    .and_then(|d| super::open::resume_offer(d, &self.source.path));
                match offer {
                    Some(offer) => state.offer_resume(offer),
                    None => self.start(state),
                }
            }
            Err(e) => notice(state, &e.to_string(), true),
        }
    }
}

fn notice(state: &mut State, text: &str, error: bool) {
    state.notice = Some(Notice {
        text: text.to_string(),
        error,
    });
    state.dirty = true;
}

/// Writes `export.md` next to the journal and returns its path.
fn export_to(dir: &std::path::Path) -> Result<String, String> {
    let (records, _) =
        journal::read_journal(&dir.join(journal::JOURNAL_FILE)).map_err(|e| e.to_string())?;
    let markdown = journal::export::export_markdown(&records, Some(dir));
    let path = dir.join("export.md");
    // Inside the private session directory the report is private too, also when an older
    // version wrote it with the default mode.
    journal::fs::write_private(&path, &markdown).map_err(|e| format!("{}: {e}", path.display()))?;
    journal::fs::set_mode(&path, 0o600).map_err(|e| e.to_string())?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests;
