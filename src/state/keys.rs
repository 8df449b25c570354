//! Keys, mouse and paste: who gets the input (interactive process, dialog, prompt, picker, or
//! the keymap) and what each [`Action`] does in the focused area.

use super::action::{Action, Group};
use super::dialogs::{self, Dialog, TextPurpose};
use super::editor::Editor;
use super::pane::key_bytes;
use super::{Effect, Focus, Item, Screen, State, layout, nav, run, search};
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// Ctrl-] leaves interactive mode (as in telnet).
fn is_escape_interact(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char(']' | '5'))
}

pub(crate) fn key(state: &mut State, key: &KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if state.notice.take().is_some() {
        state.dirty = true;
    }
    if state.screen == Screen::Picker {
        state.dirty = true;
        return state
            .picker
            .as_mut()
            .map(|p| p.key(key))
            .unwrap_or_default();
    }
    if state.interact {
        return interact_key(state, key);
    }
    if state.dialog.is_some() {
        return dialogs::key(state, key);
    }
    if state.prompt.is_some() {
        search::key(state, key);
        return Vec::new();
    }
    match state.config.keymap.action(key) {
        Some(action) => act(state, action),
        None => Vec::new(),
    }
}

fn interact_key(state: &mut State, key: &KeyEvent) -> Vec<Effect> {
    let target = state
        .shown_pane()
        .filter(|p| p.exit.is_none())
        .map(|p| (p.id, p.parser.screen().application_cursor()));
    match target {
        Some(_) if is_escape_interact(key) => {
            state.interact = false;
            state.dirty = true;
            Vec::new()
        }
        Some((run, app_cursor)) => key_bytes(key, app_cursor)
            .map(|bytes| vec![Effect::Input { run, bytes }])
            .unwrap_or_default(),
        None => {
            // The process is gone: leave interactive mode and treat the key normally.
            state.interact = false;
            state.dirty = true;
            self::key(state, key)
        }
    }
}

/// The output pane's run id, when it shows one.
fn shown_id(state: &State) -> Option<u64> {
    state.shown_pane().map(|p| p.id)
}

fn scroll_focused(state: &mut State, lines: isize) {
    match state.focus {
        Focus::Output => {
            if let Some(p) = shown_id(state).and_then(|id| state.panes.get_mut(&id)) {
                p.scroll(-lines);
            }
        }
        Focus::Step => {
            state.step_scroll = state
                .step_scroll
                .saturating_add_signed(lines.clamp(-999, 999) as i16);
        }
        _ => nav::move_by(state, lines),
    }
    state.dirty = true;
}

fn page(state: &State) -> isize {
    let l = layout::compute(state);
    let rect = match state.focus {
        Focus::Output => l.output,
        Focus::Step => l.step,
        _ => l.outline,
    };
    isize::try_from(rect.map_or(10, |r| r.height.saturating_sub(3)).max(1)).unwrap_or(10)
}

fn cycle_focus(state: &mut State, forward: bool) {
    let mut order = vec![Focus::Outline, Focus::Step, Focus::Output];
    if state.cluster_available {
        order.push(Focus::Cluster);
    }
    let at = order.iter().position(|f| *f == state.focus).unwrap_or(0);
    let n = order.len();
    state.focus = order[if forward {
        (at + 1) % n
    } else {
        (at + n - 1) % n
    }];
    state.dirty = true;
}

fn cycle_tab(state: &mut State, forward: bool) {
    let tabs = state.tabs();
    if tabs.len() < 2 {
        return;
    }
    let at = shown_id(state)
        .and_then(|id| tabs.iter().position(|t| *t == id))
        .unwrap_or(0);
    let n = tabs.len();
    let next = tabs[if forward {
        (at + 1) % n
    } else {
        (at + n - 1) % n
    }];
    state.shown_run = Some(next);
    state.dirty = true;
}

fn selected_or_notice(state: &mut State) -> Option<usize> {
    let s = state.selected_step();
    if s.is_none() {
        state.notify("select a step first", false);
    }
    s
}

