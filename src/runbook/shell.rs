//! Split a shell block into commands the way a shell reads it. (Skeleton: replaced by the real
//! splitter.)

/// One command of a block before risk analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCommand {
    /// The command's text, all its lines (continuations, heredoc bodies) joined with `\n`.
    pub text: String,
    /// 1-based line in the file of the command's first line.
    pub line: usize,
    /// The comment line directly above, cleaned (`# 1. Verify` → `Verify`).
    pub label: Option<String>,
}

/// Splits `code` (a block's content; its first line is line `first_line` of the file).
pub fn split_commands(code: &str, first_line: usize) -> Vec<RawCommand> {
    code.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| RawCommand {
            text: l.to_string(),
            line: first_line + i,
            label: None,
        })
        .collect()
}

/// Splits a session block (`console`): `$ ` / `% ` lines are commands (prompt stripped,
/// continuation lines kept); other non-blank lines are expected output, right-trimmed.
pub fn split_session(code: &str, first_line: usize) -> (Vec<RawCommand>, Vec<String>) {
    let mut cmds = Vec::new();
    let mut expect = Vec::new();
    for (i, l) in code.lines().enumerate() {
        if let Some(rest) = l.strip_prefix("$ ").or_else(|| l.strip_prefix("% ")) {
            cmds.push(RawCommand {
                text: rest.to_string(),
                line: first_line + i,
                label: None,
            });
        } else if !l.trim().is_empty() {
            expect.push(l.trim_end().to_string());
        }
    }
    (cmds, expect)
}
