//! Effects against a real engine.
#![allow(clippy::unwrap_used)]

use super::*;

/// What the tests drive: the state, the effects over a real engine, the engine's events and
/// the messages the effects send back.
struct Rig {
    state: State,
    fx: Effects,
    events: mpsc::Receiver<crate::exec::ExecEvent>,
    msgs: mpsc::Receiver<Msg>,
}

/// A live state over `markdown` and its effects, recording under `data_dir` when given.
fn rig(markdown: &str, data_dir: Option<std::path::PathBuf>) -> Rig {
    let book = crate::runbook::parse(markdown);
    let state = State::new(
        book,
        crate::config::Config::default(),
        crate::state::Mode::Live,
    );
    let (engine, events) =
        crate::exec::Engine::with_channel(crate::exec::ExecConfig::default()).unwrap();
    let source = SessionSource {
        path: "t.md".into(),
        sha256: "00".into(),
        mode: JournalMode::Live,
    };
    let mut fx = Effects::new(Arc::new(engine), source, data_dir, Vec::new());
    let (tx, msgs) = mpsc::channel(64);
    fx.set_sender(tx);
    Rig {
        state,
        fx,
        events,
        msgs,
    }
}

/// Runs `script` as step `step` and waits for its end; returns the run id.
async fn run_to_end(
    fx: &mut Effects,
    state: &mut State,
    events: &mut mpsc::Receiver<crate::exec::ExecEvent>,
    step: usize,
    script: &str,
) -> u64 {
    let run = Effect::Run {
        step,
        command: None,
        script: script.into(),
        env: Vec::new(),
    };
    assert!(!fx.apply(state, vec![run]).await);
    let started = fx.take_immediate().into_iter().find_map(|m| match m {
        Msg::RunStarted { run, .. } => Some(run),
        _ => None,
    });
    let Some(run) = started else {
        panic!("the run did not start");
    };
    while let Some(event) = events.recv().await {
        if matches!(event, crate::exec::ExecEvent::Exited { .. }) {
            break;
        }
    }
    run
}

