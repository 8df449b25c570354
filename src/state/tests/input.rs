//! Pure `update` tests of input routing: focus, search, interactive mode, quit, resize, ticks,
//! journal failures, resume, anchors, mouse, narrow layouts and output tabs.
#![allow(clippy::unwrap_used)]

use super::super::testkit::*;
use super::super::*;
use super::{run_effect, start_run};
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

#[test]
fn focus_cycles_and_keys_follow_focus() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Focus::Step);
    ch(&mut s, 'j');
    assert_eq!(
        s.step_scroll, 1,
        "j scrolls the step pane when it has focus"
    );
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Focus::Outline, "no cluster pane: three stops");
    key(&mut s, KeyCode::BackTab);
    assert_eq!(s.focus, Focus::Output);
    s.cluster_available = true;
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Focus::Cluster);
}

#[test]
fn step_search_selects_and_cycles() {
    let mut s = state();
    ch(&mut s, '/');
    typed(&mut s, "rollout");
    assert_eq!(s.cursor, Item::Step(3), "first match as you type");
    key(&mut s, KeyCode::Enter);
    assert!(s.prompt.is_none());
    assert_eq!(
        s.search.as_ref().unwrap().1,
        vec![3, 5, 6, 10],
        "titles and code match"
    );
    ch(&mut s, 'n');
    assert_eq!(s.cursor, Item::Step(5));
    ch(&mut s, 'N');
    assert_eq!(s.cursor, Item::Step(3));
    ch(&mut s, '/');
    typed(&mut s, "zzz");
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.cursor, Item::Step(3), "Esc goes back");
}

#[test]
fn output_search_when_output_is_focused() {
    let mut s = state();
    let run = start_run(&mut s, 7);
    for i in 0..60 {
        update(
            &mut s,
            Msg::Output {
                run,
                bytes: format!("ts={i} level=info\r\n").into_bytes(),
            },
        );
    }
    update(
        &mut s,
        Msg::Output {
            run,
            bytes: b"ts=99 level=ERROR boom\r\n".to_vec(),
        },
    );
    s.focus = Focus::Output;
    ch(&mut s, '/');
    typed(&mut s, "ts=1");
    key(&mut s, KeyCode::Enter);
    let search = s.panes[&run].search.clone().unwrap();
    assert_eq!(search.matches.len(), 11);
    ch(&mut s, 'n');
    assert!(
        !s.panes[&run].follow,
        "jumping into history leaves follow mode"
    );
    ch(&mut s, 'f');
    assert!(s.panes[&run].follow);
}

#[test]
fn quit_asks_while_running_and_stops_everything() {
    let mut s = state();
    let run = start_run(&mut s, 5);
    ch(&mut s, 'q');
    assert_eq!(s.dialog, Some(Dialog::Quit { running: 1 }));
    ch(&mut s, 'n');
    assert!(s.dialog.is_none());
    ch(&mut s, 'q');
    let fx = ch(&mut s, 'y');
    assert_eq!(
        fx,
        vec![
            Effect::Stop { run },
            Effect::Journal {
                op: JournalOp::SessionEnded,
                ack: None
            },
            Effect::Quit
        ]
    );
    let mut idle = state();
    assert_eq!(ch(&mut idle, 'q').last(), Some(&Effect::Quit));
}

#[test]
fn stopping_a_long_running_step_completes_it() {
    let mut s = state();
    let run = start_run(&mut s, 5);
    assert_eq!(ch(&mut s, 'x'), vec![Effect::Stop { run }]);
    let fx = update(
        &mut s,
        Msg::RunExited {
            run,
            exit_code: None,
            stopped: true,
            duration_ms: 9000,
        },
    );
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[5].status, Status::Done);
    let run = start_run(&mut s, 1);
    let fx = update(
        &mut s,
        Msg::RunExited {
            run,
            exit_code: None,
            stopped: true,
            duration_ms: 9,
        },
    );
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[1].status, Status::Stopped);
}

#[test]
fn interactive_steps_take_the_keyboard_until_ctrl_bracket() {
    let mut s = state();
    s.vars.insert(
        "pod-name".into(),
        VarValue {
            value: "api-0".into(),
            secret: false,
        },
    );
    select(&mut s, 8);
    key(&mut s, KeyCode::Enter);
    let fx = ch(&mut s, 'y');
    assert_eq!(
        run_effect(&fx).unwrap().1,
        "kubectl exec -it 'api-0' -n payments -- /bin/sh"
    );
    update(&mut s, Msg::RunStarted { step: 8, run: 4 });
    assert!(s.interact);
    assert_eq!(s.focus, Focus::Output);
    assert_eq!(
        ch(&mut s, 'q'),
        vec![Effect::Input {
            run: 4,
            bytes: b"q".to_vec()
        }]
    );
    assert_eq!(
        ctrl(&mut s, 'c'),
        vec![Effect::Input {
            run: 4,
            bytes: vec![3]
        }]
    );
    assert_eq!(
        update(&mut s, Msg::Paste("ls -l".into())),
        vec![Effect::Input {
            run: 4,
            bytes: b"ls -l".to_vec()
        }]
    );
    ctrl(&mut s, ']');
    assert!(!s.interact);
    ch(&mut s, 'i');
    assert!(s.interact, "i goes back in");
}

