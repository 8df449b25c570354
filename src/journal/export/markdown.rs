//! The markdown report: a filled-in copy of the procedure that a deployment lead can attach to a
//! change ticket. It must render cleanly on GitHub, so every piece of recorded text is escaped
//! for where it lands (inline text, table cell, code span, fenced block, HTML).

use super::escape::{
    code_span_cell, escape_html, escape_inline, escape_inline_multiline, fenced, indent_lines,
};
use super::{
    OUTPUT_TAIL_LINES, StepView, end_time, human_duration, output_tail, session_duration_ms,
    step_views, utc,
};
use crate::journal::event::{Event, Record};
use crate::journal::replay::{SessionState, StepStatus, replay};
use std::fmt::Write as _;
use std::path::Path;

/// Renders the session as markdown. `session_dir` gives access to the output files.
pub fn export_markdown(records: &[Record], session_dir: Option<&Path>) -> String {
    let state = replay(records);
    let mut out = String::new();
    header(&mut out, &state);
    procedure(&mut out, &state, session_dir);
    if !state.session_notes.is_empty() {
        out.push_str("## Notes\n\n");
        for note in &state.session_notes {
            let _ = writeln!(
                out,
                "- {}",
                indent_lines(&escape_inline_multiline(note), "  ")
            );
        }
        out.push('\n');
    }
    timeline(&mut out, records, &state);
    out
}

fn header(out: &mut String, state: &SessionState) {
    let start = state.start.as_ref();
    let title = start.map_or("(unknown runbook)", |s| s.title.as_str());
    let _ = writeln!(out, "# Session record: {}\n", escape_inline(title));
    out.push_str("| Field | Value |\n|---|---|\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(out, "| {k} | {v} |");
    };
    let dash = || "—".to_string();
    if let Some(s) = start {
        row("Runbook", escape_inline(&s.title));
        row("File", code_span_cell(&s.runbook));
        row("SHA-256", code_span_cell(&s.sha256));
        if let Some(now) = state.sha256.as_deref().filter(|h| *h != s.sha256) {
            row("SHA-256 at last resume", code_span_cell(now));
        }
        row("Operator", escape_inline(&s.operator));
        row("Host", escape_inline(&s.host));
        row(
            "Kube context",
            s.kube_context.as_deref().map_or_else(dash, code_span_cell),
        );
        row("Mode", s.mode.as_str().to_string());
        row("runbook version", escape_inline(&s.version));
    }
    row("Started", state.started.map_or_else(dash, utc));
    let failed_at = state.last_run_failed.as_deref().map(|id| {
        match state.steps_outline.iter().find(|o| o.id == id) {
            Some(o) if o.number > 0 => format!("step {}", o.number),
            _ => format!("step {}", escape_inline(id)),
        }
    });
    let ended = match (state.ended, end_time(state), failed_at) {
        (Some(t), _, _) => utc(t),
        (None, Some(t), Some(step)) => {
            format!(
                "not ended: stopped when {step} failed (last event {})",
                utc(t)
            )
        }
        (None, Some(t), None) => format!("not ended (last event {})", utc(t)),
        (None, None, _) => dash(),
    };
    row("Ended", ended);
    for c in &state.session_confirmations {
        let key = if c.overridden {
            "Overridden"
        } else {
            "Confirmed"
        };
        row(key, escape_inline(&c.what));
    }
    row(
        "Duration",
        session_duration_ms(state).map_or_else(dash, human_duration),
    );
    if state.resumed > 0 {
        row("Resumed", format!("{} time(s)", state.resumed));
    }
    let p = state.progress();
    let rehearsed = match p.rehearsed {
        0 => String::new(),
        n => format!(" ({n} of them rehearsed, not run)"),
    };
    row(
        "Summary",
        format!(
            "{} done{rehearsed} · {} failed · {} skipped · {} stopped · {} not done · {} steps",
            p.done, p.failed, p.skipped, p.stopped, p.open, p.total
        ),
    );
    out.push('\n');
    values(out, state);
}

