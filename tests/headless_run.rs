//! Headless `runbook run`, what it refuses before anything runs (no selection, an unknown shell,
//! the wrong kube context), resuming with the values recorded, and Ctrl-C at a prompt.
#![allow(clippy::unwrap_used)]

mod common;

use assert_cmd::Command;
use common::tmux::Tmux;
use predicates::prelude::*;
use std::path::Path;

fn run(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("runbook").unwrap();
    cmd.arg("run")
        .env("RUNBOOK_DATA_DIR", data)
        .env("RUNBOOK_CONFIG_DIR", data.join("config"))
        .env("KUBECONFIG", data.join("no-kubeconfig"))
        .env("NO_COLOR", "1");
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The journal of the one session recorded under `data`.
fn journal_of(data: &Path) -> String {
    let session = std::fs::read_dir(data.join("sessions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::read_to_string(session.join("journal.jsonl")).unwrap()
}

fn sessions(data: &Path) -> usize {
    std::fs::read_dir(data.join("sessions")).map_or(0, |d| d.count())
}

#[test]
fn nothing_runs_without_a_choice_of_steps() {
    let data = tempfile::tempdir().unwrap();
    let marker = data.path().join("ran");
    let text = format!("# R\n\n```bash\ntouch '{}'\n```\n", marker.display());
    let file = write(data.path(), "r.md", &text);
    run(data.path())
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "choose the steps to run: --all, --step N|ID, --section TEXT or --from N",
        ));
    run(data.path())
        .arg(&file)
        .args(["--step", "1", "--from", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    assert!(!marker.exists());
    assert_eq!(sessions(data.path()), 0);
}

#[test]
fn an_unknown_shell_is_a_usage_error_before_the_session_starts() {
    let data = tempfile::tempdir().unwrap();
    let file = write(data.path(), "r.md", "# R\n\n```bash\necho hi\n```\n");
    run(data.path())
        .arg(&file)
        .args(["--all", "--shell", "/no/such/shell"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shell not found: /no/such/shell"));
    let file = write(
        data.path(),
        "s.md",
        "---\nshell: no-such-shell-xyz\n---\n# R\n\n```bash\necho hi\n```\n",
    );
    run(data.path())
        .arg(&file)
        .arg("--all")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "shell not found: no-such-shell-xyz",
        ));
    assert_eq!(sessions(data.path()), 0);
}

#[test]
fn the_wrong_kube_context_is_refused_unless_named() {
    let data = tempfile::tempdir().unwrap();
    let kubeconfig = write(
        data.path(),
        "kubeconfig",
        "apiVersion: v1\ncurrent-context: staging\n",
    );
    let text = "---\ncontext: prod-eu\n---\n# R\n\n```bash\necho on-the-cluster\n```\n";
    let file = write(data.path(), "r.md", text);
    run(data.path())
        .env("KUBECONFIG", &kubeconfig)
        .arg(&file)
        .arg("--all")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "kube context is staging, this runbook expects prod-eu",
        ))
        .stdout(predicate::str::contains("on-the-cluster").not());
    assert_eq!(sessions(data.path()), 0);
    run(data.path())
        .env("KUBECONFIG", &kubeconfig)
        .arg(&file)
        .args(["--all", "--context", "staging"])
        .assert()
        .success()
        .stdout(predicate::str::contains("on-the-cluster"));
    let journal = journal_of(data.path());
    assert!(
        journal.contains("kube context staging used although the runbook expects prod-eu"),
        "{journal}"
    );
    assert!(journal.contains("\"overridden\":true"), "{journal}");
}

#[test]
fn resume_reuses_the_values_recorded_in_the_session() {
    let data = tempfile::tempdir().unwrap();
    let marker = data.path().join("ready");
    let text = format!(
        "# R\n\n```bash\necho \"first <release>\"\n```\n\n```bash\necho \"again <release>\"\n\
         test -f '{}'\n```\n",
        marker.display()
    );
    let file = write(data.path(), "r.md", &text);
    run(data.path())
        .arg(&file)
        .args(["--all", "--set", "release=spring"])
        .assert()
        .code(1);
    Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_DATA_DIR", data.path())
        .args(["sessions", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"state\": \"failed\""));
    std::fs::write(&marker, "").unwrap();
    run(data.path())
        .arg(&file)
        .args(["--all", "--resume"])
        .assert()
        .success()
        .stdout(predicate::str::contains("again spring"))
        .stdout(predicate::str::contains("first").not());
}

/// Starts `runbook run FILE --all` in tmux; the shell prints `RUNBOOK_EXITED <code>` after it.
fn run_in_tmux(name: &str, data: &Path, file: &Path) -> Option<Tmux> {
    let cmd = format!(
        "RUNBOOK_DATA_DIR='{}' KUBECONFIG=/nonexistent '{}' run '{}' --all; echo RUNBOOK_EXITED $?; sleep 60",
        data.display(),
        env!("CARGO_BIN_EXE_runbook"),
        file.display()
    );
    Tmux::start(name, &cmd)
}

#[test]
fn a_declined_confirmation_is_recorded_on_its_step() {
    let data = tempfile::tempdir().unwrap();
    let marker = data.path().join("written");
    let text = format!("# R\n\n```bash\ntee '{}' <<< x\n```\n", marker.display());
    let file = write(data.path(), "r.md", &text);
    let Some(tmux) = run_in_tmux("prompt-no", data.path(), &file) else {
        return;
    };
    tmux.wait_for("Run this write step? [y/N]");
    tmux.keys(&["n", "Enter"]);
    let screen = tmux.wait_for("RUNBOOK_EXITED");
    assert!(screen.contains("RUNBOOK_EXITED 1"), "{screen}");
    assert!(!marker.exists());
    let journal = journal_of(data.path());
    assert!(
        journal.contains("write step not confirmed: the run stopped here"),
        "{journal}"
    );
}

#[test]
fn ctrl_c_at_a_confirmation_prompt_ends_the_run_without_running_the_step() {
    let data = tempfile::tempdir().unwrap();
    let marker = data.path().join("written");
    let text = format!("# R\n\n```bash\ntee '{}' <<< x\n```\n", marker.display());
    let file = write(data.path(), "r.md", &text);
    let Some(tmux) = run_in_tmux("prompt-sigint", data.path(), &file) else {
        return;
    };
    tmux.wait_for("Run this write step? [y/N]");
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for("RUNBOOK_EXITED");
    assert!(screen.contains("RUNBOOK_EXITED 130"), "{screen}");
    assert!(screen.contains("runbook: interrupted"), "{screen}");
    assert!(!marker.exists(), "the step ran:\n{screen}");
}

#[test]
fn a_value_outside_its_choices_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let text = "---\nvariables:\n  ENV:\n    choices: [staging, production]\n---\n\
                # R\n\n```bash\necho \"env is $ENV\"\n```\n";
    let file = write(data.path(), "r.md", text);
    run(data.path())
        .arg(&file)
        .args(["--all", "--set", "ENV=prodd-typo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ENV=prodd-typo: must be one of staging, production",
        ))
        .stdout(predicate::str::contains("env is").not());
    run(data.path())
        .arg(&file)
        .arg("--all")
        .env("ENV", "prodd-typo")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ENV=prodd-typo: must be one of"));
    run(data.path())
        .arg(&file)
        .arg("--all")
        .env("ENV", "staging")
        .assert()
        .success()
        .stdout(predicate::str::contains("env is staging"));
    // The value taken from the environment is in the record.
    let journal = journal_of(data.path());
    assert!(
        journal.contains("\"name\":\"ENV\",\"value\":\"staging\""),
        "{journal}"
    );
}

