//! CLI entry: parse arguments, dispatch, map errors to exit codes. Nothing else.

/// mimalloc: the parser and the app allocate many small strings, often on one thread and freed
/// on another; glibc's allocator spends more time on them than the parsing itself.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    runbook::cli::main()
}
