//! The outline as rows (headings and steps in document order), collapsing, and moving the cursor.
//!
//! Headings are selectable rows so that a section can be folded where it stands. A lone H1 that
//! repeats the runbook title is left out: the status bar already shows it.

use super::{State, layout};
use crate::runbook::Runbook;

/// What an outline row stands for: an index into `Runbook::sections` or `Runbook::steps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Heading(usize),
    Step(usize),
}

/// One visible outline row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub item: Item,
    /// Indentation level.
    pub indent: usize,
    /// For headings: folded, with this many rows hidden under it.
    pub folded: Option<usize>,
}

/// Every heading and step in document order, with indentation, ignoring folds.
fn all_rows(rb: &Runbook) -> Vec<(Item, usize, u8)> {
    let skip_title = |i: usize| {
        let s = &rb.sections[i];
        s.level == 1
            && s.title == rb.title
            && rb.sections.iter().filter(|s| s.level == 1).count() == 1
    };
    let min_level = (0..rb.sections.len())
        .filter(|i| !skip_title(*i))
        .map(|i| rb.sections[i].level)
        .min()
        .unwrap_or(1);
    let mut items: Vec<(usize, Item)> = (0..rb.sections.len())
        .filter(|i| !skip_title(*i))
        .map(|i| (rb.sections[i].line, Item::Heading(i)))
        .chain(
            rb.steps
                .iter()
                .enumerate()
                .map(|(i, s)| (s.line, Item::Step(i))),
        )
        .collect();
    // Headings sort before steps on the same line (they cannot really share one).
    items.sort_by_key(|(line, item)| (*line, matches!(item, Item::Step(_))));
    let mut out = Vec::with_capacity(items.len());
    let mut heading_indent: Option<usize> = None;
    for (_, item) in items {
        match item {
            Item::Heading(i) => {
                let level = rb.sections[i].level;
                let indent = usize::from(level.saturating_sub(min_level));
                heading_indent = Some(indent);
                out.push((item, indent, level));
            }
            Item::Step(i) => {
                let base = heading_indent.map_or(0, |h| h + 1);
                out.push((item, base + rb.steps[i].depth, u8::MAX));
            }
        }
    }
    out
}

/// The visible outline rows, folds applied.
pub fn rows(state: &State) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    // While inside a folded heading: its level and its row's index in `out`.
    let mut fold: Option<(u8, usize)> = None;
    for (item, indent, level) in all_rows(&state.runbook) {
        if let Some((fold_level, at)) = fold {
            let ends = matches!(item, Item::Heading(_)) && level <= fold_level;
            if !ends {
                if let Some(Some(n)) = out.get_mut(at).map(|r| r.folded.as_mut()) {
                    *n += 1;
                }
                continue;
            }
            fold = None;
        }
        let folded = match item {
            Item::Heading(i) if state.collapsed.contains(&i) => {
                fold = Some((level, out.len()));
                Some(0)
            }
            _ => None,
        };
        out.push(Row {
            item,
            indent,
            folded,
        });
    }
    out
}

/// The headings that contain `item`, innermost last.
fn ancestors(rb: &Runbook, item: Item) -> Vec<usize> {
    let mut chain: Vec<(usize, u8)> = Vec::new();
    for (it, _, level) in all_rows(rb) {
        if let Item::Heading(_) = it {
            // A heading closes the headings of its level and below: a sibling is no ancestor.
            chain.retain(|(_, l)| *l < level);
        }
        if it == item {
            return chain.into_iter().map(|(i, _)| i).collect();
        }
        if let Item::Heading(i) = it {
            chain.push((i, level));
        }
    }
    Vec::new()
}

/// The index of the cursor among the visible rows.
pub fn cursor_index(state: &State, rows: &[Row]) -> usize {
    rows.iter()
        .position(|r| r.item == state.cursor)
        .unwrap_or(0)
}

/// Unfolds whatever hides the cursor and scrolls the outline so that it shows.
pub fn reveal(state: &mut State) {
    for h in ancestors(&state.runbook, state.cursor) {
        state.collapsed.remove(&h);
    }
    scroll_to_cursor(state);
}