/// Ctrl-C while a secret is being typed (echo off) ends the run and turns echo back on.
#[test]
fn ctrl_c_at_a_secret_prompt_restores_echo() {
    let data = tempfile::tempdir().unwrap();
    let text = "# R\n\n```bash\necho \"pw <db_password>\"\n```\n";
    let file = write(data.path(), "r.md", text);
    let cmd = format!(
        "RUNBOOK_DATA_DIR='{}' KUBECONFIG=/nonexistent '{}' run '{}' --all; echo RUNBOOK_EXITED $?; \
         stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo | sed 's/^/TTY_/'; sleep 60",
        data.path().display(),
        env!("CARGO_BIN_EXE_runbook"),
        file.display()
    );
    let Some(tmux) = Tmux::start("secret-sigint", &cmd) else {
        return;
    };
    tmux.wait_for("db_password");
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for("TTY_");
    assert!(screen.contains("RUNBOOK_EXITED 130"), "{screen}");
    assert!(screen.contains("TTY_echo"), "echo left off:\n{screen}");
}

/// The exported checklist says "No output." for a silent step (it showed an empty "last 0
/// lines" box) and "last line" for one line.
#[test]
fn the_export_words_short_outputs_plainly() {
    let data = tempfile::tempdir().unwrap();
    let text = "# R\n\n```bash\necho one line\n```\n\n```bash\ntrue\n```\n";
    let file = write(data.path(), "r.md", text);
    run(data.path()).arg(&file).arg("--all").assert().success();
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_DATA_DIR", data.path())
        .args(["export", "latest"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("<summary>Output: last line of <code>"), "{md}");
    assert!(md.contains("- No output."), "{md}");
    assert!(!md.contains("last 0 lines"), "{md}");
}

/// A read step that writes a file through a redirection needs `--yes` without a terminal.
#[test]
fn a_redirection_into_a_file_needs_a_confirmation() {
    let data = tempfile::tempdir().unwrap();
    let target = data.path().join("conf.txt");
    std::fs::write(&target, "keep me\n").unwrap();
    let text = format!("# R\n\n```bash\ncat '{0}' > '{0}'\n```\n", target.display());
    let file = write(data.path(), "r.md", &text);
    run(data.path())
        .arg(&file)
        .arg("--all")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pass --yes"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
}
