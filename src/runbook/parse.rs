//! pulldown-cmark events → steps. (Skeleton.)

use super::Runbook;

/// Parses markdown text into a runbook. Never panics.
pub fn parse(_text: &str) -> Runbook {
    Runbook::default()
}
