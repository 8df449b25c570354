//! The DIR picker: markdown files of a directory, filtered as you type. Enter opens the file
//! (`Effect::OpenFile`); the app then builds a new [`State`](super::State) for it.

use super::Effect;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One file offered by the picker. The app fills `title`/`steps` when it can read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerEntry {
    /// Path relative to the directory.
    pub path: String,
    pub title: Option<String>,
    pub steps: Option<usize>,
}

/// Picker state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub dir: String,
    pub entries: Vec<PickerEntry>,
    pub filter: String,
    /// Index into [`Picker::visible`].
    pub selected: usize,
}

impl Picker {
    pub fn new(dir: String, mut entries: Vec<PickerEntry>) -> Picker {
        entries.sort_by_key(|e| e.path.to_lowercase());
        Picker {
            dir,
            entries,
            filter: String::new(),
            selected: 0,
        }
    }

    /// Entries matching the filter: every word of it appears in the path or the title.
    pub fn visible(&self) -> Vec<&PickerEntry> {
        let words: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.entries
            .iter()
            .filter(|e| {
                let hay = format!("{} {}", e.path, e.title.as_deref().unwrap_or("")).to_lowercase();
                words.iter().all(|w| hay.contains(w))
            })
            .collect()
    }

    /// Handles a key; returns the effects (open a file, quit).
    pub fn key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let count = self.visible().len();
        match key.code {
            KeyCode::Char('c') if ctrl => return vec![Effect::Quit],
            KeyCode::Char('n') if ctrl => self.selected += 1,
            KeyCode::Char('p') if ctrl => self.selected = self.selected.saturating_sub(1),
            KeyCode::Char('u') if ctrl => self.filter.clear(),
            KeyCode::Char(c) if !ctrl => {
                self.filter.push(c);
                self.selected = 0;
            }
            KeyCode::Backspace => {
                self.filter.pop();
                self.selected = 0;
            }
            KeyCode::Down => self.selected += 1,
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::PageDown => self.selected += 10,
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::Home => self.selected = 0,
            KeyCode::End => self.selected = count.saturating_sub(1),
            KeyCode::Esc if !self.filter.is_empty() => self.filter.clear(),
            KeyCode::Esc => return vec![Effect::Quit],
            KeyCode::Enter => {
                return self
                    .visible()
                    .get(self.selected)
                    .map(|e| vec![Effect::OpenFile(e.path.clone())])
                    .unwrap_or_default();
            }
            _ => {}
        }
        self.selected = self.selected.min(self.visible().len().saturating_sub(1));
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, title: &str) -> PickerEntry {
        PickerEntry {
            path: path.into(),
            title: Some(title.into()),
            steps: Some(3),
        }
    }

    fn press(p: &mut Picker, code: KeyCode) -> Vec<Effect> {
        p.key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn filters_by_words_and_opens() {
        let mut p = Picker::new(
            "ops".into(),
            vec![
                entry("redis/failover.md", "Redis failover"),
                entry("db/restore.md", "Restore Postgres"),
            ],
        );
        assert_eq!(p.entries[0].path, "db/restore.md");
        for c in "red fail".chars() {
            press(&mut p, KeyCode::Char(c));
        }
        assert_eq!(p.visible().len(), 1);
        assert_eq!(
            press(&mut p, KeyCode::Enter),
            vec![Effect::OpenFile("redis/failover.md".into())]
        );
        press(&mut p, KeyCode::Esc);
        assert_eq!(p.filter, "");
        press(&mut p, KeyCode::Down);
        press(&mut p, KeyCode::Down);
        assert_eq!(p.selected, 1, "selection stays on the list");
        assert_eq!(press(&mut p, KeyCode::Esc), vec![Effect::Quit]);
    }
}
