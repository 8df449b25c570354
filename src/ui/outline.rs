//! The outline: headings (foldable, with their progress) and numbered steps with status glyphs
//! and markers: `!` write, `!!` destructive, `⏵` long-running, `⌨` interactive.

use super::{focused, markdown::fit, pane_block, status_glyph, title_style};
use crate::runbook::{Risk, Step};
use crate::state::{Focus, Item, State, Status, nav};
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// The markers after a step's title.
fn markers(step: &Step, risk: Option<Risk>, theme: &Theme) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    if step.commands.iter().any(|c| c.long_running) {
        out.push(Span::styled("⏵", theme.fg(Slot::Accent)));
    }
    if step.commands.iter().any(|c| c.interactive) {
        out.push(Span::styled("⌨", theme.fg(Slot::Accent)));
    }
    match risk {
        Some(Risk::Write) => out.push(Span::styled(
            "!",
            theme.fg(Slot::RiskWrite).add_modifier(Modifier::BOLD),
        )),
        Some(Risk::Destructive) => {
            out.push(Span::styled(
                "!!",
                theme.fg(Slot::RiskDestructive).add_modifier(Modifier::BOLD),
            ));
        }
        _ => {}
    }
    out
}

fn heading_line(
    state: &State,
    h: usize,
    indent: usize,
    folded: Option<usize>,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let steps = nav::steps_under(&state.runbook, h);
    let done = steps
        .iter()
        .filter(|i| {
            matches!(
                state.steps[**i].status,
                Status::Done | Status::Skipped | Status::Rehearsed
            )
        })
        .count();
    let arrow = if folded.is_some() { "▸ " } else { "▾ " };
    let count = if steps.is_empty() {
        String::new()
    } else {
        format!(" {done}/{}", steps.len())
    };
    let lead = format!("{}{arrow}", "  ".repeat(indent));
    let title_w = width.saturating_sub(lead.width() + count.width());
    let complete = !steps.is_empty() && done == steps.len();
    let count_style = if complete {
        theme.fg(Slot::StepDone)
    } else {
        theme.muted()
    };
    Line::from(vec![
        Span::styled(lead, theme.fg(Slot::Heading)),
        Span::styled(
            fit(&state.runbook.sections[h].title, title_w),
            theme.fg(Slot::Heading).add_modifier(Modifier::BOLD),
        ),
        Span::styled(count, count_style),
    ])
}

fn step_line(state: &State, i: usize, indent: usize, width: usize, theme: &Theme) -> Line<'static> {
    let step = &state.runbook.steps[i];
    let marks = markers(step, crate::state::shown_risk(state, i), theme);
    let marks_w: usize =
        marks.iter().map(|s| s.content.width()).sum::<usize>() + marks.len().min(1);
    let lead = "  ".repeat(indent);
    let number = format!(" {:>2} ", step.number);
    let title_w = width.saturating_sub(lead.width() + 1 + number.width() + marks_w);
    let st = &state.steps[i];
    let title_style = match st.status {
        Status::Skipped | Status::Rehearsed => theme.muted().add_modifier(Modifier::CROSSED_OUT),
        Status::Failed => theme.fg(Slot::StepFailed),
        _ if step.kind == crate::runbook::StepKind::Note => theme.muted(),
        _ => theme.fg(Slot::Text),
    };
    let is_match = state.search.as_ref().is_some_and(|(_, m)| m.contains(&i));
    let title_style = if is_match {
        title_style
            .patch(theme.fg(Slot::SearchMatch))
            .add_modifier(Modifier::UNDERLINED)
    } else {
        title_style
    };
    let mut spans = vec![
        Span::raw(lead),
        status_glyph(state, i, theme),
        Span::styled(number, theme.muted()),
        Span::styled(fit(&step.title, title_w), title_style),
    ];
    if !marks.is_empty() {
        spans.push(Span::raw(" "));
        spans.extend(marks);
    }
    Line::from(spans)
}

/// Draws the outline into `area`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let is_focused = focused(state, Focus::Outline);
    let (done, total) = state.progress();
    let title = Line::from(vec![
        Span::styled(" Outline ", title_style(is_focused, theme)),
        Span::styled(format!("{done}/{total} "), theme.muted()),
    ]);
    let block = pane_block(title, is_focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = nav::rows(state);
    let height = usize::from(inner.height);
    let scroll = state.outline_scroll.min(rows.len().saturating_sub(height));
    let width = usize::from(inner.width);
    let mut lines = Vec::with_capacity(height);
    for row in rows.iter().skip(scroll).take(height) {
        let mut line = match row.item {
            Item::Heading(h) => heading_line(state, h, row.indent, row.folded, width, theme),
            Item::Step(i) => step_line(state, i, row.indent, width, theme),
        };
        if row.item == state.cursor {
            let sel = if is_focused {
                theme.selection()
            } else {
                theme.selection().remove_modifier(Modifier::BOLD)
            };
            line = line.style(sel);
            // Pad so that the highlight spans the whole row.
            let w = line.width();
            line.spans
                .push(Span::raw(" ".repeat(width.saturating_sub(w))));
        }
        lines.push(line);
    }
    if rows.is_empty() {
        lines.push(Line::styled("  (no steps in this runbook)", theme.muted()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    // A scroll hint when rows are hidden below/above.
    if rows.len() > height && inner.height > 0 {
        let hint = format!(
            " {}–{} of {} ",
            scroll + 1,
            (scroll + height).min(rows.len()),
            rows.len()
        );
        let x = area.x
            + area
                .width
                .saturating_sub(u16::try_from(hint.width()).unwrap_or(0) + 2);
        let r = Rect::new(
            x,
            area.y + area.height - 1,
            u16::try_from(hint.width()).unwrap_or(0),
            1,
        );
        frame.render_widget(
            Paragraph::new(Span::styled(hint, theme.muted())),
            r.intersection(area),
        );
    }
}
