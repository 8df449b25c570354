//! Pure `update` tests: navigation, the run flow with journal acks, dialogs, modes, search,
//! focus, folding, input routing.
#![allow(clippy::unwrap_used)]

use super::testkit::*;
use super::*;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn run_effect(effects: &[Effect]) -> Option<(usize, String, Vec<(String, String)>)> {
    effects.iter().find_map(|e| match e {
        Effect::Run { step, script, env, .. } => Some((*step, script.clone(), env.clone())),
        _ => None,
    })
}

fn ops(effects: &[Effect]) -> Vec<JournalOp> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Journal { op, .. } => Some(op.clone()),
            _ => None,
        })
        .collect()
}

/// Runs step `i` (no dialogs expected) and returns the run id 7.
fn start_run(s: &mut State, i: usize) -> u64 {
    select(s, i);
    let fx = key(s, KeyCode::Enter);
    assert_eq!(run_effect(&fx).unwrap().0, i, "{fx:?}");
    update(s, Msg::RunStarted { step: i, run: 7 });
    7
}

#[test]
fn outline_skips_title_heading_and_moves() {
    let mut s = state();
    assert_eq!(s.cursor, Item::Heading(1), "the H1 title is not a row");
    ch(&mut s, 'j');
    assert_eq!(s.cursor, Item::Heading(2));
    ch(&mut s, 'j');
    assert_eq!(s.cursor, Item::Step(0));
    ch(&mut s, 'G');
    assert_eq!(s.cursor, Item::Step(10));
    ch(&mut s, 'g');
    assert_eq!(s.cursor, Item::Heading(1));
    ch(&mut s, 'J');
    ch(&mut s, 'J');
    assert_eq!(s.cursor, Item::Heading(3), "J goes to the next heading");
    ch(&mut s, 'K');
    assert_eq!(s.cursor, Item::Heading(2));
    key(&mut s, KeyCode::Up);
    assert_eq!(s.cursor, Item::Heading(1));
    key(&mut s, KeyCode::Up);
    assert_eq!(s.cursor, Item::Heading(1), "stays at the top");
}

#[test]
fn folding_hides_steps_and_counts_them() {
    let mut s = state();
    select(&mut s, 1);
    ch(&mut s, 'h');
    assert_eq!(s.cursor, Item::Heading(2), "h on a step folds its section");
    let rows = nav::rows(&s);
    let folded = rows.iter().find(|r| r.item == Item::Heading(2)).unwrap();
    assert_eq!(folded.folded, Some(4));
    assert!(!rows.iter().any(|r| r.item == Item::Step(0)));
    ch(&mut s, 'j');
    assert_eq!(s.cursor, Item::Heading(3), "j skips folded steps");
    ch(&mut s, 'k');
    key(&mut s, KeyCode::Enter);
    assert!(nav::rows(&s).iter().any(|r| r.item == Item::Step(0)), "Enter on a heading unfolds");
    // Revealing a step unfolds its heading.
    ch(&mut s, 'h');
    select(&mut s, 2);
    assert!(!s.collapsed.contains(&2));
}

#[test]
fn read_step_runs_and_is_done_only_after_ack() {
    let mut s = state();
    select(&mut s, 0);
    let fx = key(&mut s, KeyCode::Enter);
    let (step, script, env) = run_effect(&fx).unwrap();
    assert_eq!((step, script.as_str()), (0, "kubectl config current-context"));
    assert!(env.is_empty());
    assert!(s.steps[0].starting);
    let fx = update(&mut s, Msg::RunStarted { step: 0, run: 3 });
    assert!(matches!(ops(&fx)[0], JournalOp::StepStarted { run: 3, number: 1, .. }));
    let (rows, cols) = layout::pty_size(&s);
    assert!(fx.contains(&Effect::Resize { run: 3, rows, cols }));
    update(&mut s, Msg::Output { run: 3, bytes: b"aks-payments-staging\r\n".to_vec() });
    assert_eq!(s.panes.get_mut(&3).unwrap().lines()[0], "aks-payments-staging");
    let fx = update(&mut s, Msg::RunExited { run: 3, exit_code: Some(0), stopped: false, duration_ms: 420 });
    let journal = ops(&fx);
    assert!(journal.contains(&JournalOp::CheckToggled { id: "confirm-the-kube-context".into(), checked: true }));
    assert!(matches!(journal.last(), Some(JournalOp::StepFinished { exit_code: Some(0), .. })));
    assert_eq!(s.steps[0].status, Status::Running, "not done before the ack");
    let token = ack_token(&fx);
    assert_eq!(s.steps[0].saving, Some(token));
    update(&mut s, Msg::JournalAck(token + 100));
    assert_eq!(s.steps[0].status, Status::Running, "a foreign ack changes nothing");
    update(&mut s, Msg::JournalAck(token));
    assert_eq!((s.steps[0].status, s.steps[0].saving), (Status::Done, None));
    assert_eq!(s.progress(), (1, 10));
}

