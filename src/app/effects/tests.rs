//! Effects against a real engine.
#![allow(clippy::unwrap_used)]

use super::*;

/// Regression: `RunStarted` used to go through the channel, where the bridge could already
/// have queued the run's first output; the state dropped output of a run it did not know.
#[tokio::test]
async fn a_started_run_is_known_before_its_output_can_arrive() {
    let book = crate::runbook::parse("# T\n\n```bash\necho hi\n```\n");
    let mut state = State::new(
        book,
        crate::config::Config::default(),
        crate::state::Mode::Live,
    );
    let (engine, mut events) =
        crate::exec::Engine::with_channel(crate::exec::ExecConfig::default()).unwrap();
    let source = SessionSource {
        path: "t.md".into(),
        sha256: String::new(),
        mode: JournalMode::Live,
    };
    let mut fx = Effects::new(Arc::new(engine), source, None, Vec::new());
    let (tx, mut rx) = mpsc::channel(8);
    fx.set_sender(tx);
    let run = Effect::Run {
        step: 0,
        command: None,
        script: "echo hi".into(),
        env: Vec::new(),
    };
    assert!(!fx.apply(&mut state, vec![run]).await);
    let immediate = fx.take_immediate();
    assert!(
        matches!(immediate.as_slice(), [Msg::RunStarted { step: 0, .. }]),
        "{immediate:?}"
    );
    assert!(
        rx.try_recv().is_err(),
        "nothing about the run went through the channel"
    );
    while let Some(event) = events.recv().await {
        if matches!(event, crate::exec::ExecEvent::Exited { .. }) {
            break;
        }
    }
}
