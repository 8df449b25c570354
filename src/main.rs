//! CLI entry: parse arguments, dispatch, map errors to exit codes. Nothing else.

fn main() -> std::process::ExitCode {
    runbook::cli::main()
}
