//! PURE. The interactive app's state and its state machine: `update(&mut State, Msg) -> Vec<Effect>`.
//!
//! # Hand-over to `app.rs` (the IO loop)
//! The loop owns one [`State`] and a `Theme`, and does only this:
//! 1. Build the state: [`State::new`]`(runbook, config, mode)` (or [`State::picker`] for a DIR),
//!    optionally [`State::set_env`] (names in the operator's environment count as known
//!    variables), [`State::jump_to_anchor`] for `FILE#anchor`, [`State::offer_resume`] when the
//!    journal has an unfinished session for this runbook (otherwise carry out
//!    `Effect::StartSession` yourself). Send `Msg::Resize` and `Msg::Tick` once before the first frame.
//! 2. Feed every event as a [`Msg`]: crossterm keys/mouse/paste/resize, `Tick { now_ms }` about
//!    4×/s (the state never reads the clock), kube context changes, journal acks, PTY
//!    start/output/exit. Drain all pending messages, then redraw once if [`State::take_dirty`].
//! 3. Carry out each returned [`Effect`] in order: `Journal` → append, then `JournalAck(token)`
//!    when `ack` is set (a step is shown done / a check ticked only after the ack); `Run` → spawn
//!    in a PTY, then `RunStarted { step, run }` (the state then sends `Resize { run, .. }` with the
//!    output area size) or `RunFailed`; `Stop`, `Input`, `Resize` → to the executor; `Export`,
//!    `OpenFile`, `ResumeSession`, `StartSession`, `Quit` as named. On `Quit` the state has
//!    already sent `Stop` for every live run and `Journal(SessionEnded)`.
//! 4. Draw with `crate::ui::draw(frame, &state, &theme)`; drawing never mutates the state.
//!
//! Time is injected (`Msg::Tick`), so the same messages always give the same screen: this is
//! what the snapshot tests rely on.

pub mod action;
mod dialogs;
mod editor;
pub mod keymap;
mod keys;
pub mod layout;
mod msg;
pub mod nav;
mod pane;
mod picker;
mod run;
pub use run::shown_risk;
mod screen_mask;
mod script;
mod search;
pub mod slug;
pub mod target;
mod update;
mod values;

#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;

pub use dialogs::{Confirm, Dialog, ResumeOffer, ResumedStep, TextPurpose};
pub use editor::Editor;
pub use msg::{Effect, JournalOp, Msg};
pub use nav::{Item, Row};
pub use pane::{OutputSearch, Pane, RunExit};
pub use picker::{Picker, PickerEntry};
pub use search::{Prompt, PromptKind};
pub use update::update;
pub use values::{MASK, ValueField, Values};

use crate::config::Config;
use crate::runbook::Runbook;
use std::collections::{BTreeMap, BTreeSet};

/// How steps may touch the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything runs (after confirmation for write/destructive steps).
    Live,
    /// Read steps run; write/destructive steps are shown and journaled, not run.
    Rehearsal,
    /// Only read steps run.
    ReadOnly,
}

impl Mode {
    pub fn badge(self) -> &'static str {
        match self {
            Mode::Live => "LIVE",
            Mode::Rehearsal => "REHEARSAL",
            Mode::ReadOnly => "READ-ONLY",
        }
    }
}

/// The pane that receives keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Outline,
    Step,
    Output,
    /// The kube cluster pane (drawn by the k8s module; in the cycle only when available).
    Cluster,
}

/// A step's state as shown in the outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Pending,
    Running,
    Done,
    Failed,
    Skipped,
    Stopped,
    /// Rehearsal: shown and journaled, not run.
    Rehearsed,
}

/// Per-step session state, parallel to `Runbook::steps`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepState {
    pub status: Status,
    /// Journal token awaited before the new status shows ("saving").
    pub saving: Option<u64>,
    /// `Effect::Run` sent, `RunStarted` not yet received.
    pub starting: bool,
    /// Runs of this step, oldest first.
    pub runs: Vec<u64>,
    /// The operator's edited script, run instead of the commands (set through
    /// [`State::set_edited`], which keeps `edited_risk` with it).
    pub edited: Option<String>,
    /// The risk the edited script has on its own (analysed once, when it is set).
    pub edited_risk: Option<crate::runbook::Risk>,
    /// The step's own commands write a file through a redirection (found once, at load).
    pub writes_files: bool,
    pub notes: Vec<String>,
    pub skip_reason: Option<String>,
    /// Rehearsal: the script that was not run.
    pub rehearsed: Option<String>,
    /// Why the last start failed (`RunFailed`).
    pub error: Option<String>,
}