/// Carries out a keymap action.
pub(crate) fn act(state: &mut State, action: Action) -> Vec<Effect> {
    state.dirty = true;
    match action.group() {
        Group::Steps if action != Action::Stop => return step_action(state, action),
        Group::Output => {
            output_action(state, action);
            return Vec::new();
        }
        _ => {}
    }
    match action {
        Action::MoveDown => scroll_focused(state, 1),
        Action::MoveUp => scroll_focused(state, -1),
        Action::PageDown => scroll_focused(state, page(state)),
        Action::PageUp => scroll_focused(state, -page(state)),
        Action::First | Action::Last => {
            let last = action == Action::Last;
            match state.focus {
                Focus::Output => {
                    scroll_focused(state, if last { isize::MAX / 2 } else { isize::MIN / 2 })
                }
                Focus::Step => state.step_scroll = if last { u16::MAX / 2 } else { 0 },
                _ => nav::select_row(state, if last { usize::MAX } else { 0 }),
            }
        }
        Action::NextSection => nav::jump_section(state, true),
        Action::PrevSection => nav::jump_section(state, false),
        Action::Collapse => nav::collapse(state),
        Action::Expand => nav::expand(state),
        Action::Stop => return run::stop(state),
        Action::Search | Action::NextMatch | Action::PrevMatch => output_action(state, action),
        Action::Interact | Action::Follow | Action::NextTab | Action::PrevTab => {}
        Action::Run
        | Action::Rerun
        | Action::ToggleCheck
        | Action::Skip
        | Action::AddNote
        | Action::Edit
        | Action::Variables => {}
        Action::FocusNext => cycle_focus(state, true),
        Action::FocusPrev => cycle_focus(state, false),
        Action::Export => {
            state.notify("exporting the session…", false);
            return vec![Effect::Export];
        }
        Action::Help => state.dialog = Some(Dialog::Help { scroll: 0 }),
        Action::Suspend => return vec![Effect::Suspend],
        Action::Quit => {
            let running = state.live_runs().count();
            if running > 0 {
                state.dialog = Some(Dialog::Quit { running });
            } else {
                return run::quit(state);
            }
        }
        Action::Cancel => {
            state.search = None;
            state.shown_run = None;
            if let Some(p) = shown_id(state).and_then(|id| state.panes.get_mut(&id)) {
                p.search = None;
            }
        }
    }
    Vec::new()
}

