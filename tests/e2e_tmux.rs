//! End-to-end: the real binary in a real terminal (tmux), driven with `send-keys` and read with
//! `capture-pane`, then the journal it wrote is checked.
#![allow(clippy::unwrap_used)]

mod common;

use common::tmux::Tmux;
use std::path::{Path, PathBuf};

fn launch(name: &str, file: &Path, data: &Path) -> Option<Tmux> {
    let cmd = format!(
        "RUNBOOK_DATA_DIR='{}' RUNBOOK_CONFIG_DIR='{}' '{}' '{}'; echo RUNBOOK_EXITED $?; sleep 60",
        data.display(),
        data.join("config").display(),
        env!("CARGO_BIN_EXE_runbook"),
        file.display()
    );
    Tmux::start(name, &cmd)
}

fn journal_lines(data: &Path) -> Vec<serde_json::Value> {
    let sessions = data.join("sessions");
    let dir = std::fs::read_dir(&sessions)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn run_a_step_tick_a_check_quit_and_the_journal_has_it_all() {
    let data = tempfile::tempdir().unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/e2e.md");
    let Some(tmux) = launch("walk", &file, data.path()) else {
        return;
    };
    tmux.wait_for("Terminal check");
    tmux.keys(&["j", "Enter"]);
    let screen = tmux.wait_for("tty: 42");
    assert!(!screen.contains("no tty: 36"), "{screen}");
    tmux.wait_for("exit 0");
    tmux.keys(&["j", "Space"]);
    tmux.wait_for("2/2");
    tmux.keys(&["q"]);
    tmux.wait_for("RUNBOOK_EXITED 0");
    let events = journal_lines(data.path());
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"session_started"));
    assert_eq!(names.last(), Some(&"session_ended"));
    let finished = events
        .iter()
        .find(|e| e["event"] == "step_finished")
        .unwrap();
    assert_eq!(finished["exit_code"], 0);
    assert_eq!(finished["number"], 1);
    let ticks: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "check_toggled" && e["checked"] == true)
        .collect();
    assert_eq!(ticks.len(), 2, "{names:?}");
    let output = finished["output"].as_str().unwrap();
    let dir = std::fs::read_dir(data.path().join("sessions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let log = std::fs::read_to_string(dir.join("output").join(output)).unwrap();
    assert!(log.contains("tty: 42"), "{log}");
}

#[test]
fn a_seed_runbook_can_be_walked_to_its_last_step() {
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/001_cc9469206ecc1ca6.txt");
    if !seed.exists() {
        println!("note: {} not found; skipping", seed.display());
        return;
    }
    let book = runbook::input::load(&seed).unwrap();
    let last = book.steps.last().unwrap();
    let data = tempfile::tempdir().unwrap();
    let Some(tmux) = launch("seed", &seed, data.path()) else {
        return;
    };
    tmux.wait_for(&book.title);
    tmux.keys(&["G"]);
    let needle = format!("Step {} ·", last.number);
    let screen = tmux.wait_for(&needle);
    let outline_count = format!(
        "0/{}",
        book.steps
            .iter()
            .filter(|s| s.kind != runbook::runbook::StepKind::Note)
            .count()
    );
    assert!(screen.contains(&outline_count), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("RUNBOOK_EXITED 0");
}

#[test]
fn sigterm_restores_the_terminal_stops_steps_and_ends_the_session() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("long.md");
    let marker = format!("step-marker-{}", std::process::id());
    std::fs::write(
        &file,
        format!(
            "# Long\n\n```bash\nbash -c 'while true; do echo tick-{marker}; sleep 0.2; done'\n```\n"
        ),
    )
    .unwrap();
    let pid_file = data.path().join("pid");
    let cmd = format!(
        "RUNBOOK_DATA_DIR='{}' RUNBOOK_CONFIG_DIR='{}' sh -c 'echo $$ > {}; exec {} {}'; echo RUNBOOK_EXITED $?; sleep 60",
        data.path().display(),
        data.path().join("config").display(),
        pid_file.display(),
        env!("CARGO_BIN_EXE_runbook"),
        file.display()
    );
    let Some(tmux) = Tmux::start("term", &cmd) else {
        return;
    };
    tmux.wait_for("Long");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("tick-{marker}"));
    let step_alive = || {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
            .any(|c| String::from_utf8_lossy(&c).contains(&marker))
    };
    assert!(step_alive(), "the step's shell is visible while it runs");
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let screen = tmux.wait_for("RUNBOOK_EXITED 130");
    assert!(
        !screen.contains("Outline"),
        "the alternate screen was left:\n{screen}"
    );
    assert!(!step_alive(), "a step process survived the app");
    let events = journal_lines(data.path());
    let last = events.last().unwrap();
    assert_eq!(last["event"], "session_ended");
    assert_eq!(last["reason"], "terminated by signal");
    let finished = events
        .iter()
        .find(|e| e["event"] == "step_finished")
        .unwrap();
    assert_eq!(finished["stopped"], true);
}

/// Ctrl-Z gives the terminal back to the shell; `fg` brings the app back, whole.
#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_resumes() {
    let data = tempfile::tempdir().unwrap();
    let Some(tmux) = Tmux::start("suspend", "env PS1='shell$ ' bash --norc --noprofile -i") else {
        return;
    };
    tmux.wait_for("shell$");
    let cmd = format!(
        "RUNBOOK_DATA_DIR='{}' RUNBOOK_CONFIG_DIR='{}' '{}' '{}'",
        data.path().display(),
        data.path().join("config").display(),
        env!("CARGO_BIN_EXE_runbook"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/e2e.md")
            .display()
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("Terminal check");
    tmux.keys(&["C-z"]);
    let screen = tmux.wait_for("Stopped");
    assert!(
        !screen.contains("Terminal check"),
        "the app left the screen:\n{screen}"
    );
    tmux.keys(&["fg", "Enter"]);
    tmux.wait_for("Terminal check");
    tmux.keys(&["j", "Space"]);
    tmux.wait_for("1/2");
    tmux.keys(&["q"]);
    // The shell has the terminal again once the app's screen is gone.
    let start = std::time::Instant::now();
    while tmux.screen().contains("Terminal check") {
        assert!(start.elapsed().as_secs() < 15, "the app did not quit");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    tmux.keys(&["echo RUNBOOK_EXITED $?", "Enter"]);
    tmux.wait_for("RUNBOOK_EXITED 0");
}
