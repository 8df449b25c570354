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

#[tokio::test]
async fn export_writes_the_filled_in_checklist_next_to_the_journal() {
    let data = tempfile::tempdir().unwrap();
    let book = crate::runbook::parse("# T\n\n- [ ] Manual\n");
    let mut state = State::new(
        book,
        crate::config::Config::default(),
        crate::state::Mode::Live,
    );
    let (engine, _events) =
        crate::exec::Engine::with_channel(crate::exec::ExecConfig::default()).unwrap();
    let source = SessionSource {
        path: "t.md".into(),
        sha256: "00".into(),
        mode: JournalMode::Live,
    };
    let mut fx = Effects::new(
        Arc::new(engine),
        source,
        Some(data.path().to_path_buf()),
        Vec::new(),
    );
    let (tx, mut rx) = mpsc::channel(8);
    fx.set_sender(tx);
    fx.start(&mut state);
    let tick = JournalOp::CheckToggled {
        id: state.runbook.steps[0].id.to_string(),
        checked: true,
    };
    assert!(
        !fx.apply(
            &mut state,
            vec![Effect::Journal {
                op: tick,
                ack: Some(7)
            }]
        )
        .await
    );
    assert_eq!(rx.recv().await, Some(Msg::JournalAck(7)));
    assert!(!fx.apply(&mut state, vec![Effect::Export]).await);
    let Some(Msg::Exported { path }) = rx.recv().await else {
        panic!("no export")
    };
    let markdown = std::fs::read_to_string(path).unwrap();
    assert!(
        markdown.contains("- [x]") && markdown.contains("Manual"),
        "{markdown}"
    );
}
