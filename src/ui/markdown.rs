//! The step's surrounding markdown (`Step.context`) as ratatui lines: emphasis, code spans,
//! (nested, numbered, task) lists, block quotes, code blocks, rules and aligned tables.
//! Long lines are wrapped later by the `Paragraph`.

use crate::theme::{Slot, Theme};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

struct Renderer<'t> {
    theme: &'t Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    cur: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// One entry per open list: the next number, or None for bullets.
    lists: Vec<Option<u64>>,
    quote: usize,
    in_code: bool,
    table: Option<Table>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    cell: String,
    header_rows: usize,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles
            .last()
            .copied()
            .unwrap_or_else(|| self.theme.fg(Slot::Text))
    }

    fn push_style(&mut self, add: Style) {
        let s = self.style().patch(add);
        self.styles.push(s);
    }

    fn prefix(&self) -> Vec<Span<'static>> {
        let mut p = Vec::new();
        for _ in 0..self.quote {
            p.push(Span::styled("│ ", self.theme.muted()));
        }
        p
    }

    fn text(&mut self, text: &str) {
        if let Some(t) = self.table.as_mut() {
            t.cell.push_str(text);
            return;
        }
        if self.cur.is_empty() {
            self.cur = self.prefix();
        }
        self.cur.push(Span::styled(text.to_string(), self.style()));
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            self.lines.push(Line::from(std::mem::take(&mut self.cur)));
        }
    }

    fn blank(&mut self) {
        self.flush();
        if self.lists.is_empty() && self.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.lines.push(Line::default());
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { .. } => {
                self.blank();
                self.push_style(self.theme.fg(Slot::Heading).add_modifier(Modifier::BOLD));
            }
            Tag::Strong => self.push_style(Style::default().add_modifier(Modifier::BOLD)),
            Tag::Emphasis => self.push_style(Style::default().add_modifier(Modifier::ITALIC)),
            Tag::Strikethrough => {
                self.push_style(Style::default().add_modifier(Modifier::CROSSED_OUT))
            }
            Tag::Link { .. } => self.push_style(
                self.theme
                    .fg(Slot::Accent)
                    .add_modifier(Modifier::UNDERLINED),
            ),
            Tag::BlockQuote(_) => {
                self.blank();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.blank();
                self.in_code = true;
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                self.cur = self.prefix();
                self.cur.push(Span::raw("  ".repeat(depth)));
                self.cur
                    .push(Span::styled(marker, self.theme.fg(Slot::Accent)));
            }
            Tag::Table(_) => {
                self.blank();
                self.table = Some(Table::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.cell.clear();
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                self.styles.pop();
                self.flush();
            }
            TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link => {
                self.styles.pop();
            }
            TagEnd::Paragraph => {
                self.flush();
                self.blank();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.blank();
            }
            TagEnd::Item => self.flush(),
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    let cell = std::mem::take(&mut t.cell);
                    if let Some(row) = t.rows.last_mut() {
                        row.push(cell.trim().to_string());
                    }
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.draw_table(&t);
                }
                self.blank();
            }
            _ => {}
        }
    }

    fn code_block(&mut self, text: &str) {
        for line in text.lines() {
            let mut spans = self.prefix();
            spans.push(Span::styled(format!("  {line}"), self.theme.fg(Slot::Code)));
            self.lines.push(Line::from(spans));
        }
    }

    fn draw_table(&mut self, t: &Table) {
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; cols];
        for row in &t.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.width());
            }
        }
        // Shrink the widest columns until the table fits.
        let budget = self
            .width
            .saturating_sub(3 * cols.saturating_sub(1))
            .max(cols);
        while widths.iter().sum::<usize>() > budget {
            let Some(max) = widths.iter_mut().max() else {
                break;
            };
            if *max <= 3 {
                break;
            }
            *max -= 1;
        }
        let sep = Span::styled(" │ ", self.theme.fg(Slot::Border));
        for (r, row) in t.rows.iter().enumerate() {
            let mut spans = self.prefix();
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    spans.push(sep.clone());
                }
                let cell = row.get(i).map_or("", String::as_str);
                let style = if r < t.header_rows {
                    self.theme.fg(Slot::Text).add_modifier(Modifier::BOLD)
                } else {
                    self.theme.fg(Slot::Text)
                };
                spans.push(Span::styled(fit(cell, *w), style));
            }
            self.lines.push(Line::from(spans));
            if r + 1 == t.header_rows {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                let mut spans = self.prefix();
                spans.push(Span::styled(rule.join("─┼─"), self.theme.fg(Slot::Border)));
                self.lines.push(Line::from(spans));
            }
        }
    }
}

