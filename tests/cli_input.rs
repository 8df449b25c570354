//! The `list` and `check` commands end to end, and every kind of bad input: one clear line on
//! stderr, exit 2, never a panic or a backtrace.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn runbook() -> Command {
    let mut cmd = Command::cargo_bin("runbook").unwrap();
    cmd.env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    cmd
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn assert_one_line_error(cmd: &mut Command, needle: &str) {
    let out = cmd.assert().code(2).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

#[test]
fn bad_inputs_give_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("bin.md");
    std::fs::write(&binary, b"# x\0\x01\x02").unwrap();
    let latin1 = dir.path().join("latin1.md");
    std::fs::write(&latin1, b"# caf\xe9\n").unwrap();
    let big = dir.path().join("big.md");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(21 * 1024 * 1024).unwrap();
    assert_one_line_error(runbook().arg("/nonexistent/runbook.md"), "no such file");
    assert_one_line_error(runbook().arg(&binary), "binary");
    for sub in ["list", "check"] {
        assert_one_line_error(
            runbook().args([sub, "/nonexistent/runbook.md"]),
            "no such file",
        );
        assert_one_line_error(runbook().args([sub]).arg(dir.path()), "is a directory");
        assert_one_line_error(runbook().args([sub]).arg(&empty), "empty");
        assert_one_line_error(runbook().args([sub]).arg(&binary), "binary");
        assert_one_line_error(runbook().args([sub]).arg(&latin1), "UTF-8");
        assert_one_line_error(runbook().args([sub]).arg(&big), "too large");
    }
}

#[test]
fn list_json_follows_the_contract() {
    let out = runbook()
        .args(["list", "--json", &fixture("nested.md")])
        .assert()
        .success()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["title"], "Nested blocks");
    assert_eq!(json["source"], fixture("nested.md"));
    assert!(json["meta"]["variables"].is_object());
    assert_eq!(json["sections"][0]["level"], 1);
    let step = &json["steps"][0];
    for key in [
        "number",
        "id",
        "kind",
        "title",
        "section",
        "line",
        "depth",
        "parent",
        "checked",
        "lang",
        "code",
        "manifest",
        "commands",
        "risk",
        "variables",
        "placeholders",
        "expect",
        "annotations",
    ] {
        assert!(step.get(key).is_some(), "missing {key}");
    }
    let cmd = &step["commands"][0];
    for key in [
        "text",
        "line",
        "label",
        "risk",
        "interactive",
        "long_running",
    ] {
        assert!(cmd.get(key).is_some(), "missing command field {key}");
    }
    assert_eq!(step["kind"], "check");
    assert!(json["warnings"].is_array());
}

#[test]
fn list_outline_is_plain_without_a_tty() {
    runbook()
        .args(["list", &fixture("runme.md")])
        .env_remove("NO_COLOR")
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}[").not())
        .stdout(predicate::str::contains("# Runme attributes"))
        .stdout(predicate::str::contains("4  $  Runme attributes !!"))
        .stdout(predicate::str::contains("⏵"));
}

#[test]
fn check_reports_errors_with_file_and_line() {
    let out = runbook()
        .args([
            "check",
            &fixture("unterminated.md"),
            &fixture("placeholders.md"),
        ])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains(&format!(
            "{}:5: error: unterminated code fence",
            fixture("unterminated.md")
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("placeholder <replicaset-name> has no default"),
        "{stdout}"
    );
    assert!(stdout.contains("destructive step"), "{stdout}");
}

#[test]
fn check_passes_a_clean_runbook_with_warnings_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ok.md");
    std::fs::write(
        &file,
        "# Ok\n\n```bash\nsurely-not-installed-tool --version\necho hi\n```\n",
    )
    .unwrap();
    runbook()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            ":4: warning: `surely-not-installed-tool` is not on PATH",
        ));
}

#[test]
fn the_bundled_runbooks_pass_their_own_check() {
    let dir = format!("{}/runbooks", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    runbook()
        .arg("check")
        .args(&files)
        .assert()
        .success()
        .stdout(predicate::str::contains("error").not());
}

/// `runbook ARGS` with its output going to a full disk.
fn to_full_disk(args: &[&str]) -> std::process::Output {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("runbook"))
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap()
}

/// `runbook ARGS` with a reader that stops after the first bytes, and those bytes.
fn to_closed_pipe(args: &[&str]) -> (std::process::Output, [u8; 16]) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("runbook"))
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut head).unwrap();
    drop(child.stdout.take());
    (child.wait_with_output().unwrap(), head)
}

#[test]
fn listings_to_a_full_disk_are_one_line_and_to_a_closed_pipe_no_error() {
    if !std::path::Path::new("/dev/full").exists() {
        println!("note: no /dev/full; skipping");
        return;
    }
    // Far more output than a pipe holds: 2,000 steps, each with a placeholder without default.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.md");
    let step = "## Stage\n\n- [ ] Check\n\n```bash\nkubectl get pods -n <namespace>\n```\n\n";
    std::fs::write(&big, step.repeat(2000)).unwrap();
    let big = big.to_str().unwrap();
    let nested = fixture("nested.md");
    let commands: [(&[&str], &str, i32); 4] = [
        (&["list", &nested], "listing", 0),
        (&["list", "--json", big], "listing", 0),
        (&["check", big], "problems", 1),
        (
            &["run", big, "--all", "--dry-run", "--set", "namespace=shop"],
            "dry run",
            0,
        ),
    ];
    for (args, what, code) in commands {
        let out = to_full_disk(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let line = format!("cannot write the {what}: No space left on device");
        assert!(
            stderr.lines().any(|l| l.contains(&line)),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if args[1] == nested {
            continue;
        }
        let (out, head) = to_closed_pipe(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!head.iter().all(|&b| b == 0), "{args:?} printed nothing");
    }
}

#[test]
fn the_outline_counts_agree_with_their_nouns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.md");
    std::fs::write(&file, "# One\n\n- [ ] Look\n\n```bash\necho hi\n```\n").unwrap();
    runbook()
        .arg("list")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 steps: 1 check, 1 command, 0 notes",
        ));
}
