//! Tests across the journal's parts: writer, store, replay and resume, on real temp directories.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::runbook::{Runbook, Section, Step, StepKind, VarSpec};
use crate::secrets::MASK;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

mod export_audit;
mod export_rehearsal;
mod replay_fold;

pub(crate) fn step(number: usize, id: &str, kind: StepKind, code: Option<&str>) -> Step {
    Step {
        number,
        id: id.into(),
        kind,
        title: format!("Step {id}").into(),
        section: vec!["Demo".into(), "Checks".into()].into(),
        line: number * 10,
        depth: 0,
        parent: None,
        checked: false,
        lang: code.map(|_| "sh".into()),
        code: code.map(Into::into),
        manifest: false,
        commands: Vec::new(),
        risk: None,
        variables: Vec::new(),
        placeholders: Vec::new(),
        expect: Vec::new(),
        annotations: Default::default(),
        context: "".into(),
        block_lines: Default::default(),
    }
}

pub(crate) fn runbook() -> Runbook {
    let mut rb = Runbook {
        title: "Demo".into(),
        sections: vec![Section {
            level: 1,
            title: "Demo".into(),
            line: 1,
        }],
        steps: vec![
            step(1, "check-a", StepKind::Check, None),
            step(
                2,
                "run-b",
                StepKind::Command,
                Some("kubectl get pods\necho done"),
            ),
            step(3, "note-c", StepKind::Note, Some("kind: Pod")),
            step(4, "run-d", StepKind::Command, Some("ls")),
        ],
        ..Runbook::default()
    };
    rb.meta.variables.insert(
        "DB_HOST".into(),
        VarSpec {
            secret: true,
            ..VarSpec::default()
        },
    );
    rb
}

fn create(data: &Path) -> Journal {
    let rb_path = data.join("demo.md");
    std::fs::write(&rb_path, "# Demo\n").unwrap();
    Journal::create(
        data,
        &runbook(),
        &rb_path,
        "abc123",
        Mode::Live,
        Some("kind-dev".into()),
    )
    .unwrap()
}

