//! Risk, interactivity and long-running detection for one command. (Skeleton.)

use super::Risk;

/// What [`analyze`] finds out about one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    pub risk: Risk,
    pub interactive: bool,
    pub long_running: bool,
}

/// Classifies a command's full text (including heredoc bodies).
pub fn analyze(text: &str) -> Analysis {
    let risk = if text.contains("delete") {
        Risk::Destructive
    } else {
        Risk::Write
    };
    Analysis {
        risk,
        interactive: text.contains("-it"),
        long_running: text.contains(" -w"),
    }
}
