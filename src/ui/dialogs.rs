//! Modal dialogs over the screen: values, confirm (write / destructive), resume, skip reason and
//! note, the command editor, quit and notices. Help is in `help.rs`.

use super::{centered, help, run_dialogs};
use crate::state::{Dialog, MASK, ResumeOffer, State, Status, TextPurpose, Values};
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

/// Clears a centred box, draws its frame and returns the text area inside.
pub(crate) fn frame_box(
    frame: &mut Frame,
    area: Rect,
    title: Line<'static>,
    size: (u16, u16),
    border: Style,
    theme: &Theme,
) -> Rect {
    let r = centered(area, size.0, size.1);
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(border.add_modifier(Modifier::BOLD))
        .title(title)
        .style(theme.base());
    let inner = block.inner(r);
    frame.render_widget(block, r);
    Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    )
}

pub(crate) fn title(text: String, theme: &Theme, slot: Slot) -> Line<'static> {
    Line::styled(
        format!(" {text} "),
        theme.fg(slot).add_modifier(Modifier::BOLD),
    )
}

pub(crate) fn keys(parts: &[(&str, &str)], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (k, what)) in parts.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("  ·  ", theme.muted()));
        }
        spans.push(Span::styled(
            (*k).to_string(),
            theme.fg(Slot::Accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(format!(" {what}"), theme.muted()));
    }
    Line::from(spans)
}

pub(crate) fn field(text: &str, focused: bool, width: usize, theme: &Theme) -> Span<'static> {
    let shown = if focused {
        format!("{text}▏")
    } else {
        text.to_string()
    };
    let pad = width.saturating_sub(shown.chars().count());
    let style = if focused {
        theme.selection()
    } else {
        theme.bg(Slot::CodeBg).patch(theme.fg(Slot::Text))
    };
    Span::styled(format!(" {shown}{} ", " ".repeat(pad)), style)
}