/// A variable or placeholder value remembered for the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarValue {
    pub value: String,
    pub secret: bool,
}

/// A journal write whose ack changes what the screen shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pending {
    Status { step: usize, status: Status },
    Skipped { step: usize, reason: String },
}

/// Kube context and namespace as last reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kube {
    pub context: Option<String>,
    pub namespace: Option<String>,
}

/// A one-line message in the status bar until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// The whole screen: either the DIR picker or one runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Picker,
    Runbook,
}

/// Everything the UI shows. Public fields are read by `ui`; change them only through `update`.
#[derive(Debug)]
pub struct State {
    pub runbook: Runbook,
    pub config: Config,
    pub mode: Mode,
    pub screen: Screen,
    pub picker: Option<Picker>,
    pub steps: Vec<StepState>,
    pub cursor: Item,
    pub collapsed: BTreeSet<usize>,
    pub outline_scroll: usize,
    pub step_scroll: u16,
    pub focus: Focus,
    /// Keys go to the shown run's process until Ctrl-].
    pub interact: bool,
    pub vars: BTreeMap<String, VarValue>,
    pub env_names: BTreeSet<String>,
    /// Their values (see [`State::set_env`]).
    pub env_values: BTreeMap<String, String>,
    /// Values of the variables earlier steps left in the shell (from the engine).
    pub carried: BTreeMap<String, String>,
    /// Secret values as the journal knows them (typed, from the environment, left by steps).
    pub known_secrets: Vec<String>,
    /// Every secret value, as bytes, that output panes mask (see [`State::refresh_secrets`]).
    pub(crate) screen_secrets: Vec<Vec<u8>>,
    pub panes: BTreeMap<u64, Pane>,
    /// The output tab chosen with `[`/`]`; `None` = the selected step's latest run.
    pub shown_run: Option<u64>,
    pub dialog: Option<Dialog>,
    pub prompt: Option<Prompt>,
    /// Last step search: query and matching step indices.
    pub search: Option<(String, Vec<usize>)>,
    pub(crate) pending: BTreeMap<u64, Pending>,
    pub(crate) next_token: u64,
    pub now_ms: u64,
    pub started_ms: Option<u64>,
    pub kube: Kube,
    /// The context this runbook is meant for (`--context`, else its front matter's `context`).
    pub expected_context: Option<String>,
    /// Terminal size (cols, rows).
    pub size: (u16, u16),
    pub notice: Option<Notice>,
    pub cluster_available: bool,
    pub dirty: bool,
    pub quitting: bool,
}

impl State {
    /// A state showing `runbook`. Steps already ticked in the file start done.
    pub fn new(runbook: Runbook, config: Config, mode: Mode) -> State {
        let steps = runbook
            .steps
            .iter()
            .map(|s| StepState {
                status: if s.checked {
                    Status::Done
                } else {
                    Status::Pending
                },
                writes_files: s.kind != crate::runbook::StepKind::Note
                    && run::commands_write_files(s),
                ..StepState::default()
            })
            .collect();
        let expected_context = runbook.meta.context.clone();
        let mut state = State {
            runbook,
            config,
            mode,
            screen: Screen::Runbook,
            picker: None,
            steps,
            cursor: Item::Step(0),
            collapsed: BTreeSet::new(),
            outline_scroll: 0,
            step_scroll: 0,
            focus: Focus::Outline,
            interact: false,
            vars: BTreeMap::new(),
            env_names: BTreeSet::new(),
            env_values: BTreeMap::new(),
            carried: BTreeMap::new(),
            known_secrets: Vec::new(),
            screen_secrets: Vec::new(),
            panes: BTreeMap::new(),
            shown_run: None,
            dialog: None,
            prompt: None,
            search: None,
            pending: BTreeMap::new(),
            next_token: 1,
            now_ms: 0,
            started_ms: None,
            expected_context,
            kube: Kube::default(),
            size: (80, 24),
            notice: None,
            cluster_available: false,
            dirty: true,
            quitting: false,
        };
        state.cursor = nav::rows(&state).first().map_or(Item::Step(0), |r| r.item);
        state
    }

