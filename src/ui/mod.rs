//! Drawing: `&State` + `&Theme` in, a frame out. Never mutates state, never reads the clock
//! (times come from `State::now_ms`), never does IO. One file per region.

mod dialogs;
mod fit;
pub mod help;
pub mod highlight;
pub mod markdown;
mod outline;
mod output;
mod picker;
mod run_dialogs;
mod status;
mod step;

#[cfg(test)]
mod regressions;
#[cfg(test)]
mod tests;

use crate::state::{Focus, Screen, State, Status, layout};
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.base()), area);
    if state.screen == Screen::Picker {
        picker::draw(frame, area, state, theme);
        return;
    }
    let l = layout::compute(state);
    if let Some(r) = l.outline {
        outline::draw(frame, r, state, theme);
    }
    if let Some(r) = l.step {
        step::draw(frame, r, state, theme);
    }
    if let Some(r) = l.output {
        output::draw(frame, r, state, theme);
    }
    status::draw(frame, l.status, l.hints, state, theme);
    dialogs::draw(frame, area, state, theme);
}

/// A pane's frame: rounded border, bold title, focus shown by colour and weight.
pub(crate) fn pane_block<'a>(
    title: impl Into<ratatui::text::Line<'a>>,
    focused: bool,
    theme: &Theme,
) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(focused))
        .title(title)
        .style(theme.base())
}

/// The title style of a pane.
pub(crate) fn title_style(focused: bool, theme: &Theme) -> Style {
    let base = if focused {
        theme.fg(Slot::BorderFocused)
    } else {
        theme.fg(Slot::Text)
    };
    base.add_modifier(Modifier::BOLD)
}

/// A `width`×`height` rectangle centred in `area` (clamped to it).
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner frame for the state's clock.
pub(crate) fn spinner(state: &State) -> &'static str {
    let frame = usize::try_from(state.now_ms / 100 % 10).unwrap_or(0);
    SPINNER[frame]
}

/// The glyph and style of a step's status.
pub(crate) fn status_glyph(state: &State, step: usize, theme: &Theme) -> Span<'static> {
    let st = &state.steps[step];
    if st.saving.is_some() {
        return Span::styled("◍", theme.fg(Slot::StepRunning).add_modifier(Modifier::DIM));
    }
    if st.starting {
        return Span::styled(spinner(state), theme.fg(Slot::StepRunning));
    }
    if state.runbook.steps[step].kind == crate::runbook::StepKind::Note {
        return Span::styled("≡", theme.muted());
    }
    let (glyph, slot) = match st.status {
        Status::Pending => ("○", Slot::StepPending),
        Status::Running => (spinner(state), Slot::StepRunning),
        Status::Done => ("✓", Slot::StepDone),
        Status::Failed => ("✗", Slot::StepFailed),
        Status::Skipped => ("»", Slot::StepSkipped),
        Status::Stopped => ("■", Slot::StepFailed),
        Status::Rehearsed => ("◌", Slot::StepDone),
    };
    let style = theme.fg(slot);
    let style = match st.status {
        Status::Done | Status::Failed | Status::Running => style.add_modifier(Modifier::BOLD),
        _ => style,
    };
    Span::styled(glyph, style)
}

/// A status in words, for the step pane.
pub(crate) fn status_word(state: &State, step: usize) -> &'static str {
    let st = &state.steps[step];
    if st.saving.is_some() {
        return "saving…";
    }
    if st.starting {
        return "starting";
    }
    match st.status {
        Status::Pending => "pending",
        Status::Running => "running",
        Status::Done => "done",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
        Status::Stopped => "stopped",
        Status::Rehearsed => "rehearsed",
    }
}

/// `1.2s`, `4m05s`, `1h02m`.
pub(crate) fn duration(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..=59 if ms < 10_000 => format!("{}.{}s", s, ms % 1000 / 100),
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

/// True when `focus` is the focused pane.
pub(crate) fn focused(state: &State, focus: Focus) -> bool {
    state.focus == focus && state.dialog.is_none()
}
