//! Screens of bugs found by hand in the TUI, each failing before its fix: the confirmation of a
//! long script (the line it asks about, what to type and the keys stay on screen whatever the
//! script's length and the terminal's size), the wrong kube context, values left by earlier
//! steps.
#![allow(clippy::unwrap_used)]

use crate::state::testkit::state_of_size;
use crate::state::{Dialog, Msg, State, update};
use crate::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn confirming(cols: u16, rows: u16) -> State {
    let mut script: String = (1..=45).map(|n| format!("echo \"prep {n}\"\n")).collect();
    script.push_str("rm -rf /srv/victim\n");
    let mut s = state_of_size(&format!("# Clean\n\n```bash\n{script}```\n"), cols, rows);
    open_confirmation(&mut s);
    s
}

/// Enter on the selected step, which must ask for a confirmation.
fn open_confirmation(s: &mut State) {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(
        matches!(s.dialog, Some(Dialog::Confirm(_))),
        "{:?}",
        s.dialog
    );
}

fn screen(state: &State) -> String {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| super::draw(f, state, &Theme::default()))
        .unwrap();
    t.backend().to_string()
}

#[test]
fn a_long_script_keeps_its_destructive_line_and_the_prompt_in_view() {
    for (cols, rows) in [(120, 40), (80, 24), (60, 16)] {
        let text = screen(&confirming(cols, rows));
        for needle in ["rm -rf /srv/victim", "to run it:", "Esc", "more lines"] {
            assert!(
                text.contains(needle),
                "{cols}x{rows}: no {needle:?} in\n{text}"
            );
        }
        assert!(
            text.contains("prep 1\""),
            "{cols}x{rows}: the script's top\n{text}"
        );
    }
}

#[test]
fn a_long_script_at_60x16() {
    insta::assert_snapshot!(screen(&confirming(60, 16)));
}

/// Regression: the wrong context was a notice the next key erased; the dialog said nothing.
#[test]
fn the_wrong_context_stays_flagged_and_the_dialog_warns() {
    let text = "---\ncontext: prod-eu\n---\n# Fix\n\n```bash\nkubectl delete pod web-1\n```\n";
    let mut s = state_of_size(text, 120, 40);
    update(
        &mut s,
        Msg::Kube {
            context: Some("staging".into()),
            namespace: None,
        },
    );
    let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    update(&mut s, Msg::Key(j));
    assert!(screen(&s).contains("≠ runbook expects prod-eu"));
    open_confirmation(&mut s);
    let text = screen(&s);
    assert!(
        text.contains("⚠ kube context is staging, this runbook expects prod-eu"),
        "{text}"
    );
    update(
        &mut s,
        Msg::Kube {
            context: Some("prod-eu".into()),
            namespace: None,
        },
    );
    assert!(!screen(&s).contains("runbook expects"));
}

/// Regression: a value an earlier step left in the shell, or a `${X:-default}`, read "not set —
/// asked on run" although it is never asked.
#[test]
fn values_that_are_never_asked_do_not_say_so() {
    let text = "# V\n\n```bash\necho \"$WORKDIR ${REGION:-eu-west-1} $NEW\"\n```\n";
    let mut s = state_of_size(text, 120, 40);
    let carried = [("WORKDIR".to_string(), "/tmp/demo.x1".to_string())];
    update(&mut s, Msg::Carried(carried.into_iter().collect()));
    let text = screen(&s);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.contains(name) && !l.contains("echo"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("$WORKDIR").contains("/tmp/demo.x1 (left by an earlier step)"),
        "{text}"
    );
    assert!(line("$REGION").contains("not asked"), "{text}");
    assert!(line("$NEW").contains("not set — asked on run"), "{text}");
}

/// Regression: the confirmation showed the kubeconfig's namespace although the command names
/// its own with `-n`.
#[test]
fn the_confirmation_shows_the_namespace_the_command_names() {
    let text = "# U\n\n```bash\nhelm uninstall shop -n qa\n```\n";
    let mut s = state_of_size(text, 120, 40);
    let kube = Msg::Kube {
        context: Some("staging".into()),
        namespace: Some("payments".into()),
    };
    update(&mut s, kube);
    open_confirmation(&mut s);
    let text = screen(&s);
    assert!(text.contains("namespace  qa"), "{text}");
}

/// Regression: the resume dialog counted a step that no longer exists as done ("1 of 2"), and
/// the change was only noticed after resuming.
#[test]
fn the_resume_offer_counts_against_the_runbook_as_it_is() {
    let mut s = state_of_size("# R\n\n- [ ] Still here\n- [ ] Also here\n", 120, 40);
    s.offer_resume(crate::state::ResumeOffer {
        session: "s1".into(),
        started: "2026-12-07 10:00".into(),
        started_ms: None,
        statuses: vec![("renamed-away".into(), crate::state::Status::Done)],
        variables: vec![],
        details: vec![],
    });
    let text = screen(&s);
    assert!(text.contains("0 of 2 steps done"), "{text}");
    assert!(
        text.contains("⚠ changed since: 1 step of it gone or changed"),
        "{text}"
    );
}

/// Regression: the step pane showed a `secret: true` front-matter default in clear.
#[test]
fn a_secret_default_is_masked_in_the_step_pane() {
    let text = "---\nvariables:\n  SVC_X:\n    secret: true\n    default: visible-42\n---\n\
                # S\n\n```bash\necho \"$SVC_X\"\n```\n";
    let s = state_of_size(text, 120, 40);
    let text = screen(&s);
    assert!(!text.contains("visible-42"), "{text}");
    assert!(text.contains("•••••• (default, asked on run)"), "{text}");
}

/// Regression: a read step edited into `rm -rf` still read "reads only", with no `!!` in the
/// outline (the confirmation already knew better).
#[test]
fn an_edit_raises_the_risk_shown() {
    let mut s = state_of_size("# E\n\n```bash\nls /srv/old\n```\n", 120, 40);
    assert!(screen(&s).contains("reads only"));
    s.set_edited(0, Some("rm -rf /srv/old".into()));
    let text = screen(&s);
    assert!(text.contains("DESTRUCTIVE"), "{text}");
    assert!(!text.contains("reads only"), "{text}");
    assert!(text.contains("!!"), "{text}");
}

/// Regression: an environment value outside the variable's `choices` read "from environment"
/// and ran unasked.
#[test]
fn an_environment_value_outside_its_choices_is_flagged() {
    let text = "---\nvariables:\n  ENV:\n    choices: [staging, production]\n---\n\
                # S\n\n```bash\necho \"$ENV\"\n```\n";
    let mut s = state_of_size(text, 140, 40);
    s.set_env([("ENV".to_string(), "prodd".to_string())]);
    let text = screen(&s);
    assert!(
        text.contains("the environment's value is not one of staging, production — asked on run"),
        "{text}"
    );
    assert!(!text.contains("prodd"), "{text}");
}
