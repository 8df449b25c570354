//! Pure `update` tests: navigation and folding, the run flow with journal acks, values and
//! confirmation dialogs, modes. Input routing, search and focus are in `input.rs`.
#![allow(clippy::unwrap_used)]

use super::testkit::*;
use super::*;
use crossterm::event::KeyCode;

mod input;
mod regressions;

pub(super) type RunFx = (usize, String, Vec<(String, String)>);

pub(super) fn run_effect(effects: &[Effect]) -> Option<RunFx> {
    effects.iter().find_map(|e| match e {
        Effect::Run {
            step, script, env, ..
        } => Some((*step, script.clone(), env.clone())),
        _ => None,
    })
}

pub(super) fn ops(effects: &[Effect]) -> Vec<JournalOp> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Journal { op, .. } => Some(op.clone()),
            _ => None,
        })
        .collect()
}

/// Runs step `i` (no dialogs expected) and returns the run id 7.
pub(super) fn start_run(s: &mut State, i: usize) -> u64 {
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
    assert!(
        nav::rows(&s).iter().any(|r| r.item == Item::Step(0)),
        "Enter on a heading unfolds"
    );
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
    assert_eq!(
        (step, script.as_str()),
        (0, "kubectl config current-context")
    );
    assert!(env.is_empty());
    assert!(s.steps[0].starting);
    let fx = update(&mut s, Msg::RunStarted { step: 0, run: 3 });
    assert!(matches!(
        ops(&fx)[0],
        JournalOp::StepStarted {
            run: 3,
            number: 1,
            ..
        }
    ));
    let (rows, cols) = layout::pty_size(&s);
    assert!(fx.contains(&Effect::Resize { run: 3, rows, cols }));
    update(
        &mut s,
        Msg::Output {
            run: 3,
            bytes: b"aks-payments-staging\r\n".to_vec(),
        },
    );
    assert_eq!(
        s.panes.get_mut(&3).unwrap().lines()[0],
        "aks-payments-staging"
    );
    let fx = update(
        &mut s,
        Msg::RunExited {
            run: 3,
            exit_code: Some(0),
            stopped: false,
            duration_ms: 420,
        },
    );
    let journal = ops(&fx);
    assert!(journal.contains(&JournalOp::CheckToggled {
        id: "confirm-the-kube-context".into(),
        checked: true
    }));
    let finished = journal.iter().position(|op| {
        matches!(
            op,
            JournalOp::StepFinished {
                exit_code: Some(0),
                ..
            }
        )
    });
    let ticked = journal
        .iter()
        .position(|op| matches!(op, JournalOp::CheckToggled { .. }));
    assert!(
        matches!((finished, ticked), (Some(f), Some(t)) if f < t),
        "the result is journaled before the tick it earns: {journal:?}"
    );
    assert_eq!(
        s.steps[0].status,
        Status::Running,
        "not done before the ack"
    );
    let token = ack_token(&fx);
    assert_eq!(s.steps[0].saving, Some(token));
    update(&mut s, Msg::JournalAck(token + 100));
    assert_eq!(
        s.steps[0].status,
        Status::Running,
        "a foreign ack changes nothing"
    );
    update(&mut s, Msg::JournalAck(token));
    assert_eq!((s.steps[0].status, s.steps[0].saving), (Status::Done, None));
    assert_eq!(s.progress(), (1, 10));
}

