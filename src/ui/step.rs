//! The step pane: title, heading path, badges, the surrounding markdown, the commands with
//! syntax colours and labels, values (secrets masked), `Expected:`, notes. On a heading: the
//! section's steps and progress.

use super::{focused, highlight, markdown, pane_block, status_glyph, status_word, title_style};
use crate::runbook::{Risk, StepKind};
use crate::state::{Focus, Item, MASK, State, Status, nav};
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn badge(text: &str, style: Style) -> Span<'static> {
    Span::styled(format!(" {text} "), style)
}

fn section_label(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(
        text.to_string(),
        theme.fg(Slot::Accent).add_modifier(Modifier::BOLD),
    )
}

fn badges(state: &State, i: usize, theme: &Theme) -> Line<'static> {
    let step = &state.runbook.steps[i];
    let st = &state.steps[i];
    let kind = match step.kind {
        StepKind::Check => "check",
        StepKind::Command => "command",
        StepKind::Note => "note",
    };
    let mut spans = vec![
        status_glyph(state, i, theme),
        Span::styled(format!(" {}", status_word(state, i)), theme.fg(Slot::Text)),
        Span::styled(format!("  ·  {kind}"), theme.muted()),
    ];
    if let Some(lang) = &step.lang {
        spans.push(Span::styled(format!(" · {lang}"), theme.muted()));
    }
    spans.push(Span::raw("  "));
    match crate::state::shown_risk(state, i) {
        Some(Risk::Write) => spans.push(badge("WRITE", theme.badge(Slot::RiskWrite))),
        Some(Risk::Destructive) => {
            spans.push(badge("DESTRUCTIVE", theme.badge(Slot::RiskDestructive)))
        }
        Some(Risk::Read) => spans.push(Span::styled("reads only", theme.fg(Slot::StepDone))),
        None => {}
    }
    let extra = [
        (
            step.commands.iter().any(|c| c.long_running),
            " ⏵ long-running",
        ),
        (
            step.commands.iter().any(|c| c.interactive),
            " ⌨ interactive",
        ),
        (st.edited.is_some(), " ✎ edited"),
        (step.manifest, " manifest"),
    ];
    for (on, text) in extra {
        if on {
            spans.push(Span::styled(text, theme.fg(Slot::Accent)));
        }
    }
    Line::from(spans)
}

fn commands(state: &State, i: usize, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let step = &state.runbook.steps[i];
    let prompt = Span::styled("$ ", theme.muted());
    if let Some(edited) = &state.steps[i].edited {
        lines.push(section_label("Command (edited)", theme));
        for (n, l) in edited.lines().enumerate() {
            let mut spans = vec![if n == 0 {
                prompt.clone()
            } else {
                Span::raw("  ")
            }];
            spans.extend(highlight::spans(l, n == 0, theme));
            lines.push(Line::from(spans));
        }
        return;
    }
    if step.kind == StepKind::Note || step.commands.is_empty() {
        if let Some(code) = &step.code {
            lines.push(section_label(step.lang.as_deref().unwrap_or("code"), theme));
            lines.extend(
                code.lines()
                    .map(|l| Line::styled(format!("  {l}"), theme.fg(Slot::Code))),
            );
        }
        return;
    }
    lines.push(section_label(
        if step.commands.len() > 1 {
            "Commands"
        } else {
            "Command"
        },
        theme,
    ));
    for c in &step.commands {
        if let Some(label) = &c.label {
            lines.push(Line::styled(
                format!("# {label}"),
                theme.muted().add_modifier(Modifier::ITALIC),
            ));
        }
        for (n, l) in c.text.lines().enumerate() {
            let mut spans = vec![if n == 0 {
                prompt.clone()
            } else {
                Span::raw("  ")
            }];
            spans.extend(highlight::spans(l, n == 0, theme));
            if n == 0 && c.risk > Risk::Read && step.commands.len() > 1 {
                let slot = if c.risk == Risk::Destructive {
                    Slot::RiskDestructive
                } else {
                    Slot::RiskWrite
                };
                let mark = if c.risk == Risk::Destructive {
                    "  !!"
                } else {
                    "  !"
                };
                spans.push(Span::styled(
                    mark,
                    theme.fg(slot).add_modifier(Modifier::BOLD),
                ));
            }
            lines.push(Line::from(spans));
        }
    }
}

fn values(state: &State, i: usize, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let step = &state.runbook.steps[i];
    if step.variables.is_empty() && step.placeholders.is_empty() {
        return;
    }
    lines.push(Line::default());
    lines.push(section_label("Values", theme));
    let names = step
        .variables
        .iter()
        .map(|n| (n, format!("${n}")))
        .chain(step.placeholders.iter().map(|n| (n, format!("<{n}>"))));
    let missing = state.missing_values(i);
    for (name, shown) in names {
        let value = match state.vars.get(name.as_str()) {
            Some(v) if v.secret => Span::styled(MASK, theme.fg(Slot::Text)),
            Some(v) => Span::styled(
                v.value.clone(),
                theme.fg(Slot::Text).add_modifier(Modifier::BOLD),
            ),
            None if state.env_names.contains(name.as_str()) => {
                Span::styled("from environment", theme.muted())
            }
            None if state.env_choice_refused(name).is_some() => Span::styled(
                format!(
                    "the environment's value is not one of {} — asked on run",
                    state
                        .env_choice_refused(name)
                        .unwrap_or_default()
                        .join(", ")
                ),
                theme.fg(Slot::Warning),
            ),
            None if state.carried.contains_key(name.as_str()) && state.is_secret(name) => {
                Span::styled(format!("{MASK} (left by an earlier step)"), theme.muted())
            }
            None if state.carried.contains_key(name.as_str()) => Span::styled(
                format!("{} (left by an earlier step)", state.carried[name.as_str()]),
                theme.muted(),
            ),
            None if !missing.iter().any(|m| m == name.as_str()) => Span::styled(
                "not asked: an earlier step or the script's default sets it",
                theme.muted(),
            ),
            None => match state
                .runbook
                .meta
                .variables
                .get(name.as_str())
                .and_then(|v| v.default.clone())
            {
                Some(_) if state.is_secret(name) => {
                    Span::styled(format!("{MASK} (default, asked on run)"), theme.muted())
                }
                Some(d) => Span::styled(format!("{d} (default, asked on run)"), theme.muted()),
                None => Span::styled("not set — asked on run", theme.fg(Slot::Warning)),
            },
        };
        let style = if shown.starts_with('<') {
            theme.fg(Slot::Placeholder)
        } else {
            theme.fg(Slot::SyntaxVariable)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {shown:<16} "), style),
            value,
        ]));
    }
}

