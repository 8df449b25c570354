//! Command-line interface (clap): `runbook [FILE|DIR|FILE#anchor]`, `list`, `check`, `run`,
//! `sessions`, `export`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "runbook",
    version,
    about = "Walk, run and record markdown runbooks"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    #[command(flatten)]
    pub open: crate::app::OpenArgs,
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
    /// Run steps without the TUI (automation, CI, tests).
    Run(crate::headless::RunArgs),
    /// List recorded sessions, newest first.
    Sessions {
        #[arg(long)]
        json: bool,
    },
    /// Export a session (id, id prefix or `latest`) as markdown or JSON.
    Export {
        session: String,
        #[arg(long, value_enum, default_value = "md")]
        format: crate::journal::cli::ExportFormat,
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Cmd::List { file, json }) => crate::outline::cmd_list(&file, json),
        Some(Cmd::Check { files }) => crate::check::cmd_check(&files),
        Some(Cmd::Sessions { json }) => crate::journal::cli::cmd_sessions(json),
        Some(Cmd::Export {
            session,
            format,
            output,
        }) => crate::journal::cli::cmd_export(&session, format, output.as_deref()),
        Some(Cmd::Run(args)) => crate::headless::cmd_run(args),
        None => crate::app::cmd_open(cli.open),
    }
}