/// Regression: `RunStarted` used to go through the channel, where the bridge could already
/// have queued the run's first output; the state dropped output of a run it did not know.
#[tokio::test]
async fn a_started_run_is_known_before_its_output_can_arrive() {
    let Rig {
        mut state,
        mut fx,
        mut events,
        mut msgs,
    } = rig("# T\n\n```bash\necho hi\n```\n", None);
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
        msgs.try_recv().is_err(),
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
    let Rig {
        mut state,
        mut fx,
        events: _,
        mut msgs,
    } = rig("# T\n\n- [ ] Manual\n", Some(data.path().to_path_buf()));
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
    assert_eq!(msgs.recv().await, Some(Msg::JournalAck(7)));
    assert!(!fx.apply(&mut state, vec![Effect::Export]).await);
    let Some(Msg::Exported { path }) = msgs.recv().await else {
        panic!("no export")
    };
    let markdown = std::fs::read_to_string(&path).unwrap();
    assert!(
        markdown.contains("- [x]") && markdown.contains("Manual"),
        "{markdown}"
    );
    // Regression: the report was 0644 inside the 0700 session directory.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}

/// A secret a step exports stays in the carried shell: later runs' output logs mask it.
#[tokio::test]
async fn a_carried_secret_is_masked_in_later_output_logs() {
    let data = tempfile::tempdir().unwrap();
    let Rig {
        mut state,
        mut fx,
        mut events,
        msgs: _,
    } = rig(
        "# T\n\n```bash\necho one\n```\n\n```bash\necho two\n```\n",
        Some(data.path().to_path_buf()),
    );
    let scripts = [
        "export API_TOKEN=\"$(printf 'tui-%s' s3cr3t)\"",
        "echo \"t=$API_TOKEN\"",
    ];
    for (step, script) in scripts.into_iter().enumerate() {
        run_to_end(&mut fx, &mut state, &mut events, step, script).await;
    }
    let sessions = data.path().join("sessions");
    let session = std::fs::read_dir(&sessions)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let logs: Vec<String> = std::fs::read_dir(session.path().join("output"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(logs.iter().any(|l| l.contains("t=••••••")), "{logs:?}");
    assert!(!logs.iter().any(|l| l.contains("s3cr3t")), "{logs:?}");
}

/// Regression: every run recorded as finished was recorded a second time when the session
/// ended, which gave the export the wrong times, outputs and durations.
#[tokio::test]
async fn ending_the_session_does_not_record_finished_runs_again() {
    let data = tempfile::tempdir().unwrap();
    let Rig {
        mut state,
        mut fx,
        mut events,
        msgs: _,
    } = rig(
        "# T\n\n```bash\necho one\n```\n",
        Some(data.path().to_path_buf()),
    );
    let run = run_to_end(&mut fx, &mut state, &mut events, 0, "echo one").await;
    let finished = JournalOp::StepFinished {
        id: state.runbook.steps[0].id.to_string(),
        number: 1,
        exit_code: Some(0),
        duration_ms: 5,
        stopped: false,
        run,
    };
    let journal_op = Effect::Journal {
        op: finished,
        ack: None,
    };
    assert!(!fx.apply(&mut state, vec![journal_op]).await);
    fx.end(None).await;
    let sessions = data.path().join("sessions");
    let session = std::fs::read_dir(&sessions)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let journal = std::fs::read_to_string(session.path().join("journal.jsonl")).unwrap();
    assert_eq!(
        journal.matches("\"event\":\"step_finished\"").count(),
        1,
        "{journal}"
    );
    assert!(journal.contains("\"event\":\"session_ended\""));
}

/// Regression: with a data directory that cannot hold sessions, every tick waited for a journal
/// that never came and the step stayed "saving…" forever.
#[tokio::test]
async fn without_a_journal_actions_are_acknowledged_not_held() {
    let data = tempfile::tempdir().unwrap();
    let not_a_dir = data.path().join("file");
    std::fs::write(&not_a_dir, "").unwrap();
    let Rig {
        mut state,
        mut fx,
        events: _,
        mut msgs,
    } = rig("# T\n\n- [ ] Manual\n", Some(not_a_dir));
    let tick = |ack| Effect::Journal {
        op: JournalOp::CheckToggled {
            id: "manual".into(),
            checked: true,
        },
        ack: Some(ack),
    };
    // Before the session starts (the resume question is open), ops wait for it.
    assert!(!fx.apply(&mut state, vec![tick(1)]).await);
    assert!(msgs.try_recv().is_err());
    fx.start(&mut state);
    let notice = state
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("this session is not recorded"), "{notice}");
    assert_eq!(msgs.recv().await, Some(Msg::JournalAck(1)));
    assert!(!fx.apply(&mut state, vec![tick(2)]).await);
    assert_eq!(msgs.recv().await, Some(Msg::JournalAck(2)));
}

/// Regression: a secret a step fetched and printed in the same run stayed in clear in that
/// run's output log; it is masked again once the run's shell state names it.
#[tokio::test]
async fn a_secret_a_run_fetches_is_masked_in_its_own_output_log() {
    let data = tempfile::tempdir().unwrap();
    let Rig {
        mut state,
        mut fx,
        mut events,
        msgs: _,
    } = rig(
        "# T\n\n```bash\necho one\n```\n",
        Some(data.path().to_path_buf()),
    );
    let script = "export API_TOKEN=\"$(printf 'own-%s' s3cr3t)\"\necho \"t=$API_TOKEN\"";
    let run = run_to_end(&mut fx, &mut state, &mut events, 0, script).await;
    let finished = JournalOp::StepFinished {
        id: state.runbook.steps[0].id.to_string(),
        number: 1,
        exit_code: Some(0),
        duration_ms: 5,
        stopped: false,
        run,
    };
    let op = Effect::Journal {
        op: finished,
        ack: None,
    };
    assert!(!fx.apply(&mut state, vec![op]).await);
    let session = std::fs::read_dir(data.path().join("sessions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let log_dir = session.path().join("output");
    let read_logs = || -> String {
        std::fs::read_dir(&log_dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect()
    };
    // The log is masked again on a blocking task.
    for _ in 0..100 {
        if !read_logs().contains("s3cr3t") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let logs = read_logs();
    assert!(logs.contains("t=••••••"), "{logs}");
    assert!(!logs.contains("s3cr3t"), "{logs}");
}