/// Pads or cuts `text` to exactly `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return format!("{text}{}", " ".repeat(width - text.width()));
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    let w = out.width();
    out + &" ".repeat(width.saturating_sub(w))
}

/// Renders markdown for a pane `width` columns wide.
pub fn render(markdown: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut r = Renderer {
        theme,
        width: usize::from(width),
        lines: Vec::new(),
        cur: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        quote: 0,
        in_code: false,
        table: None,
    };
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => r.start(tag),
            Event::End(tag) => r.end(tag),
            Event::Text(t) if r.in_code => r.code_block(&t),
            Event::Text(t) => r.text(&t),
            Event::Code(c) => {
                if let Some(t) = r.table.as_mut() {
                    t.cell.push_str(&c);
                } else {
                    let style = r.theme.fg(Slot::Code).patch(r.theme.bg(Slot::CodeBg));
                    if r.cur.is_empty() {
                        r.cur = r.prefix();
                    }
                    r.cur.push(Span::styled(c.to_string(), style));
                }
            }
            Event::SoftBreak => r.text(" "),
            Event::HardBreak => r.flush(),
            Event::Rule => {
                r.blank();
                let rule = "─".repeat(usize::from(width.min(60)));
                r.lines.push(Line::styled(rule, theme.fg(Slot::Border)));
                r.blank();
            }
            Event::TaskListMarker(done) => {
                // Replace the bullet the item just pushed with a box.
                r.cur.pop();
                r.cur.push(Span::styled(
                    if done { "☑ " } else { "☐ " },
                    theme.fg(Slot::Accent),
                ));
            }
            Event::Html(h) | Event::InlineHtml(h) => r.text(&h),
            _ => {}
        }
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.spans.is_empty()) {
        r.lines.pop();
    }
    r.lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str, width: u16) -> Vec<String> {
        render(md, width, &Theme::no_color())
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    #[test]
    fn paragraphs_lists_and_code_spans() {
        let lines = plain(
            "Make sure **you** are on `prod`.\n\n- one\n  1. sub\n- [x] done\n",
            60,
        );
        assert_eq!(
            lines,
            [
                "Make sure you are on prod.",
                "",
                "• one",
                "  1. sub",
                "☑ done"
            ]
        );
    }

    #[test]
    fn tables_are_aligned_and_fit() {
        let lines = plain(
            "| Env | Version |\n|---|---|\n| staging | 2.4.0 |\n| prod | 2.3.9 |\n",
            60,
        );
        assert_eq!(
            lines,
            [
                "Env     │ Version",
                "────────┼────────",
                "staging │ 2.4.0  ",
                "prod    │ 2.3.9  "
            ]
        );
        let narrow = plain("| a very long header | b |\n|---|---|\n| x | y |\n", 12);
        assert!(narrow.iter().all(|l| l.width() <= 12), "{narrow:?}");
    }

    #[test]
    fn quotes_and_code_blocks() {
        let lines = plain("> careful\n\n```\nrm -rf x\n```\n", 40);
        assert_eq!(lines, ["│ careful", "", "  rm -rf x"]);
    }

    #[test]
    fn bold_keeps_its_style() {
        let lines = render("a **b**", 20, &Theme::default());
        assert!(
            lines[0].spans[1]
                .style
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }
}
