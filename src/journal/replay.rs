//! Folding journal records into the state of a session: per step id (status, check, runs, exit
//! code, notes…), variables, times. Resume restores this state by step `id`; [`reconcile`] tells
//! the operator what no longer matches when the runbook changed since.

use super::event::{Event, Record, SectionOutline, SessionStart, StepOutline};
use crate::runbook::Runbook;
use crate::secrets::MASK;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    #[default]
    Pending,
    /// Started and never finished: still running, or the session was interrupted during it.
    Running,
    Done,
    Failed,
    Skipped,
    Stopped,
    /// Rehearsal: shown and recorded, deliberately not run.
    Rehearsed,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Running => "running",
            StepStatus::Done => "done",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
            StepStatus::Stopped => "stopped",
            StepStatus::Rehearsed => "rehearsed",
        }
    }
}

/// What the journal says about one step.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StepState {
    pub status: StepStatus,
    pub checked: bool,
    pub runs: u32,
    pub exit_code: Option<i32>,
    pub duration_ms: Option<u64>,
    /// The command text of the last run, as recorded (secrets masked).
    pub last_command: Option<String>,
    /// The operator's edited command text, if any.
    pub edited_command: Option<String>,
    pub output: Option<String>,
    pub skip_reason: Option<String>,
    pub notes: Vec<String>,
    /// What the operator confirmed or overrode for this step, in order.
    pub confirmations: Vec<Confirmed>,
    /// When the step last changed status (finished, toggled, skipped).
    pub updated: Option<DateTime<FixedOffset>>,
}

/// A recorded confirmation: what was confirmed, and whether it overrode a safety check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confirmed {
    pub what: String,
    pub overridden: bool,
}

/// Progress over steps of kind check or command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: usize,
    /// Of `done`: rehearsed, not really run.
    pub rehearsed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub stopped: usize,
    /// Not done, failed, skipped or stopped (pending, or interrupted while running).
    pub open: usize,
    pub total: usize,
}

/// The state of a session after replaying its journal.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionState {
    /// `session_started` as written.
    pub start: Option<SessionStart>,
    /// The runbook's hash as last recorded (start or latest resume).
    pub sha256: Option<String>,
    /// The runbook outline as last recorded (start or latest resume).
    pub steps_outline: Vec<StepOutline>,
    pub sections: Vec<SectionOutline>,
    pub steps: BTreeMap<String, StepState>,
    /// Variable values; secret ones read `••••••` (the resumer asks for them again).
    pub variables: BTreeMap<String, String>,
    pub secret_variables: BTreeSet<String>,
    /// Notes not attached to a step.
    pub session_notes: Vec<String>,
    /// Confirmations not attached to a step (a context override, say).
    pub session_confirmations: Vec<Confirmed>,
    /// The id of the step whose run was the last one recorded, when that run failed (not
    /// stopped by the operator): a headless run stops there.
    pub last_run_failed: Option<String>,
    pub started: Option<DateTime<FixedOffset>>,
    pub ended: Option<DateTime<FixedOffset>>,
    pub last_event: Option<DateTime<FixedOffset>>,
    pub resumed: usize,
    pub unknown_events: usize,
}

impl SessionState {
    /// Progress over the recorded outline: done excludes skipped steps.
    pub fn progress(&self) -> Progress {
        let mut p = Progress::default();
        for step in self.steps_outline.iter().filter(|s| s.counts()) {
            p.total += 1;
            match self.steps.get(&step.id).map(|s| s.status) {
                // A rehearsed step was walked through as far as rehearsal goes.
                Some(StepStatus::Done) => p.done += 1,
                Some(StepStatus::Rehearsed) => {
                    p.done += 1;
                    p.rehearsed += 1;
                }
                Some(StepStatus::Failed) => p.failed += 1,
                Some(StepStatus::Skipped) => p.skipped += 1,
                Some(StepStatus::Stopped) => p.stopped += 1,
                _ => p.open += 1,
            }
        }
        p
    }

    /// The state of one step (default: pending) by id.
    pub fn step(&self, id: &str) -> StepState {
        self.steps.get(id).cloned().unwrap_or_default()
    }
}

/// Replays records in file order.
pub fn replay(records: &[Record]) -> SessionState {
    let mut s = SessionState::default();
    for r in records {
        s.last_event = Some(r.ts);
        apply(&mut s, r);
    }
    s
}

