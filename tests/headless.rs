//! Headless `runbook run` end to end: carried state, values, confirmations, exit codes, the
//! journal and masking, and a clean stop on SIGTERM.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("runbook").unwrap();
    cmd.arg("run")
        .env("RUNBOOK_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .env_remove("API_TOKEN");
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

fn session_dir(data: &Path) -> PathBuf {
    std::fs::read_dir(data.join("sessions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

#[test]
fn state_carries_over_and_secrets_are_masked_everywhere() {
    let data = tempfile::tempdir().unwrap();
    run(data.path())
        .arg(fixture("headless.md"))
        .args([
            "--all",
            "--yes",
            "--set",
            "API_TOKEN=s3cr3t-value",
            "--set",
            "release=spring",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("hello from /tmp"))
        .stdout(predicate::str::contains("token=•••••• release=spring"))
        .stdout(predicate::str::contains("s3cr3t-value").not());
    let dir = session_dir(data.path());
    let journal = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap();
    assert!(!journal.contains("s3cr3t-value"), "{journal}");
    assert!(journal.contains("\"event\":\"session_ended\""));
    for entry in std::fs::read_dir(dir.join("output")).unwrap() {
        let log = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!log.contains("s3cr3t-value"), "{log}");
    }
}

#[test]
fn missing_values_without_a_terminal_list_every_name() {
    let data = tempfile::tempdir().unwrap();
    run(data.path())
        .arg(fixture("headless.md"))
        .args(["--all", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing values: API_TOKEN, release",
        ))
        .stderr(predicate::str::contains("--set API_TOKEN=…"));
}

#[test]
fn write_steps_need_yes_without_a_terminal() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("w.md");
    std::fs::write(
        &file,
        "# W\n\n```bash\ntouch \"$HOME/never-created-by-runbook\"\n```\n",
    )
    .unwrap();
    run(data.path())
        .arg(&file)
        .arg("--all")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pass --yes"));
}

#[test]
fn a_failing_step_stops_the_run_with_exit_1() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("f.md");
    std::fs::write(&file, "# F\n\n```bash\necho first\n```\n\n```bash\nsurely-missing-program-xyz\n```\n\n```bash\necho never\n```\n").unwrap();
    run(data.path())
        .arg(&file)
        .args(["--all", "--yes"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("first"))
        .stdout(predicate::str::contains("never").not())
        .stderr(predicate::str::contains(
            "command not found: surely-missing-program-xyz",
        ))
        .stderr(predicate::str::contains("step 2 failed"));
}

#[test]
fn dry_run_prints_commands_as_they_would_run() {
    let data = tempfile::tempdir().unwrap();
    run(data.path())
        .arg(fixture("headless.md"))
        .args([
            "--step",
            "3",
            "--dry-run",
            "--set",
            "API_TOKEN=abc123",
            "--set",
            "release=it's",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("# API_TOKEN=••••••"))
        .stdout(predicate::str::contains(
            r#"echo "token=$API_TOKEN release=it's""#,
        ));
    assert!(
        !data.path().join("sessions").exists(),
        "a dry run records nothing"
    );
}

#[test]
fn resume_skips_what_is_done() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("r.md");
    std::fs::write(
        &file,
        "# R\n\n```bash\necho one >> \"$RB_TEST_OUT\"\n```\n\n```bash\nexit 7\n```\n",
    )
    .unwrap();
    let out = data.path().join("out.txt");
    run(data.path())
        .arg(&file)
        .args(["--all", "--yes"])
        .env("RB_TEST_OUT", &out)
        .assert()
        .code(1);
    run(data.path())
        .arg(&file)
        .args(["--all", "--yes", "--resume"])
        .env("RB_TEST_OUT", &out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already Done"));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "one\n",
        "step 1 ran once"
    );
}

#[test]
fn sigterm_leaves_no_process_behind() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("s.md");
    // Durations of this test run's own: another run of the suite at the same time has sleeps
    // of its own, which must not be counted here.
    let first = 100_000 + u64::from(std::process::id()) * 2;
    let ours = [first.to_string(), (first + 1).to_string()];
    std::fs::write(
        &file,
        format!(
            "# S\n\n```bash\nsleep {} & sleep {}\nwait\n```\n",
            ours[0], ours[1]
        ),
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["run", "--step", "1", "--yes"])
        .arg(&file)
        .env("RUNBOOK_DATA_DIR", data.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pids = || -> Vec<String> {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                std::fs::read(e.path().join("cmdline")).is_ok_and(|c| {
                    let args: Vec<&[u8]> = c.split(|&b| b == 0).collect();
                    matches!(args.as_slice(), [prog, dur, ..]
                        if prog.ends_with(b"sleep") && ours.iter().any(|o| o.as_bytes() == *dur))
                })
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let start = std::time::Instant::now();
    while pids().len() < 2 && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(pids().len(), 2, "both sleeps started");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap()),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let start = std::time::Instant::now();
    while !pids().is_empty() && start.elapsed() < std::time::Duration::from_secs(8) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(pids().is_empty(), "left behind: {:?}", pids());
}

#[test]
fn piped_input_answers_a_reading_step_and_no_input_means_end_of_file() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("read.md");
    std::fs::write(
        &file,
        "# R\n\n```bash\nread -r answer; echo \"got [$answer]\"\n```\n",
    )
    .unwrap();
    run(data.path())
        .arg(&file)
        .args(["--all", "--yes"])
        .write_stdin("yes\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("got [yes]"));
    // No input at all: the step must not wait forever.
    run(data.path())
        .arg(&file)
        .args(["--all", "--yes"])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("got []"));
}

#[test]
fn secret_names_from_config_are_masked_in_the_journal_too() {
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "secret_patterns = [\"PIN\"]\n").unwrap();
    let file = data.path().join("pin.md");
    std::fs::write(&file, "# P\n\n```bash\necho \"pin is $BANK_PIN\"\n```\n").unwrap();
    run(data.path())
        .env("RUNBOOK_CONFIG_DIR", &config)
        .arg(&file)
        .args(["--all", "--set", "BANK_PIN=8642"])
        .assert()
        .success()
        .stdout(predicate::str::contains("pin is ••••••"));
    let dir = session_dir(data.path());
    let journal = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap();
    assert!(!journal.contains("8642"), "{journal}");
    assert!(journal.contains("\"name\":\"BANK_PIN\""));
}