#[test]
fn failed_run_keeps_output_and_can_rerun() {
    let mut s = state();
    let run = start_run(&mut s, 1);
    update(&mut s, Msg::Output { run, bytes: b"error: Unauthorized\r\n".to_vec() });
    let fx = update(&mut s, Msg::RunExited { run, exit_code: Some(1), stopped: false, duration_ms: 80 });
    assert!(!ops(&fx).iter().any(|o| matches!(o, JournalOp::CheckToggled { .. })));
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[1].status, Status::Failed);
    assert_eq!(s.shown_pane().unwrap().exit.unwrap().exit_code, Some(1));
    let fx = ch(&mut s, 'r');
    assert!(run_effect(&fx).is_some(), "r re-runs a failed step");
}

#[test]
fn a_step_cannot_start_twice() {
    let mut s = state();
    start_run(&mut s, 0);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(fx.is_empty());
    assert!(s.notice.as_ref().unwrap().error);
}

#[test]
fn manual_check_toggles_through_the_journal() {
    let mut s = state();
    select(&mut s, 3);
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(ops(&fx), vec![JournalOp::CheckToggled { id: "announce-the-rollout-in-#ops".into(), checked: true }]);
    assert_eq!(s.steps[3].status, Status::Pending);
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[3].status, Status::Done);
    let fx = ch(&mut s, ' ');
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[3].status, Status::Pending);
    // Space on a runnable command step does not tick it.
    select(&mut s, 5);
    assert!(ch(&mut s, ' ').is_empty());
}

#[test]
fn skip_asks_a_reason() {
    let mut s = state();
    select(&mut s, 5);
    ch(&mut s, 's');
    key(&mut s, KeyCode::Enter);
    assert!(matches!(&s.dialog, Some(Dialog::Text { error: Some(_), .. })));
    typed(&mut s, "done by hand");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(s.dialog.is_none());
    assert_eq!(ops(&fx), vec![JournalOp::StepSkipped { id: "watch-the-rollout".into(), reason: "done by hand".into() }]);
    assert_eq!(s.steps[5].status, Status::Pending);
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[5].status, Status::Skipped);
    assert_eq!(s.steps[5].skip_reason.as_deref(), Some("done by hand"));
}

#[test]
fn secret_values_are_asked_masked_in_the_journal_and_passed_as_env() {
    let mut s = state();
    select(&mut s, 2);
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let Some(Dialog::Values(v)) = &s.dialog else { panic!("values dialog expected") };
    assert_eq!(v.fields.len(), 1);
    assert!(v.fields[0].secret);
    key(&mut s, KeyCode::Enter);
    assert!(matches!(&s.dialog, Some(Dialog::Values(v)) if v.error.is_some()), "empty value refused");
    typed(&mut s, "hunter2");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        ops(&fx),
        vec![JournalOp::VariableSet { name: "DB_PASSWORD".into(), value: MASK.into(), secret: true }]
    );
    let (_, _, env) = run_effect(&fx).unwrap();
    assert_eq!(env, vec![("DB_PASSWORD".to_string(), "hunter2".to_string())]);
    // Remembered: the second run asks nothing.
    update(&mut s, Msg::RunStarted { step: 2, run: 1 });
    update(&mut s, Msg::RunExited { run: 1, exit_code: Some(0), stopped: false, duration_ms: 1 });
    assert!(run_effect(&ch(&mut s, 'r')).is_some());
}

#[test]
fn env_names_count_as_known() {
    let mut s = state();
    s.set_env_names(["DB_PASSWORD".to_string()]);
    select(&mut s, 2);
    assert!(run_effect(&key(&mut s, KeyCode::Enter)).is_some());
}