/// Keeps the cursor inside the outline's visible window.
pub fn scroll_to_cursor(state: &mut State) {
    let rows = rows(state);
    let at = cursor_index(state, &rows);
    let height = usize::from(layout::compute(state).outline_rows()).max(1);
    if at < state.outline_scroll {
        state.outline_scroll = at;
    } else if at >= state.outline_scroll + height {
        state.outline_scroll = at + 1 - height;
    }
    state.outline_scroll = state.outline_scroll.min(rows.len().saturating_sub(height));
}

/// Moves the cursor to visible row `index` (clamped).
pub fn select_row(state: &mut State, index: usize) {
    let rows = rows(state);
    if let Some(row) = rows.get(index.min(rows.len().saturating_sub(1)))
        && state.cursor != row.item
    {
        state.cursor = row.item;
        state.step_scroll = 0;
        state.shown_run = None;
    }
    scroll_to_cursor(state);
    state.dirty = true;
}

/// Moves the cursor by `delta` rows.
pub fn move_by(state: &mut State, delta: isize) {
    let rows = rows(state);
    let at = cursor_index(state, &rows);
    select_row(state, at.saturating_add_signed(delta));
}

/// Jumps to the next (`forward`) or previous heading row.
pub fn jump_section(state: &mut State, forward: bool) {
    let rows = rows(state);
    let at = cursor_index(state, &rows);
    let is_heading = |r: &&Row| matches!(r.item, Item::Heading(_));
    let target = if forward {
        rows.iter()
            .enumerate()
            .skip(at + 1)
            .find(|(_, r)| is_heading(r))
            .map(|(i, _)| i)
    } else {
        rows.iter()
            .enumerate()
            .take(at)
            .rev()
            .find(|(_, r)| is_heading(r))
            .map(|(i, _)| i)
    };
    if let Some(i) = target {
        select_row(state, i);
    }
}

/// Folds the section under the cursor (or, on a step, its section, moving to the heading).
pub fn collapse(state: &mut State) {
    match state.cursor {
        Item::Heading(h) if !state.collapsed.contains(&h) => {
            state.collapsed.insert(h);
        }
        item => {
            if let Some(parent) = ancestors(&state.runbook, item).last() {
                state.cursor = Item::Heading(*parent);
                state.collapsed.insert(*parent);
            }
        }
    }
    scroll_to_cursor(state);
    state.dirty = true;
}

/// Unfolds the heading under the cursor, or steps into it when it is open.
pub fn expand(state: &mut State) {
    if let Item::Heading(h) = state.cursor
        && !state.collapsed.remove(&h)
    {
        move_by(state, 1);
    }
    scroll_to_cursor(state);
    state.dirty = true;
}

/// Folds or unfolds the heading under the cursor.
pub fn toggle_fold(state: &mut State) {
    if let Item::Heading(h) = state.cursor {
        if !state.collapsed.remove(&h) {
            state.collapsed.insert(h);
        }
        scroll_to_cursor(state);
        state.dirty = true;
    }
}

/// The titles of the headings above an item, outermost first (for the step pane's path).
pub fn heading_path(rb: &Runbook, item: Item) -> Vec<String> {
    ancestors(rb, item)
        .into_iter()
        .map(|i| rb.sections[i].title.clone())
        .collect()
}

/// Steps under heading `h` (its whole subtree).
pub fn steps_under(rb: &Runbook, h: usize) -> Vec<usize> {
    let rows = all_rows(rb);
    let Some(start) = rows.iter().position(|(it, _, _)| *it == Item::Heading(h)) else {
        return Vec::new();
    };
    let level = rb.sections[h].level;
    rows[start + 1..]
        .iter()
        .take_while(|(it, _, l)| !matches!(it, Item::Heading(_)) || *l > level)
        .filter_map(|(it, _, _)| match it {
            Item::Step(i) => Some(*i),
            Item::Heading(_) => None,
        })
        .collect()
}
