//! The script a step runs (its edit, one command, or all of them, placeholders filled in) and
//! the risk the app gates it by: the model's risk, raised by an edit or by a redirection into a
//! file, never lowered.

use super::State;
use super::values::MASK;
use crate::runbook::vars::substitute_placeholders;
use crate::runbook::{Risk, risk, shell};

/// The script a run would execute: the edit, one command, or all commands joined.
pub(super) fn raw_script(state: &State, step: usize, command: Option<usize>) -> String {
    let s = &state.runbook.steps[step];
    if let Some(edited) = &state.steps[step].edited {
        return edited.clone();
    }
    match command.and_then(|c| s.commands.get(c)) {
        Some(c) => c.text.to_string(),
        None => s
            .commands
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The script with `<placeholder>` values in; secrets as `••••••` when `masked`.
pub fn script(state: &State, step: usize, command: Option<usize>, masked: bool) -> String {
    let value = |name: &str| {
        state.vars.get(name).map(|v| {
            if masked && v.secret {
                MASK.to_string()
            } else {
                v.value.clone()
            }
        })
    };
    substitute_placeholders(&raw_script(state, step, command), &value)
}

/// The risk to show for a step: its own, or what its edited script raises it to.
pub fn shown_risk(state: &State, step: usize) -> Option<Risk> {
    let own = state.runbook.steps.get(step)?.risk;
    match state.steps.get(step)?.edited {
        Some(_) => Some(effective_risk(state, step)),
        None => own.map(|_| effective_risk(state, step)),
    }
}

/// The step's risk as the app gates it: an edited script can raise it, never lower it, and a
/// script that writes a file through a redirection is at least a write (the model's `risk`
/// leaves redirections out; read-only and rehearsal runs must not truncate files). Cheap: the
/// analyses were done when the runbook was loaded and when the edit was saved, not per frame.
pub fn effective_risk(state: &State, step: usize) -> Risk {
    let base = state.runbook.steps[step].risk.unwrap_or(Risk::Read);
    let st = &state.steps[step];
    let own = if st.writes_files {
        base.max(Risk::Write)
    } else {
        base
    };
    st.edited_risk.map_or(own, |r| own.max(r))
}

/// Whether a step's own commands write a file through a redirection.
pub(crate) fn commands_write_files(step: &crate::runbook::Step) -> bool {
    step.commands
        .iter()
        .any(|c| shell::redirect::writes_files(&c.text))
}

/// The risk of an edited script on its own, redirections into files counted as writes.
fn risk_of_script(text: &str) -> Risk {
    let risk = shell::split_commands(text, 1)
        .iter()
        .map(|c| risk::analyze(&c.text).risk)
        .fold(Risk::Read, Risk::max);
    if shell::redirect::writes_files(text) {
        risk.max(Risk::Write)
    } else {
        risk
    }
}

impl State {
    /// Sets (or clears) a step's edited script, with the risk it carries.
    pub fn set_edited(&mut self, step: usize, text: Option<String>) {
        if let Some(st) = self.steps.get_mut(step) {
            st.edited_risk = text.as_deref().map(risk_of_script);
            st.edited = text;
        }
    }
}
