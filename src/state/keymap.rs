//! Key strings (`ctrl-s`, `G`, `pgup`) ↔ key events, and the [`Keymap`] from keys to [`Action`]s.
//!
//! Printable characters match on the character alone (a terminal reports `G` with or without
//! SHIFT), so `G` and `shift-g` are the same binding.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// One key with its modifiers, normalised for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeyBinding {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        KeyBinding { code, mods }
    }

    pub fn from_event(ev: &KeyEvent) -> Self {
        KeyBinding::new(ev.code, ev.modifiers)
    }

    /// Parses `j`, `G`, `?`, `ctrl-s`, `alt-x`, `shift-tab`, `enter`, `pgup`, `f5`…
    pub fn parse(text: &str) -> Option<KeyBinding> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        // A lone `-` is the minus key, not a separator.
        while rest.len() > 1 {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        let code = named_code(&rest.to_ascii_lowercase()).or_else(|| {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if mods.contains(KeyModifiers::SHIFT) => {
                    Some(KeyCode::Char(c.to_ascii_uppercase()))
                }
                (Some(c), None) => Some(KeyCode::Char(c)),
                _ => None,
            }
        })?;
        let code = match (code, mods.contains(KeyModifiers::SHIFT)) {
            (KeyCode::Tab, true) => KeyCode::BackTab,
            (c, _) => c,
        };
        Some(KeyBinding::new(code, mods))
    }

    /// How the help overlay and hints print the key.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        let key = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        out.push_str(&key);
        out
    }
}

fn named_code(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "minus" => KeyCode::Char('-'),
        _ => {
            let n: u8 = name.strip_prefix('f')?.parse().ok()?;
            if (1..=24).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
    })
}

/// Keys for every action. Later bindings of a key take it away from earlier actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: BTreeMap<Action, Vec<KeyBinding>>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Action::*;
        let defaults: &[(Action, &[&str])] = &[
            (MoveDown, &["j", "down"]),
            (MoveUp, &["k", "up"]),
            (First, &["g", "home"]),
            (Last, &["G", "end"]),
            (NextSection, &["J"]),
            (PrevSection, &["K"]),
            (Collapse, &["h", "left"]),
            (Expand, &["l", "right"]),
            (PageUp, &["pgup", "ctrl-u"]),
            (PageDown, &["pgdn", "ctrl-d"]),
            (Run, &["enter"]),
            (ToggleCheck, &["space"]),
            (Skip, &["s"]),
            (Edit, &["e"]),
            (Variables, &["v"]),
            (Rerun, &["r"]),
            (Stop, &["x"]),
            (AddNote, &["a"]),
            (FocusNext, &["tab"]),
            (FocusPrev, &["shift-tab"]),
            (Interact, &["i"]),
            (Follow, &["f"]),
            (NextTab, &["]"]),
            (PrevTab, &["["]),
            (Search, &["/"]),
            (NextMatch, &["n"]),
            (PrevMatch, &["N"]),
            (Export, &["E"]),
            (Help, &["?", "f1"]),
            (Suspend, &["ctrl-z"]),
            (Quit, &["q", "ctrl-c"]),
            (Cancel, &["esc"]),
        ];
        let bindings = defaults
            .iter()
            .map(|(a, keys)| {
                (
                    *a,
                    keys.iter().filter_map(|k| KeyBinding::parse(k)).collect(),
                )
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The action bound to a key event.
    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        let key = KeyBinding::from_event(ev);
        self.bindings
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| *a)
    }

    /// The keys of an action, in the order they were given.
    pub fn keys(&self, action: Action) -> &[KeyBinding] {
        self.bindings.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The keys of an action joined for display (`j/↓`), or `—` when unbound.
    pub fn label(&self, action: Action) -> String {
        let keys = self.keys(action);
        if keys.is_empty() {
            return "—".to_string();
        }
        keys.iter()
            .map(KeyBinding::label)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Replaces an action's keys; the keys leave any other action that had them. Returns the
    /// actions that lost a key, with the key.
    pub fn bind(&mut self, action: Action, keys: Vec<KeyBinding>) -> Vec<(Action, KeyBinding)> {
        let mut taken = Vec::new();
        for (other, list) in &mut self.bindings {
            if *other != action {
                taken.extend(
                    list.iter()
                        .filter(|k| keys.contains(k))
                        .map(|k| (*other, *k)),
                );
                list.retain(|k| !keys.contains(k));
            }
        }
        self.bindings.insert(action, keys);
        taken
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn parses_key_strings() {
        let k = KeyBinding::parse("ctrl-s").unwrap();
        assert_eq!(
            (k.code, k.mods),
            (KeyCode::Char('s'), KeyModifiers::CONTROL)
        );
        assert_eq!(KeyBinding::parse("G").unwrap().code, KeyCode::Char('G'));
        assert_eq!(
            KeyBinding::parse("shift-g").unwrap(),
            KeyBinding::parse("G").unwrap()
        );
        assert_eq!(
            KeyBinding::parse("shift-tab").unwrap().code,
            KeyCode::BackTab
        );
        assert_eq!(KeyBinding::parse("PgUp").unwrap().code, KeyCode::PageUp);
        assert_eq!(KeyBinding::parse("-").unwrap().code, KeyCode::Char('-'));
        assert_eq!(KeyBinding::parse("f12").unwrap().code, KeyCode::F(12));
        assert!(KeyBinding::parse("ctrl-").is_none());
        assert!(KeyBinding::parse("hyper-x").is_none());
        assert!(KeyBinding::parse("f99").is_none());
    }

    #[test]
    fn shifted_letters_match_with_or_without_shift_flag() {
        let km = Keymap::default();
        assert_eq!(
            km.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Last)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('G'), KeyModifiers::NONE)),
            Some(Action::Last)
        );
        assert_eq!(
            km.action(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::FocusPrev)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(km.action(&ev(KeyCode::Char('c'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn rebinding_moves_the_key() {
        let mut km = Keymap::default();
        km.bind(Action::Run, vec![KeyBinding::parse("x").unwrap()]);
        assert_eq!(
            km.action(&ev(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Run)
        );
        assert_eq!(km.label(Action::Stop), "—");
        assert_eq!(km.action(&ev(KeyCode::Enter, KeyModifiers::NONE)), None);
    }

    #[test]
    fn labels_read_well() {
        let km = Keymap::default();
        assert_eq!(km.label(Action::MoveDown), "j/↓");
        assert_eq!(km.label(Action::PageUp), "PgUp/Ctrl-U");
        assert_eq!(km.label(Action::ToggleCheck), "Space");
    }
}