fn apply(s: &mut SessionState, r: &Record) {
    match &r.event {
        Event::SessionStarted(start) => {
            s.started.get_or_insert(r.ts);
            s.sha256 = Some(start.sha256.clone());
            s.steps_outline = start.steps.clone();
            s.sections = start.sections.clone();
            s.start = Some((**start).clone());
        }
        Event::SessionResumed(resume) => {
            s.resumed += 1;
            s.sha256 = Some(resume.sha256.clone());
            if !resume.steps.is_empty() {
                s.steps_outline = resume.steps.clone();
                s.sections = resume.sections.clone();
            }
            // A resumed session is no longer ended, should an end have been recorded.
            s.ended = None;
        }
        Event::VariableSet {
            name,
            value,
            secret,
        } => {
            if *secret || value == MASK {
                s.secret_variables.insert(name.clone());
                s.variables.insert(name.clone(), MASK.to_string());
            } else {
                s.secret_variables.remove(name);
                s.variables.insert(name.clone(), value.clone());
            }
        }
        Event::SessionEnded { .. } => s.ended = Some(r.ts),
        Event::NoteAdded { id: None, text } => s.session_notes.push(text.clone()),
        Event::Unknown(_) => s.unknown_events += 1,
        Event::Confirmation {
            id: None,
            what,
            overridden,
        } => s.session_confirmations.push(Confirmed {
            what: what.clone(),
            overridden: *overridden,
        }),
        Event::StepStarted { .. } => {
            s.last_run_failed = None;
            apply_step(s, r);
        }
        Event::StepFinished {
            id,
            exit_code,
            stopped,
            ..
        } => {
            s.last_run_failed = (!stopped && *exit_code != Some(0)).then(|| id.clone());
            apply_step(s, r);
        }
        _ => apply_step(s, r),
    }
}

fn apply_step(s: &mut SessionState, r: &Record) {
    let Some(id) = r.event.step_id() else { return };
    let st = s.steps.entry(id.to_string()).or_default();
    match &r.event {
        Event::StepRehearsed { command, .. } => {
            st.status = StepStatus::Rehearsed;
            st.last_command = Some(command.clone());
            st.updated = Some(r.ts);
        }
        Event::StepStarted { command, run, .. } => {
            st.status = StepStatus::Running;
            st.runs = st.runs.max(*run);
            st.last_command = Some(command.clone());
            st.skip_reason = None;
            // The result of an earlier run is not this run's: a run cut off (the app killed)
            // has no exit code or duration, and its output is the file it was writing.
            st.exit_code = None;
            st.duration_ms = None;
            st.output = Some(super::writer::output_file_name(id, *run));
        }
        Event::StepFinished {
            exit_code,
            duration_ms,
            output,
            stopped,
            ..
        } => {
            st.exit_code = *exit_code;
            st.duration_ms = Some(*duration_ms);
            st.output = output.clone().or(st.output.take());
            st.status = if *stopped {
                StepStatus::Stopped
            } else if *exit_code == Some(0) {
                st.checked = true;
                StepStatus::Done
            } else {
                StepStatus::Failed
            };
            st.updated = Some(r.ts);
        }
        Event::CheckToggled { checked, .. } => {
            st.checked = *checked;
            if *checked {
                st.status = StepStatus::Done;
                st.skip_reason = None;
            } else if st.status == StepStatus::Done {
                st.status = StepStatus::Pending;
            }
            st.updated = Some(r.ts);
        }
        Event::StepSkipped { reason, .. } => {
            st.status = StepStatus::Skipped;
            st.skip_reason = Some(reason.clone());
            st.updated = Some(r.ts);
        }
        Event::NoteAdded { text, .. } => st.notes.push(text.clone()),
        Event::CommandEdited { text, .. } => st.edited_command = Some(text.clone()),
        Event::Confirmation {
            what, overridden, ..
        } => st.confirmations.push(Confirmed {
            what: what.clone(),
            overridden: *overridden,
        }),
        _ => {}
    }
}

/// What resuming against the current runbook keeps and loses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResumeReport {
    /// Steps with recorded state whose id still exists.
    pub kept: usize,
    /// Ids of the recorded outline (or with recorded state) that no longer exist.
    pub changed_or_gone: Vec<String>,
    /// Ids of the current runbook that the session did not know.
    pub added: Vec<String>,
    /// True when the runbook's content hash differs from the one last recorded.
    pub hash_changed: bool,
}

/// Compares the replayed session with the runbook as it is now (`sha256`: its content hash).
pub fn reconcile(state: &SessionState, runbook: &Runbook, sha256: &str) -> ResumeReport {
    let current: BTreeSet<&str> = runbook.steps.iter().map(|s| s.id.as_str()).collect();
    let known: BTreeSet<&str> = state
        .steps_outline
        .iter()
        .map(|s| s.id.as_str())
        .chain(state.steps.keys().map(String::as_str))
        .collect();
    let kept = state
        .steps
        .keys()
        .filter(|id| current.contains(id.as_str()))
        .count();
    ResumeReport {
        kept,
        changed_or_gone: known
            .iter()
            .filter(|id| !current.contains(*id))
            .map(|id| id.to_string())
            .collect(),
        added: runbook
            .steps
            .iter()
            .filter(|s| !known.contains(s.id.as_str()))
            .map(|s| s.id.to_string())
            .collect(),
        hash_changed: state.sha256.as_deref().is_some_and(|h| h != sha256),
    }
}
