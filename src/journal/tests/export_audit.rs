//! What a reviewer reads off the report: confirmations on their steps, overrides in the header,
//! the values the commands were filled in with, and where a failed run stopped.

use super::*;

async fn finish(j: &Journal, id: &str, number: usize, exit_code: Option<i32>) {
    let started = Event::StepStarted {
        id: id.into(),
        number,
        command: "ls".into(),
        run: 1,
    };
    j.append(started).await.unwrap();
    let finished = Event::StepFinished {
        id: id.into(),
        number,
        exit_code,
        duration_ms: 5,
        output: None,
        stopped: false,
        run: 1,
    };
    j.append(finished).await.unwrap();
}

/// Regression: confirmations (typed, `--yes`, overrides) appeared only in the timeline; the
/// procedure showed a plain ✅ for a destructive step confirmed with `--yes`.
#[tokio::test]
async fn confirmations_show_on_their_step_and_overrides_in_the_header() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    let step_confirmation = Event::Confirmation {
        id: Some("run-d".into()),
        what: "destructive step confirmed with --yes".into(),
        overridden: false,
    };
    j.append(step_confirmation).await.unwrap();
    let override_event = Event::Confirmation {
        id: None,
        what: "kube context prod used although the runbook expects staging".into(),
        overridden: true,
    };
    j.append(override_event).await.unwrap();
    finish(&j, "run-d", 4, Some(0)).await;
    let md = export::export_markdown(&records(&j), Some(j.dir()));
    let step = md.split("**4. Step run-d**").nth(1).unwrap();
    let step = step.split("## Timeline").next().unwrap();
    assert!(
        step.contains("- 🔐 Confirmed: destructive step confirmed with --yes"),
        "{md}"
    );
    let header = md.split("## Procedure").next().unwrap();
    assert!(
        header.contains("| Overridden | kube context prod used although"),
        "{md}"
    );
    let json = export::export_json(&records(&j), Some(j.dir()));
    assert_eq!(
        json["steps"][3]["confirmations"][0]["what"],
        "destructive step confirmed with --yes"
    );
    assert_eq!(json["session"]["confirmations"][0]["overridden"], true);
}

/// Regression: the report did not say which values the commands ran with.
#[tokio::test]
async fn values_are_listed_and_secrets_never_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    for (name, value, secret) in [
        ("NAMESPACE", "payments", false),
        ("DB_HOST", "db.internal", true),
        ("NOTE", "", false),
        ("BLOB", &"x".repeat(500), false),
    ] {
        let event = Event::VariableSet {
            name: name.into(),
            value: value.into(),
            secret,
        };
        j.append(event).await.unwrap();
    }
    let md = export::export_markdown(&records(&j), Some(j.dir()));
    let values = md.split("## Values").nth(1).unwrap();
    let values = values.split("## Procedure").next().unwrap();
    assert!(values.contains("| `NAMESPACE` | `payments` |"), "{md}");
    assert!(
        values.contains(&format!("| `DB_HOST` | {MASK} *(secret, not recorded)* |")),
        "{md}"
    );
    assert!(values.contains("| `NOTE` | *(empty)* |"), "{md}");
    assert!(!md.contains("db.internal"), "{md}");
    assert!(
        values.contains(&format!("| `BLOB` | `{}…` |", "x".repeat(120))),
        "{md}"
    );
}

/// Regression: a headless run that stopped at a failing step was reported as just "not ended".
#[tokio::test]
async fn a_run_stopped_by_a_failure_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    finish(&j, "run-b", 2, Some(0)).await;
    finish(&j, "run-d", 4, Some(3)).await;
    let md = export::export_markdown(&records(&j), Some(j.dir()));
    assert!(
        md.contains("| Ended | not ended: stopped when step 4 failed (last event "),
        "{md}"
    );
    assert_eq!(
        export::export_json(&records(&j), None)["session"]["last_run_failed"],
        "run-d"
    );
    // A later successful run clears it.
    finish(&j, "run-d", 4, Some(0)).await;
    let md = export::export_markdown(&records(&j), Some(j.dir()));
    assert!(md.contains("| Ended | not ended (last event "), "{md}");
}
