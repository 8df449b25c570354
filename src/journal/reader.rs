//! Reading a journal back. Power loss can leave a torn last line; a disk or an editor can leave
//! garbage anywhere. Neither may cost the operator the rest of the session: bad lines are skipped
//! with a warning and everything else is kept.

use super::JournalError;
use super::event::{Event, Record};
use std::path::Path;

/// Event names this version writes; an [`Event::Unknown`] with one of these names is a malformed
/// known event, worth a warning.
const KNOWN: &[&str] = &[
    "session_started",
    "session_resumed",
    "variable_set",
    "step_started",
    "step_finished",
    "check_toggled",
    "step_skipped",
    "note_added",
    "command_edited",
    "confirmation",
    "session_ended",
];

/// Reads all records of a journal file, with warnings for the lines that were skipped.
pub fn read_journal(path: &Path) -> Result<(Vec<Record>, Vec<String>), JournalError> {
    let bytes = std::fs::read(path).map_err(|e| JournalError::io(path, e))?;
    Ok(parse_journal(&bytes))
}

/// Parses journal bytes: one JSON object per `\n`-terminated line.
pub fn parse_journal(bytes: &[u8]) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last_index = lines.len().saturating_sub(1);
    for (i, raw) in lines.iter().enumerate() {
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = i + 1;
        let parsed = std::str::from_utf8(raw)
            .map_err(|e| e.to_string())
            .and_then(Record::from_line);
        match parsed {
            Ok(record) => {
                if let Event::Unknown(_) = &record.event {
                    let name = record.event.name();
                    if KNOWN.contains(&name) {
                        warnings.push(format!(
                            "line {number}: malformed {name} event kept as unknown"
                        ));
                    }
                }
                records.push(record);
            }
            // The last segment has no newline after it: the write was cut short.
            Err(e) if i == last_index => {
                warnings.push(format!("line {number}: torn last line ignored ({e})"));
            }
            Err(e) => warnings.push(format!("line {number}: unreadable line skipped ({e})")),
        }
    }
    (records, warnings)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const A: &str =
        r#"{"ts":"2025-01-01T00:00:00+00:00","event":"note_added","id":null,"text":"a"}"#;
    const B: &str = r#"{"ts":"2025-01-01T00:00:01+00:00","event":"session_ended"}"#;

    #[test]
    fn empty_file_has_no_records() {
        assert_eq!(parse_journal(b""), (vec![], vec![]));
        assert_eq!(parse_journal(b"\n\n").0.len(), 0);
    }

    #[test]
    fn torn_last_line_is_ignored_with_a_warning() {
        let text = format!("{A}\n{}", &B[..B.len() - 7]);
        let (records, warnings) = parse_journal(text.as_bytes());
        assert_eq!(records.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("line 2: torn last line"),
            "{warnings:?}"
        );
    }

    #[test]
    fn complete_last_line_without_newline_is_kept() {
        let text = format!("{A}\n{B}");
        let (records, warnings) = parse_journal(text.as_bytes());
        assert_eq!(records.len(), 2);
        assert!(warnings.is_empty());
    }

    #[test]
    fn garbage_in_the_middle_is_skipped() {
        let mut bytes = format!("{A}\n").into_bytes();
        bytes.extend_from_slice(b"\xff\xfe not json\n{\"half\":\n");
        bytes.extend_from_slice(format!("{B}\n").as_bytes());
        let (records, warnings) = parse_journal(&bytes);
        assert_eq!(records.len(), 2);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].starts_with("line 2: unreadable"));
        assert!(warnings[1].starts_with("line 3: unreadable"));
    }

    #[test]
    fn malformed_known_event_warns_but_is_kept() {
        let line = r#"{"ts":"2025-01-01T00:00:00+00:00","event":"step_finished","id":5}"#;
        let (records, warnings) = parse_journal(format!("{line}\n").as_bytes());
        assert_eq!(records.len(), 1);
        assert!(warnings[0].contains("malformed step_finished"));
    }

    #[test]
    fn reads_from_disk_and_reports_missing_file() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("journal.jsonl");
        assert!(matches!(read_journal(&p), Err(JournalError::Io { .. })));
        std::fs::write(&p, format!("{A}\n{B}\n")).unwrap();
        assert_eq!(read_journal(&p).unwrap().0.len(), 2);
    }
}
