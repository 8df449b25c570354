//! The execution engine when a step removes the directory the shell is in: later steps still
//! start, in what is left of the path, and say so.
#![allow(clippy::unwrap_used)]

mod common;

use common::exec::run;
use runbook::exec::{Engine, ExecConfig, RunState};

#[tokio::test]
async fn a_removed_working_directory_does_not_stop_later_steps() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let work = base.join("work");
    let (engine, mut rx) = Engine::with_channel(ExecConfig::default()).unwrap();
    let step1 = format!("mkdir -p '{}' && cd '{}'", work.display(), work.display());
    let (out, state) = run(&engine, &mut rx, &step1).await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    let (out, state) = run(&engine, &mut rx, &format!("rm -rf '{}'", work.display())).await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    let (out, state) = run(&engine, &mut rx, "echo still-alive; pwd").await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    assert!(
        out.contains(&format!(
            "runbook: {} no longer exists; running in {}",
            work.display(),
            base.display()
        )),
        "{out}"
    );
    assert!(out.contains("still-alive"), "{out}");
    assert!(
        out.trim_end().ends_with(&base.display().to_string()),
        "{out}"
    );
}