fn height_of(lines: &[Line], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(w).max(1)).sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Draws `lines` in a box sized to them.
pub(crate) fn boxed(
    frame: &mut Frame,
    area: Rect,
    head: Line<'static>,
    lines: Vec<Line<'static>>,
    border: Style,
    width: u16,
    theme: &Theme,
) {
    let width = width.min(area.width.saturating_sub(4)).max(20);
    let h = height_of(&lines, width.saturating_sub(4)) + 2;
    let inner = frame_box(frame, area, head, (width, h), border, theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn values(frame: &mut Frame, area: Rect, state: &State, v: &Values, theme: &Theme) {
    let head = match v.step {
        Some(i) => format!(
            "Values · step {} · {}",
            state.runbook.steps[i].number, state.runbook.steps[i].title
        ),
        None => "Values for this session".to_string(),
    };
    let mut lines = vec![
        Line::styled(
            "Values are kept for this session and recorded in the journal (secrets masked).",
            theme.muted(),
        ),
        Line::default(),
    ];
    let name_w = v.fields.iter().map(|f| f.name.len() + 3).max().unwrap_or(8);
    for (i, f) in v.fields.iter().enumerate() {
        let focused = i == v.focused;
        let name = if f.placeholder {
            format!("<{}>", f.name)
        } else {
            format!("${}", f.name)
        };
        let shown = if f.secret {
            MASK.chars().take(f.value.chars().count().min(6)).collect()
        } else {
            f.value.clone()
        };
        let slot = if f.placeholder {
            Slot::Placeholder
        } else {
            Slot::SyntaxVariable
        };
        let mut spans = vec![
            Span::styled(if focused { "▸ " } else { "  " }, theme.fg(Slot::Accent)),
            Span::styled(
                format!("{name:<name_w$} "),
                theme.fg(slot).add_modifier(Modifier::BOLD),
            ),
            field(&shown, focused, 28, theme),
        ];
        if f.secret {
            spans.push(Span::styled(" secret", theme.fg(Slot::Warning)));
        }
        lines.push(Line::from(spans));
        let mut help = Vec::new();
        if let Some(p) = &f.prompt {
            help.push(p.clone());
        }
        if let Some(d) = f.default.as_ref().filter(|_| !f.secret) {
            help.push(format!("default {d}"));
        }
        if !f.choices.is_empty() {
            help.push(format!("one of {}", f.choices.join(", ")));
        }
        if !help.is_empty() {
            lines.push(Line::styled(
                format!("  {:name_w$}  {}", "", help.join(" · ")),
                theme.muted(),
            ));
        }
    }
    if let Some(e) = &v.error {
        lines.push(Line::default());
        lines.push(Line::styled(e.clone(), theme.fg(Slot::StepFailed)));
    }
    lines.push(Line::default());
    let enter = if v.then_run { "save and run" } else { "save" };
    lines.push(keys(
        &[
            ("Tab", "next"),
            ("Enter", enter),
            ("Ctrl-U", "clear"),
            ("Esc", "cancel"),
        ],
        theme,
    ));
    boxed(
        frame,
        area,
        title(head, theme, Slot::Accent),
        lines,
        theme.fg(Slot::BorderFocused),
        72,
        theme,
    );
}

fn resume(frame: &mut Frame, area: Rect, state: &State, offer: &ResumeOffer, theme: &Theme) {
    // Counted against the runbook as it is now: steps that changed or went away since the
    // session started are not restored, so they are not counted as done either.
    let known = |id: &str| state.runbook.steps.iter().any(|s| s.id.as_str() == id);
    let done = offer
        .statuses
        .iter()
        .filter(|(id, s)| known(id) && matches!(s, Status::Done | Status::Skipped))
        .count();
    let gone = offer.statuses.iter().filter(|(id, _)| !known(id)).count();
    let (_, total) = state.progress();
    let mut lines = vec![
        Line::styled(
            "This runbook has an unfinished session.",
            theme.fg(Slot::Text),
        ),
        Line::default(),
        Line::from(vec![
            Span::styled("started    ", theme.muted()),
            Span::styled(offer.started.clone(), theme.fg(Slot::Text)),
        ]),
        Line::from(vec![
            Span::styled("progress   ", theme.muted()),
            Span::styled(
                format!("{done} of {total} steps done"),
                theme.fg(Slot::StepDone),
            ),
        ]),
        Line::from(vec![
            Span::styled("session    ", theme.muted()),
            Span::styled(offer.session.clone(), theme.muted()),
        ]),
    ];
    if gone > 0 {
        lines.push(Line::styled(
            format!(
                "⚠ changed since: {} of it gone or changed",
                crate::check::count(gone, "step")
            ),
            theme.fg(Slot::Warning),
        ));
    }
    lines.push(Line::default());
    lines.push(keys(
        &[("y", "resume it"), ("n", "start a new session")],
        theme,
    ));
    boxed(
        frame,
        area,
        title("Resume session?".into(), theme, Slot::Accent),
        lines,
        theme.fg(Slot::BorderFocused),
        60,
        theme,
    );
}

fn text_dialog(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    purpose: TextPurpose,
    text: &str,
    error: Option<&String>,
    theme: &Theme,
) {
    let (step, head, ask) = match purpose {
        TextPurpose::Skip(i) => (
            i,
            "Skip step",
            "Why is this step skipped? (recorded in the journal)",
        ),
        TextPurpose::Note(i) => (
            i,
            "Note",
            "Add a note to this step (recorded in the journal):",
        ),
    };
    let s = &state.runbook.steps[step];
    let mut lines = vec![
        Line::styled(ask, theme.fg(Slot::Text)),
        Line::default(),
        Line::from(field(text, true, 50, theme)),
    ];
    if let Some(e) = error {
        lines.push(Line::styled(e.clone(), theme.fg(Slot::StepFailed)));
    }
    lines.push(Line::default());
    lines.push(keys(&[("Enter", "save"), ("Esc", "cancel")], theme));
    let head = format!("{head} · {} · {}", s.number, s.title);
    boxed(
        frame,
        area,
        title(head, theme, Slot::Accent),
        lines,
        theme.fg(Slot::BorderFocused),
        64,
        theme,
    );
}

/// Draws the open dialog, if any.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(dialog) = &state.dialog else { return };
    match dialog {
        Dialog::Values(v) => values(frame, area, state, v, theme),
        Dialog::Confirm(c) => run_dialogs::confirm(frame, area, state, c, theme),
        Dialog::Resume(o) => resume(frame, area, state, o, theme),
        Dialog::Text {
            purpose,
            text,
            error,
        } => text_dialog(frame, area, state, *purpose, text, error.as_ref(), theme),
        Dialog::Editor(ed) => run_dialogs::editor(frame, area, state, ed, theme),
        Dialog::Quit { running } => {
            let what = if *running == 1 {
                "1 step is".to_string()
            } else {
                format!("{running} steps are")
            };
            let lines = vec![
                Line::styled(format!("{what} still running."), theme.fg(Slot::Text)),
                Line::styled(
                    "Quitting stops them (SIGINT, then TERM, then KILL).",
                    theme.muted(),
                ),
                Line::default(),
                keys(&[("y", "quit"), ("N", "stay")], theme),
            ];
            boxed(
                frame,
                area,
                title("Quit?".into(), theme, Slot::Warning),
                lines,
                theme.fg(Slot::Warning),
                56,
                theme,
            );
        }
        Dialog::Notice {
            title: t,
            text,
            error,
        } => {
            let slot = if *error {
                Slot::StepFailed
            } else {
                Slot::StepDone
            };
            let mut lines: Vec<Line> = text
                .lines()
                .map(|l| Line::styled(l.to_string(), theme.fg(Slot::Text)))
                .collect();
            lines.push(Line::default());
            lines.push(keys(&[("any key", "close")], theme));
            boxed(
                frame,
                area,
                title(t.clone(), theme, slot),
                lines,
                theme.fg(slot),
                64,
                theme,
            );
        }
        Dialog::Help { scroll } => help::draw(frame, area, state, *scroll, theme),
    }
}
