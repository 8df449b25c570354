//! The DIR picker screen: a filter line, the matching markdown files with their titles and step
//! counts, and the keys.

use super::markdown::fit;
use super::pane_block;
use crate::state::State;
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the picker over the whole screen.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(p) = &state.picker else { return };
    let visible = p.visible();
    let title = Line::from(vec![
        Span::styled(
            " Open a runbook ",
            theme.fg(Slot::BorderFocused).add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("in {} ", p.dir), theme.muted()),
    ]);
    let block = pane_block(title, true, theme).title_bottom(Line::styled(
        format!(" {} of {} files ", visible.len(), p.entries.len()),
        theme.muted(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    let filter = Line::from(vec![
        Span::styled(
            "Filter ",
            theme.fg(Slot::Accent).add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("{}▏", p.filter), theme.fg(Slot::Text)),
        Span::styled(
            if p.filter.is_empty() {
                "  type to filter by path or title"
            } else {
                ""
            },
            theme.muted(),
        ),
    ]);
    let mut lines = vec![filter, Line::default()];
    let width = usize::from(inner.width);
    let path_w = visible
        .iter()
        .map(|e| e.path.chars().count())
        .max()
        .unwrap_or(10)
        .min(width / 2);
    let list_h = usize::from(inner.height.saturating_sub(4));
    let first = p.selected.saturating_sub(list_h.saturating_sub(1));
    for (i, e) in visible.iter().enumerate().skip(first).take(list_h) {
        let steps = e
            .steps
            .map(|n| {
                if n == 1 {
                    "  1 step ".to_string()
                } else {
                    format!("{n:>3} steps")
                }
            })
            .unwrap_or_default();
        let title_w = width.saturating_sub(path_w + 4 + steps.chars().count());
        let mut line = Line::from(vec![
            Span::styled(
                if i == p.selected { "▸ " } else { "  " },
                theme.fg(Slot::Accent),
            ),
            Span::styled(
                fit(&e.path, path_w),
                theme.fg(Slot::Text).add_modifier(Modifier::BOLD),
            ),
            Span::raw("  "),
            Span::styled(
                fit(e.title.as_deref().unwrap_or(""), title_w),
                theme.muted(),
            ),
            Span::styled(steps, theme.muted()),
        ]);
        if i == p.selected {
            line = line.style(theme.selection());
        }
        lines.push(line);
    }
    if visible.is_empty() {
        let text = if p.entries.is_empty() {
            "No markdown files here."
        } else {
            "Nothing matches the filter."
        };
        lines.push(Line::styled(text, theme.muted()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let keys = Line::from(vec![
        Span::styled("↑↓", theme.fg(Slot::Accent).add_modifier(Modifier::BOLD)),
        Span::styled(" move   ", theme.muted()),
        Span::styled("Enter", theme.fg(Slot::Accent).add_modifier(Modifier::BOLD)),
        Span::styled(" open   ", theme.muted()),
        Span::styled("Esc", theme.fg(Slot::Accent).add_modifier(Modifier::BOLD)),
        Span::styled(" clear filter / quit", theme.muted()),
    ]);
    frame.render_widget(
        Paragraph::new(keys),
        Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1),
    );
}
