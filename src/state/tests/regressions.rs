//! Pure `update` tests of bugs found by hand in the TUI; each failed before its fix.
#![allow(clippy::unwrap_used)]

use super::super::testkit::*;
use super::super::*;
use crossterm::event::KeyCode;

fn state_of(markdown: &str) -> State {
    state_of_size(markdown, 120, 40)
}

#[test]
fn keys_on_a_runbook_without_steps_do_not_panic() {
    for markdown in ["just prose, no steps\n", "# Only a heading\n\nprose\n"] {
        let mut s = state_of(markdown);
        assert!(key(&mut s, KeyCode::Enter).is_empty());
        assert!(ch(&mut s, ' ').is_empty());
        assert!(ch(&mut s, 'r').is_empty());
    }
}

/// Regression: `rm -rf "$WORKDIR"` asked to type `$WORKDIR`, so the path it destroys was never
/// shown, and typing the real path was refused.
#[test]
fn a_destructive_target_names_the_value_a_variable_holds() {
    let mut s = state_of("# Clean\n\n```bash\nrm -rf \"$WORKDIR\"\n```\n");
    let carried = [("WORKDIR".to_string(), "/tmp/demo.x1".to_string())];
    update(&mut s, Msg::Carried(carried.into_iter().collect()));
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("no confirmation: {:?}", s.dialog);
    };
    assert_eq!(c.target.as_deref(), Some("/tmp/demo.x1"));
    key(&mut s, KeyCode::Esc);
    // From the operator's environment.
    update(&mut s, Msg::Carried(Default::default()));
    s.set_env([("WORKDIR".to_string(), "/srv/from-env".to_string())]);
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("no confirmation: {:?}", s.dialog);
    };
    assert_eq!(c.target.as_deref(), Some("/srv/from-env"));
    key(&mut s, KeyCode::Esc);
    // Known to exist but its value is not: left as written.
    s.set_env_names(["WORKDIR".to_string()]);
    s.env_values.clear();
    key(&mut s, KeyCode::Enter);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("no confirmation: {:?}", s.dialog);
    };
    assert_eq!(c.target.as_deref(), Some("$WORKDIR"));
}

/// Regression: the values dialog said "one of staging, production" and took any value.
#[test]
fn the_values_dialog_holds_a_value_outside_its_choices() {
    let text = "---\nvariables:\n  ENV:\n    choices: [staging, production]\n---\n\
                # R\n\n```bash\necho \"env is $ENV\"\n```\n";
    let mut s = state_of(text);
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(s.dialog, Some(Dialog::Values(_))),
        "{:?}",
        s.dialog
    );
    typed(&mut s, "prodd");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let Some(Dialog::Values(v)) = &s.dialog else {
        panic!("the dialog closed: {:?}", s.dialog);
    };
    let error = v.error.clone().unwrap_or_default();
    assert_eq!(error, "ENV must be one of staging, production");
    for _ in 0..5 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "staging");
    let effects = key(&mut s, KeyCode::Enter);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Run { .. })),
        "{effects:?}"
    );
}

/// Regression: a secret a step echoed was in clear in the output pane (the log masked it).
#[test]
fn output_panes_mask_secrets_even_split_across_chunks() {
    let mut s = state_of("# S\n\n```bash\necho \"token is $API_TOKEN\"\n```\n");
    s.vars.insert(
        "API_TOKEN".into(),
        VarValue {
            value: "S3cr3tQA77".into(),
            secret: true,
        },
    );
    let effects = key(&mut s, KeyCode::Enter);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Run { .. })),
        "{effects:?}"
    );
    update(&mut s, Msg::Secrets(vec!["from-env-77".into()]));
    update(&mut s, Msg::RunStarted { step: 0, run: 7 });
    let chunks: [&[u8]; 4] = [b"token is S3cr", b"3tQA77\r\n", b"env from-env", b"-77\r\n"];
    for bytes in chunks {
        let bytes = bytes.to_vec();
        update(&mut s, Msg::Output { run: 7, bytes });
    }
    update(
        &mut s,
        Msg::Output {
            run: 7,
            bytes: b"tail S3c".to_vec(),
        },
    );
    update(&mut s, Msg::Tick { now_ms: 1_000 });
    update(&mut s, Msg::Tick { now_ms: 1_250 });
    let lines = s.panes.get_mut(&7).unwrap().lines().join("\n");
    assert!(lines.contains("token is ••••••"), "{lines}");
    assert!(lines.contains("env ••••••"), "{lines}");
    assert!(
        !lines.contains("S3cr3t") && !lines.contains("from-env"),
        "{lines}"
    );
    assert!(
        lines.contains("tail S3c"),
        "a held prefix is shown after two ticks: {lines}"
    );
}

/// Regression: saving an empty edit made the step "run" nothing and be marked done.
#[test]
fn an_empty_edit_is_not_saved() {
    let mut s = state_of("# E\n\n- [ ] Migrate\n\n  ```bash\n  ./migrate.sh\n  ```\n");
    assert!(super::super::run::save_edit(&mut s, 0, "  \n".into()).is_empty());
    assert_eq!(s.steps[0].edited, None);
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("an empty command is not saved"), "{notice}");
}

/// Regression: a running step could be skipped, and showed "skipped" while still running.
#[test]
fn a_running_step_cannot_be_skipped() {
    let mut s = state_of("# R\n\n```bash\nsleep 300\n```\n");
    let effects = key(&mut s, KeyCode::Enter);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Run { .. })),
        "{effects:?}"
    );
    update(&mut s, Msg::RunStarted { step: 0, run: 3 });
    assert_eq!(s.steps[0].status, Status::Running);
    ch(&mut s, 's');
    assert!(s.dialog.is_none(), "{:?}", s.dialog);
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("stop it (x) before skipping"), "{notice}");
}

