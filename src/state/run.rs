//! Running steps: values → mode → confirmation → `Effect::Run`; run start/output/exit; stop,
//! skip, manual ticks, edits and quit. Every change of a step's status waits for its journal ack.

use super::dialogs::{Confirm, Dialog};
use super::pane::{Pane, RunExit};
use super::{Effect, Focus, JournalOp, Mode, Pending, State, Status, layout, target};
use crate::runbook::{Risk, StepKind};

pub(crate) use super::script::commands_write_files;
use super::script::raw_script;
pub use super::script::{effective_risk, script, shown_risk};

/// A variable's value as the next run will see it, unless it is secret (a target is shown).
fn known_value(state: &State, name: &str) -> Option<String> {
    if state.is_secret(name) {
        return None;
    }
    match state.vars.get(name) {
        Some(v) => Some(v.value.clone()),
        None => state
            .carried
            .get(name)
            .or_else(|| state.env_values.get(name))
            .cloned(),
    }
}

/// Enter / `r`: run a runnable step, or tick a manual one.
pub(crate) fn activate(state: &mut State, step: usize, rerun: bool) -> Vec<Effect> {
    let s = &state.runbook.steps[step];
    let runnable = s.is_runnable() || state.steps[step].edited.is_some();
    match s.kind {
        StepKind::Note => {
            state.notify("notes are shown, never run", false);
            Vec::new()
        }
        _ if !runnable && rerun => Vec::new(),
        _ if !runnable => toggle_check(state, step),
        _ => start(state, step, None),
    }
}

/// Starts the flow for a runnable step: ask for missing values first.
pub(crate) fn start(state: &mut State, step: usize, command: Option<usize>) -> Vec<Effect> {
    let st = &state.steps[step];
    let busy = st.starting
        || st
            .runs
            .iter()
            .any(|r| state.panes.get(r).is_some_and(|p| p.exit.is_none()));
    if busy {
        state.notify(
            format!("step {} is already running (x stops it)", step + 1),
            true,
        );
        return Vec::new();
    }
    if !state.missing_values(step).is_empty() {
        state.dialog = Some(Dialog::Values(state.values_dialog(Some(step), true, true)));
        state.dirty = true;
        return Vec::new();
    }
    proceed(state, step, command, false)
}

/// After values: apply the mode, ask for confirmation, then run.
pub(crate) fn proceed(
    state: &mut State,
    step: usize,
    command: Option<usize>,
    confirmed: bool,
) -> Vec<Effect> {
    let risk = effective_risk(state, step);
    state.dirty = true;
    match state.mode {
        Mode::ReadOnly if risk > Risk::Read => {
            let msg = format!(
                "read-only mode: step {} is a {} step and is not run",
                step + 1,
                risk.as_str()
            );
            state.notify(msg, true);
            Vec::new()
        }
        Mode::Rehearsal if risk > Risk::Read => rehearse(state, step, command),
        Mode::Live if risk > Risk::Read && !confirmed => {
            let s = &state.runbook.steps[step];
            let shown = script(state, step, command, true);
            let target = (risk == Risk::Destructive).then(|| {
                let plain = script(state, step, command, false);
                let word = target::derive(
                    &plain,
                    s.annotations.get("target").map(|t| t.as_str()),
                    state.runbook.meta.namespace.as_deref(),
                );
                target::expand(&word, &|name| known_value(state, name))
            });
            state.dialog = Some(Dialog::Confirm(Confirm {
                step,
                command,
                risk,
                script: shown,
                target,
                typed: String::new(),
                note: s.annotations.get("confirm").map(|t| t.to_string()),
                error: None,
            }));
            Vec::new()
        }
        _ => launch(state, step, command),
    }
}

fn rehearse(state: &mut State, step: usize, command: Option<usize>) -> Vec<Effect> {
    let shown = script(state, step, command, true);
    let s = &state.runbook.steps[step];
    let op = JournalOp::StepRehearsed {
        id: s.id.to_string(),
        number: s.number,
        command: shown.clone(),
    };
    state.steps[step].rehearsed = Some(shown);
    await_status(state, step, Status::Rehearsed, op)
}

