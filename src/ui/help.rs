//! The help overlay, generated from the active keymap: every action with its keys, by group, in
//! two columns when there is room.

use super::dialogs::frame_box;
use super::markdown::fit;
use crate::state::State;
use crate::state::action::{Action, Group};
use crate::state::keymap::Keymap;
use crate::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The help entries: per group, (keys, description) for every action.
pub fn entries(keymap: &Keymap) -> Vec<(Group, Vec<(String, &'static str)>)> {
    Group::ALL
        .iter()
        .map(|g| {
            let rows = Action::ALL
                .iter()
                .filter(|a| a.group() == *g)
                .map(|a| (keymap.label(*a), a.describe()))
                .collect();
            (*g, rows)
        })
        .collect()
}

fn group_lines(
    group: Group,
    rows: &[(String, &'static str)],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let key_w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(4)
        .min(14);
    let mut lines = vec![Line::styled(
        group.title().to_string(),
        theme.fg(Slot::Heading).add_modifier(Modifier::BOLD),
    )];
    for (keys, what) in rows {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {}", fit(keys, key_w)),
                theme.fg(Slot::Accent).add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!("  {}", fit(what, width.saturating_sub(key_w + 4))),
                theme.fg(Slot::Text),
            ),
        ]));
    }
    lines.push(Line::default());
    lines
}

/// Draws the help overlay.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, scroll: u16, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(110);
    let groups = entries(&state.config.keymap);
    let two = width >= 74;
    let col_w = if two {
        (width - 4) / 2 - 1
    } else {
        width.saturating_sub(4)
    };
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (g, rows) in &groups {
        let lines = group_lines(*g, rows, usize::from(col_w), theme);
        if two && *g != Group::Navigate {
            right.extend(lines);
        } else {
            left.extend(lines);
        }
    }
    for col in [&mut left, &mut right] {
        while col.last().is_some_and(|l| l.spans.is_empty()) {
            col.pop();
        }
    }
    let content = u16::try_from(left.len().max(right.len())).unwrap_or(u16::MAX);
    // Border, body, a blank line and the footer.
    let height = content.saturating_add(4).min(area.height.saturating_sub(2));
    let title = Line::styled(
        " Help · keys (from your keymap) ",
        theme.fg(Slot::Accent).add_modifier(Modifier::BOLD),
    );
    let inner = frame_box(
        frame,
        area,
        title,
        (width, height),
        theme.fg(Slot::BorderFocused),
        theme,
    );
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(2),
    );
    let overflow = content > body.height;
    frame.render_widget(
        Paragraph::new(left).scroll((scroll, 0)),
        Rect::new(body.x, body.y, col_w, body.height),
    );
    if two {
        let r = Rect::new(body.x + col_w + 2, body.y, col_w, body.height);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
    }
    let mut foot = Vec::new();
    if overflow {
        foot.push(Span::styled("j/k", theme.fg(Slot::Accent)));
        foot.push(Span::styled(" scroll · ", theme.muted()));
    }
    foot.extend([
        Span::styled("Dialogs: ", theme.muted()),
        Span::styled("Enter", theme.fg(Slot::Accent)),
        Span::styled(" confirm · ", theme.muted()),
        Span::styled("Esc", theme.fg(Slot::Accent)),
        Span::styled(" cancel · interactive: ", theme.muted()),
        Span::styled("Ctrl-]", theme.fg(Slot::Accent)),
        Span::styled(" leaves · remap keys in config.toml [keys]", theme.muted()),
    ]);
    frame.render_widget(
        Paragraph::new(Line::from(foot)),
        Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1),
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::state::keymap::KeyBinding;

    #[test]
    fn entries_follow_the_keymap() {
        let mut km = Keymap::default();
        let all: usize = entries(&km).iter().map(|(_, r)| r.len()).sum();
        assert_eq!(all, Action::ALL.len());
        km.bind(Action::Skip, vec![KeyBinding::parse("ctrl-k").unwrap()]);
        let steps = &entries(&km)[1].1;
        assert!(steps.contains(&("Ctrl-K".to_string(), Action::Skip.describe())));
    }
}
