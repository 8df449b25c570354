//! Whole-screen snapshots on ratatui's `TestBackend` at 120×40 and 80×24, driven only through
//! `update` with a fixed clock, plus a few style checks that text snapshots cannot see.
#![allow(clippy::unwrap_used)]

use crate::config::Config;
use crate::state::testkit::*;
use crate::state::{
    Effect, Focus, Mode, Msg, PickerEntry, ResumeOffer, State, Status, VarValue, update,
};
use crate::theme::{Slot, Theme};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

fn terminal(state: &State, theme: &Theme) -> Terminal<TestBackend> {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| super::draw(f, state, theme)).unwrap();
    t
}

fn screen(state: &State) -> String {
    terminal(state, &Theme::default()).backend().to_string()
}

/// Finishes step `i` through a real run and its journal ack.
fn finish(s: &mut State, i: usize, run: u64, code: i32, output: &[u8]) {
    select(s, i);
    let fx = key(s, KeyCode::Enter);
    assert!(fx.iter().any(|e| matches!(e, Effect::Run { .. })), "{fx:?}");
    update(s, Msg::RunStarted { step: i, run });
    update(
        s,
        Msg::Output {
            run,
            bytes: output.to_vec(),
        },
    );
    let fx = update(
        s,
        Msg::RunExited {
            run,
            exit_code: Some(code),
            stopped: false,
            duration_ms: 1830,
        },
    );
    update(s, Msg::JournalAck(ack_token(&fx)));
}

/// A session half-way through: two checks done, one skipped, one failed.
fn mid_session(cols: u16, rows: u16) -> State {
    let mut s = state_in(Mode::Live, cols, rows);
    finish(&mut s, 0, 1, 0, b"aks-payments-staging\r\n");
    finish(
        &mut s,
        1,
        2,
        0,
        b"NAME     STATUS   ROLES\r\naks-1    Ready    agent\r\n",
    );
    select(&mut s, 3);
    let fx = ch(&mut s, ' ');
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    s.vars.insert(
        "DB_PASSWORD".into(),
        VarValue {
            value: "hunter2".into(),
            secret: true,
        },
    );
    finish(
        &mut s,
        2,
        3,
        2,
        b"psql: error: connection to server at \"db.internal\" failed\r\n",
    );
    update(
        &mut s,
        Msg::Tick {
            now_ms: 1_000_000 + 754_000,
        },
    );
    s
}