#[test]
fn write_step_asks_values_then_confirmation() {
    let mut s = state();
    select(&mut s, 4);
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Values(v)) = &s.dialog else { panic!() };
    assert_eq!(v.fields[0].value, "2.4.1", "front-matter default pre-filled");
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Confirm(c)) = &s.dialog else { panic!("confirm expected, got {:?}", s.dialog) };
    assert_eq!((c.risk, c.target.as_deref()), (crate::runbook::Risk::Write, None));
    assert_eq!(c.note.as_deref(), Some("Traffic shifts to the new pods at once."));
    assert!(ch(&mut s, 'x').is_empty(), "other keys keep the dialog");
    assert!(s.dialog.is_some());
    assert!(key(&mut s, KeyCode::Enter).is_empty(), "Enter is No");
    assert!(s.dialog.is_none());
    key(&mut s, KeyCode::Enter);
    let fx = ch(&mut s, 'y');
    assert!(matches!(&ops(&fx)[0], JournalOp::Confirmation { what, .. } if what.starts_with("write step")));
    let (_, script, env) = run_effect(&fx).unwrap();
    assert!(script.contains("${VERSION}"), "variables stay for the shell");
    assert_eq!(env, vec![("VERSION".to_string(), "2.4.1".to_string())]);
}

#[test]
fn destructive_step_requires_typing_the_target() {
    let mut s = state();
    select(&mut s, 9);
    key(&mut s, KeyCode::Enter);
    typed(&mut s, "web-1");
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Confirm(c)) = &s.dialog else { panic!() };
    assert_eq!(c.target.as_deref(), Some("web-1"));
    assert_eq!(c.script, "kubectl delete pod web-1 -n payments");
    assert!(ch(&mut s, 'y').is_empty(), "y is not enough");
    typed(&mut s, "eb-1");
    key(&mut s, KeyCode::Enter);
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.error.is_some()));
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.typed == "yeb-1"));
    ctrl(&mut s, 'u');
    typed(&mut s, "web-1");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(run_effect(&fx).unwrap().1, "kubectl delete pod web-1 -n payments");
}

#[test]
fn rehearsal_runs_reads_and_records_writes() {
    let mut s = state_in(Mode::Rehearsal, 120, 40);
    select(&mut s, 10);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(run_effect(&fx).is_none());
    assert!(s.dialog.is_none(), "no confirmation: nothing runs");
    assert!(matches!(&ops(&fx)[0], JournalOp::StepRehearsed { number: 11, .. }));
    assert_eq!(s.steps[10].rehearsed.as_deref(), Some("kubectl rollout undo deploy/payments-api -n payments"));
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[10].status, Status::Rehearsed);
    select(&mut s, 0);
    assert!(run_effect(&key(&mut s, KeyCode::Enter)).is_some(), "read steps still run");
}

#[test]
fn read_only_refuses_writes() {
    let mut s = state_in(Mode::ReadOnly, 120, 40);
    select(&mut s, 10);
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(s.notice.as_ref().unwrap().text.contains("read-only"));
    select(&mut s, 1);
    assert!(run_effect(&key(&mut s, KeyCode::Enter)).is_some());
}

#[test]
fn edited_command_is_journaled_run_and_can_raise_risk() {
    let mut s = state();
    select(&mut s, 1);
    ch(&mut s, 'e');
    assert!(matches!(s.dialog, Some(Dialog::Editor(_))));
    key(&mut s, KeyCode::End);
    typed(&mut s, " --show-labels");
    let fx = ctrl(&mut s, 's');
    assert_eq!(
        ops(&fx),
        vec![JournalOp::CommandEdited { id: "nodes-are-ready".into(), text: "kubectl get nodes -o wide --show-labels".into() }]
    );
    // The skeleton risk analyser calls anything without "delete" a write: the edit raises the
    // risk, so the step now asks for confirmation.
    key(&mut s, KeyCode::Enter);
    assert!(matches!(s.dialog, Some(Dialog::Confirm(_))));
    let fx = ch(&mut s, 'y');
    assert_eq!(run_effect(&fx).unwrap().1, "kubectl get nodes -o wide --show-labels");
}

#[test]
fn focus_cycles_and_keys_follow_focus() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Focus::Step);
    ch(&mut s, 'j');
    assert_eq!(s.step_scroll, 1, "j scrolls the step pane when it has focus");
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
    assert_eq!(s.search.as_ref().unwrap().1, vec![3, 5, 6, 10], "titles and code match");
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
        update(&mut s, Msg::Output { run, bytes: format!("ts={i} level=info\r\n").into_bytes() });
    }
    update(&mut s, Msg::Output { run, bytes: b"ts=99 level=ERROR boom\r\n".to_vec() });
    s.focus = Focus::Output;
    ch(&mut s, '/');
    typed(&mut s, "ts=1");
    key(&mut s, KeyCode::Enter);
    let search = s.panes[&run].search.clone().unwrap();
    assert_eq!(search.matches.len(), 11);
    ch(&mut s, 'n');
    assert!(!s.panes[&run].follow, "jumping into history leaves follow mode");
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
    assert_eq!(fx, vec![
        Effect::Stop { run },
        Effect::Journal { op: JournalOp::SessionEnded, ack: None },
        Effect::Quit
    ]);
    let mut idle = state();
    assert_eq!(ch(&mut idle, 'q').last(), Some(&Effect::Quit));
}

