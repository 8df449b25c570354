//! Shared fixtures for the journal's integration tests: a hand-built runbook and a recorded
//! session written through the public API (the parser is not needed).
#![allow(dead_code, clippy::unwrap_used)]

pub mod exec;
pub mod tmux;

use runbook::journal::{Event, Journal, Mode};
use runbook::runbook::{Runbook, Section, Step, StepKind};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The secret value used by the fixture session; it must never appear in any file.
pub const SECRET: &str = "hunter2-Pa55";

fn step(
    number: usize,
    id: &str,
    kind: StepKind,
    title: &str,
    section: &[&str],
    code: Option<&str>,
) -> Step {
    Step {
        number,
        id: id.into(),
        kind,
        title: title.into(),
        section: section.iter().map(|s| s.to_string()).collect(),
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

/// A small failover procedure with every kind of step.
pub fn fixture_runbook() -> Runbook {
    let prep = ["Payments failover", "Preparation"];
    let checks = ["Payments failover", "Preparation", "Checks"];
    let failover = ["Payments failover", "Failover"];
    let mut approver = step(
        2,
        "approver",
        StepKind::Check,
        "Approver named in the ticket",
        &prep,
        None,
    );
    approver.depth = 1;
    approver.parent = Some(1);
    Runbook {
        title: "Payments failover".into(),
        sections: vec![
            Section {
                level: 1,
                title: "Payments failover".into(),
                line: 1,
            },
            Section {
                level: 2,
                title: "Preparation".into(),
                line: 3,
            },
            Section {
                level: 3,
                title: "Checks".into(),
                line: 8,
            },
            Section {
                level: 2,
                title: "Failover".into(),
                line: 30,
            },
        ],
        steps: vec![
            step(
                1,
                "ticket",
                StepKind::Check,
                "Confirm change ticket approved",
                &prep,
                None,
            ),
            approver,
            step(
                3,
                "pods",
                StepKind::Command,
                "Check cluster pods",
                &checks,
                Some("kubectl get pods -n payments"),
            ),
            step(
                4,
                "manifest",
                StepKind::Note,
                "Expected manifest",
                &checks,
                Some("kind: Deployment"),
            ),
            step(
                5,
                "verify-db",
                StepKind::Check,
                "Verify database credentials",
                &checks,
                Some("psql \"postgresql://app:${DB_PASSWORD}@db/payments\" -c 'select 1'"),
            ),
            step(
                6,
                "scale-down",
                StepKind::Command,
                "Scale down | old *primary*",
                &failover,
                Some("kubectl scale deploy/payments --replicas=0"),
            ),
            step(
                7,
                "fence",
                StepKind::Command,
                "Print a fence",
                &failover,
                Some("echo '```' && sleep 600"),
            ),
            step(
                8,
                "announce",
                StepKind::Command,
                "Announce",
                &failover,
                Some("echo done"),
            ),
        ],
        ..Runbook::default()
    }
}

fn finished(
    id: &str,
    number: usize,
    exit_code: Option<i32>,
    ms: u64,
    output: Option<&str>,
    stopped: bool,
    run: u32,
) -> Event {
    Event::StepFinished {
        id: id.into(),
        number,
        exit_code,
        duration_ms: ms,
        output: output.map(str::to_string),
        stopped,
        run,
    }
}

fn started(id: &str, number: usize, command: &str, run: u32) -> Event {
    Event::StepStarted {
        id: id.into(),
        number,
        command: command.into(),
        run,
    }
}

/// Writes the runbook file into `dir` and returns its path.
pub fn write_runbook_file(dir: &Path) -> PathBuf {
    let path = dir.join("payments-failover.md");
    std::fs::write(&path, "# Payments failover\n").unwrap();
    path
}

/// Records the fixture session under `data_dir` (ended unless `end` is false); returns its dir.
pub async fn record_session(data_dir: &Path, runbook_path: &Path, end: bool) -> PathBuf {
    let rb = fixture_runbook();
    let j = Journal::create(
        data_dir,
        &rb,
        runbook_path,
        "0123abcd",
        Mode::Live,
        Some("kind-payments".into()),
    )
    .unwrap();
    let set = |name: &str, value: &str| Event::VariableSet {
        name: name.into(),
        value: value.into(),
        secret: false,
    };
    j.append(set("NAMESPACE", "payments")).await.unwrap();
    j.append(set("DB_PASSWORD", SECRET)).await.unwrap();
    j.append(Event::CheckToggled {
        id: "ticket".into(),
        checked: true,
    })
    .await
    .unwrap();

    j.send(started("pods", 3, "kubectl get pods -n payments", 1))
        .unwrap();
    let (_, mut out) = j.open_output("pods", 1).unwrap();
    for i in 1..=25 {
        writeln!(out, "\x1b[32mpayments-{i}\x1b[0m   1/1   Running").unwrap();
    }
    j.append(finished(
        "pods",
        3,
        Some(0),
        842,
        Some("pods-1.log"),
        false,
        1,
    ))
    .await
    .unwrap();

    let cmd = format!("psql \"postgresql://app:{SECRET}@db/payments\" -c 'select 1'");
    for (run, code) in [(1, 2), (2, 0)] {
        j.send(started("verify-db", 5, &cmd, run)).unwrap();
        let (_, mut out) = j.open_output("verify-db", run).unwrap();
        // The executor masks captured output with the journal's masker before writing.
        let text = format!("connecting with password {SECRET}\nexit {code}\n");
        out.write_all(j.masker().mask(&text).as_bytes()).unwrap();
        let name = format!("verify-db-{run}.log");
        j.append(finished(
            "verify-db",
            5,
            Some(code),
            2300,
            Some(&name),
            false,
            run,
        ))
        .await
        .unwrap();
    }
    j.append(Event::NoteAdded {
        id: Some("verify-db".into()),
        text: format!("first try used {SECRET}\nsecond try | fine"),
    })
    .await
    .unwrap();

    j.append(Event::Confirmation {
        id: Some("scale-down".into()),
        what: "destructive step".into(),
        overridden: false,
    })
    .await
    .unwrap();
    j.append(Event::StepSkipped {
        id: "scale-down".into(),
        reason: "Primary already down".into(),
    })
    .await
    .unwrap();

    j.append(Event::CommandEdited {
        id: "fence".into(),
        text: "echo '````' && sleep 5".into(),
    })
    .await
    .unwrap();
    j.send(started("fence", 7, "echo '````' && sleep 5", 1))
        .unwrap();
    j.append(finished("fence", 7, None, 61_000, None, true, 1))
        .await
        .unwrap();

    j.append(Event::NoteAdded {
        id: Some("announce".into()),
        text: "Pinged <#payments> on Slack".into(),
    })
    .await
    .unwrap();
    j.append(Event::NoteAdded {
        id: None,
        text: "Failover rehearsed with `jane`".into(),
    })
    .await
    .unwrap();
    j.append(Event::Unknown(
        serde_json::json!({"event": "pod_seen", "pod": "payments-1"}),
    ))
    .await
    .unwrap();
    if end {
        j.append(Event::SessionEnded {
            reason: Some("completed".into()),
        })
        .await
        .unwrap();
    }
    j.dir().to_path_buf()
}

/// Walks `dir` and fails if any file contains `needle`.
pub fn assert_no_file_contains(dir: &Path, needle: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            assert_no_file_contains(&path, needle);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(needle),
                "{} contains the secret:\n{text}",
                path.display()
            );
        }
    }
}

/// The files under `dir` (at any depth) that contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains(needle) {
            found.push(path);
        }
    }
    found
}
