//! The execution engine with a POSIX shell (`sh`, `dash`) instead of bash: the wrapper must use
//! POSIX words only, keep the script's exit status, and carry variables and the working directory.
#![allow(clippy::unwrap_used)]

mod common;

use common::exec::run;
use runbook::exec::{Engine, ExecConfig, ExecEvent, RunState};
use std::path::PathBuf;
use tokio::sync::mpsc;

fn posix_engine(shell: &str) -> Option<(Engine, mpsc::Receiver<ExecEvent>)> {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(shell).is_file()));
    if !found {
        eprintln!("skipped: no {shell} on PATH");
        return None;
    }
    let config = ExecConfig {
        shell: PathBuf::from(shell),
        ..ExecConfig::default()
    };
    Some(Engine::with_channel(config).unwrap())
}

#[tokio::test]
async fn a_posix_shell_runs_steps_and_carries_state() {
    for shell in ["dash", "sh"] {
        let Some((engine, mut rx)) = posix_engine(shell) else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().canonicalize().unwrap();
        let step1 = format!(
            "X=1\nexport Y=\"it's two\nlines\"\nreadonly R=1\ncd '{}'\nunset HOME\necho first",
            target.display()
        );
        let (out, state) = run(&engine, &mut rx, &step1).await;
        assert_eq!(state, RunState::Exited(0), "{shell}: {out}");
        assert_eq!(
            out.trim(),
            "first",
            "{shell}: the wrapper printed something"
        );
        assert_eq!(engine.carried_cwd(), Some(target.clone()));

        let step2 = "echo \"x=$X r=${R-unset} home=${HOME-unset}\"; sh -c 'echo \"child=$Y\"'; pwd";
        let (out, state) = run(&engine, &mut rx, step2).await;
        assert_eq!(state, RunState::Exited(0), "{shell}: {out}");
        let want = format!(
            "x=1 r=unset home=unset\nchild=it's two\nlines\n{}",
            target.display()
        );
        assert_eq!(out.trim(), want, "{shell}");

        let (out, state) = run(&engine, &mut rx, "echo before; exit 3").await;
        assert_eq!(state, RunState::Exited(3), "{shell}: {out}");
    }
}

/// A shell that is neither bash nor POSIX (here dash under another name, as zsh or fish would
/// be) runs the script as it is: nothing is carried, nothing of the wrapper shows.
#[tokio::test]
async fn another_shell_runs_scripts_without_carrying_state() {
    let Some(dash) = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("dash"))
            .find(|p| p.is_file())
    }) else {
        eprintln!("skipped: no dash on PATH");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shell = dir.path().join("othershell");
    std::os::unix::fs::symlink(&dash, &shell).unwrap();
    let config = ExecConfig {
        shell,
        ..ExecConfig::default()
    };
    let (engine, mut rx) = Engine::with_channel(config).unwrap();
    let (out, state) = run(&engine, &mut rx, "X=1\ncd /\necho first").await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    assert_eq!(out.trim(), "first");
    let (out, state) = run(&engine, &mut rx, "echo \"x=${X-unset}\"; exit 4").await;
    assert_eq!(state, RunState::Exited(4), "{out}");
    assert_eq!(out.trim(), "x=unset");
    assert_eq!(engine.carried_cwd(), None);
}