fn launch(state: &mut State, step: usize, command: Option<usize>) -> Vec<Effect> {
    let s = &state.runbook.steps[step];
    let env = s
        .variables
        .iter()
        .filter_map(|n| {
            state
                .vars
                .get(n.as_str())
                .map(|v| (n.to_string(), v.value.clone()))
        })
        .collect();
    let run = Effect::Run {
        step,
        command,
        script: script(state, step, command, false),
        env,
    };
    let st = &mut state.steps[step];
    st.starting = true;
    st.status = Status::Running;
    st.error = None;
    st.rehearsed = None;
    state.shown_run = None;
    vec![run]
}

/// Journals `op` and shows `status` once the ack comes back.
fn await_status(state: &mut State, step: usize, status: Status, op: JournalOp) -> Vec<Effect> {
    let token = state.token();
    state
        .pending
        .insert(token, Pending::Status { step, status });
    state.steps[step].saving = Some(token);
    state.dirty = true;
    vec![Effect::Journal {
        op,
        ack: Some(token),
    }]
}

/// `Msg::RunStarted`.
pub(crate) fn started(state: &mut State, step: usize, run: u64) -> Vec<Effect> {
    if step >= state.steps.len() {
        return Vec::new();
    }
    let size = layout::pty_size(state);
    let mut pane = Pane::new(run, step, size, state.config.scrollback, state.now_ms);
    pane.command = None;
    state.panes.insert(run, pane);
    let st = &mut state.steps[step];
    st.starting = false;
    st.status = Status::Running;
    st.runs.push(run);
    let interactive = state.runbook.steps[step]
        .commands
        .iter()
        .any(|c| c.interactive);
    if interactive && state.selected_step() == Some(step) {
        state.focus = Focus::Output;
        state.interact = true;
        state.notify(
            "interactive: keys go to the process — Ctrl-] to leave",
            false,
        );
    }
    state.dirty = true;
    let command = script(state, step, None, true);
    let s = &state.runbook.steps[step];
    let op = JournalOp::StepStarted {
        id: s.id.to_string(),
        number: s.number,
        command,
        run,
    };
    vec![
        Effect::Journal { op, ack: None },
        Effect::Resize {
            run,
            rows: size.0,
            cols: size.1,
        },
    ]
}

/// `Msg::RunExited`.
pub(crate) fn exited(state: &mut State, run: u64, exit: RunExit) -> Vec<Effect> {
    let Some(pane) = state.panes.get_mut(&run) else {
        return Vec::new();
    };
    pane.exit = Some(exit);
    let step = pane.step;
    if state.shown_pane().is_some_and(|p| p.id == run) {
        state.interact = false;
    }
    let s = &state.runbook.steps[step];
    let long_running = s.commands.iter().any(|c| c.long_running);
    let status = match exit {
        // Stopping a watch / port-forward / log follow is how it is meant to end.
        RunExit { stopped: true, .. } if long_running => Status::Done,
        RunExit { stopped: true, .. } => Status::Stopped,
        e if e.success() => Status::Done,
        _ => Status::Failed,
    };
    let (id, number, kind) = (s.id.to_string(), s.number, s.kind);
    let tick =
        (kind == StepKind::Check && status == Status::Done).then(|| JournalOp::CheckToggled {
            id: id.clone(),
            checked: true,
        });
    let op = JournalOp::StepFinished {
        id,
        number,
        exit_code: exit.exit_code,
        duration_ms: exit.duration_ms,
        stopped: exit.stopped,
        run,
    };
    // The run's result first, then the tick it earns: the journal reads in cause order.
    let mut effects = await_status(state, step, status, op);
    effects.extend(tick.map(|op| Effect::Journal { op, ack: None }));
    effects
}