#[test]
fn stopping_a_long_running_step_completes_it() {
    let mut s = state();
    let run = start_run(&mut s, 5);
    assert_eq!(ch(&mut s, 'x'), vec![Effect::Stop { run }]);
    let fx = update(&mut s, Msg::RunExited { run, exit_code: None, stopped: true, duration_ms: 9000 });
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[5].status, Status::Done);
    let run = start_run(&mut s, 1);
    let fx = update(&mut s, Msg::RunExited { run, exit_code: None, stopped: true, duration_ms: 9 });
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[1].status, Status::Stopped);
}

#[test]
fn interactive_steps_take_the_keyboard_until_ctrl_bracket() {
    let mut s = state();
    s.vars.insert("pod-name".into(), VarValue { value: "api-0".into(), secret: false });
    select(&mut s, 8);
    key(&mut s, KeyCode::Enter);
    let fx = ch(&mut s, 'y');
    assert_eq!(run_effect(&fx).unwrap().1, "kubectl exec -it api-0 -n payments -- /bin/sh");
    update(&mut s, Msg::RunStarted { step: 8, run: 4 });
    assert!(s.interact);
    assert_eq!(s.focus, Focus::Output);
    assert_eq!(ch(&mut s, 'q'), vec![Effect::Input { run: 4, bytes: b"q".to_vec() }]);
    assert_eq!(ctrl(&mut s, 'c'), vec![Effect::Input { run: 4, bytes: vec![3] }]);
    assert_eq!(update(&mut s, Msg::Paste("ls -l".into())), vec![Effect::Input { run: 4, bytes: b"ls -l".to_vec() }]);
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
    update(&mut s, Msg::RunExited { run: done, exit_code: Some(0), stopped: false, duration_ms: 1 });
    let fx = update(&mut s, Msg::Resize { cols: 80, rows: 24 });
    let (rows, cols) = layout::pty_size(&s);
    assert_eq!(fx, vec![Effect::Resize { run, rows, cols }]);
    assert_eq!(s.panes[&done].parser.screen().size(), (rows, cols));
    assert!(update(&mut s, Msg::Resize { cols: 80, rows: 24 }).is_empty(), "same size: nothing");
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
    update(&mut s, Msg::Output { run: 99, bytes: b"x".to_vec() });
    assert!(!s.take_dirty(), "unknown run");
}

#[test]
fn journal_failure_is_shown_and_nothing_is_marked() {
    let mut s = state();
    select(&mut s, 3);
    let fx = ch(&mut s, ' ');
    update(&mut s, Msg::JournalFailed { token: ack_token(&fx), reason: "disk full".into() });
    assert_eq!(s.steps[3].status, Status::Pending);
    assert_eq!(s.steps[3].saving, None);
    assert!(matches!(&s.dialog, Some(Dialog::Notice { error: true, text, .. }) if text.contains("disk full")));
}

#[test]
fn resume_applies_statuses_or_starts_fresh() {
    let mut s = state();
    s.offer_resume(ResumeOffer {
        session: "2024-05-01T10-00".into(),
        started: "2024-05-01 10:00".into(),
        statuses: vec![("nodes-are-ready".into(), Status::Done), ("gone".into(), Status::Done)],
        variables: vec![("VERSION".into(), "2.4.2".into())],
    });
    let fx = ch(&mut s, 'y');
    assert_eq!(fx, vec![Effect::ResumeSession { session: "2024-05-01T10-00".into() }]);
    assert_eq!(s.steps[1].status, Status::Done);
    assert_eq!(s.vars["VERSION"].value, "2.4.2");
    let mut s = state();
    s.offer_resume(ResumeOffer { session: "x".into(), started: String::new(), statuses: vec![], variables: vec![] });
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
        Msg::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column: col, row, modifiers: KeyModifiers::NONE })
    };
    update(&mut s, click(r.x + 3, r.y + 3));
    assert_eq!(s.cursor, Item::Step(0), "third row");
    let step = l.step.unwrap();
    update(&mut s, click(step.x + 2, step.y + 2));
    assert_eq!(s.focus, Focus::Step);
    let wheel = Msg::Mouse(MouseEvent { kind: MouseEventKind::ScrollDown, column: r.x + 2, row: r.y + 2, modifiers: KeyModifiers::NONE });
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
    assert_eq!(s.shown_run, None, "moving the selection drops the tab choice");
}
