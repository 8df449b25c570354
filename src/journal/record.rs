//! One journal line as a value: [`Record`] = `ts` + a flat [`Event`], written as one JSON object
//! with `ts` first. Reading accepts any object with a valid `ts` and a string `event`.

use super::event::Event;
#[cfg(test)]
use super::event::Mode;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
