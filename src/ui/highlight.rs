//! A small shell highlighter for the step pane: comments, strings, `$VARS`, `<placeholders>`,
//! options and the program word. Not a parser — it only has to make commands easy to read.

use crate::theme::{Slot, Theme};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

/// Token classes, each drawn with one theme slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Plain,
    Program,
    Option,
    String,
    Variable,
    Placeholder,
    Comment,
    Operator,
}

impl Class {
    fn style(self, theme: &Theme) -> Style {
        match self {
            Class::Plain => theme.fg(Slot::Text),
            Class::Program => theme.fg(Slot::SyntaxProgram).add_modifier(Modifier::BOLD),
            Class::Option => theme.fg(Slot::SyntaxOption),
            Class::String => theme.fg(Slot::SyntaxString),
            Class::Variable => theme.fg(Slot::SyntaxVariable),
            Class::Placeholder => theme
                .fg(Slot::Placeholder)
                .add_modifier(Modifier::UNDERLINED),
            Class::Comment => theme.muted().add_modifier(Modifier::ITALIC),
            Class::Operator => theme.fg(Slot::Accent),
        }
    }
}

/// Splits one line of shell into classified pieces. `command_start`: the line begins a command
/// (false for continuation lines, where the first word is an argument).
pub fn classify(line: &str, command_start: bool) -> Vec<(Class, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out: Vec<(Class, String)> = Vec::new();
    let mut expect_program = command_start;
    let mut i = 0;
    let push = |out: &mut Vec<(Class, String)>, class: Class, text: String| match out.last_mut() {
        Some((c, t)) if *c == class => t.push_str(&text),
        _ => out.push((class, text)),
    };
    while i < chars.len() {
        let c = chars[i];
        let at_word_start = i == 0 || chars[i - 1].is_whitespace();
        let (class, len) = if c == '#' && at_word_start {
            (Class::Comment, chars.len() - i)
        } else if c == '\'' || c == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|x| *x == c)
                .map_or(chars.len(), |p| i + p + 2);
            (Class::String, end - i)
        } else if c == '$' {
            (Class::Variable, variable_len(&chars[i..]))
        } else if c == '<' && placeholder_len(&chars[i..]) > 0 {
            (Class::Placeholder, placeholder_len(&chars[i..]))
        } else if "|&;()".contains(c) {
            let len = chars[i..]
                .iter()
                .take_while(|x| "|&;()".contains(**x))
                .count();
            expect_program = true;
            (Class::Operator, len)
        } else if c.is_whitespace() {
            (Class::Plain, 1)
        } else {
            let len = chars[i..]
                .iter()
                .take_while(|x| !x.is_whitespace() && !"|&;()'\"$<".contains(**x))
                .count()
                .max(1);
            let word: String = chars[i..i + len].iter().collect();
            let class = if word.starts_with('-') && at_word_start {
                Class::Option
            } else if expect_program
                && !word.contains('=')
                && !matches!(word.as_str(), "sudo" | "env" | "time")
            {
                expect_program = false;
                Class::Program
            } else {
                Class::Plain
            };
            (class, len)
        };
        let len = len.max(1).min(chars.len() - i);
        push(&mut out, class, chars[i..i + len].iter().collect());
        i += len;
    }
    out
}

fn variable_len(chars: &[char]) -> usize {
    match chars.get(1) {
        Some('{') => chars
            .iter()
            .position(|c| *c == '}')
            .map_or(chars.len(), |p| p + 1),
        Some('(') => 2,
        Some(c) if c.is_ascii_alphanumeric() || "_?@#$!*".contains(*c) => {
            1 + chars[1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count()
                .max(1)
        }
        _ => 1,
    }
}

fn placeholder_len(chars: &[char]) -> usize {
    let Some(end) = chars.iter().position(|c| *c == '>') else {
        return 0;
    };
    let name = &chars[1..end];
    let ok = name.first().is_some_and(char::is_ascii_alphabetic)
        && name
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(*c));
    if ok { end + 1 } else { 0 }
}

/// One line as styled spans.
pub fn spans(line: &str, command_start: bool, theme: &Theme) -> Vec<Span<'static>> {
    classify(line, command_start)
        .into_iter()
        .map(|(class, text)| Span::styled(text, class.style(theme)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Class::*;

    fn classes(line: &str) -> Vec<(Class, &'static str)> {
        classify(line, true)
            .into_iter()
            .map(|(c, t)| (c, &*Box::leak(t.into_boxed_str())))
            .filter(|(c, _)| *c != Plain)
            .collect()
    }

    #[test]
    fn classifies_a_pipeline() {
        assert_eq!(
            classes("kubectl logs -f deploy/api -n \"$NS\" | grep ERROR # errors"),
            vec![
                (Program, "kubectl"),
                (Option, "-f"),
                (Option, "-n"),
                (String, "\"$NS\""),
                (Operator, "|"),
                (Program, "grep"),
                (Comment, "# errors"),
            ]
        );
    }

    #[test]
    fn variables_placeholders_and_prefixes() {
        assert_eq!(
            classes("sudo FOO=1 kubectl delete pod <pod-name> ${NS:-prod}"),
            vec![
                (Program, "kubectl"),
                (Placeholder, "<pod-name>"),
                (Variable, "${NS:-prod}")
            ]
        );
        assert_eq!(
            classes("a-b#c"),
            vec![(Program, "a-b#c")],
            "# inside a word is not a comment"
        );
        assert_eq!(classify("  --flag", false)[1].0, Option);
    }
}
