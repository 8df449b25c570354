//! Command-line interface (clap): `runbook [FILE|DIR]`, `list`, `check`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "runbook",
    version,
    about = "Walk, run and record markdown runbooks"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Print the steps of a runbook as an outline, or as JSON with --json.
    List {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Report problems in runbooks (for CI); exits 1 when there are errors.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Cmd::List { file, json }) => crate::outline::cmd_list(&file, json),
        Some(Cmd::Check { files }) => crate::check::cmd_check(&files),
        None => ExitCode::SUCCESS,
    }
}
