//! Modal dialogs and their keys: values, confirm, resume, skip reason / note, editor, quit,
//! notices and help. A dialog takes every key until it closes.

use super::editor::{EditOutcome, Editor};
use super::values::Values;
use super::{Effect, JournalOp, State, Status, VarValue, run};
use crate::runbook::Risk;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a one-line text dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPurpose {
    Skip(usize),
    Note(usize),
}

/// Confirmation before a write or destructive step runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub step: usize,
    pub command: Option<usize>,
    pub risk: Risk,
    /// The script as it will run, secrets masked.
    pub script: String,
    /// Destructive steps: what the operator must type.
    pub target: Option<String>,
    pub typed: String,
    /// The step's `confirm` annotation.
    pub note: Option<String>,
    pub error: Option<String>,
}

/// An unfinished session found in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeOffer {
    pub session: String,
    /// When it started, already formatted by the caller.
    pub started: String,
    /// The same as milliseconds since the epoch, for the session clock.
    pub started_ms: Option<u64>,
    /// Step id → status it reached.
    pub statuses: Vec<(String, Status)>,
    /// Non-secret values set in that session.
    pub variables: Vec<(String, String)>,
    /// Step id → what the operator wrote on it (edits, notes, skip reasons).
    pub details: Vec<(String, ResumedStep)>,
}

/// What the operator wrote on a step in the session being resumed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumedStep {
    /// The edited command; `None` as well when the journal holds it masked (it named a
    /// secret): running `••••••` would be wrong, so the step goes back to its own command.
    pub edited: Option<String>,
    pub notes: Vec<String>,
    pub skip_reason: Option<String>,
}

/// The open dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    Values(Values),
    Confirm(Confirm),
    Resume(ResumeOffer),
    Text {
        purpose: TextPurpose,
        text: String,
        error: Option<String>,
    },
    Editor(Editor),
    Quit {
        running: usize,
    },
    Notice {
        title: String,
        text: String,
        error: bool,
    },
    Help {
        scroll: u16,
    },
}

/// Appends typed characters / Backspace / Ctrl-U to a text field; false for other keys.
pub(crate) fn edit_field(field: &mut String, key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => field.clear(),
        KeyCode::Char(c) if !ctrl => field.push(c),
        KeyCode::Backspace => {
            field.pop();
        }
        _ => return false,
    }
    true
}

/// Handles a key while a dialog is open.
pub(crate) fn key(state: &mut State, key: &KeyEvent) -> Vec<Effect> {
    let Some(dialog) = state.dialog.take() else {
        return Vec::new();
    };
    state.dirty = true;
    match dialog {
        Dialog::Values(v) => values_key(state, v, key),
        Dialog::Confirm(c) => confirm_key(state, c, key),
        Dialog::Resume(offer) => resume_key(state, offer, key),
        Dialog::Text {
            purpose,
            text,
            error,
        } => text_key(state, purpose, text, error, key),
        Dialog::Editor(mut ed) => match ed.key(key) {
            EditOutcome::Editing => {
                state.dialog = Some(Dialog::Editor(ed));
                Vec::new()
            }
            EditOutcome::Cancel => Vec::new(),
            EditOutcome::Save(text) => run::save_edit(state, ed.step, text),
        },
        Dialog::Quit { running } => match key.code {
            KeyCode::Char('y' | 'Y') => run::quit(state),
            KeyCode::Esc | KeyCode::Char('n' | 'N' | 'q') | KeyCode::Enter => Vec::new(),
            _ => {
                state.dialog = Some(Dialog::Quit { running });
                Vec::new()
            }
        },
        Dialog::Notice { .. } => Vec::new(),
        Dialog::Help { scroll } => {
            let scroll = match key.code {
                KeyCode::Char('j') | KeyCode::Down => scroll.saturating_add(1),
                KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
                KeyCode::PageDown => scroll.saturating_add(10),
                KeyCode::PageUp => scroll.saturating_sub(10),
                _ => return Vec::new(),
            };
            state.dialog = Some(Dialog::Help { scroll });
            Vec::new()
        }
    }
}