/// The values the session ran with: a reviewer sees which namespace, version or host the
/// commands were filled in with. Secret values are never recorded (they read `••••••`).
fn values(out: &mut String, state: &SessionState) {
    if state.variables.is_empty() {
        return;
    }
    out.push_str("## Values\n\n| Name | Value |\n|---|---|\n");
    for (name, value) in &state.variables {
        let shown = if state.secret_variables.contains(name) {
            format!("{} *(secret, not recorded)*", escape_inline(value))
        } else if value.is_empty() {
            "*(empty)*".to_string()
        } else {
            // The header stays a summary: a long or multi-line value is cut, marked with `…`.
            code_span_cell(&first_line(value, 120))
        };
        let _ = writeln!(out, "| {} | {shown} |", code_span_cell(name));
    }
    out.push('\n');
}

fn procedure(out: &mut String, state: &SessionState, dir: Option<&Path>) {
    out.push_str("## Procedure\n\n");
    let title = state.start.as_ref().map(|s| s.title.as_str());
    let mut current: Vec<String> = Vec::new();
    let mut in_list = false;
    for view in step_views(state) {
        // The H1 is the runbook's title, already in the header.
        let mut path = view.outline.section.as_slice();
        if path.first().map(String::as_str) == title {
            path = &path[1..];
        }
        let common = current.iter().zip(path).take_while(|(a, b)| a == b).count();
        if common < path.len() {
            if in_list && !out.ends_with("\n\n") {
                out.push('\n');
            }
            for (i, heading) in path.iter().enumerate().skip(common) {
                let hashes = "#".repeat((i + 3).min(6));
                let _ = writeln!(out, "{hashes} {}\n", escape_inline(heading));
            }
        }
        current = path.to_vec();
        step_item(out, &view, dir);
        in_list = true;
    }
    if in_list && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

fn glyph(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Done => "✅",
        StepStatus::Failed => "❌",
        StepStatus::Skipped => "⏭️",
        StepStatus::Stopped => "⏹️",
        StepStatus::Rehearsed => "🎭",
        StepStatus::Running => "⏳",
        StepStatus::Pending => "⬜",
    }
}

fn step_item(out: &mut String, view: &StepView, dir: Option<&Path>) {
    let (o, st) = (&view.outline, &view.state);
    let indent = "  ".repeat(o.depth);
    let ci = format!("{indent}  ");
    let label = if o.number > 0 {
        format!("{}. {}", o.number, o.title)
    } else {
        o.title.clone()
    };
    if !o.counts() {
        let _ = writeln!(out, "{indent}- 📄 {} *(reference)*", escape_inline(&label));
    } else {
        let mark = match st.status {
            StepStatus::Done => "x",
            StepStatus::Skipped => "~",
            _ => " ",
        };
        let mut line = format!(
            "{indent}- [{mark}] {} **{}**",
            glyph(st.status),
            escape_inline(&label)
        );
        for fact in facts(view) {
            line.push_str(" · ");
            line.push_str(&fact);
        }
        let _ = writeln!(out, "{line}");
    }
    if let Some(reason) = &st.skip_reason {
        let text = if reason.is_empty() {
            "no reason given".into()
        } else {
            escape_inline_multiline(reason)
        };
        let _ = writeln!(
            out,
            "{ci}- Skipped: {}",
            indent_lines(&text, &format!("{ci}  "))
        );
    }
    for c in &st.confirmations {
        let (glyph, verb) = if c.overridden {
            ("⚠️", "Overridden")
        } else {
            ("🔐", "Confirmed")
        };
        let _ = writeln!(out, "{ci}- {glyph} {verb}: {}", escape_inline(&c.what));
    }
    for note in &st.notes {
        let _ = writeln!(
            out,
            "{ci}- 📝 {}",
            indent_lines(&escape_inline_multiline(note), &format!("{ci}  "))
        );
    }
    if let Some(cmd) = st.last_command.as_deref().filter(|_| st.runs > 0) {
        fenced(out, &ci, "sh", cmd);
    } else if let Some(cmd) = st
        .last_command
        .as_deref()
        .filter(|_| st.status == StepStatus::Rehearsed)
    {
        let _ = writeln!(out, "{ci}- Would have run:");
        fenced(out, &ci, "sh", cmd);
    } else if let Some(cmd) = &st.edited_command {
        let _ = writeln!(out, "{ci}- Edited command (not run):");
        fenced(out, &ci, "sh", cmd);
    }
    let tail = output_tail(dir, st.output.as_deref(), OUTPUT_TAIL_LINES);
    if tail.as_ref().is_some_and(Vec::is_empty) {
        let _ = writeln!(out, "{ci}- No output.");
    } else if let Some(lines) = tail {
        let name = st.output.as_deref().unwrap_or_default();
        let which = match lines.len() {
            1 => "last line".to_string(),
            n => format!("last {n} lines"),
        };
        let _ = writeln!(
            out,
            "{ci}<details>\n{ci}<summary>Output: {which} of <code>{}</code></summary>\n",
            escape_html(name)
        );
        fenced(out, &ci, "text", &lines.join("\n"));
        // An HTML block ends at a blank line: close it before the next item.
        let _ = writeln!(out, "\n{ci}</details>\n");
    }
}