fn records(j: &Journal) -> Vec<Record> {
    let (records, warnings) = read_journal(&j.dir().join(JOURNAL_FILE)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    records
}

fn mode_of(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// The writer releases its lock when its thread ends, shortly after the last handle is dropped.
fn wait_unlocked(dir: &Path) {
    for _ in 0..200 {
        if !store::is_locked(dir) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("session {} stayed locked", dir.display());
}

#[tokio::test]
async fn create_records_start_with_outline_and_private_modes() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    let name = j.id().to_string();
    let re = regex::Regex::new(r"^\d{8}T\d{6}Z-demo-[0-9a-f]{6}$").unwrap();
    assert!(re.is_match(&name), "{name}");
    assert_eq!(j.dir(), tmp.path().join("sessions").join(&name));
    let recs = records(&j);
    let Event::SessionStarted(start) = &recs[0].event else {
        panic!("{:?}", recs[0])
    };
    assert_eq!(start.sha256, "abc123");
    assert_eq!(start.kube_context.as_deref(), Some("kind-dev"));
    assert_eq!(start.steps.len(), 4);
    assert_eq!(start.steps[1].command.as_deref(), Some("kubectl get pods"));
    assert_eq!(start.steps[0].command, None);
    assert_eq!(start.sections[0].title, "Demo");
    assert!(Path::new(&start.runbook).is_absolute());
    let (out, _file) = j.open_output("run-b", 1).unwrap();
    assert_eq!(out, j.dir().join("output/run-b-1.log"));
    assert_eq!(mode_of(&tmp.path().join("sessions")), 0o700);
    assert_eq!(mode_of(j.dir()), 0o700);
    assert_eq!(mode_of(&j.dir().join(JOURNAL_FILE)), 0o600);
    assert_eq!(mode_of(&j.dir().join(LOCK_FILE)), 0o600);
    assert_eq!(mode_of(&j.dir().join(OUTPUT_DIR)), 0o700);
    assert_eq!(mode_of(&out), 0o600);
    assert_eq!(
        j.output_path("a/b c", 2).unwrap().file_name().unwrap(),
        "a_b_c-2.log"
    );
}

#[tokio::test]
async fn sends_and_appends_keep_their_order_past_the_channel_capacity() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    for i in 0..3000 {
        j.send(Event::NoteAdded {
            id: None,
            text: format!("n{i}"),
        })
        .unwrap();
    }
    j.append(Event::CheckToggled {
        id: "check-a".into(),
        checked: true,
    })
    .await
    .unwrap();
    let recs = records(&j);
    assert_eq!(recs.len(), 3002);
    for (i, r) in recs[1..3001].iter().enumerate() {
        assert_eq!(
            r.event,
            Event::NoteAdded {
                id: None,
                text: format!("n{i}")
            }
        );
    }
    assert!(matches!(
        recs[3001].event,
        Event::CheckToggled { checked: true, .. }
    ));
}

#[tokio::test]
async fn secrets_are_masked_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    let set = |name: &str, value: &str| Event::VariableSet {
        name: name.into(),
        value: value.into(),
        secret: false,
    };
    j.append(set("API_TOKEN", "tok-123")).await.unwrap();
    j.append(set("DB_HOST", "db.internal")).await.unwrap();
    j.append(set("GREETING", "hi tok-123")).await.unwrap();
    j.add_secret("s3cr3t");
    j.append(Event::StepStarted {
        id: "run-b".into(),
        number: 2,
        command: "curl -H 'Authorization: tok-123' db.internal -p s3cr3t".into(),
        run: 1,
    })
    .await
    .unwrap();
    j.append(Event::NoteAdded {
        id: Some("run-b".into()),
        text: "used s3cr3t".into(),
    })
    .await
    .unwrap();
    j.append(Event::CommandEdited {
        id: "run-b".into(),
        text: "echo tok-123".into(),
    })
    .await
    .unwrap();
    let text = std::fs::read_to_string(j.dir().join(JOURNAL_FILE)).unwrap();
    for secret in ["tok-123", "db.internal", "s3cr3t"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    let state = replay(&records(&j));
    assert_eq!(state.variables["API_TOKEN"], MASK);
    assert_eq!(state.variables["DB_HOST"], MASK);
    assert_eq!(state.variables["GREETING"], format!("hi {MASK}"));
    assert!(state.secret_variables.contains("DB_HOST"));
    assert!(!state.secret_variables.contains("GREETING"));
    let b = state.step("run-b");
    assert_eq!(
        b.last_command.unwrap(),
        format!("curl -H 'Authorization: {MASK}' {MASK} -p {MASK}")
    );
    assert_eq!(b.notes, vec![format!("used {MASK}")]);
    assert_eq!(j.masker().mask("x tok-123"), format!("x {MASK}"));
}

#[tokio::test]
async fn reopen_appends_after_a_torn_line_and_refuses_a_locked_session() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    let dir = j.dir().to_path_buf();
    let path = dir.join(JOURNAL_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(br#"{"ts":"2025-01-01T00:00:00+00:00","event":"no"#);
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Journal::reopen(&dir),
        Err(JournalError::Locked(_))
    ));
    // A refused reopen leaves the other writer's file alone.
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    drop(j);
    wait_unlocked(&dir);
    let j = Journal::reopen(&dir).unwrap();
    j.append(Event::SessionEnded {
        reason: Some("done".into()),
    })
    .await
    .unwrap();
    let (recs, warnings) = read_journal(&path).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("unreadable"));
    assert!(matches!(recs[1].event, Event::SessionEnded { .. }));
}

