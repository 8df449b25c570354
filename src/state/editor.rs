//! The multi-line command editor (`e`): arrows, Home/End, Enter for a new line, Backspace/Delete
//! joining lines, Ctrl-S to save, Esc to cancel. Columns count characters, not bytes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// An edit in progress of a step's script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    pub step: usize,
    pub lines: Vec<String>,
    pub row: usize,
    pub col: usize,
}

/// What a key did to the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    Editing,
    Save(String),
    Cancel,
}

fn byte_at(line: &str, col: usize) -> usize {
    line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
}

impl Editor {
    pub fn new(step: usize, text: &str) -> Editor {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let row = lines.len() - 1;
        let col = lines[row].chars().count();
        Editor {
            step,
            lines,
            row,
            col,
        }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    fn line_len(&self, row: usize) -> usize {
        self.lines.get(row).map_or(0, |l| l.chars().count())
    }

    /// Inserts text at the cursor (typing or paste; newlines split lines).
    pub fn insert(&mut self, text: &str) {
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                self.newline();
            }
            let part = part.replace('\r', "");
            let at = byte_at(&self.lines[self.row], self.col);
            self.lines[self.row].insert_str(at, &part);
            self.col += part.chars().count();
        }
    }

    fn newline(&mut self) {
        let at = byte_at(&self.lines[self.row], self.col);
        let tail = self.lines[self.row].split_off(at);
        self.lines.insert(self.row + 1, tail);
        self.row += 1;
        self.col = 0;
    }

    fn backspace(&mut self) {
        if self.col > 0 {
            let at = byte_at(&self.lines[self.row], self.col - 1);
            self.lines[self.row].remove(at);
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_len(self.row);
            self.lines[self.row].push_str(&line);
        }
    }

    fn delete(&mut self) {
        if self.col < self.line_len(self.row) {
            let at = byte_at(&self.lines[self.row], self.col);
            self.lines[self.row].remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    fn move_to(&mut self, row: usize, col: usize) {
        self.row = row.min(self.lines.len() - 1);
        self.col = col.min(self.line_len(self.row));
    }

    /// Handles one key.
    pub fn key(&mut self, key: &KeyEvent) -> EditOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('s') if ctrl => return EditOutcome::Save(self.text()),
            KeyCode::Esc => return EditOutcome::Cancel,
            KeyCode::Char(c) if !ctrl => self.insert(&c.to_string()),
            KeyCode::Enter => self.newline(),
            KeyCode::Tab => self.insert("  "),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left if self.col > 0 => self.col -= 1,
            KeyCode::Left if self.row > 0 => self.move_to(self.row - 1, usize::MAX),
            KeyCode::Right if self.col < self.line_len(self.row) => self.col += 1,
            KeyCode::Right if self.row + 1 < self.lines.len() => self.move_to(self.row + 1, 0),
            KeyCode::Up if self.row > 0 => self.move_to(self.row - 1, self.col),
            KeyCode::Down => self.move_to(self.row + 1, self.col),
            KeyCode::Home => self.col = 0,
            KeyCode::End => self.col = self.line_len(self.row),
            _ => {}
        }
        EditOutcome::Editing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(e: &mut Editor, code: KeyCode) -> EditOutcome {
        e.key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn edits_across_lines() {
        let mut e = Editor::new(0, "kubectl get pods\necho ok");
        assert_eq!((e.row, e.col), (1, 7));
        press(&mut e, KeyCode::Home);
        press(&mut e, KeyCode::Backspace);
        assert_eq!(e.text(), "kubectl get podsecho ok");
        press(&mut e, KeyCode::Enter);
        e.insert("-n prod ");
        assert_eq!(e.text(), "kubectl get pods\n-n prod echo ok");
        press(&mut e, KeyCode::Up);
        press(&mut e, KeyCode::End);
        press(&mut e, KeyCode::Delete);
        assert_eq!(e.text(), "kubectl get pods-n prod echo ok");
        let save = e.key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(
            save,
            EditOutcome::Save("kubectl get pods-n prod echo ok".into())
        );
        assert_eq!(press(&mut e, KeyCode::Esc), EditOutcome::Cancel);
    }

    #[test]
    fn multibyte_characters_are_one_column() {
        let mut e = Editor::new(0, "é");
        press(&mut e, KeyCode::Left);
        e.insert("ü");
        assert_eq!(e.text(), "üé");
        press(&mut e, KeyCode::Right);
        press(&mut e, KeyCode::Backspace);
        assert_eq!(e.text(), "ü");
    }
}