/// Step actions: run, tick, skip, note, edit, values.
fn step_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Run | Action::Rerun => match state.cursor {
            Item::Heading(_) if action == Action::Run => nav::toggle_fold(state),
            Item::Heading(_) => {}
            Item::Step(_) => {
                if let Some(i) = selected_or_notice(state) {
                    return run::activate(state, i, action == Action::Rerun);
                }
            }
        },
        Action::ToggleCheck => match state.cursor {
            Item::Heading(_) => nav::toggle_fold(state),
            Item::Step(_) => {
                if let Some(i) = selected_or_notice(state) {
                    return run::toggle_check(state, i);
                }
            }
        },
        Action::Skip => {
            let running = |i: usize| state.steps[i].status == super::Status::Running;
            if let Some(i) = state.selected_step().filter(|&i| running(i)) {
                let text = format!("step {} is running: stop it (x) before skipping it", i + 1);
                state.notify(text, false);
            } else if let Some(i) = selected_or_notice(state) {
                state.dialog = Some(Dialog::Text {
                    purpose: TextPurpose::Skip(i),
                    text: String::new(),
                    error: None,
                });
            }
        }
        Action::AddNote => {
            if let Some(i) = selected_or_notice(state) {
                state.dialog = Some(Dialog::Text {
                    purpose: TextPurpose::Note(i),
                    text: String::new(),
                    error: None,
                });
            }
        }
        Action::Edit => match selected_or_notice(state) {
            Some(i) if state.runbook.steps[i].kind == crate::runbook::StepKind::Note => {
                state.notify("notes are not run, so there is nothing to edit", false);
            }
            Some(i) => {
                state.dialog = Some(Dialog::Editor(Editor::new(i, &run::edit_text(state, i))))
            }
            None => {}
        },
        Action::Variables => {
            let values = state.values_dialog(state.selected_step(), false, false);
            if values.fields.is_empty() {
                state.notify("no variables or placeholders here", false);
            } else {
                state.dialog = Some(Dialog::Values(values));
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Output and search actions: interact, follow, tabs, search and matches.
fn output_action(state: &mut State, action: Action) {
    match action {
        Action::Interact => match state.shown_pane().filter(|p| p.exit.is_none()) {
            Some(_) => {
                state.focus = Focus::Output;
                state.interact = true;
                state.notify(
                    "interactive: keys go to the process — Ctrl-] to leave",
                    false,
                );
            }
            None => state.notify("nothing running to type into", false),
        },
        Action::Follow => {
            if let Some(p) = shown_id(state).and_then(|id| state.panes.get_mut(&id)) {
                p.toggle_follow();
            }
        }
        Action::NextTab => cycle_tab(state, true),
        Action::PrevTab => cycle_tab(state, false),
        Action::Search => {
            let output = (state.focus == Focus::Output)
                .then(|| shown_id(state))
                .flatten();
            search::open(state, output);
        }
        Action::NextMatch | Action::PrevMatch => {
            let forward = action == Action::NextMatch;
            let pane = shown_id(state).and_then(|id| state.panes.get_mut(&id));
            match pane.filter(|p| p.search.is_some()) {
                Some(p) if state.focus == Focus::Output => p.next_match(forward),
                _ => search::next_step_match(state, forward),
            }
        }
        _ => {}
    }
}

/// Clicks focus and select; the wheel scrolls what is under the pointer.
pub(crate) fn mouse(state: &mut State, ev: &MouseEvent) -> Vec<Effect> {
    if state.screen != Screen::Runbook || state.dialog.is_some() {
        return Vec::new();
    }
    let l = layout::compute(state);
    let Some(area) = l.hit(ev.column, ev.row) else {
        return Vec::new();
    };
    match ev.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            state.focus = area;
            if let (Focus::Outline, Some(r)) = (area, l.outline)
                && ev.row > r.y
                && ev.row < r.y + r.height - 1
            {
                let index = state.outline_scroll + usize::from(ev.row - r.y - 1);
                if index < nav::rows(state).len() {
                    nav::select_row(state, index);
                }
            }
            state.dirty = true;
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = ev.kind == MouseEventKind::ScrollDown;
            let before = state.focus;
            state.focus = area;
            let lines = if area == Focus::Outline { 1 } else { 3 };
            scroll_focused(state, if down { lines } else { -lines });
            state.focus = before;
        }
        _ => {}
    }
    Vec::new()
}

/// Bracketed paste: into the interactive process, the open text field, or the prompt.
pub(crate) fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    state.dirty = true;
    if state.interact
        && let Some(p) = state.shown_pane().filter(|p| p.exit.is_none())
    {
        return vec![Effect::Input {
            run: p.id,
            bytes: text.as_bytes().to_vec(),
        }];
    }
    let line = text.replace(['\r', '\n'], " ");
    match state.dialog.as_mut() {
        Some(Dialog::Editor(ed)) => ed.insert(text),
        Some(Dialog::Text { text: t, .. }) => t.push_str(&line),
        Some(Dialog::Confirm(c)) if c.target.is_some() => c.typed.push_str(line.trim()),
        Some(Dialog::Values(v)) => {
            if let Some(f) = v.fields.get_mut(v.focused) {
                f.value.push_str(line.trim_end());
            }
        }
        _ => {
            if let Some(p) = state.prompt.as_mut() {
                p.text.push_str(&line);
            }
        }
    }
    Vec::new()
}
