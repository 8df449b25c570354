//! `runbook list`: the readable outline and the JSON contract.
use std::path::Path;
use std::process::ExitCode;
pub fn cmd_list(_file: &Path, _json: bool) -> ExitCode {
    ExitCode::SUCCESS
}
