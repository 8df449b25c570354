//! Screen geometry, shared by drawing, mouse hit-testing and PTY sizing.
//!
//! Pure: computed from the terminal size and the state, so `update` knows the output area's size
//! (for `Effect::Resize`) and where a click landed without asking the UI.

use super::{Focus, State};
use ratatui::layout::{Position, Rect};

/// Below this width the outline and the step/output column are shown one at a time.
pub const SINGLE_COLUMN_BELOW: u16 = 72;

/// The smallest PTY size (rows, cols) handed to a program.
pub const MIN_PTY: (u16, u16) = (4, 20);

/// Where each region goes. Regions that are not shown are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub outline: Option<Rect>,
    pub step: Option<Rect>,
    pub output: Option<Rect>,
    /// The status line (title, progress, clock, context, mode).
    pub status: Rect,
    /// The key-hint / prompt / notice line.
    pub hints: Rect,
}

impl Layout {
    /// Text rows inside the outline's border.
    pub fn outline_rows(&self) -> u16 {
        self.outline.map_or(0, |r| r.height.saturating_sub(2))
    }

    /// The terminal area inside the output pane's border: (rows, cols), at least 1×1.
    pub fn output_size(&self) -> (u16, u16) {
        self.output.map_or((24, 80), |r| {
            (
                r.height.saturating_sub(2).max(1),
                r.width.saturating_sub(2).max(1),
            )
        })
    }

    /// The region under a screen position.
    pub fn hit(&self, col: u16, row: u16) -> Option<Focus> {
        let p = Position::new(col, row);
        let inside = |r: Option<Rect>| r.is_some_and(|r| r.contains(p));
        if inside(self.outline) {
            Some(Focus::Outline)
        } else if inside(self.step) {
            Some(Focus::Step)
        } else if inside(self.output) {
            Some(Focus::Output)
        } else {
            None
        }
    }
}

/// Computes the layout for the state's terminal size.
pub fn compute(state: &State) -> Layout {
    let has_output = state.shown_pane().is_some()
        || state
            .selected_step()
            .is_some_and(|s| state.steps[s].rehearsed.is_some());
    compute_for(state.size, has_output, state.focus)
}

/// The size of every run's PTY: the output area when it shows a run. Kept independent of the
/// selection so that moving around never resizes (and reflows) running programs.
pub fn pty_size(state: &State) -> (u16, u16) {
    compute_for(state.size, true, Focus::Output).output_size()
}

fn compute_for(size: (u16, u16), has_output: bool, focus: Focus) -> Layout {
    let (cols, rows) = size;
    let body_h = rows.saturating_sub(2);
    let status = Rect::new(0, body_h, cols, 1.min(rows));
    let hints = Rect::new(0, body_h + 1, cols, u16::from(rows >= 2));
    let body = Rect::new(0, 0, cols, body_h);
    if cols < SINGLE_COLUMN_BELOW {
        if focus == Focus::Outline {
            return Layout {
                outline: Some(body),
                step: None,
                output: None,
                status,
                hints,
            };
        }
        let (step, output) = split_right(body, has_output);
        return Layout {
            outline: None,
            step: Some(step),
            output: Some(output),
            status,
            hints,
        };
    }
    let outline_w = (cols * 3 / 10).clamp(26, 44);
    let outline = Rect::new(0, 0, outline_w, body_h);
    let right = Rect::new(outline_w, 0, cols - outline_w, body_h);
    let (step, output) = split_right(right, has_output);
    Layout {
        outline: Some(outline),
        step: Some(step),
        output: Some(output),
        status,
        hints,
    }
}

/// Step above output: a small output pane until there is something to show in it.
fn split_right(area: Rect, has_output: bool) -> (Rect, Rect) {
    let out_h = if has_output {
        let step_h = (area.height * 2 / 5)
            .max(8)
            .min(area.height.saturating_sub(5));
        area.height - step_h
    } else {
        5.min(area.height)
    };
    let step_h = area.height - out_h;
    (
        Rect::new(area.x, area.y, area.width, step_h),
        Rect::new(area.x, area.y + step_h, area.width, out_h),
    )
}
