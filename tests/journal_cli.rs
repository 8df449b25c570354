//! `runbook sessions` and `runbook export` against sessions written through the journal API in a
//! temporary `RUNBOOK_DATA_DIR`.
#![allow(clippy::unwrap_used)]

mod common;

use assert_cmd::cargo::cargo_bin_cmd;
use common::{SECRET, record_session, write_runbook_file};
use predicates::prelude::*;
use runbook::journal::{SessionStatus, list_sessions};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn runbook(data: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    cargo_bin_cmd!("runbook")
        .env("RUNBOOK_DATA_DIR", data)
        .args(args)
        .assert()
}

/// Two sessions: an older interrupted one and a newer ended one. Returns (interrupted, ended).
async fn two_sessions(data: &Path) -> (PathBuf, PathBuf) {
    let rb = write_runbook_file(data);
    let interrupted = record_session(data, &rb, false).await;
    // Session names and start times: make the second clearly newer.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let ended = record_session(data, &rb, true).await;
    // The writer of the unfinished session lets go of its lock once its thread has finished.
    for _ in 0..200 {
        let all = list_sessions(data).unwrap();
        if all.iter().all(|s| s.state != SessionStatus::Running) {
            return (interrupted, ended);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("a session stayed locked");
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn missing_data_dir_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    for args in [&["sessions"][..], &["export", "latest"][..]] {
        let out = runbook(&missing, args)
            .code(2)
            .stdout("")
            .get_output()
            .stderr
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("does not exist"), "{text}");
    }
}

#[tokio::test]
async fn sessions_table_newest_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (interrupted, ended) = two_sessions(tmp.path()).await;
    let out = runbook(tmp.path(), &["sessions"])
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("ID "), "{text}");
    for header in [
        "STARTED (UTC)",
        "OPERATOR",
        "MODE",
        "PROGRESS",
        "STATE",
        "RUNBOOK",
    ] {
        assert!(lines[0].contains(header), "{header}: {text}");
    }
    assert!(lines[1].starts_with(&name(&ended)), "{text}");
    assert!(lines[1].contains(" ended "), "{text}");
    assert!(lines[2].starts_with(&name(&interrupted)), "{text}");
    assert!(lines[2].contains(" interrupted "), "{text}");
    for line in &lines[1..] {
        assert!(line.contains("3/7 (+1 skipped)"), "{line}");
        assert!(line.contains(" live "), "{line}");
        assert!(line.contains("Payments failover (/"), "{line}");
        assert!(line.contains("payments-failover.md)"), "{line}");
    }
    // Columns line up: the STATE column starts at the same place on every line.
    let col = lines[0].find("STATE").unwrap();
    assert!(lines[1][col..].starts_with("ended"), "{text}");
}

#[tokio::test]
async fn sessions_json_is_an_array() {
    let tmp = tempfile::tempdir().unwrap();
    let (interrupted, ended) = two_sessions(tmp.path()).await;
    let out = runbook(tmp.path(), &["sessions", "--json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], name(&ended));
    assert_eq!(list[0]["state"], "ended");
    assert_eq!(list[1]["id"], name(&interrupted));
    assert_eq!(list[1]["state"], "interrupted");
    assert_eq!(list[0]["title"], "Payments failover");
    assert_eq!(list[0]["mode"], "live");
    assert_eq!(
        (list[0]["done"].as_u64(), list[0]["total"].as_u64()),
        (Some(3), Some(7))
    );
    assert!(list[0]["started"].is_string());
    assert!(list[0]["operator"].is_string());
}

#[tokio::test]
async fn export_markdown_and_json_by_latest_id_and_short_id() {
    let tmp = tempfile::tempdir().unwrap();
    let (interrupted, ended) = two_sessions(tmp.path()).await;
    let md = runbook(tmp.path(), &["export", "latest"])
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(
        md.starts_with("# Session record: Payments failover\n"),
        "{md}"
    );
    assert!(md.contains("## Timeline"));
    assert!(md.contains("| session\\_ended |"));
    assert!(!md.contains(SECRET));

    let short = name(&interrupted).rsplit('-').next().unwrap().to_string();
    let out = tmp.path().join("report.json");
    runbook(
        tmp.path(),
        &[
            "export",
            &short,
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
        ],
    )
    .success()
    .stdout("");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains(SECRET));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["session"]["id"], name(&interrupted));
    assert!(v["session"]["ended"].is_null());
    assert_eq!(v["steps"].as_array().unwrap().len(), 8);
    assert!(v["events"].as_array().unwrap().len() > 10);

    let md_file = tmp.path().join("report.md");
    runbook(
        tmp.path(),
        &["export", &name(&ended), "-o", md_file.to_str().unwrap()],
    )
    .success();
    assert!(
        std::fs::read_to_string(&md_file)
            .unwrap()
            .contains("| Ended | ")
    );
}

/// Regression: `-o` created the report world-readable (0644) and a path that cannot be written
/// exited 1, where every other bad path the user gives exits 2.
#[tokio::test]
async fn export_to_a_file_is_private_and_a_bad_path_is_bad_input() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    two_sessions(tmp.path()).await;
    let md_file = tmp.path().join("report.md");
    runbook(
        tmp.path(),
        &["export", "latest", "-o", md_file.to_str().unwrap()],
    )
    .success();
    let mode = std::fs::metadata(&md_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let missing = tmp.path().join("no-such-dir").join("report.md");
    runbook(
        tmp.path(),
        &["export", "latest", "-o", missing.to_str().unwrap()],
    )
    .code(2)
    .stderr(predicate::str::contains("no-such-dir"));
}

#[tokio::test]
async fn export_unknown_or_bad_format_fails_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    two_sessions(tmp.path()).await;
    runbook(tmp.path(), &["export", "nosuchsession"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no session matches \"nosuchsession\"",
        ));
    runbook(tmp.path(), &["export", "2"])
        .code(2)
        .stderr(predicate::str::contains("matches several sessions"));
    runbook(tmp.path(), &["export", "latest", "--format", "pdf"]).code(2);
}

#[test]
fn empty_data_dir_lists_no_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    runbook(tmp.path(), &["sessions"])
        .success()
        .stdout(predicate::str::starts_with("No sessions in "));
    runbook(tmp.path(), &["sessions", "--json"])
        .success()
        .stdout("[]\n");
    runbook(tmp.path(), &["export", "latest"])
        .code(2)
        .stderr(predicate::str::contains("no sessions in"));
}
