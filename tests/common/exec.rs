//! Running one script to its end on an engine, for the engine's integration tests.

use runbook::exec::{Engine, ExecEvent, RunRequest, RunState};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::timeout;

/// Runs one script to its end on `engine`; returns its output (`\r\n` read as `\n`) and state.
pub async fn run(
    engine: &Engine,
    rx: &mut mpsc::Receiver<ExecEvent>,
    script: &str,
) -> (String, RunState) {
    let id = engine.spawn(RunRequest::new("step", script)).unwrap();
    let mut out = Vec::new();
    loop {
        let event = timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("timed out waiting for the run")
            .expect("engine channel closed");
        match event {
            ExecEvent::Output { run, bytes } if run == id => out.extend(bytes),
            ExecEvent::Exited { run, state, .. } if run == id => {
                let text = String::from_utf8_lossy(&out).replace("\r\n", "\n");
                return (text, state);
            }
            _ => {}
        }
    }
}