#[tokio::test]
async fn session_states_running_interrupted_ended() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    let dir = j.dir().to_path_buf();
    j.append(Event::CheckToggled {
        id: "check-a".into(),
        checked: true,
    })
    .await
    .unwrap();
    j.append(Event::StepSkipped {
        id: "run-d".into(),
        reason: "n/a".into(),
    })
    .await
    .unwrap();
    let s = &list_sessions(tmp.path()).unwrap()[0];
    assert_eq!(s.state, SessionStatus::Running);
    assert_eq!((s.done, s.skipped, s.total), (1, 1, 3));
    assert_eq!(s.title, "Demo");
    assert_eq!(s.mode, Some(Mode::Live));
    drop(j);
    wait_unlocked(&dir);
    assert_eq!(
        list_sessions(tmp.path()).unwrap()[0].state,
        SessionStatus::Interrupted
    );
    let resumable = find_resumable(tmp.path(), &tmp.path().join("./demo.md"))
        .unwrap()
        .unwrap();
    assert_eq!(resumable.dir, dir);
    let j = Journal::reopen(&dir).unwrap();
    j.append(Event::SessionEnded { reason: None })
        .await
        .unwrap();
    assert_eq!(
        list_sessions(tmp.path()).unwrap()[0].state,
        SessionStatus::Ended
    );
    assert!(
        find_resumable(tmp.path(), &tmp.path().join("demo.md"))
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn resolve_by_latest_id_prefix_and_short_id() {
    let tmp = tempfile::tempdir().unwrap();
    let first = create(tmp.path());
    // Session names have one-second resolution; make the second one sort later for sure.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = create(tmp.path());
    let all = list_sessions(tmp.path()).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, second.id());
    assert_eq!(resolve(tmp.path(), "latest").unwrap().id, second.id());
    assert_eq!(resolve(tmp.path(), first.id()).unwrap().id, first.id());
    let short = first.id().rsplit('-').next().unwrap();
    assert_eq!(resolve(tmp.path(), short).unwrap().id, first.id());
    let prefix = &second.id()[..first.id().len() - 4];
    assert_eq!(resolve(tmp.path(), prefix).unwrap().id, second.id());
    assert!(matches!(
        resolve(tmp.path(), "2"),
        Err(JournalError::AmbiguousSession { .. })
    ));
    assert!(matches!(
        resolve(tmp.path(), "zzz"),
        Err(JournalError::SessionNotFound(_))
    ));
}

#[tokio::test]
async fn resume_restores_state_and_reports_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let j = create(tmp.path());
    let dir = j.dir().to_path_buf();
    j.append(Event::VariableSet {
        name: "NS".into(),
        value: "prod".into(),
        secret: false,
    })
    .await
    .unwrap();
    j.append(Event::CheckToggled {
        id: "check-a".into(),
        checked: true,
    })
    .await
    .unwrap();
    j.append(Event::StepFinished {
        id: "run-b".into(),
        number: 2,
        exit_code: Some(3),
        duration_ms: 10,
        output: None,
        stopped: false,
        run: 1,
    })
    .await
    .unwrap();
    drop(j);
    wait_unlocked(&dir);
    let mut changed = runbook();
    changed.steps.retain(|s| s.id != "run-b");
    changed
        .steps
        .push(step(5, "run-e", StepKind::Command, Some("date")));
    let (j, state, report) = Journal::resume(&dir, &changed, "def456").await.unwrap();
    assert_eq!(state.variables["NS"], "prod");
    assert_eq!(state.step("check-a").status, StepStatus::Done);
    assert_eq!(state.step("run-b").status, StepStatus::Failed);
    assert_eq!(report.kept, 1);
    assert_eq!(report.changed_or_gone, vec!["run-b".to_string()]);
    assert_eq!(report.added, vec!["run-e".to_string()]);
    assert!(report.hash_changed);
    let again = replay(&records(&j));
    assert_eq!(again.resumed, 1);
    assert_eq!(again.sha256.as_deref(), Some("def456"));
    assert!(again.steps_outline.iter().any(|s| s.id == "run-e"));
    assert_eq!(
        reconcile(&again, &changed, "def456"),
        ResumeReport {
            kept: 1,
            changed_or_gone: vec!["run-b".into()],
            added: vec![],
            hash_changed: false,
        }
    );
}