    /// A state showing the DIR picker over `entries`.
    pub fn picker(dir: String, entries: Vec<PickerEntry>, config: Config, mode: Mode) -> State {
        let mut state = State::new(Runbook::default(), config, mode);
        state.screen = Screen::Picker;
        state.picker = Some(Picker::new(dir, entries));
        state
    }

    /// Selects the heading whose GitHub-style anchor is `anchor`; false when there is none.
    pub fn jump_to_anchor(&mut self, anchor: &str) -> bool {
        match slug::find_section(&self.runbook, anchor) {
            Some(section) => {
                self.cursor = Item::Heading(section);
                nav::reveal(self);
                self.dirty = true;
                true
            }
            None => false,
        }
    }

    /// Opens the resume dialog for an unfinished session.
    pub fn offer_resume(&mut self, offer: ResumeOffer) {
        self.dialog = Some(Dialog::Resume(offer));
        self.dirty = true;
    }

    /// True (once) when the screen must be redrawn.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// The selected step index, when a step (not a heading) is selected.
    pub fn selected_step(&self) -> Option<usize> {
        match self.cursor {
            Item::Step(i) if i < self.runbook.steps.len() => Some(i),
            _ => None,
        }
    }

    /// Steps that count for progress (checks and command steps; notes do not).
    pub fn progress(&self) -> (usize, usize) {
        let counted = self
            .runbook
            .steps
            .iter()
            .zip(&self.steps)
            .filter(|(s, _)| s.kind != crate::runbook::StepKind::Note);
        let (mut done, mut total) = (0, 0);
        for (_, st) in counted {
            total += 1;
            if matches!(
                st.status,
                Status::Done | Status::Skipped | Status::Rehearsed
            ) {
                done += 1;
            }
        }
        (done, total)
    }

    /// Runs whose process is alive.
    pub fn live_runs(&self) -> impl Iterator<Item = &Pane> {
        self.panes.values().filter(|p| p.exit.is_none())
    }

    /// The run the output pane shows: the chosen tab, else the selected step's latest run.
    pub fn shown_pane(&self) -> Option<&Pane> {
        if let Some(p) = self.shown_run.and_then(|id| self.panes.get(&id)) {
            return Some(p);
        }
        let step = self.selected_step()?;
        self.steps[step]
            .runs
            .last()
            .and_then(|id| self.panes.get(id))
    }

    /// Output tabs: every live run, plus the selected step's latest run.
    pub fn tabs(&self) -> Vec<u64> {
        let mut tabs: Vec<u64> = self.live_runs().map(|p| p.id).collect();
        let latest = self
            .selected_step()
            .and_then(|s| self.steps[s].runs.last().copied());
        if let Some(id) = latest.filter(|id| !tabs.contains(id)) {
            tabs.push(id);
            tabs.sort_unstable();
        }
        tabs
    }

    /// `(current, expected)` when the current kube context is not the one the runbook is for.
    pub fn context_mismatch(&self) -> Option<(&str, &str)> {
        match (
            self.kube.context.as_deref(),
            self.expected_context.as_deref(),
        ) {
            (Some(have), Some(want)) if have != want => Some((have, want)),
            _ => None,
        }
    }

    /// True when the current kube context matches a production pattern.
    pub fn is_production(&self) -> bool {
        self.kube
            .context
            .as_deref()
            .is_some_and(|c| self.config.is_production(c))
    }

    /// A fresh journal token.
    pub(crate) fn token(&mut self) -> u64 {
        let t = self.next_token;
        self.next_token += 1;
        t
    }

    /// Sets the one-line notice.
    pub(crate) fn notify(&mut self, text: impl Into<String>, error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            error,
        });
        self.dirty = true;
    }
}
