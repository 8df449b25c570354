//! `update`: one [`Msg`] in, the [`Effect`]s out. Keys and mouse are in `keys`; the run flow is
//! in `run`; this file routes messages and applies journal acks, ticks and resizes.

use super::dialogs::Dialog;
use super::pane::RunExit;
use super::{Effect, Kube, Msg, Pending, Screen, State, Status, keys, layout, nav, run};

/// The state machine. Pure: never blocks, never does IO; sets `state.dirty` when the screen
/// must be redrawn.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => keys::key(state, &key),
        Msg::Mouse(mouse) => keys::mouse(state, &mouse),
        Msg::Paste(text) => keys::paste(state, &text),
        Msg::Resize { cols, rows } => resize(state, cols, rows),
        Msg::Tick { now_ms } => {
            tick(state, now_ms);
            Vec::new()
        }
        Msg::Carried(values) => {
            state.carried = values;
            state.refresh_secrets();
            Vec::new()
        }
        Msg::Secrets(values) => {
            state.known_secrets = values;
            state.refresh_secrets();
            Vec::new()
        }
        Msg::Kube { context, namespace } => {
            let kube = Kube { context, namespace };
            if state.kube != kube {
                state.kube = kube;
                state.dirty = true;
            }
            Vec::new()
        }
        Msg::JournalAck(token) => {
            ack(state, token);
            Vec::new()
        }
        Msg::JournalFailed { token, reason } => {
            if let Some(step) = pending_step(state.pending.remove(&token)) {
                clear_saving(state, step, token);
                if state.steps[step].status == Status::Running {
                    state.steps[step].status = Status::Failed;
                }
            }
            let text =
                format!("The journal could not record the change: {reason}\nNothing was marked.");
            state.dialog = Some(Dialog::Notice {
                title: "Journal error".into(),
                text,
                error: true,
            });
            state.dirty = true;
            Vec::new()
        }
        Msg::RunStarted { step, run } => {
            // The values it runs with were just given: mask them from its first byte on.
            state.refresh_secrets();
            run::started(state, step, run)
        }
        Msg::Output { run, bytes } => {
            if let Some(pane) = state.panes.get_mut(&run) {
                let shown = pane.mask.push(&bytes, &state.screen_secrets);
                pane.feed(&shown);
                // Output of a run that is not on screen changes nothing visible.
                if state.shown_pane().is_some_and(|p| p.id == run) {
                    state.dirty = true;
                }
            }
            Vec::new()
        }
        Msg::RunExited {
            run,
            exit_code,
            stopped,
            duration_ms,
        } => {
            if let Some(pane) = state.panes.get_mut(&run) {
                let held = pane.mask.flush();
                pane.feed(&held);
            }
            run::exited(
                state,
                run,
                RunExit {
                    exit_code,
                    stopped,
                    duration_ms,
                },
            )
        }
        Msg::RunFailed { step, reason } => run::failed(state, step, reason),
        Msg::Exported { path } => {
            state.notice = None; // "exporting the session…" is over
            let text = format!("Session exported to\n{path}");
            state.dialog = Some(Dialog::Notice {
                title: "Export".into(),
                text,
                error: false,
            });
            state.dirty = true;
            Vec::new()
        }
        Msg::ExportFailed { reason } => {
            state.notice = None;
            let text = format!("Export failed: {reason}");
            state.dialog = Some(Dialog::Notice {
                title: "Export".into(),
                text,
                error: true,
            });
            state.dirty = true;
            Vec::new()
        }
    }
}

fn pending_step(p: Option<Pending>) -> Option<usize> {
    match p? {
        Pending::Status { step, .. } | Pending::Skipped { step, .. } => Some(step),
    }
}

fn clear_saving(state: &mut State, step: usize, token: u64) {
    if let Some(st) = state.steps.get_mut(step)
        && st.saving == Some(token)
    {
        st.saving = None;
    }
}

/// The journal made a change durable: now the screen may show it.
fn ack(state: &mut State, token: u64) {
    let Some(p) = state.pending.remove(&token) else {
        return;
    };
    match p {
        Pending::Status { step, status } => {
            clear_saving(state, step, token);
            // A newer run may have started meanwhile; it owns the status then.
            let live = state.steps[step]
                .runs
                .iter()
                .any(|r| state.panes.get(r).is_some_and(|p| p.exit.is_none()));
            let st = &mut state.steps[step];
            if !st.starting && !live {
                st.status = status;
                if status == Status::Pending {
                    st.skip_reason = None;
                }
            }
        }
        Pending::Skipped { step, reason } => {
            clear_saving(state, step, token);
            let st = &mut state.steps[step];
            st.status = Status::Skipped;
            st.skip_reason = Some(reason);
        }
    }
    state.dirty = true;
}

/// The clock moved: redraw only when a spinner or the elapsed clock changes on screen.
fn tick(state: &mut State, now_ms: u64) {
    let before = state.now_ms;
    state.now_ms = now_ms;
    for pane in state.panes.values_mut() {
        let held = pane.mask.on_tick();
        if !held.is_empty() {
            pane.feed(&held);
            state.dirty = true;
        }
    }
    if state.started_ms.is_none() {
        state.started_ms = Some(now_ms);
        state.dirty = true;
    }
    if state.screen == Screen::Picker {
        return;
    }
    let spinning = state
        .steps
        .iter()
        .any(|s| s.starting || s.status == Status::Running);
    let spinner_moved = spinning && before / 100 != now_ms / 100;
    let clock_moved = before / 1000 != now_ms / 1000;
    if spinner_moved || clock_moved {
        state.dirty = true;
    }
}

/// The terminal changed size: reflow, and resize every live run's PTY when its area changed.
fn resize(state: &mut State, cols: u16, rows: u16) -> Vec<Effect> {
    state.size = (cols, rows);
    state.dirty = true;
    nav::scroll_to_cursor(state);
    let (rows, cols) = layout::pty_size(state);
    let mut effects = Vec::new();
    for pane in state.panes.values_mut() {
        if pane.parser.screen().size() != (rows, cols) {
            pane.resize(rows, cols);
            if pane.exit.is_none() {
                effects.push(Effect::Resize {
                    run: pane.id,
                    rows,
                    cols,
                });
            }
        }
    }
    effects
}
