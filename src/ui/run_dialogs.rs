//! The dialogs that gate or change what runs: the write/destructive confirmation (exact command,
//! context, namespace, what to type) and the multi-line command editor.

use super::dialogs::{boxed, field, frame_box, keys, title};
use super::{fit, highlight};
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
    let mut top = Vec::new();
    if let Some((have, want)) = state.context_mismatch() {
        top.push(Line::styled(
            format!("⚠ kube context is {have}, this runbook expects {want}"),
            theme.badge(Slot::RiskDestructive),
        ));
        top.push(Line::default());
    }
    if let Some(note) = &c.note {
        top.push(Line::styled(
            format!("⚠ {note}"),
            theme.fg(Slot::Warning).add_modifier(Modifier::BOLD),
        ));
        top.push(Line::default());
    }
    top.push(Line::styled("This will run:", theme.muted()));
    let mut bottom = vec![Line::default()];
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
    bottom.push(Line::from(vec![
        Span::styled("context    ", theme.muted()),
        Span::styled(ctx, ctx_style),
    ]));
    // What the command itself names wins, as it does for kubectl.
    let ns = crate::state::target::namespace_of(&c.script)
        .or_else(|| state.kube.namespace.clone())
        .or_else(|| state.runbook.meta.namespace.clone())
        .unwrap_or_else(|| "(default)".into());
    bottom.push(Line::from(vec![
        Span::styled("namespace  ", theme.muted()),
        Span::styled(ns, theme.fg(Slot::Text).add_modifier(Modifier::BOLD)),
    ]));
    bottom.push(Line::default());
    match &c.target {
        Some(target) => {
            bottom.push(Line::from(vec![
                Span::styled("Type ", theme.fg(Slot::Text)),
                Span::styled(target.clone(), theme.fg(slot).add_modifier(Modifier::BOLD)),
                Span::styled(" to run it:", theme.fg(Slot::Text)),
            ]));
            bottom.push(Line::from(field(&c.typed, true, 30, theme)));
            if let Some(e) = &c.error {
                bottom.push(Line::styled(e.clone(), theme.fg(Slot::StepFailed)));
            }
            bottom.push(Line::default());
            bottom.push(keys(&[("Enter", "run"), ("Esc", "cancel")], theme));
        }
        None => bottom.push(keys(&[("y", "run it"), ("N", "cancel")], theme)),
    }
    let width = WIDTH.min(area.width.saturating_sub(4)).max(20);
    let inner_w = width.saturating_sub(4);
    // The box's borders take two rows; what is left is shared, the script getting the rest.
    let room = usize::from(area.height.saturating_sub(2));
    let budget = fit_around(&mut top, &mut bottom, room, inner_w);
    let mut lines = top;
    lines.extend(script_lines(&c.script, c.risk, budget, inner_w, theme));
    lines.extend(bottom);
    boxed(frame, area, head, lines, theme.fg(slot), WIDTH, theme);
}

/// The confirmation's width.
const WIDTH: u16 = 76;

/// Drops blank and heading lines around the script while the essentials (context, what to
/// type, keys) and at least one script row do not fit in `room`; returns the rows left for the
/// script.
fn fit_around(top: &mut Vec<Line>, bottom: &mut Vec<Line>, room: usize, w: u16) -> usize {
    let used = |top: &[Line], bottom: &[Line]| rows_of(top, w) + rows_of(bottom, w);
    while used(top, bottom) + 1 > room {
        if let Some(i) = bottom.iter().position(|l| l.width() == 0) {
            bottom.remove(i);
        } else if let Some(i) = top.iter().rposition(|l| l.width() == 0) {
            top.remove(i);
        } else if !top.is_empty() {
            top.pop();
        } else {
            break;
        }
    }
    room.saturating_sub(used(top, bottom))
}

fn rows_of(lines: &[Line], w: u16) -> usize {
    let w = usize::from(w.max(1));
    lines.iter().map(|l| l.width().div_ceil(w).max(1)).sum()
}

/// The script, highlighted, within `budget` rows: when it does not fit, the lines as risky as
/// the step stay in view and the others are summed up as "⋮ N lines not shown".
fn script_lines(
    script: &str,
    risk: Risk,
    budget: usize,
    w: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let all: Vec<Line<'static>> = script
        .lines()
        .enumerate()
        .map(|(n, l)| {
            let mut spans = vec![Span::styled(
                if n == 0 { "$ " } else { "  " },
                theme.muted(),
            )];
            spans.extend(highlight::spans(l, n == 0, theme));
            Line::from(spans)
        })
        .collect();
    let rows: Vec<usize> = all
        .iter()
        .map(|l| rows_of(std::slice::from_ref(l), w))
        .collect();
    let important: Vec<bool> = script
        .lines()
        .map(|l| crate::runbook::risk::analyze(l).risk >= risk)
        .collect();
    fit::fit(&rows, &important, budget)
        .into_iter()
        .map(|row| match row {
            fit::Row::Line(i) => all[i].clone(),
            fit::Row::Hidden(n) => Line::styled(
                format!("  ⋮ {n} more line{} (the step pane shows all)", plural(n)),
                theme.muted(),
            ),
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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