fn step_lines(state: &State, i: usize, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let step = &state.runbook.steps[i];
    let st = &state.steps[i];
    let mut lines = Vec::new();
    let path = nav::heading_path(&state.runbook, Item::Step(i));
    if !path.is_empty() {
        lines.push(Line::styled(path.join(" › "), theme.muted()));
    }
    lines.push(badges(state, i, theme));
    if let Some(reason) = &st.error {
        lines.push(Line::styled(
            format!("could not start: {reason}"),
            theme.fg(Slot::StepFailed),
        ));
    }
    if let (Status::Skipped, Some(reason)) = (st.status, &st.skip_reason) {
        lines.push(Line::styled(
            format!("skipped: {reason}"),
            theme.fg(Slot::StepSkipped),
        ));
    }
    if let Some(text) = step.annotations.get("confirm") {
        lines.push(Line::styled(format!("⚠ {text}"), theme.fg(Slot::Warning)));
    }
    lines.push(Line::default());
    let context = markdown::render(&step.context, width, theme);
    if !context.is_empty() {
        lines.extend(context);
        lines.push(Line::default());
    }
    commands(state, i, theme, &mut lines);
    values(state, i, theme, &mut lines);
    if !step.expect.is_empty() {
        lines.push(Line::default());
        lines.push(section_label("Expected", theme));
        lines.extend(
            step.expect
                .iter()
                .map(|e| Line::styled(format!("  {e}"), theme.fg(Slot::StepDone))),
        );
    }
    if !st.notes.is_empty() {
        lines.push(Line::default());
        lines.push(section_label("Notes", theme));
        lines.extend(
            st.notes
                .iter()
                .map(|n| Line::styled(format!("  • {n}"), theme.fg(Slot::Text))),
        );
    }
    lines
}

fn heading_lines(state: &State, h: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let path = nav::heading_path(&state.runbook, Item::Heading(h));
    if !path.is_empty() {
        lines.push(Line::styled(path.join(" › "), theme.muted()));
    }
    let steps = nav::steps_under(&state.runbook, h);
    let done = steps
        .iter()
        .filter(|i| matches!(state.steps[**i].status, Status::Done | Status::Skipped))
        .count();
    lines.push(Line::styled(
        format!("{done} of {} steps done", steps.len()),
        theme.fg(Slot::Text),
    ));
    lines.push(Line::default());
    for i in steps {
        let s = &state.runbook.steps[i];
        lines.push(Line::from(vec![
            Span::raw("  "),
            status_glyph(state, i, theme),
            Span::styled(format!(" {:>2}  ", s.number), theme.muted()),
            Span::styled(s.title.to_string(), theme.fg(Slot::Text)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Enter folds or unfolds this section.",
        theme.muted(),
    ));
    lines
}

/// Rows the lines take once wrapped (character wrap: a close upper bound of word wrap is not
/// needed, it only clamps scrolling and shows the "more" hint).
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(w).max(1)).sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Draws the step pane.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let is_focused = focused(state, Focus::Step);
    let title = match state.cursor {
        Item::Step(i) if i < state.runbook.steps.len() => {
            format!(
                " Step {} · {} ",
                state.runbook.steps[i].number, state.runbook.steps[i].title
            )
        }
        Item::Heading(h) if h < state.runbook.sections.len() => {
            format!(" {} ", state.runbook.sections[h].title)
        }
        _ => " Step ".to_string(),
    };
    let block = pane_block(
        Span::styled(title, title_style(is_focused, theme)),
        is_focused,
        theme,
    );
    let inner = block.inner(area);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    frame.render_widget(block, area);
    let lines = match state.cursor {
        Item::Step(i) if i < state.runbook.steps.len() => step_lines(state, i, inner.width, theme),
        Item::Heading(h) if h < state.runbook.sections.len() => heading_lines(state, h, theme),
        _ => vec![Line::styled("Nothing selected.", theme.muted())],
    };
    let total = wrapped_height(&lines, inner.width);
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let scroll = state.step_scroll.min(total.saturating_sub(inner.height));
    frame.render_widget(para.scroll((scroll, 0)), inner);
    if total > inner.height && inner.height > 0 {
        let more = if scroll + inner.height < total {
            " ↓ more "
        } else {
            " ↑ "
        };
        let w = u16::try_from(more.chars().count()).unwrap_or(0);
        let r = Rect::new(
            area.x + area.width.saturating_sub(w + 2),
            area.y + area.height - 1,
            w,
            1,
        );
        frame.render_widget(
            Paragraph::new(Span::styled(more, theme.muted())),
            r.intersection(area),
        );
    }
}
