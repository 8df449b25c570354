//! What one journal line holds: a [`Record`] (`ts` + a flat [`Event`]).
//!
//! A line looks like `{"ts":"2025-01-02T10:00:00+01:00","event":"step_started","id":"…",…}`.
//! Unknown event types read back as [`Event::Unknown`] with their raw JSON, so that an older
//! `runbook` can list, export and resume sessions written by a newer one.

use crate::runbook::{Runbook, Step, StepKind};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
            id: step.id.clone(),
            number: step.number,
            kind: kind.to_string(),
            title: step.title.clone(),
            section: step.section.clone(),
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
            | Event::CommandEdited { id, .. } => Some(id),
            Event::NoteAdded { id, .. } | Event::Confirmation { id, .. } => id.as_deref(),
            _ => None,
        }
    }
}

/// One journal line: when, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub ts: DateTime<FixedOffset>,
    pub event: Event,
}

impl Record {
    /// A record stamped with the local time and its UTC offset.
    pub fn now(event: Event) -> Self {
        Record {
            ts: chrono::Local::now().fixed_offset(),
            event,
        }
    }

    /// The record as one flat JSON object, `ts` first.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        let mut map = Map::new();
        map.insert("ts".into(), Value::String(self.ts.to_rfc3339()));
        match serde_json::to_value(&self.event)? {
            Value::Object(fields) => {
                for (k, v) in fields {
                    // A raw unknown event may carry its own `ts`; ours is authoritative.
                    if k != "ts" {
                        map.insert(k, v);
                    }
                }
            }
            other => {
                map.insert("data".into(), other);
            }
        }
        Ok(Value::Object(map))
    }

    /// The record as one JSON line (without the newline).
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(&self.to_value()?)
    }

    /// Reads a record from one flat JSON object.
    pub fn from_value(value: Value) -> Result<Self, String> {
        let Value::Object(mut map) = value else {
            return Err("not a JSON object".into());
        };
        // `shift_remove` keeps the other fields in their written order.
        let ts = match map.shift_remove("ts") {
            Some(Value::String(s)) => {
                DateTime::parse_from_rfc3339(&s).map_err(|e| format!("bad timestamp {s:?}: {e}"))?
            }
            _ => return Err("missing \"ts\"".into()),
        };
        if !map.get("event").is_some_and(Value::is_string) {
            return Err("missing \"event\"".into());
        }
        let event = serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())?;
        Ok(Record { ts, event })
    }

    /// Reads a record from one journal line.
    pub fn from_line(line: &str) -> Result<Self, String> {
        let value: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        Record::from_value(value)
    }
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value()
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Record::from_value(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ts() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2025-03-04T10:11:12.5+01:00").unwrap()
    }

    #[test]
    fn line_is_flat_with_ts_first() {
        let r = Record {
            ts: ts(),
            event: Event::StepStarted {
                id: "deploy".into(),
                number: 3,
                command: "kubectl apply -f x".into(),
                run: 1,
            },
        };
        let line = r.to_line().unwrap();
        assert!(
            line.starts_with(r#"{"ts":"2025-03-04T10:11:12.500+01:00","event":"step_started","#)
        );
        assert!(line.contains(r#""id":"deploy","number":3"#));
        assert_eq!(Record::from_line(&line).unwrap(), r);
    }

    #[test]
    fn every_known_event_round_trips() {
        let events = vec![
            Event::VariableSet {
                name: "A".into(),
                value: "1".into(),
                secret: false,
            },
            Event::StepFinished {
                id: "s".into(),
                number: 1,
                exit_code: None,
                duration_ms: 5,
                output: Some("s-1.log".into()),
                stopped: true,
                run: 1,
            },
            Event::CheckToggled {
                id: "s".into(),
                checked: true,
            },
            Event::StepSkipped {
                id: "s".into(),
                reason: "n/a".into(),
            },
            Event::NoteAdded {
                id: None,
                text: "hello".into(),
            },
            Event::CommandEdited {
                id: "s".into(),
                text: "ls".into(),
            },
            Event::Confirmation {
                id: Some("s".into()),
                what: "destructive".into(),
                overridden: true,
            },
            Event::SessionEnded { reason: None },
        ];
        for event in events {
            let r = Record { ts: ts(), event };
            let back = Record::from_line(&r.to_line().unwrap()).unwrap();
            assert_eq!(back, r);
            assert_ne!(back.event.name(), "unknown");
        }
    }

    #[test]
    fn unknown_event_keeps_raw_json() {
        let line =
            r#"{"ts":"2025-03-04T10:11:12+00:00","event":"pod_seen","pod":"web-1","n":[1,2]}"#;
        let r = Record::from_line(line).unwrap();
        let Event::Unknown(raw) = &r.event else {
            panic!("expected unknown, got {:?}", r.event);
        };
        assert_eq!(raw["pod"], "web-1");
        assert_eq!(r.event.name(), "pod_seen");
        let again: Value = serde_json::from_str(&r.to_line().unwrap()).unwrap();
        let orig: Value = serde_json::from_str(line).unwrap();
        assert_eq!(again, orig);
    }

    #[test]
    fn rejects_lines_without_ts_or_event() {
        assert!(Record::from_line(r#"{"event":"session_ended"}"#).is_err());
        assert!(Record::from_line(r#"{"ts":"2025-03-04T10:11:12+00:00"}"#).is_err());
        assert!(Record::from_line(r#"{"ts":"yesterday","event":"session_ended"}"#).is_err());
        assert!(Record::from_line("[1,2]").is_err());
    }

    #[test]
    fn mode_names() {
        assert_eq!(
            serde_json::to_string(&Mode::ReadOnly).unwrap(),
            "\"read-only\""
        );
        let m: Mode = serde_json::from_str("\"rehearsal\"").unwrap();
        assert_eq!(m, Mode::Rehearsal);
        assert_eq!(Mode::Live.as_str(), "live");
    }
}
