//! The execution engine when steps run side by side: each one's exports survive, whichever
//! finishes last.
#![allow(clippy::unwrap_used)]

mod common;

use common::exec::run;
use runbook::exec::{Engine, ExecConfig, ExecEvent, RunRequest, RunState};
use std::time::Duration;
use tokio::time::timeout;

/// Regression: the run that finished last replaced the carried state whole, so the variable an
/// overlapping step exported (and its `cd`) vanished.
#[tokio::test]
async fn overlapping_steps_both_leave_what_they_set() {
    let dir = tempfile::tempdir().unwrap();
    let there = dir.path().canonicalize().unwrap();
    let (engine, mut rx) = Engine::with_channel(ExecConfig::default()).unwrap();
    // A first run, so the carried state is a captured one (the usual case).
    let (out, state) = run(&engine, &mut rx, "export SHARED=0 GONE=x").await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    // The slow step starts first and finishes last; the quick one exports and cds meanwhile.
    let slow = engine
        .spawn(RunRequest::new(
            "slow",
            "export SLOW=s; SHARED=slow; unset GONE; sleep 1",
        ))
        .unwrap();
    let quick_script = format!("export QUICK=q; cd '{}'", there.display());
    let quick = engine
        .spawn(RunRequest::new("quick", &quick_script))
        .unwrap();
    let mut finished = Vec::new();
    while finished.len() < 2 {
        let event = timeout(Duration::from_secs(20), rx.recv())
            .await
            .unwrap()
            .unwrap();
        if let ExecEvent::Exited { run, state, .. } = event {
            assert_eq!(state, RunState::Exited(0));
            finished.push(run);
        }
    }
    assert_eq!(finished, [quick, slow], "the quick step must finish first");
    let (out, _) = run(
        &engine,
        &mut rx,
        "echo \"[$QUICK|$SLOW|$SHARED|${GONE-unset}]\"; pwd",
    )
    .await;
    assert!(out.contains("[q|s|slow|unset]"), "{out}");
    assert!(
        out.trim_end().ends_with(&there.display().to_string()),
        "{out}"
    );
}