fn values_key(state: &mut State, mut v: Values, key: &KeyEvent) -> Vec<Effect> {
    let n = v.fields.len();
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Tab | KeyCode::Down => v.focused = (v.focused + 1) % n.max(1),
        KeyCode::BackTab | KeyCode::Up => v.focused = (v.focused + n.max(1) - 1) % n.max(1),
        KeyCode::Enter => {
            let off_list = |f: &super::values::ValueField| {
                !f.choices.is_empty() && !f.choices.contains(&f.value)
            };
            if let Some(empty) = v.fields.iter().position(|f| f.value.is_empty()) {
                v.error = Some(format!("{} needs a value", v.fields[empty].name));
                v.focused = empty;
            } else if let Some(bad) = v.fields.iter().position(off_list) {
                let f = &v.fields[bad];
                v.error = Some(format!(
                    "{} must be one of {}",
                    f.name,
                    f.choices.join(", ")
                ));
                v.focused = bad;
            } else {
                let ops = state.store_values(&v);
                let mut effects: Vec<Effect> = ops
                    .into_iter()
                    .map(|op| Effect::Journal { op, ack: None })
                    .collect();
                if let (true, Some(step)) = (v.then_run, v.step) {
                    effects.extend(run::proceed(state, step, None, false));
                }
                return effects;
            }
        }
        _ => {
            if let Some(f) = v.fields.get_mut(v.focused)
                && edit_field(&mut f.value, key)
            {
                v.error = None;
            }
        }
    }
    state.dialog = Some(Dialog::Values(v));
    Vec::new()
}

fn confirm_key(state: &mut State, mut c: Confirm, key: &KeyEvent) -> Vec<Effect> {
    let id = state.runbook.steps[c.step].id.to_string();
    let confirmed = match (&c.target, key.code) {
        (_, KeyCode::Esc) => return Vec::new(),
        (None, KeyCode::Char('y' | 'Y')) => true,
        (None, KeyCode::Char('n' | 'N') | KeyCode::Enter) => return Vec::new(),
        (Some(target), KeyCode::Enter) => {
            if c.typed.trim() == target {
                true
            } else {
                c.error = Some(format!("type {target} exactly to run this step"));
                false
            }
        }
        (Some(_), _) => {
            if edit_field(&mut c.typed, key) {
                c.error = None;
            }
            false
        }
        (None, _) => false,
    };
    if !confirmed {
        state.dialog = Some(Dialog::Confirm(c));
        return Vec::new();
    }
    let mut what = match &c.target {
        Some(t) => format!("{} step, typed {t}: {}", c.risk.as_str(), c.script),
        None => format!("{} step: {}", c.risk.as_str(), c.script),
    };
    // The audit must show a confirmation given against the wrong cluster, with the warning seen.
    if let Some((have, want)) = state.context_mismatch() {
        what = format!("on kube context {have} although the runbook expects {want}: {what}");
    }
    let mut effects = vec![Effect::Journal {
        op: JournalOp::Confirmation { id, what },
        ack: None,
    }];
    effects.extend(run::proceed(state, c.step, c.command, true));
    effects
}

fn resume_key(state: &mut State, offer: ResumeOffer, key: &KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
            for (id, status) in &offer.statuses {
                if let Some(i) = state.runbook.steps.iter().position(|s| &s.id == id) {
                    state.steps[i].status = *status;
                }
            }
            // The clock shows the session's time, not this window's.
            if let Some(ms) = offer.started_ms {
                state.started_ms = Some(ms);
            }
            for (id, details) in &offer.details {
                if let Some(i) = state.runbook.steps.iter().position(|s| &s.id == id) {
                    state.set_edited(i, details.edited.clone());
                    let st = &mut state.steps[i];
                    st.notes = details.notes.clone();
                    st.skip_reason = details.skip_reason.clone();
                }
            }
            for (name, value) in &offer.variables {
                let secret = state.is_secret(name);
                state.vars.insert(
                    name.clone(),
                    VarValue {
                        value: value.clone(),
                        secret,
                    },
                );
            }
            vec![Effect::ResumeSession {
                session: offer.session,
            }]
        }
        KeyCode::Char('n' | 'N') | KeyCode::Esc => vec![Effect::StartSession],
        _ => {
            state.dialog = Some(Dialog::Resume(offer));
            Vec::new()
        }
    }
}

fn text_key(
    state: &mut State,
    purpose: TextPurpose,
    mut text: String,
    mut error: Option<String>,
    key: &KeyEvent,
) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Enter if text.trim().is_empty() => {
            error = Some(match purpose {
                TextPurpose::Skip(_) => "a reason is required to skip a step".to_string(),
                TextPurpose::Note(_) => "the note is empty".to_string(),
            });
        }
        KeyCode::Enter => {
            let text = text.trim().to_string();
            return match purpose {
                TextPurpose::Skip(step) => run::skip(state, step, text),
                TextPurpose::Note(step) => {
                    state.steps[step].notes.push(text.clone());
                    let id = state.runbook.steps[step].id.to_string();
                    vec![Effect::Journal {
                        op: JournalOp::NoteAdded { id, text },
                        ack: None,
                    }]
                }
            };
        }
        _ => {
            if edit_field(&mut text, key) {
                error = None;
            }
        }
    }
    state.dialog = Some(Dialog::Text {
        purpose,
        text,
        error,
    });
    Vec::new()
}