#[test]
fn outline_and_step_120x40() {
    let mut s = mid_session(120, 40);
    select(&mut s, 4);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn outline_and_step_80x24() {
    let mut s = mid_session(80, 24);
    select(&mut s, 0);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn heading_selected_with_folded_section() {
    let mut s = mid_session(120, 40);
    select(&mut s, 1);
    ch(&mut s, 'h');
    ch(&mut s, 'J');
    insta::assert_snapshot!(screen(&s));
}

/// Step 6 (watch) and step 8 (logs) running; the logs pane has colours and `\r` progress.
fn running(cols: u16, rows: u16) -> State {
    let mut s = mid_session(cols, rows);
    select(&mut s, 5);
    key(&mut s, KeyCode::Enter);
    update(&mut s, Msg::RunStarted { step: 5, run: 10 });
    update(&mut s, Msg::Output { run: 10, bytes: b"Waiting for deployment \"payments-api\" rollout to finish: 1 of 3 updated replicas are available...\r\n".to_vec() });
    select(&mut s, 7);
    key(&mut s, KeyCode::Enter);
    update(&mut s, Msg::RunStarted { step: 7, run: 11 });
    let out = concat!(
        "\x1b[2m2024-05-01T10:00:01Z\x1b[0m \x1b[31mERROR\x1b[0m payment 4411 declined: \x1b[1mcard_expired\x1b[0m\r\n",
        "\x1b[2m2024-05-01T10:00:03Z\x1b[0m \x1b[31mERROR\x1b[0m upstream timeout after 30s (bank-gw)\r\n",
        "syncing ledger 10%\rsyncing ledger 55%\rsyncing ledger 100%\r\n",
        "\x1b[32mhealth ok\x1b[0m\r\n",
    );
    update(
        &mut s,
        Msg::Output {
            run: 11,
            bytes: out.as_bytes().to_vec(),
        },
    );
    update(
        &mut s,
        Msg::Tick {
            now_ms: 1_000_000 + 754_000 + 12_300,
        },
    );
    s.focus = Focus::Output;
    s
}

#[test]
fn running_step_with_output_120x40() {
    insta::assert_snapshot!(screen(&running(120, 40)));
}

#[test]
fn running_step_with_output_80x24() {
    insta::assert_snapshot!(screen(&running(80, 24)));
}

#[test]
fn output_search_highlights_matches() {
    let mut s = running(120, 40);
    ch(&mut s, '/');
    typed(&mut s, "error");
    let t = terminal(&s, &Theme::default());
    insta::assert_snapshot!(t.backend().to_string());
    let buf = t.backend().buffer();
    let hit = buf
        .content()
        .iter()
        .filter(|c| c.bg == Theme::default().color(Slot::SearchMatch).unwrap())
        .count();
    assert_eq!(hit, 10, "two matches of five cells are highlighted");
}

#[test]
fn output_keeps_program_colours() {
    let s = running(120, 40);
    let t = terminal(&s, &Theme::default());
    let buf = t.backend().buffer();
    let red = buf
        .content()
        .iter()
        .filter(|c| c.symbol() == "E" && c.fg == Color::Indexed(1))
        .count();
    assert_eq!(red, 2, "ERROR is drawn in the program's red");
}

#[test]
fn dialog_values_with_secret() {
    let mut s = state();
    select(&mut s, 2);
    key(&mut s, KeyCode::Enter);
    typed(&mut s, "hunter2");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn dialog_confirm_write() {
    let mut s = state();
    select(&mut s, 4);
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn dialog_confirm_destructive_on_production_80x24() {
    let mut s = state_in(Mode::Live, 80, 24);
    update(
        &mut s,
        Msg::Kube {
            context: Some("aks-payments-prod".into()),
            namespace: Some("payments".into()),
        },
    );
    select(&mut s, 9);
    key(&mut s, KeyCode::Enter);
    typed(&mut s, "payments-api-7d9c-x2x");
    key(&mut s, KeyCode::Enter);
    typed(&mut s, "pay");
    let t = terminal(&s, &Theme::default());
    insta::assert_snapshot!(t.backend().to_string());
    let badge = Theme::default().color(Slot::ProductionBadge).unwrap();
    assert!(
        t.backend().buffer().content().iter().any(|c| c.bg == badge),
        "production is red"
    );
}

#[test]
fn dialog_resume() {
    let mut s = state();
    s.offer_resume(ResumeOffer {
        session: "2024-05-01T09-58-12-payments-rollout".into(),
        started: "2024-05-01 09:58 (2 h ago)".into(),
        started_ms: None,
        statuses: vec![
            ("confirm-the-kube-context".into(), Status::Done),
            ("nodes-are-ready".into(), Status::Done),
        ],
        variables: vec![],
        details: vec![],
    });
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn dialog_skip_reason_80x24() {
    let mut s = state_in(Mode::Live, 80, 24);
    select(&mut s, 5);
    ch(&mut s, 's');
    typed(&mut s, "rollout watched in Argo CD");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn dialog_editor() {
    let mut s = state();
    select(&mut s, 10);
    ch(&mut s, 'e');
    key(&mut s, KeyCode::Enter);
    typed(
        &mut s,
        "kubectl rollout status deploy/payments-api -n payments",
    );
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn dialog_quit_and_export_notice() {
    let mut s = running(120, 40);
    ch(&mut s, 'q');
    insta::assert_snapshot!("quit", screen(&s));
    ch(&mut s, 'n');
    update(
        &mut s,
        Msg::Exported {
            path: "~/.local/share/runbook/sessions/2024-05-01T09-58/export.md".into(),
        },
    );
    insta::assert_snapshot!("export", screen(&s));
}

#[test]
fn help_overlay_both_sizes() {
    let mut s = state();
    ch(&mut s, '?');
    insta::assert_snapshot!("help_120x40", screen(&s));
    let mut s = state_in(Mode::Live, 80, 24);
    ch(&mut s, '?');
    insta::assert_snapshot!("help_80x24", screen(&s));
}

#[test]
fn rehearsal_shows_what_was_not_run() {
    let mut s = state_in(Mode::Rehearsal, 120, 40);
    select(&mut s, 10);
    let fx = key(&mut s, KeyCode::Enter);
    update(&mut s, Msg::JournalAck(ack_token(&fx)));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn single_column_below_72_columns() {
    let mut s = mid_session(64, 24);
    select(&mut s, 2);
    insta::assert_snapshot!("narrow_outline", screen(&s));
    key(&mut s, KeyCode::Tab);
    insta::assert_snapshot!("narrow_step", screen(&s));
}

fn picker(cols: u16, rows: u16) -> State {
    let entry = |p: &str, t: &str, n| PickerEntry {
        path: p.into(),
        title: Some(t.into()),
        steps: Some(n),
    };
    let entries = vec![
        entry("payments/rollout.md", "Payments API rollout", 11),
        entry("payments/rollback.md", "Payments API rollback", 6),
        entry("redis/failover.md", "Redis Sentinel failover", 9),
        entry(
            "postgres/restore-pitr.md",
            "Restore Postgres to a point in time",
            14,
        ),
        entry("k8s/node-drain.md", "Drain and replace a node", 7),
        PickerEntry {
            path: "README.md".into(),
            title: None,
            steps: None,
        },
    ];
    let mut s = State::picker(
        "ops-runbooks".into(),
        entries,
        Config::default(),
        Mode::Live,
    );
    update(&mut s, Msg::Resize { cols, rows });
    s
}

#[test]
fn dir_picker_120x40() {
    insta::assert_snapshot!(screen(&picker(120, 40)));
}

#[test]
fn dir_picker_filtered_80x24() {
    let mut s = picker(80, 24);
    typed(&mut s, "pay");
    key(&mut s, KeyCode::Down);
    insta::assert_snapshot!(screen(&s));
    assert_eq!(
        key(&mut s, KeyCode::Enter),
        vec![Effect::OpenFile("payments/rollout.md".into())]
    );
}

#[test]
fn no_color_theme_draws_without_colours() {
    let s = mid_session(80, 24);
    let t = terminal(&s, &Theme::no_color());
    let coloured = t
        .backend()
        .buffer()
        .content()
        .iter()
        .any(|c| !matches!(c.fg, Color::Reset) || !matches!(c.bg, Color::Reset));
    assert!(!coloured, "NO_COLOR: modifiers only");
}

#[test]
fn tiny_terminals_never_panic() {
    let open: [fn(&mut State); 6] = [
        |_| {},
        |s| {
            ch(s, '?');
        },
        |s| {
            select(s, 10);
            ch(s, 'e');
        },
        |s| {
            select(s, 9);
            s.vars.insert(
                "pod-name".into(),
                VarValue {
                    value: "web-1".into(),
                    secret: false,
                },
            );
            key(s, KeyCode::Enter);
        },
        |s| {
            select(s, 2);
            key(s, KeyCode::Enter);
        },
        |s| {
            select(s, 5);
            key(s, KeyCode::Enter);
            update(s, Msg::RunStarted { step: 5, run: 1 });
            update(
                s,
                Msg::Output {
                    run: 1,
                    bytes: b"\x1b[31mred\x1b[0m\r\nline\r\n".to_vec(),
                },
            );
            s.focus = Focus::Output;
            ch(s, '/');
            typed(s, "line");
        },
    ];
    for (w, h) in [
        (1, 1),
        (10, 3),
        (20, 5),
        (40, 10),
        (71, 12),
        (72, 12),
        (200, 60),
    ] {
        for f in open {
            let mut s = state_in(Mode::Live, w, h);
            f(&mut s);
            let _ = screen(&s);
        }
        let _ = screen(&picker(w, h));
    }
}