#[test]
fn resize_resizes_live_ptys_only() {
    let mut s = state();
    let run = start_run(&mut s, 5);
    let done = 8;
    update(&mut s, Msg::RunStarted { step: 0, run: done });
    update(
        &mut s,
        Msg::RunExited {
            run: done,
            exit_code: Some(0),
            stopped: false,
            duration_ms: 1,
        },
    );
    let fx = update(&mut s, Msg::Resize { cols: 80, rows: 24 });
    let (rows, cols) = layout::pty_size(&s);
    assert_eq!(fx, vec![Effect::Resize { run, rows, cols }]);
    assert_eq!(s.panes[&done].parser.screen().size(), (rows, cols));
    assert!(
        update(&mut s, Msg::Resize { cols: 80, rows: 24 }).is_empty(),
        "same size: nothing"
    );
}

#[test]
fn tick_dirties_only_for_visible_time() {
    let mut s = state();
    s.take_dirty();
    update(&mut s, Msg::Tick { now_ms: 1_000_250 });
    assert!(!s.take_dirty(), "same second, nothing spinning");
    update(&mut s, Msg::Tick { now_ms: 1_001_000 });
    assert!(s.take_dirty(), "the elapsed clock moved");
    start_run(&mut s, 5);
    s.take_dirty();
    update(&mut s, Msg::Tick { now_ms: 1_001_100 });
    assert!(s.take_dirty(), "spinner");
    update(
        &mut s,
        Msg::Output {
            run: 99,
            bytes: b"x".to_vec(),
        },
    );
    assert!(!s.take_dirty(), "unknown run");
}

#[test]
fn journal_failure_is_shown_and_nothing_is_marked() {
    let mut s = state();
    select(&mut s, 3);
    let fx = ch(&mut s, ' ');
    update(
        &mut s,
        Msg::JournalFailed {
            token: ack_token(&fx),
            reason: "disk full".into(),
        },
    );
    assert_eq!(s.steps[3].status, Status::Pending);
    assert_eq!(s.steps[3].saving, None);
    assert!(
        matches!(&s.dialog, Some(Dialog::Notice { error: true, text, .. }) if text.contains("disk full"))
    );
}

#[test]
fn resume_applies_statuses_or_starts_fresh() {
    let mut s = state();
    s.offer_resume(ResumeOffer {
        session: "2024-05-01T10-00".into(),
        started: "2024-05-01 10:00".into(),
        started_ms: Some(400_000),
        statuses: vec![
            ("nodes-are-ready".into(), Status::Done),
            ("gone".into(), Status::Done),
        ],
        variables: vec![("VERSION".into(), "2.4.2".into())],
        details: vec![(
            "nodes-are-ready".into(),
            ResumedStep {
                edited: Some("kubectl get nodes -o wide".into()),
                notes: vec!["two nodes were cordoned".into()],
                skip_reason: None,
            },
        )],
    });
    let fx = ch(&mut s, 'y');
    assert_eq!(
        fx,
        vec![Effect::ResumeSession {
            session: "2024-05-01T10-00".into()
        }]
    );
    assert_eq!(s.steps[1].status, Status::Done);
    assert_eq!(s.started_ms, Some(400_000), "the session clock goes on");
    assert_eq!(
        s.steps[1].edited.as_deref(),
        Some("kubectl get nodes -o wide")
    );
    assert_eq!(s.steps[1].notes, ["two nodes were cordoned"]);
    assert_eq!(s.vars["VERSION"].value, "2.4.2");
    let mut s = state();
    s.offer_resume(ResumeOffer {
        session: "x".into(),
        started: String::new(),
        started_ms: None,
        statuses: vec![],
        variables: vec![],
        details: vec![],
    });
    assert_eq!(key(&mut s, KeyCode::Esc), vec![Effect::StartSession]);
}

#[test]
fn anchors_select_headings() {
    let mut s = state();
    assert!(s.jump_to_anchor("#rollback"));
    assert_eq!(s.cursor, Item::Heading(5));
    assert!(!s.jump_to_anchor("missing"));
}

#[test]
fn clicks_select_outline_rows_and_focus_panes() {
    let mut s = state();
    let l = layout::compute(&s);
    let r = l.outline.unwrap();
    let click = |col, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, click(r.x + 3, r.y + 3));
    assert_eq!(s.cursor, Item::Step(0), "third row");
    let step = l.step.unwrap();
    update(&mut s, click(step.x + 2, step.y + 2));
    assert_eq!(s.focus, Focus::Step);
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: r.x + 2,
        row: r.y + 2,
        modifiers: KeyModifiers::NONE,
    });
    update(&mut s, wheel);
    assert_eq!(s.cursor, Item::Step(1));
    assert_eq!(s.focus, Focus::Step, "the wheel does not move focus");
}

#[test]
fn narrow_screens_show_one_column() {
    let mut s = state_in(Mode::Live, 60, 24);
    let l = layout::compute(&s);
    assert!(l.outline.is_some() && l.step.is_none());
    key(&mut s, KeyCode::Tab);
    let l = layout::compute(&s);
    assert!(l.outline.is_none() && l.step.is_some() && l.output.is_some());
}

#[test]
fn output_tabs_cycle_between_live_runs() {
    let mut s = state();
    start_run(&mut s, 5);
    select(&mut s, 7);
    key(&mut s, KeyCode::Enter);
    update(&mut s, Msg::RunStarted { step: 7, run: 9 });
    assert_eq!(s.tabs(), vec![7, 9]);
    assert_eq!(s.shown_pane().unwrap().id, 9);
    ch(&mut s, ']');
    assert_eq!(s.shown_pane().unwrap().id, 7);
    ch(&mut s, 'j');
    assert_eq!(
        s.shown_run, None,
        "moving the selection drops the tab choice"
    );
}
