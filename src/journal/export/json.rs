//! The JSON report: `{ "session": {...}, "steps": [...], "events": [...] }` with every event as
//! written in the journal.

use super::{
    OUTPUT_TAIL_LINES, end_time, output_tail, session_duration_ms, session_id, step_views,
};
use crate::journal::event::Record;
use crate::journal::replay::replay;
use serde_json::{Value, json};
use std::path::Path;

/// Renders the session as one JSON document. `session_dir` gives the id and the output files.
pub fn export_json(records: &[Record], session_dir: Option<&Path>) -> Value {
    let state = replay(records);
    let start = state.start.as_ref();
    let session = json!({
        "id": session_id(session_dir),
        "runbook": start.map(|s| &s.runbook),
        "sha256": start.map(|s| &s.sha256),
        "sha256_last": state.sha256,
        "title": start.map(|s| &s.title),
        "operator": start.map(|s| &s.operator),
        "host": start.map(|s| &s.host),
        "kube_context": start.and_then(|s| s.kube_context.as_ref()),
        "mode": start.map(|s| s.mode),
        "version": start.map(|s| &s.version),
        "started": state.started.map(|t| t.to_rfc3339()),
        "ended": state.ended.map(|t| t.to_rfc3339()),
        "last_event": end_time(&state).map(|t| t.to_rfc3339()),
        "duration_ms": session_duration_ms(&state),
        "resumed": state.resumed,
        "summary": state.progress(),
        "variables": state.variables,
        "notes": state.session_notes,
        "confirmations": state.session_confirmations,
        "last_run_failed": state.last_run_failed,
    });
    let steps: Vec<Value> = step_views(&state)
        .into_iter()
        .map(|v| {
            let (o, st) = (&v.outline, &v.state);
            json!({
                "id": o.id,
                "number": o.number,
                "kind": o.kind,
                "title": o.title,
                "section": o.section,
                "depth": o.depth,
                "status": st.status,
                "checked": st.checked,
                "runs": st.runs,
                "exit_code": st.exit_code,
                "duration_ms": st.duration_ms,
                "command": st.last_command,
                "edited_command": st.edited_command,
                "output": st.output,
                "output_tail": output_tail(session_dir, st.output.as_deref(), OUTPUT_TAIL_LINES),
                "skip_reason": st.skip_reason,
                "notes": st.notes,
                "confirmations": st.confirmations,
                "updated": st.updated.map(|t| t.to_rfc3339()),
            })
        })
        .collect();
    let events: Vec<Value> = records.iter().filter_map(|r| r.to_value().ok()).collect();
    json!({ "session": session, "steps": steps, "events": events })
}