/// `exit 0`, `1.2 s`, `2 runs`, the UTC time: the facts after a task line.
fn facts(view: &StepView) -> Vec<String> {
    let st = &view.state;
    let mut facts = Vec::new();
    match st.status {
        StepStatus::Stopped => facts.push("stopped".to_string()),
        StepStatus::Running => facts.push("interrupted while running".to_string()),
        StepStatus::Skipped => facts.push("skipped".to_string()),
        StepStatus::Rehearsed => facts.push("rehearsed, not run".to_string()),
        _ => {}
    }
    if st.status != StepStatus::Skipped && st.runs > 0 {
        match st.exit_code {
            Some(code) => facts.push(format!("exit {code}")),
            // How a run that never got a process is recorded (its reason is a note).
            None if st.duration_ms == Some(0) && st.status == StepStatus::Failed => {
                facts.push("could not start".into());
            }
            None if st.duration_ms.is_some() && st.status != StepStatus::Stopped => {
                facts.push("killed by signal".into());
            }
            None => {}
        }
        if let Some(ms) = st.duration_ms {
            facts.push(human_duration(ms));
        }
        if st.runs > 1 {
            facts.push(format!("{} runs", st.runs));
        }
    }
    if let Some(ts) = st.updated {
        facts.push(utc(ts));
    }
    facts
}

fn timeline(out: &mut String, records: &[Record], state: &SessionState) {
    out.push_str("## Timeline\n\n| Time (UTC) | Event | Step | Details |\n|---|---|---|---|\n");
    for r in records {
        let step = r.event.step_id().map_or_else(String::new, |id| {
            let number = state
                .steps_outline
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.number);
            match number {
                Some(n) => format!("{n}"),
                None => escape_inline(id),
            }
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            utc(r.ts),
            escape_inline(r.event.name()),
            step,
            escape_inline(&details(&r.event))
        );
    }
}

fn details(event: &Event) -> String {
    match event {
        Event::SessionStarted(s) => format!("{} by {}@{}", s.mode.as_str(), s.operator, s.host),
        Event::SessionResumed(s) => format!("by {}@{}", s.operator, s.host),
        Event::VariableSet { name, value, .. } => format!("{name} = {}", first_line(value, 80)),
        Event::StepStarted { command, run, .. } => {
            format!("run {run}: {}", first_line(command, 80))
        }
        Event::StepFinished {
            exit_code,
            duration_ms,
            stopped,
            ..
        } => {
            let what = match (stopped, exit_code) {
                (true, _) => "stopped by operator".to_string(),
                (false, Some(c)) => format!("exit {c}"),
                (false, None) => "killed by signal".to_string(),
            };
            format!("{what} after {}", human_duration(*duration_ms))
        }
        Event::CheckToggled { checked, .. } => {
            if *checked { "checked" } else { "unchecked" }.into()
        }
        Event::StepSkipped { reason, .. } => first_line(reason, 120),
        Event::NoteAdded { text, .. } | Event::CommandEdited { text, .. } => first_line(text, 120),
        Event::Confirmation {
            what, overridden, ..
        } => {
            let verb = if *overridden {
                "overridden"
            } else {
                "confirmed"
            };
            format!("{verb}: {}", first_line(what, 120))
        }
        Event::StepRehearsed { command, .. } => format!("not run: {}", first_line(command, 80)),
        Event::SessionEnded { reason } => reason.clone().unwrap_or_default(),
        Event::Unknown(raw) => first_line(&raw.to_string(), 120),
    }
}

/// The first line of `text`, cut to `max` characters, with `…` when anything was left out.
fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    let cut: String = line.chars().take(max).collect();
    if cut.len() < text.trim_end().len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn first_line_marks_cuts() {
        assert_eq!(first_line("one\ntwo", 80), "one…");
        assert_eq!(first_line("abcdef", 3), "abc…");
        assert_eq!(first_line("abc", 3), "abc");
    }
}
