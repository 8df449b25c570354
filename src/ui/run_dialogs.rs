//! The dialogs that gate or change what runs: the write/destructive confirmation (exact command,
//! context, namespace, what to type) and the multi-line command editor.

use super::dialogs::{boxed, field, frame_box, keys, title};
use super::highlight;
use crate::runbook::Risk;
use crate::state::{Confirm, Editor, State};
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(crate) fn confirm(frame: &mut Frame, area: Rect, state: &State, c: &Confirm, theme: &Theme) {
    let step = &state.runbook.steps[c.step];
    let (slot, word) = match c.risk {
        Risk::Destructive => (Slot::RiskDestructive, "DESTRUCTIVE"),
        _ => (Slot::RiskWrite, "WRITE"),
    };
    let head = Line::from(vec![
        Span::styled(format!(" {word} "), theme.badge(slot)),
        Span::styled(
            format!(" step {} · {} ", step.number, step.title),
            theme.fg(slot).add_modifier(Modifier::BOLD),
        ),
    ]);
    let mut lines = Vec::new();
    if let Some(note) = &c.note {
        lines.push(Line::styled(
            format!("⚠ {note}"),
            theme.fg(Slot::Warning).add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::default());
    }
    lines.push(Line::styled("This will run:", theme.muted()));
    for (n, l) in c.script.lines().enumerate() {
        let mut spans = vec![Span::styled(
            if n == 0 { "$ " } else { "  " },
            theme.muted(),
        )];
        spans.extend(highlight::spans(l, n == 0, theme));
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    let ctx = state
        .kube
        .context
        .clone()
        .unwrap_or_else(|| "(none)".into());
    let ctx_style = if state.is_production() {
        theme.badge(Slot::ProductionBadge)
    } else {
        theme.fg(Slot::Text).add_modifier(Modifier::BOLD)
    };
    lines.push(Line::from(vec![
        Span::styled("context    ", theme.muted()),
        Span::styled(ctx, ctx_style),
    ]));
    let ns = state
        .kube
        .namespace
        .clone()
        .or_else(|| state.runbook.meta.namespace.clone())
        .unwrap_or_else(|| "(default)".into());
    lines.push(Line::from(vec![
        Span::styled("namespace  ", theme.muted()),
        Span::styled(ns, theme.fg(Slot::Text).add_modifier(Modifier::BOLD)),
    ]));
    lines.push(Line::default());
    match &c.target {
        Some(target) => {
            lines.push(Line::from(vec![
                Span::styled("Type ", theme.fg(Slot::Text)),
                Span::styled(target.clone(), theme.fg(slot).add_modifier(Modifier::BOLD)),
                Span::styled(" to run it:", theme.fg(Slot::Text)),
            ]));
            lines.push(Line::from(field(&c.typed, true, 30, theme)));
            if let Some(e) = &c.error {
                lines.push(Line::styled(e.clone(), theme.fg(Slot::StepFailed)));
            }
            lines.push(Line::default());
            lines.push(keys(&[("Enter", "run"), ("Esc", "cancel")], theme));
        }
        None => lines.push(keys(&[("y", "run it"), ("N", "cancel")], theme)),
    }
    boxed(frame, area, head, lines, theme.fg(slot), 76, theme);
}

pub(crate) fn editor(frame: &mut Frame, area: Rect, state: &State, ed: &Editor, theme: &Theme) {
    let s = &state.runbook.steps[ed.step];
    let w = area.width.saturating_sub(8).clamp(20, 100);
    let h = (u16::try_from(ed.lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(5))
    .max(8)
    .min(area.height.saturating_sub(2));
    let head = title(
        format!("Edit command · step {} · {}", s.number, s.title),
        theme,
        Slot::Accent,
    );
    let inner = frame_box(
        frame,
        area,
        head,
        (w, h),
        theme.fg(Slot::BorderFocused),
        theme,
    );
    let body_h = usize::from(inner.height.saturating_sub(2));
    let first = ed.row.saturating_sub(body_h.saturating_sub(1));
    let cursor_style = Style::default().add_modifier(Modifier::REVERSED);
    let mut lines: Vec<Line> = Vec::new();
    for (n, text) in ed.lines.iter().enumerate().skip(first).take(body_h) {
        let mut spans = vec![Span::styled(format!("{:>3} ", n + 1), theme.muted())];
        if n == ed.row {
            let before: String = text.chars().take(ed.col).collect();
            let at: String = text.chars().nth(ed.col).map_or(" ".into(), String::from);
            let after: String = text.chars().skip(ed.col + 1).collect();
            spans.push(Span::styled(before, theme.fg(Slot::Text)));
            spans.push(Span::styled(at, cursor_style));
            spans.push(Span::styled(after, theme.fg(Slot::Text)));
        } else {
            spans.extend(highlight::spans(text, true, theme));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(
            inner.x,
            inner.y,
            inner.width,
            inner.height.saturating_sub(1),
        ),
    );
    let foot = keys(
        &[("Ctrl-S", "save"), ("Esc", "cancel"), ("Enter", "new line")],
        theme,
    );
    frame.render_widget(
        Paragraph::new(foot),
        Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1),
    );
}
