//! Headless `runbook run`: a secret never reaches stdout, the journal, the output logs or the
//! exports in clear, whatever its source (`--set`, the environment, a front-matter default) and
//! however substitution had to quote it.
#![allow(clippy::unwrap_used)]

mod common;

use assert_cmd::Command;
use common::assert_no_file_contains;
use predicates::prelude::*;
use std::path::Path;

fn run(data: &Path, file: &Path) -> Command {
    let mut cmd = Command::cargo_bin("runbook").unwrap();
    cmd.arg("run")
        .arg(file)
        .args(["--all", "--yes"])
        .env("RUNBOOK_DATA_DIR", data)
        .env("RUNBOOK_CONFIG_DIR", data.join("config"))
        .env("NO_COLOR", "1")
        .env_remove("DB_PASSWORD");
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

/// Exports the session as markdown and JSON into the data directory, where
/// [`assert_no_file_contains`] looks too.
fn export_all(data: &Path) {
    for format in ["md", "json"] {
        let out = data.join(format!("export.{format}"));
        Command::cargo_bin("runbook")
            .unwrap()
            .env("RUNBOOK_DATA_DIR", data)
            .args(["export", "latest", "--format", format, "-o"])
            .arg(&out)
            .assert()
            .success();
        assert!(out.exists());
    }
}

#[test]
fn a_secret_placeholder_that_needed_quoting_is_masked() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("db.md");
    let script =
        "```bash\necho \"connecting with <db_password>\"\necho <db_password> | wc -c\n```\n";
    std::fs::write(&file, format!("# DB\n\n{script}")).unwrap();
    run(data.path(), &file)
        .args(["--set", "db_password=Pa$$w0rd'x"])
        .assert()
        .success()
        .stdout(predicate::str::contains("connecting with ••••••"))
        .stdout(predicate::str::contains("w0rd").not());
    export_all(data.path());
    assert_no_file_contains(data.path(), "w0rd");
}

#[test]
fn secrets_from_the_environment_and_front_matter_defaults_are_masked() {
    let data = tempfile::tempdir().unwrap();
    // The runbook holds the default in clear: it lives outside the data directory checked below.
    let book = tempfile::tempdir().unwrap();
    let file = book.path().join("env.md");
    let text = concat!(
        "---\nvariables:\n  vault_pin:\n    secret: true\n    default: \"pin-4711\"\n---\n",
        "# Env\n\n```bash\necho \"pw=$DB_PASSWORD pin=<vault_pin>\"\n```\n"
    );
    std::fs::write(&file, text).unwrap();
    run(data.path(), &file)
        .env("DB_PASSWORD", "env-hunter2")
        .assert()
        .success()
        .stdout(predicate::str::contains("pw=•••••• pin=••••••"))
        .stdout(predicate::str::contains("hunter2").not())
        .stdout(predicate::str::contains("4711").not());
    run(data.path(), &file)
        .arg("--dry-run")
        .env("DB_PASSWORD", "env-hunter2")
        .assert()
        .success()
        .stdout(predicate::str::contains("pin=••••••"))
        .stdout(predicate::str::contains("4711").not());
    export_all(data.path());
    assert_no_file_contains(data.path(), "hunter2");
    assert_no_file_contains(data.path(), "4711");
}

#[test]
fn a_secret_a_step_leaves_in_the_shell_is_masked_in_later_steps() {
    let data = tempfile::tempdir().unwrap();
    let vault = tempfile::tempdir().unwrap();
    let token = vault.path().join("token");
    std::fs::write(&token, "vault-s3cr3t\n").unwrap();
    let text = format!(
        "# Vault\n\n```bash\nexport API_TOKEN=\"$(cat '{}')\"\n```\n\n\
         ```bash\necho \"token is $API_TOKEN\"\n```\n",
        token.display()
    );
    let file = vault.path().join("vault.md");
    std::fs::write(&file, text).unwrap();
    run(data.path(), &file)
        .env_remove("API_TOKEN")
        .assert()
        .success()
        .stdout(predicate::str::contains("token is ••••••"))
        .stdout(predicate::str::contains("s3cr3t").not());
    export_all(data.path());
    assert_no_file_contains(data.path(), "s3cr3t");
}

/// Regression: a step that fetched a secret and printed it in the same run kept it in clear in
/// its output log and the exports (the value became known only from the shell the run left).
/// The terminal showed it live; the record must not keep it.
#[test]
fn a_secret_a_step_fetches_and_prints_is_masked_in_its_own_record() {
    let data = tempfile::tempdir().unwrap();
    let vault = tempfile::tempdir().unwrap();
    let token = vault.path().join("token");
    std::fs::write(&token, "own-s3cr3t\n").unwrap();
    let text = format!(
        "# Vault\n\n```bash\nexport API_TOKEN=\"$(cat '{}')\"\necho \"fetched $API_TOKEN\"\n```\n",
        token.display()
    );
    let file = vault.path().join("vault.md");
    std::fs::write(&file, text).unwrap();
    run(data.path(), &file)
        .env_remove("API_TOKEN")
        .assert()
        .success();
    export_all(data.path());
    assert_no_file_contains(data.path(), "s3cr3t");
    let logs = common::files_containing(data.path(), "fetched ••••••");
    assert!(!logs.is_empty(), "the masked line is in the log");
}
