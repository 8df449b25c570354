//! `/` search: over steps (title, commands, code) from the outline, or over the output text when
//! the output pane has focus. The prompt line takes the keys until Enter or Esc; `n`/`N` then
//! cycle through the matches.

use super::dialogs::edit_field;
use super::{Item, State, nav};
use crossterm::event::{KeyCode, KeyEvent};

/// What the prompt searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Steps,
    Output(u64),
}

/// The search prompt at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// Where the cursor was when the search began (Esc goes back there).
    pub origin: Item,
}

/// Steps matching `query` (case-insensitive, in document order).
pub fn matching_steps(state: &State, query: &str) -> Vec<usize> {
    let q = query.to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    state
        .runbook
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.title.to_lowercase().contains(&q)
                || s.code
                    .as_deref()
                    .is_some_and(|c| c.to_lowercase().contains(&q))
                || s.id.contains(&q)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Opens the prompt for the focused area.
pub(crate) fn open(state: &mut State, output: Option<u64>) {
    let kind = output.map_or(PromptKind::Steps, PromptKind::Output);
    state.prompt = Some(Prompt {
        kind,
        text: String::new(),
        origin: state.cursor,
    });
    state.dirty = true;
}

/// The first match at or after document position `from` (wrapping).
fn first_from(matches: &[usize], from: usize) -> Option<usize> {
    matches
        .iter()
        .find(|m| **m >= from)
        .or(matches.first())
        .copied()
}

fn select_step(state: &mut State, step: usize) {
    state.cursor = Item::Step(step);
    nav::reveal(state);
    state.step_scroll = 0;
    state.shown_run = None;
}

/// A key while the prompt is open.
pub(crate) fn key(state: &mut State, key: &KeyEvent) {
    let Some(mut prompt) = state.prompt.take() else {
        return;
    };
    state.dirty = true;
    match key.code {
        KeyCode::Esc => {
            match prompt.kind {
                PromptKind::Steps => {
                    state.cursor = prompt.origin;
                    nav::reveal(state);
                    state.search = None;
                }
                PromptKind::Output(run) => {
                    if let Some(p) = state.panes.get_mut(&run) {
                        p.search = None;
                    }
                }
            }
            return;
        }
        KeyCode::Enter => {
            if prompt.kind == PromptKind::Steps {
                let matches = matching_steps(state, &prompt.text);
                if matches.is_empty() && !prompt.text.is_empty() {
                    state.notify(format!("no step matches “{}”", prompt.text), true);
                }
                state.search = (!prompt.text.is_empty()).then(|| (prompt.text.clone(), matches));
            }
            return;
        }
        _ => {
            if !edit_field(&mut prompt.text, key) {
                state.prompt = Some(prompt);
                return;
            }
        }
    }
    match prompt.kind {
        PromptKind::Steps => {
            let matches = matching_steps(state, &prompt.text);
            let from = match prompt.origin {
                Item::Step(i) => i,
                Item::Heading(_) => 0,
            };
            match first_from(&matches, from) {
                Some(m) => select_step(state, m),
                None => {
                    state.cursor = prompt.origin;
                    nav::reveal(state);
                }
            }
            state.search = Some((prompt.text.clone(), matches));
        }
        PromptKind::Output(run) => {
            if let Some(p) = state.panes.get_mut(&run) {
                p.search(&prompt.text);
            }
        }
    }
    state.prompt = Some(prompt);
}

/// `n` / `N` over the last step search.
pub(crate) fn next_step_match(state: &mut State, forward: bool) {
    let Some((query, _)) = state.search.clone() else {
        state.notify("no search yet — / searches steps", false);
        return;
    };
    let matches = matching_steps(state, &query);
    let at = state.selected_step();
    let next = if forward {
        matches
            .iter()
            .find(|m| at.is_none_or(|a| **m > a))
            .or(matches.first())
    } else {
        matches
            .iter()
            .rev()
            .find(|m| at.is_none_or(|a| **m < a))
            .or(matches.last())
    };
    match next.copied() {
        Some(m) => select_step(state, m),
        None => state.notify(format!("no step matches “{query}”"), true),
    }
    state.search = Some((query, matches));
    state.dirty = true;
}
