//! What one journal line holds: a [`Record`] (`ts` + a flat [`Event`]).
//!
//! A line looks like `{"ts":"2025-01-02T10:00:00+01:00","event":"step_started","id":"…",…}`.
//! Unknown event types read back as [`Event::Unknown`] with their raw JSON, so that an older
//! `runbook` can list, export and resume sessions written by a newer one.

use crate::runbook::{Runbook, Step, StepKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::record::Record;

/// How the session runs commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Live,
    Rehearsal,
    ReadOnly,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Rehearsal => "rehearsal",
            Mode::ReadOnly => "read-only",
        }
    }
}

/// A step as it was when the session started: enough to export the session even when the
/// runbook file has since changed or vanished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepOutline {
    pub id: String,
    pub number: usize,
    /// `check`, `command` or `note`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub section: Vec<String>,
    #[serde(default)]
    pub depth: usize,
    /// The first line of the step's code, if it has code.
    #[serde(default)]
    pub command: Option<String>,
}

impl StepOutline {
    pub fn from_step(step: &Step) -> Self {
        let kind = match step.kind {
            StepKind::Check => "check",
            StepKind::Command => "command",
            StepKind::Note => "note",
        };
        StepOutline {
            id: step.id.to_string(),
            number: step.number,
            kind: kind.to_string(),
            title: step.title.to_string(),
            section: step.section.to_vec(),
            depth: step.depth,
            command: step
                .code
                .as_deref()
                .and_then(|c| c.lines().next())
                .map(str::to_string),
        }
    }

    /// Checks and commands count towards progress; notes are reference material.
    pub fn counts(&self) -> bool {
        self.kind == "check" || self.kind == "command"
    }
}

/// A heading of the runbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionOutline {
    pub level: u8,
    pub title: String,
}

/// The compact outline of a runbook recorded at session start (and on resume).
pub fn outline(runbook: &Runbook) -> (Vec<StepOutline>, Vec<SectionOutline>) {
    let steps = runbook.steps.iter().map(StepOutline::from_step).collect();
    let sections = runbook
        .sections
        .iter()
        .map(|s| SectionOutline {
            level: s.level,
            title: s.title.clone(),
        })
        .collect();
    (steps, sections)
}

/// The fields of `session_started`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionStart {
    /// The runbook's path, made absolute when possible.
    pub runbook: String,
    /// SHA-256 of the runbook's content, hex.
    pub sha256: String,
    pub title: String,
    pub operator: String,
    pub host: String,
    #[serde(default)]
    pub kube_context: Option<String>,
    pub mode: Mode,
    /// The `runbook` version that wrote the session.
    pub version: String,
    #[serde(default)]
    pub steps: Vec<StepOutline>,
    #[serde(default)]
    pub sections: Vec<SectionOutline>,
}

/// The fields of `session_resumed`: who resumed, and the runbook as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionResume {
    pub sha256: String,
    pub operator: String,
    pub host: String,
    pub version: String,
    #[serde(default)]
    pub steps: Vec<StepOutline>,
    #[serde(default)]
    pub sections: Vec<SectionOutline>,
}

/// One thing that happened in a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    SessionStarted(Box<SessionStart>),
    /// A resumed session continues in the same journal.
    SessionResumed(Box<SessionResume>),
    /// `value` is [`crate::secrets::MASK`] when `secret` (the journal masks it on write).
    VariableSet {
        name: String,
        value: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        secret: bool,
    },
    /// `command` is the exact text run, after substitution, secrets masked.
    StepStarted {
        id: String,
        number: usize,
        command: String,
        run: u32,
    },
    StepFinished {
        id: String,
        number: usize,
        /// `None` when the process died from a signal.
        exit_code: Option<i32>,
        duration_ms: u64,
        /// File name inside the session's `output/` folder.
        #[serde(default)]
        output: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        stopped: bool,
        #[serde(default)]
        run: u32,
    },
    CheckToggled {
        id: String,
        checked: bool,
    },
    StepSkipped {
        id: String,
        #[serde(default)]
        reason: String,
    },
    NoteAdded {
        id: Option<String>,
        text: String,
    },
    CommandEdited {
        id: String,
        text: String,
    },
    /// The operator confirmed something (a destructive step, a context mismatch) or overrode it.
    Confirmation {
        #[serde(default)]
        id: Option<String>,
        what: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        overridden: bool,
    },
    /// Rehearsal mode: a write/destructive step was shown and recorded, not run. `command` is
    /// the script as it would have run, secrets masked.
    StepRehearsed {
        id: String,
        number: usize,
        command: String,
    },
    SessionEnded {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An event this version does not know, kept verbatim (without `ts`).
    #[serde(untagged)]
    Unknown(Value),
}

impl Event {
    /// The `event` tag of this event.
    pub fn name(&self) -> &str {
        match self {
            Event::SessionStarted(_) => "session_started",
            Event::SessionResumed(_) => "session_resumed",
            Event::VariableSet { .. } => "variable_set",
            Event::StepStarted { .. } => "step_started",
            Event::StepFinished { .. } => "step_finished",
            Event::CheckToggled { .. } => "check_toggled",
            Event::StepSkipped { .. } => "step_skipped",
            Event::NoteAdded { .. } => "note_added",
            Event::CommandEdited { .. } => "command_edited",
            Event::Confirmation { .. } => "confirmation",
            Event::StepRehearsed { .. } => "step_rehearsed",
            Event::SessionEnded { .. } => "session_ended",
            Event::Unknown(v) => v.get("event").and_then(Value::as_str).unwrap_or("unknown"),
        }
    }

    /// The step this event is about, if any.
    pub fn step_id(&self) -> Option<&str> {
        match self {
            Event::StepStarted { id, .. }
            | Event::StepFinished { id, .. }
            | Event::CheckToggled { id, .. }
            | Event::StepSkipped { id, .. }
            | Event::CommandEdited { id, .. }
            | Event::StepRehearsed { id, .. } => Some(id),
            Event::NoteAdded { id, .. } | Event::Confirmation { id, .. } => id.as_deref(),
            _ => None,
        }
    }
}
