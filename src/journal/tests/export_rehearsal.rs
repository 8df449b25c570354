//! A rehearsal's record: what was rehearsed is told apart from what ran, and shows the command
//! it would have run.

use super::*;

/// Regression: rehearsed steps counted as plain "done" and showed no command.
#[tokio::test]
async fn rehearsed_steps_show_their_command_and_are_counted_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    let rehearsed = Event::StepRehearsed {
        id: "run-b".into(),
        number: 2,
        command: "kubectl rollout restart deploy/web".into(),
    };
    j.append(rehearsed).await.unwrap();
    let md = export::export_markdown(&records(&j), Some(j.dir()));
    assert!(md.contains("1 done (1 of them rehearsed, not run)"), "{md}");
    assert!(md.contains("- Would have run:"), "{md}");
    assert!(md.contains("kubectl rollout restart deploy/web"), "{md}");
}