#[test]
fn failed_run_keeps_output_and_can_rerun() {
    let mut s = state();
    let run = start_run(&mut s, 1);
    update(
        &mut s,
        Msg::Output {
            run,
            bytes: b"error: Unauthorized\r\n".to_vec(),
        },
    );
    let fx = update(
        &mut s,
        Msg::RunExited {
            run,
            exit_code: Some(1),
            stopped: false,
            duration_ms: 80,
        },
    );
    assert!(
        !ops(&fx)
            .iter()
            .any(|o| matches!(o, JournalOp::CheckToggled { .. }))
    );
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
    assert_eq!(
        ops(&fx),
        vec![JournalOp::CheckToggled {
            id: "announce-the-rollout-in-#ops".into(),
            checked: true
        }]
    );
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
    assert!(matches!(
        &s.dialog,
        Some(Dialog::Text { error: Some(_), .. })
    ));
    typed(&mut s, "done by hand");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(s.dialog.is_none());
    assert_eq!(
        ops(&fx),
        vec![JournalOp::StepSkipped {
            id: "watch-the-rollout".into(),
            reason: "done by hand".into()
        }]
    );
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
    let Some(Dialog::Values(v)) = &s.dialog else {
        panic!("values dialog expected")
    };
    assert_eq!(v.fields.len(), 1);
    assert!(v.fields[0].secret);
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(&s.dialog, Some(Dialog::Values(v)) if v.error.is_some()),
        "empty value refused"
    );
    typed(&mut s, "hunter2");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        ops(&fx),
        vec![JournalOp::VariableSet {
            name: "DB_PASSWORD".into(),
            value: MASK.into(),
            secret: true
        }]
    );
    let (_, _, env) = run_effect(&fx).unwrap();
    assert_eq!(
        env,
        vec![("DB_PASSWORD".to_string(), "hunter2".to_string())]
    );
    // Remembered: the second run asks nothing.
    update(&mut s, Msg::RunStarted { step: 2, run: 1 });
    update(
        &mut s,
        Msg::RunExited {
            run: 1,
            exit_code: Some(0),
            stopped: false,
            duration_ms: 1,
        },
    );
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
    let Some(Dialog::Values(v)) = &s.dialog else {
        panic!()
    };
    assert_eq!(
        v.fields[0].value, "2.4.1",
        "front-matter default pre-filled"
    );
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm expected, got {:?}", s.dialog)
    };
    assert_eq!(
        (c.risk, c.target.as_deref()),
        (crate::runbook::Risk::Write, None)
    );
    assert_eq!(
        c.note.as_deref(),
        Some("Traffic shifts to the new pods at once.")
    );
    assert!(ch(&mut s, 'x').is_empty(), "other keys keep the dialog");
    assert!(s.dialog.is_some());
    assert!(key(&mut s, KeyCode::Enter).is_empty(), "Enter is No");
    assert!(s.dialog.is_none());
    key(&mut s, KeyCode::Enter);
    let fx = ch(&mut s, 'y');
    assert!(
        matches!(&ops(&fx)[0], JournalOp::Confirmation { what, .. } if what.starts_with("write step"))
    );
    let (_, script, env) = run_effect(&fx).unwrap();
    assert!(
        script.contains("${VERSION}"),
        "variables stay for the shell"
    );
    assert_eq!(env, vec![("VERSION".to_string(), "2.4.1".to_string())]);
}

#[test]
fn destructive_step_requires_typing_the_target() {
    let mut s = state();
    select(&mut s, 9);
    key(&mut s, KeyCode::Enter);
    typed(&mut s, "web-1");
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!()
    };
    assert_eq!(c.target.as_deref(), Some("web-1"));
    assert_eq!(
        c.script, "kubectl delete pod 'web-1' -n payments",
        "placeholder values are quoted words"
    );
    assert!(ch(&mut s, 'y').is_empty(), "y is not enough");
    typed(&mut s, "eb-1");
    key(&mut s, KeyCode::Enter);
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.error.is_some()));
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.typed == "yeb-1"));
    ctrl(&mut s, 'u');
    typed(&mut s, "web-1");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        run_effect(&fx).unwrap().1,
        "kubectl delete pod 'web-1' -n payments"
    );
}

#[test]
fn rehearsal_runs_reads_and_records_writes() {
    let mut s = state_in(Mode::Rehearsal, 120, 40);
    select(&mut s, 10);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(run_effect(&fx).is_none());
    assert!(s.dialog.is_none(), "no confirmation: nothing runs");
    assert!(matches!(
        &ops(&fx)[0],
        JournalOp::StepRehearsed { number: 11, .. }
    ));
    assert_eq!(
        s.steps[10].rehearsed.as_deref(),
        Some("kubectl rollout undo deploy/payments-api -n payments")
    );
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    assert_eq!(s.steps[10].status, Status::Rehearsed);
    select(&mut s, 0);
    assert!(
        run_effect(&key(&mut s, KeyCode::Enter)).is_some(),
        "read steps still run"
    );
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
    typed(&mut s, " && kubectl cordon node-1");
    let fx = ctrl(&mut s, 's');
    assert_eq!(
        ops(&fx),
        vec![JournalOp::CommandEdited {
            id: "nodes-are-ready".into(),
            text: "kubectl get nodes -o wide && kubectl cordon node-1".into()
        }]
    );
    // `cordon` is a write: the edit raises the step's risk, so it now asks for confirmation.
    key(&mut s, KeyCode::Enter);
    assert!(matches!(s.dialog, Some(Dialog::Confirm(_))));
    let fx = ch(&mut s, 'y');
    assert_eq!(
        run_effect(&fx).unwrap().1,
        "kubectl get nodes -o wide && kubectl cordon node-1"
    );
}
