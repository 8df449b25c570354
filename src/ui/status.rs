//! The two bottom lines: status (mode, title, progress bar, elapsed time, kube context with a
//! production badge) and hints (search prompt, notice, or the focused area's keys, generated from
//! the keymap).

use super::{focused, markdown::fit};
use crate::state::action::Action;
use crate::state::{Focus, Mode, PromptKind, State};
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// `01:02:03`.
pub(crate) fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

fn progress_bar(done: usize, total: usize, cells: usize) -> (String, String) {
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    ("━".repeat(filled), "─".repeat(cells - filled))
}

fn status_line(state: &State, width: u16, theme: &Theme) -> Line<'static> {
    let bar = theme.bg(Slot::StatusBar).patch(theme.fg(Slot::StatusText));
    let prod = state.is_production();
    let mode_slot = match state.mode {
        Mode::Live if prod => Slot::ProductionBadge,
        Mode::Live => Slot::StepDone,
        Mode::Rehearsal => Slot::Warning,
        Mode::ReadOnly => Slot::Accent,
    };
    let (done, total) = state.progress();
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    let (full, empty) = progress_bar(done, total, 12);
    let elapsed = state
        .started_ms
        .map_or(0, |s| state.now_ms.saturating_sub(s));
    let mut left = vec![
        Span::styled(format!(" {} ", state.mode.badge()), theme.badge(mode_slot)),
        Span::styled(
            format!(" {} ", state.runbook.title),
            bar.add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!(" {done}/{total} "), bar),
        Span::styled(full, bar.patch(theme.fg(Slot::StepDone))),
        Span::styled(empty, bar.patch(theme.fg(Slot::Border))),
        Span::styled(format!(" {pct:>3}% "), bar),
        Span::styled(format!(" ⏱ {} ", clock(elapsed)), bar),
    ];
    let right = match (&state.kube.context, &state.kube.namespace) {
        (Some(ctx), ns) => {
            let ns = ns.as_deref().map(|n| format!(" / {n}")).unwrap_or_default();
            if prod {
                vec![Span::styled(
                    format!(" ⎈ PRODUCTION {ctx}{ns} "),
                    theme.badge(Slot::ProductionBadge),
                )]
            } else {
                vec![Span::styled(format!(" ⎈ {ctx}{ns} "), bar)]
            }
        }
        (None, _) => vec![Span::styled(
            " ⎈ no kube context ",
            bar.patch(theme.muted()),
        )],
    };
    let mut right = right;
    if let Some((_, want)) = state.context_mismatch() {
        // Stays as long as the mismatch does: a notice would be gone at the next key.
        right.push(Span::styled(
            format!(" ≠ runbook expects {want} "),
            theme.badge(Slot::RiskDestructive),
        ));
    }
    let used: usize = left.iter().chain(&right).map(|s| s.content.width()).sum();
    let width = usize::from(width);
    if used <= width {
        left.push(Span::styled(" ".repeat(width - used), bar));
        left.extend(right);
    } else {
        // Narrow: mode, progress and context matter more than the title, the bar and the clock.
        let badge = left.remove(0);
        let progress = Span::styled(format!(" {done}/{total} "), bar);
        let fixed = badge.content.width()
            + progress.content.width()
            + right.iter().map(|s| s.content.width()).sum::<usize>();
        let room = width.saturating_sub(fixed);
        left = vec![badge];
        if room >= 10 {
            left.push(Span::styled(
                format!(" {}", fit(&state.runbook.title, room - 1)),
                bar.add_modifier(Modifier::BOLD),
            ));
        } else {
            left.push(Span::styled(" ".repeat(room), bar));
        }
        left.push(progress);
        left.extend(right);
    }
    Line::from(left).style(bar)
}

/// The actions hinted for the focused area, with short labels.
fn hint_actions(focus: Focus) -> &'static [(Action, &'static str)] {
    match focus {
        Focus::Outline | Focus::Cluster => &[
            (Action::Run, "run"),
            (Action::ToggleCheck, "tick"),
            (Action::Skip, "skip"),
            (Action::Edit, "edit"),
            (Action::Variables, "values"),
            (Action::Search, "search"),
            (Action::Collapse, "fold"),
            (Action::FocusNext, "focus"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        Focus::Step => &[
            (Action::MoveDown, "scroll"),
            (Action::Run, "run"),
            (Action::Edit, "edit"),
            (Action::Variables, "values"),
            (Action::AddNote, "note"),
            (Action::FocusNext, "focus"),
            (Action::Help, "help"),
        ],
        Focus::Output => &[
            (Action::PageUp, "scroll"),
            (Action::Follow, "follow"),
            (Action::Search, "find"),
            (Action::Interact, "type"),
            (Action::Stop, "stop"),
            (Action::NextTab, "tab"),
            (Action::FocusNext, "focus"),
            (Action::Help, "help"),
        ],
    }
}

fn hints_line(state: &State, width: u16, theme: &Theme) -> Line<'static> {
    if let Some(p) = &state.prompt {
        let label = match p.kind {
            PromptKind::Steps => " search steps: ",
            PromptKind::Output(_) => " find in output: ",
        };
        let count = match p.kind {
            PromptKind::Steps => state
                .search
                .as_ref()
                .map(|(_, m)| format!("   {} matching", m.len())),
            PromptKind::Output(run) => state
                .panes
                .get(&run)
                .and_then(|pane| pane.search.as_ref())
                .map(|s| format!("   {} matches", s.matches.len())),
        };
        return Line::from(vec![
            Span::styled(label, theme.fg(Slot::Accent).add_modifier(Modifier::BOLD)),
            Span::styled(format!("{}▏", p.text), theme.fg(Slot::Text)),
            Span::styled(count.unwrap_or_default(), theme.muted()),
            Span::styled("   Enter keep · Esc cancel", theme.muted()),
        ]);
    }
    if let Some(n) = &state.notice {
        let style = if n.error {
            theme.fg(Slot::StepFailed).add_modifier(Modifier::BOLD)
        } else {
            theme.fg(Slot::Accent)
        };
        return Line::styled(
            format!(" {}", fit(&n.text, usize::from(width).saturating_sub(1))),
            style,
        );
    }
    if state.interact {
        return Line::styled(
            " keys go to the process · Ctrl-] leaves interactive mode",
            theme.fg(Slot::Accent),
        );
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    let focus = if focused(state, state.focus) {
        state.focus
    } else {
        Focus::Outline
    };
    for (action, label) in hint_actions(focus) {
        let Some(key) = state.config.keymap.keys(*action).first() else {
            continue;
        };
        let key = key.label();
        let w = key.width() + label.width() + 3;
        if used + w > usize::from(width) {
            break;
        }
        used += w;
        spans.push(Span::styled(
            key,
            theme.fg(Slot::Accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(format!(" {label}   "), theme.muted()));
    }
    Line::from(spans)
}

/// Draws the status and hint lines.
pub fn draw(frame: &mut Frame, status: Rect, hints: Rect, state: &State, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(status_line(state, status.width, theme)),
        status,
    );
    frame.render_widget(Paragraph::new(hints_line(state, hints.width, theme)), hints);
}