/// `Msg::RunFailed`: the process could not start.
pub(crate) fn failed(state: &mut State, step: usize, reason: String) -> Vec<Effect> {
    let Some(st) = state.steps.get_mut(step) else {
        return Vec::new();
    };
    st.starting = false;
    st.status = Status::Failed;
    st.error = Some(reason.clone());
    state.notify(format!("step {} could not start: {reason}", step + 1), true);
    // Nothing ran, so no run is recorded: the record says why instead.
    let op = JournalOp::NoteAdded {
        id: state.runbook.steps[step].id.to_string(),
        text: format!("could not start: {reason}"),
    };
    vec![Effect::Journal { op, ack: None }]
}

/// Space: tick or untick a check (or a step with nothing to run).
pub(crate) fn toggle_check(state: &mut State, step: usize) -> Vec<Effect> {
    let s = &state.runbook.steps[step];
    if s.kind == StepKind::Note {
        state.notify("notes are read, not ticked", false);
        return Vec::new();
    }
    if s.kind == StepKind::Command && s.is_runnable() {
        state.notify(
            "only checks and manual steps are ticked by hand (Enter runs it)",
            false,
        );
        return Vec::new();
    }
    let checked = state.steps[step].status != Status::Done;
    let op = JournalOp::CheckToggled {
        id: s.id.to_string(),
        checked,
    };
    let status = if checked {
        Status::Done
    } else {
        Status::Pending
    };
    await_status(state, step, status, op)
}

/// Skip with a reason (from the skip dialog).
pub(crate) fn skip(state: &mut State, step: usize, reason: String) -> Vec<Effect> {
    let id = state.runbook.steps[step].id.to_string();
    let token = state.token();
    state.pending.insert(
        token,
        Pending::Skipped {
            step,
            reason: reason.clone(),
        },
    );
    state.steps[step].saving = Some(token);
    vec![Effect::Journal {
        op: JournalOp::StepSkipped { id, reason },
        ack: Some(token),
    }]
}

/// Ctrl-S in the editor.
pub(crate) fn save_edit(state: &mut State, step: usize, text: String) -> Vec<Effect> {
    if text.trim() == raw_script(state, step, None).trim() {
        return Vec::new();
    }
    if text.trim().is_empty() {
        // An empty script "succeeds": the step would be marked done with nothing run.
        state.notify(
            "an empty command is not saved: the step keeps its command",
            true,
        );
        return Vec::new();
    }
    state.set_edited(step, Some(text.clone()));
    state.notify(
        format!("step {} edited — Enter runs the edited command", step + 1),
        false,
    );
    let id = state.runbook.steps[step].id.to_string();
    vec![Effect::Journal {
        op: JournalOp::CommandEdited { id, text },
        ack: None,
    }]
}

/// `x`: stop the shown run, else the selected step's live run.
pub(crate) fn stop(state: &mut State) -> Vec<Effect> {
    let live = |p: &&Pane| p.exit.is_none();
    let run = state.shown_pane().filter(live).map(|p| p.id).or_else(|| {
        let step = state.selected_step()?;
        state.steps[step]
            .runs
            .iter()
            .rev()
            .find(|r| state.panes.get(r).is_some_and(|p| p.exit.is_none()))
            .copied()
    });
    match run {
        Some(run) => {
            state.notify("stopping… (SIGINT, then TERM, then KILL)", false);
            vec![Effect::Stop { run }]
        }
        None => {
            state.notify("nothing is running here", false);
            Vec::new()
        }
    }
}

/// The editor's starting text for a step.
pub(crate) fn edit_text(state: &State, step: usize) -> String {
    raw_script(state, step, None)
}

/// Quit: stop every live run, end the session, exit.
pub(crate) fn quit(state: &mut State) -> Vec<Effect> {
    state.quitting = true;
    let mut effects: Vec<Effect> = state
        .live_runs()
        .map(|p| Effect::Stop { run: p.id })
        .collect();
    effects.push(Effect::Journal {
        op: JournalOp::SessionEnded,
        ack: None,
    });
    effects.push(Effect::Quit);
    effects
}