/// Regression: the path of a heading named its previous sibling as its parent, and revealing a
/// heading unfolded that sibling.
#[test]
fn a_heading_path_names_parents_not_siblings() {
    let rb = crate::runbook::parse(
        "# Book\n\n## Output\n\n```bash\necho o\n```\n\n## Secrets\n\n### Inner\n\n```bash\necho i\n```\n",
    );
    let index = |title: &str| rb.sections.iter().position(|s| s.title == title).unwrap();
    let path = |title: &str| super::super::nav::heading_path(&rb, Item::Heading(index(title)));
    // The H1 is the runbook's title, not an outline row: it is nobody's parent.
    assert!(path("Secrets").is_empty(), "{:?}", path("Secrets"));
    assert_eq!(path("Inner"), ["Secrets"]);
    assert!(path("Output").is_empty());
}

/// Regression: a run that could not start left nothing in the record (the export later read
/// "killed by signal" for such a step); the reason is now noted on the step.
#[test]
fn a_run_that_cannot_start_is_noted_with_its_reason() {
    let mut s = state_of("# F\n\n```bash\necho hi\n```\n");
    key(&mut s, KeyCode::Enter);
    let reason = "shell not found: /nope".to_string();
    let effects = update(&mut s, Msg::RunFailed { step: 0, reason });
    assert_eq!(s.steps[0].status, Status::Failed);
    let noted = effects.iter().any(|e| {
        matches!(e, Effect::Journal { op: JournalOp::NoteAdded { text, .. }, .. }
            if text == "could not start: shell not found: /nope")
    });
    assert!(noted, "{effects:?}");
}

/// A confirmation given on the wrong cluster says so in the record.
#[test]
fn a_confirmation_on_the_wrong_context_is_recorded_as_such() {
    let mut s =
        state_of("---\ncontext: prod-eu\n---\n# W\n\n```bash\nkubectl apply -f x.yaml\n```\n");
    let kube = Msg::Kube {
        context: Some("staging".into()),
        namespace: None,
    };
    update(&mut s, kube);
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(s.dialog, Some(Dialog::Confirm(_))),
        "{:?}",
        s.dialog
    );
    let effects = ch(&mut s, 'y');
    let what = effects.iter().find_map(|e| match e {
        Effect::Journal {
            op: JournalOp::Confirmation { what, .. },
            ..
        } => Some(what.clone()),
        _ => None,
    });
    let what = what.unwrap_or_default();
    assert!(
        what.starts_with(
            "on kube context staging although the runbook expects prod-eu: write step"
        ),
        "{what}"
    );
}

/// Regression: "exporting the session…" stayed in the status line after the export's dialog.
#[test]
fn the_exporting_notice_ends_with_the_export() {
    let mut s = state_of("# X\n\n- [ ] One\n");
    ch(&mut s, 'E');
    assert!(s.notice.is_some());
    update(
        &mut s,
        Msg::Exported {
            path: "/tmp/x/export.md".into(),
        },
    );
    assert!(s.notice.is_none(), "{:?}", s.notice);
}

/// Regression: `--read-only` ran `cat conf > conf` (a "read": the model leaves redirections
/// out of `risk`) and truncated the file; live runs did not ask either.
#[test]
fn a_redirection_into_a_file_is_gated_as_a_write() {
    let text =
        "# R\n\n```bash\ncat /srv/conf.txt > /srv/conf.txt\n```\n\n```bash\nls 2>/dev/null\n```\n";
    let mut s = State::new(
        crate::runbook::parse(text),
        crate::config::Config::default(),
        Mode::ReadOnly,
    );
    update(
        &mut s,
        Msg::Resize {
            cols: 120,
            rows: 40,
        },
    );
    assert!(key(&mut s, KeyCode::Enter).is_empty(), "nothing may run");
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("read-only mode"), "{notice}");
    let mut live = state_of(text);
    key(&mut live, KeyCode::Enter);
    assert!(
        matches!(live.dialog, Some(Dialog::Confirm(_))),
        "{:?}",
        live.dialog
    );
    key(&mut live, KeyCode::Esc);
    ch(&mut live, 'j');
    let effects = key(&mut live, KeyCode::Enter);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Run { .. })),
        "2>/dev/null is a read"
    );
}

/// Regression: an environment value outside the variable's `choices` (`ENV=prodd`) counted as
/// known in the app and ran unasked; `run` refuses it.
#[test]
fn an_environment_value_outside_its_choices_is_asked_for() {
    let text = "---\nvariables:\n  ENV:\n    choices: [staging, production]\n---\n\
                # R\n\n```bash\necho \"env is $ENV\"\n```\n";
    let mut s = state_of(text);
    s.set_env([("ENV".to_string(), "prodd".to_string())]);
    assert_eq!(s.missing_values(0), ["ENV"]);
    assert_eq!(
        s.env_choice_refused("ENV"),
        Some(&["staging".to_string(), "production".to_string()][..])
    );
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(s.dialog, Some(Dialog::Values(_))),
        "{:?}",
        s.dialog
    );
    // A value that is one of them counts as given by the environment.
    let mut s = state_of(text);
    s.set_env([("ENV".to_string(), "staging".to_string())]);
    assert!(s.missing_values(0).is_empty());
}
