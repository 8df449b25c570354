//! Session reports: a filled-in markdown copy of the procedure for a change ticket
//! ([`export_markdown`]) and a machine-readable JSON document ([`export_json`]).
//!
//! Both work from the journal alone (the outline recorded at session start), so they still work
//! when the runbook has changed or vanished. Given the session directory, they add the last lines
//! of each step's captured output.

mod escape;
mod json;
mod markdown;

pub use json::export_json;
pub use markdown::export_markdown;

use super::OUTPUT_DIR;
use super::event::StepOutline;
use super::replay::{SessionState, StepState};
use chrono::{DateTime, FixedOffset, Utc};
use std::path::Path;

/// How many lines of output a report shows per step.
pub const OUTPUT_TAIL_LINES: usize = 20;

/// A step to report: its outline (as recorded) and what the journal says about it.
pub(crate) struct StepView {
    pub outline: StepOutline,
    pub state: StepState,
}

/// Steps in outline order, then steps the journal mentions that the outline does not know.
pub(crate) fn step_views(state: &SessionState) -> Vec<StepView> {
    let mut views: Vec<StepView> = state
        .steps_outline
        .iter()
        .map(|o| StepView {
            outline: o.clone(),
            state: state.step(&o.id),
        })
        .collect();
    for (id, st) in &state.steps {
        if !state.steps_outline.iter().any(|o| &o.id == id) {
            views.push(StepView {
                outline: StepOutline {
                    id: id.clone(),
                    number: 0,
                    kind: "command".into(),
                    title: id.clone(),
                    section: Vec::new(),
                    depth: 0,
                    command: None,
                },
                state: st.clone(),
            });
        }
    }
    views
}

/// When the session ended, or the last thing it recorded.
pub(crate) fn end_time(state: &SessionState) -> Option<DateTime<FixedOffset>> {
    state.ended.or(state.last_event)
}

/// Duration from the session's start to its end (or last event), in milliseconds.
pub(crate) fn session_duration_ms(state: &SessionState) -> Option<u64> {
    let start = state.started?;
    let end = end_time(state)?;
    u64::try_from((end - start).num_milliseconds()).ok()
}

/// `2025-03-04 09:11:12 UTC`.
pub(crate) fn utc(ts: DateTime<FixedOffset>) -> String {
    ts.with_timezone(&Utc)
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string()
}

/// `350 ms`, `12.3 s`, `4m 05s`, `1h 02m 03s`.
pub(crate) fn human_duration(ms: u64) -> String {
    if ms < 1_000 {
        return format!("{ms} ms");
    }
    if ms < 60_000 {
        return format!("{:.1} s", ms as f64 / 1000.0);
    }
    let secs = ms / 1000;
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h == 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{h}h {m:02}m {s:02}s")
    }
}

/// The last `n` lines of a step's output file, ANSI sequences and carriage-return overwrites
/// removed. `None` when there is no directory, no file name or no readable file.
pub(crate) fn output_tail(dir: Option<&Path>, file: Option<&str>, n: usize) -> Option<Vec<String>> {
    // Only the file name counts: a journal must not make the export read outside `output/`.
    let name = Path::new(file?).file_name()?;
    let bytes = std::fs::read(dir?.join(OUTPUT_DIR).join(name)).ok()?;
    // A progress bar redraws its line after `\r`: only the last drawing is what was seen.
    let text = String::from_utf8_lossy(&bytes)
        .lines()
        .map(|l| l.rsplit('\r').find(|s| !s.is_empty()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let text = crate::exec::strip_ansi(&text);
    let mut lines: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let skip = lines.len().saturating_sub(n);
    Some(lines.split_off(skip))
}

/// The session id for a report: the directory's name, when known.
pub(crate) fn session_id(dir: Option<&Path>) -> Option<String> {
    dir.and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(350), "350 ms");
        assert_eq!(human_duration(12_345), "12.3 s");
        assert_eq!(human_duration(245_000), "4m 05s");
        assert_eq!(human_duration(3_723_000), "1h 02m 03s");
    }

    #[test]
    fn output_tail_strips_ansi_and_keeps_last_lines() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join(OUTPUT_DIR)).unwrap();
        let mut text = String::new();
        for i in 0..30 {
            text.push_str(&format!("\x1b[32mline {i}\x1b[0m\n"));
        }
        text.push_str("10%\r50%\r100%\n\n");
        std::fs::write(tmp.path().join("output/s-1.log"), text).unwrap();
        let tail = output_tail(Some(tmp.path()), Some("s-1.log"), 5).unwrap();
        assert_eq!(
            tail,
            vec!["line 26", "line 27", "line 28", "line 29", "100%"]
        );
        assert!(output_tail(Some(tmp.path()), Some("missing.log"), 5).is_none());
        assert!(output_tail(None, Some("s-1.log"), 5).is_none());
        // Path components in the journal are ignored: only `output/<name>` is read.
        let outside = output_tail(Some(tmp.path()), Some("../output/s-1.log"), 1).unwrap();
        assert_eq!(outside, vec!["100%"]);
    }
}
