//! The output pane: the shown run's terminal (vt100 screen through `tui_term`), tabs for live
//! runs, exit code / duration / follow / search in the bottom border, and what to do when the
//! step has not run.

use super::{duration, focused, pane_block, spinner, title_style};
use crate::runbook::StepKind;
use crate::state::{Focus, Pane, State};
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_term::widget::{Cursor, PseudoTerminal};

fn short(title: &str, max: usize) -> String {
    if title.chars().count() <= max {
        title.to_string()
    } else {
        let cut: String = title.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn tab_title(state: &State, pane: &Pane, theme: &Theme) -> Span<'static> {
    let step = &state.runbook.steps[pane.step];
    let mark = match pane.exit {
        None => spinner(state).to_string(),
        Some(e) if e.success() => "✓".into(),
        Some(e) if e.stopped => "■".into(),
        Some(_) => "✗".into(),
    };
    let slot = match pane.exit {
        None => Slot::StepRunning,
        Some(e) if e.success() => Slot::StepDone,
        Some(_) => Slot::StepFailed,
    };
    Span::styled(
        format!("{mark} {} {}", step.number, short(&step.title, 18)),
        theme.fg(slot),
    )
}

fn top_title(
    state: &State,
    shown: Option<&Pane>,
    is_focused: bool,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = vec![Span::styled(" Output ", title_style(is_focused, theme))];
    let tabs = state.tabs();
    if tabs.len() > 1 {
        for id in tabs {
            let Some(p) = state.panes.get(&id) else {
                continue;
            };
            let mut span = tab_title(state, p, theme);
            if shown.is_some_and(|s| s.id == id) {
                span = span.patch_style(theme.selection().add_modifier(Modifier::BOLD));
            }
            spans.push(Span::styled("│", theme.fg(Slot::Border)));
            spans.push(Span::raw(" "));
            spans.push(span);
            spans.push(Span::raw(" "));
        }
    } else if let Some(p) = shown {
        spans.push(tab_title(state, p, theme));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

fn bottom_title(state: &State, pane: &Pane, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    match pane.exit {
        None => {
            let ran = state.now_ms.saturating_sub(pane.started_ms);
            spans.push(Span::styled(
                format!("running {}", duration(ran)),
                theme.fg(Slot::StepRunning),
            ));
        }
        Some(e) => {
            let (text, slot) = match (e.stopped, e.exit_code) {
                (true, _) => ("stopped".to_string(), Slot::StepSkipped),
                (false, Some(0)) => ("exit 0".to_string(), Slot::StepDone),
                (false, Some(c)) => (format!("exit {c}"), Slot::StepFailed),
                (false, None) => ("killed".to_string(), Slot::StepFailed),
            };
            spans.push(Span::styled(
                text,
                theme.fg(slot).add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(
                format!(" · {}", duration(e.duration_ms)),
                theme.muted(),
            ));
        }
    }
    let back = pane.parser.screen().scrollback();
    if pane.follow {
        spans.push(Span::styled(" · follow", theme.muted()));
    } else {
        spans.push(Span::styled(
            format!(" · ↑{back} lines"),
            theme.fg(Slot::Warning),
        ));
    }
    if let Some(s) = &pane.search {
        let pos = if s.matches.is_empty() {
            "no match".to_string()
        } else {
            format!("{}/{}", s.current + 1, s.matches.len())
        };
        spans.push(Span::styled(
            format!(" · /{} {pos}", s.query),
            theme.fg(Slot::SearchMatch),
        ));
    }
    if state.interact {
        spans.push(Span::styled(
            " · INTERACTIVE — Ctrl-] leaves",
            theme.badge(Slot::Accent),
        ));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// What the pane says when the step has no run.
fn placeholder(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let Some(i) = state.selected_step() else {
        return vec![Line::styled(
            "Select a step to see its output.",
            theme.muted(),
        )];
    };
    let st = &state.steps[i];
    if let Some(script) = &st.rehearsed {
        let mut lines = vec![Line::styled(
            "rehearsal: not run",
            theme.fg(Slot::Warning).add_modifier(Modifier::BOLD),
        )];
        lines.extend(
            script
                .lines()
                .map(|l| Line::styled(format!("  $ {l}"), theme.fg(Slot::Code))),
        );
        return lines;
    }
    let step = &state.runbook.steps[i];
    let text = match step.kind {
        StepKind::Note => "Notes are shown, never run.",
        _ if !step.is_runnable() && st.edited.is_none() => {
            "Manual step: do it, then Space ticks it."
        }
        _ if st.starting => "Starting…",
        _ => "Not run yet: Enter runs it.",
    };
    vec![Line::styled(text, theme.muted())]
}

/// Draws the output pane.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let is_focused = focused(state, Focus::Output);
    let shown = state.shown_pane();
    let mut block = pane_block(
        top_title(state, shown, is_focused, theme),
        is_focused,
        theme,
    )
    .style(theme.base().patch(theme.bg(Slot::OutputBg)));
    if let Some(p) = shown {
        block = block.title_bottom(bottom_title(state, p, theme));
    }
    let inner = block.inner(area);
    let Some(pane) = shown else {
        frame.render_widget(block, area);
        let inner = Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        frame.render_widget(
            Paragraph::new(placeholder(state, theme)).wrap(Wrap { trim: false }),
            inner,
        );
        return;
    };
    let cursor = Cursor::default().visibility(state.interact && pane.exit.is_none());
    let term = PseudoTerminal::new(pane.parser.screen())
        .block(block)
        .cursor(cursor);
    frame.render_widget(term, area);
    paint_background(frame, inner, theme);
    highlight_matches(frame, inner, pane, theme);
}

/// The vt100 widget resets colours; give default-coloured cells the theme's output colours.
fn paint_background(frame: &mut Frame, inner: Rect, theme: &Theme) {
    let (Some(bg), fg) = (theme.color(Slot::OutputBg), theme.color(Slot::Text)) else {
        return;
    };
    let buf = frame.buffer_mut();
    for y in inner.top()..inner.bottom() {
        for x in inner.left()..inner.right() {
            let cell = &mut buf[(x, y)];
            if cell.bg == Color::Reset {
                cell.bg = bg;
            }
            if let (Color::Reset, Some(fg)) = (cell.fg, fg) {
                cell.fg = fg;
            }
        }
    }
}

/// Marks the search matches that are on screen; the current one stronger.
fn highlight_matches(frame: &mut Frame, inner: Rect, pane: &Pane, theme: &Theme) {
    let Some(search) = &pane.search else { return };
    let top = pane.view_top();
    let base = match theme.color(Slot::SearchMatch) {
        Some(c) => Style::default()
            .bg(c)
            .fg(theme.color(Slot::BadgeText).unwrap_or(Color::Black)),
        None => Style::default().add_modifier(Modifier::REVERSED),
    };
    let buf = frame.buffer_mut();
    for (n, &(line, col, len)) in search.matches.iter().enumerate() {
        let Some(row) = line.checked_sub(top).and_then(|r| u16::try_from(r).ok()) else {
            continue;
        };
        if row >= inner.height {
            continue;
        }
        let style = if n == search.current {
            base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            base
        };
        for c in col..col + len {
            let Ok(x) = u16::try_from(c) else { break };
            if x < inner.width {
                buf[(inner.x + x, inner.y + row)].set_style(style);
            }
        }
    }
}
