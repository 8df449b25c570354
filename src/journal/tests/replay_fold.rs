//! Pure replay: records in, per-step state out.

use super::super::*;

fn rec(secs: i64, event: Event) -> Record {
    let ts = chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0)
        .unwrap()
        .fixed_offset();
    Record { ts, event }
}

fn finished(id: &str, exit_code: Option<i32>, stopped: bool, run: u32) -> Event {
    Event::StepFinished {
        id: id.into(),
        number: 0,
        exit_code,
        duration_ms: 1500,
        output: Some(format!("{id}-{run}.log")),
        stopped,
        run,
    }
}

#[test]
fn replay_folds_step_statuses() {
    let started = |id: &str, run| Event::StepStarted {
        id: id.into(),
        number: 0,
        command: "x".into(),
        run,
    };
    let toggle = |id: &str, checked| Event::CheckToggled {
        id: id.into(),
        checked,
    };
    let recs = vec![
        rec(0, started("a", 1)),
        rec(1, finished("a", Some(1), false, 1)),
        rec(2, started("a", 2)),
        rec(3, finished("a", Some(0), false, 2)),
        rec(4, started("b", 1)),
        rec(5, finished("b", None, true, 1)),
        rec(6, toggle("c", true)),
        rec(7, toggle("c", false)),
        rec(
            8,
            Event::StepSkipped {
                id: "d".into(),
                reason: "not needed".into(),
            },
        ),
        rec(9, started("e", 1)),
        rec(10, finished("f", None, false, 1)),
        rec(
            11,
            Event::CommandEdited {
                id: "g".into(),
                text: "ls -l".into(),
            },
        ),
        rec(12, Event::Unknown(serde_json::json!({"event": "future"}))),
        rec(13, Event::SessionEnded { reason: None }),
    ];
    let s = replay(&recs);
    let a = s.step("a");
    assert_eq!(
        (a.status, a.runs, a.exit_code, a.checked),
        (StepStatus::Done, 2, Some(0), true)
    );
    assert_eq!(a.output.as_deref(), Some("a-2.log"));
    assert_eq!(s.step("b").status, StepStatus::Stopped);
    let c = s.step("c");
    assert_eq!((c.status, c.checked), (StepStatus::Pending, false));
    assert_eq!(s.step("d").skip_reason.as_deref(), Some("not needed"));
    assert_eq!(s.step("d").status, StepStatus::Skipped);
    assert_eq!(s.step("e").status, StepStatus::Running);
    assert_eq!(s.step("f").status, StepStatus::Failed);
    assert_eq!(s.step("g").edited_command.as_deref(), Some("ls -l"));
    assert_eq!(s.step("zzz"), StepState::default());
    assert_eq!(s.unknown_events, 1);
    assert_eq!(s.ended, Some(recs[13].ts));
    assert_eq!(s.last_event, Some(recs[13].ts));
}

#[test]
fn rehearsed_steps_are_a_known_event_and_replay_as_rehearsed() {
    let rehearsed = Event::StepRehearsed {
        id: "drop".into(),
        number: 1,
        command: "kubectl delete ns shop".into(),
    };
    let line = rec(0, rehearsed.clone()).to_line().unwrap();
    assert!(line.contains("\"event\":\"step_rehearsed\""), "{line}");
    assert_eq!(
        Record::from_line(&line).unwrap().event,
        rehearsed,
        "a known event, not Unknown"
    );
    let s = replay(&[rec(0, rehearsed)]);
    assert_eq!(s.step("drop").status, StepStatus::Rehearsed);
    assert_eq!(
        s.step("drop").last_command.as_deref(),
        Some("kubectl delete ns shop")
    );
    assert_eq!(s.unknown_events, 0);
}

#[test]
fn a_run_cut_off_does_not_show_the_previous_run_result() {
    let started = |run| Event::StepStarted {
        id: "a".into(),
        number: 1,
        command: "x".into(),
        run,
    };
    let recs = vec![
        rec(0, started(1)),
        rec(1, finished("a", Some(0), false, 1)),
        rec(2, started(2)),
        rec(3, finished("a", Some(4), false, 2)),
        rec(4, started(3)),
    ];
    let a = replay(&recs).step("a");
    assert_eq!(
        (a.status, a.runs, a.exit_code, a.duration_ms),
        (StepStatus::Running, 3, None, None)
    );
    assert_eq!(a.output.as_deref(), Some("a-3.log"));
}
