//! What a key can do: the [`Action`] enum, named in snake_case in `config.toml` (`[keys]`), with
//! the text and group the help overlay shows. Adding an action here adds it to help and config.

use serde::{Deserialize, Serialize};

/// A remappable operation of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    MoveDown,
    MoveUp,
    First,
    Last,
    NextSection,
    PrevSection,
    Collapse,
    Expand,
    PageUp,
    PageDown,
    Run,
    ToggleCheck,
    Skip,
    Edit,
    Variables,
    Rerun,
    Stop,
    AddNote,
    FocusNext,
    FocusPrev,
    Interact,
    Follow,
    NextTab,
    PrevTab,
    Search,
    NextMatch,
    PrevMatch,
    Export,
    Help,
    Suspend,
    Quit,
    Cancel,
}

/// Help overlay groups, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Navigate,
    Steps,
    Output,
    Session,
}

impl Group {
    pub const ALL: [Group; 4] = [Group::Navigate, Group::Steps, Group::Output, Group::Session];

    pub fn title(self) -> &'static str {
        match self {
            Group::Navigate => "Navigate",
            Group::Steps => "Steps",
            Group::Output => "Output",
            Group::Session => "Session",
        }
    }
}

impl Action {
    /// Every action, in help order.
    pub const ALL: &'static [Action] = &[
        Action::MoveDown,
        Action::MoveUp,
        Action::First,
        Action::Last,
        Action::NextSection,
        Action::PrevSection,
        Action::Collapse,
        Action::Expand,
        Action::PageUp,
        Action::PageDown,
        Action::FocusNext,
        Action::FocusPrev,
        Action::Search,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Run,
        Action::ToggleCheck,
        Action::Skip,
        Action::Edit,
        Action::Variables,
        Action::Rerun,
        Action::Stop,
        Action::AddNote,
        Action::Interact,
        Action::Follow,
        Action::NextTab,
        Action::PrevTab,
        Action::Export,
        Action::Help,
        Action::Suspend,
        Action::Quit,
        Action::Cancel,
    ];

    /// The config name (`move_down`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The action named `name` in `config.toml`.
    pub fn from_name(name: &str) -> Option<Action> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }

    /// One line for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Action::MoveDown => "next row",
            Action::MoveUp => "previous row",
            Action::First => "first row",
            Action::Last => "last row",
            Action::NextSection => "next section",
            Action::PrevSection => "previous section",
            Action::Collapse => "collapse section",
            Action::Expand => "expand section",
            Action::PageUp => "page up (output: scroll back)",
            Action::PageDown => "page down (output: scroll on)",
            Action::Run => "run step / toggle manual check",
            Action::ToggleCheck => "toggle check",
            Action::Skip => "skip step (asks a reason)",
            Action::Edit => "edit command before running",
            Action::Variables => "variables and placeholders",
            Action::Rerun => "re-run step",
            Action::Stop => "stop running step",
            Action::AddNote => "add a note",
            Action::FocusNext => "focus next pane",
            Action::FocusPrev => "focus previous pane",
            Action::Interact => "type into the process (Ctrl-] leaves)",
            Action::Follow => "follow output",
            Action::NextTab => "next output tab",
            Action::PrevTab => "previous output tab",
            Action::Search => "search steps / output",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::Export => "export the session",
            Action::Help => "this help",
            Action::Suspend => "suspend to the shell (fg comes back)",
            Action::Quit => "quit",
            Action::Cancel => "close / cancel",
        }
    }

    /// The help group.
    pub fn group(self) -> Group {
        use Action::*;
        match self {
            MoveDown | MoveUp | First | Last | NextSection | PrevSection | Collapse | Expand
            | PageUp | PageDown | FocusNext | FocusPrev | Search | NextMatch | PrevMatch => {
                Group::Navigate
            }
            Run | ToggleCheck | Skip | Edit | Variables | Rerun | Stop | AddNote => Group::Steps,
            Interact | Follow | NextTab | PrevTab => Group::Output,
            Export | Help | Suspend | Quit | Cancel => Group::Session,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_snake_case() {
        assert_eq!(Action::NextSection.name(), "next_section");
        for a in Action::ALL {
            assert_eq!(Action::from_name(&a.name()), Some(*a));
        }
        assert_eq!(Action::from_name("launch_missiles"), None);
    }

    #[test]
    fn all_lists_every_variant_once() {
        let mut seen = std::collections::BTreeSet::new();
        for a in Action::ALL {
            assert!(seen.insert(*a));
        }
        assert_eq!(seen.len(), 32);
    }
}
