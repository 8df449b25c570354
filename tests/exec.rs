//! Integration tests of the execution engine with real shells in real pseudo-terminals.
//!
//! Every wait is bounded by a timeout so a broken engine fails instead of hanging. Tests share one
//! process; the test of `kill_all_groups` (which kills every live run of the process) takes a write
//! lock that all other tests hold for reading.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use runbook::exec::{
    Engine, ExecConfig, ExecError, ExecEvent, RunId, RunRequest, RunState, StopTimings,
    describe_exit, kill_all_groups,
};
use tokio::sync::{RwLock, mpsc};
use tokio::time::timeout;

static EXCLUSIVE: RwLock<()> = RwLock::const_new(());

const WAIT: Duration = Duration::from_secs(20);

fn config() -> ExecConfig {
    ExecConfig {
        stop_grace: StopTimings {
            term_after: Duration::from_millis(300),
            kill_after: Duration::from_millis(900),
        },
        ..ExecConfig::default()
    }
}

/// An engine and a collector of its events.
fn engine_with(config: ExecConfig, capacity: usize) -> (Engine, Events) {
    let config = ExecConfig {
        channel_capacity: capacity,
        ..config
    };
    let (engine, rx) = Engine::with_channel(config).unwrap();
    (engine, Events::new(rx))
}

fn engine() -> (Engine, Events) {
    engine_with(config(), 64)
}

struct Events {
    rx: mpsc::Receiver<ExecEvent>,
    output: HashMap<RunId, Vec<u8>>,
    exited: HashMap<RunId, RunState>,
}

impl Events {
    fn new(rx: mpsc::Receiver<ExecEvent>) -> Self {
        Self {
            rx,
            output: HashMap::new(),
            exited: HashMap::new(),
        }
    }

    async fn next(&mut self) {
        let event = timeout(WAIT, self.rx.recv())
            .await
            .expect("timed out waiting for an engine event")
            .expect("engine channel closed");
        match event {
            ExecEvent::Output { run, bytes } => {
                assert!(
                    !self.exited.contains_key(&run),
                    "output of {run} after its Exited"
                );
                self.output.entry(run).or_default().extend(bytes);
            }
            ExecEvent::Exited { run, state, .. } => {
                assert!(self.exited.insert(run, state).is_none(), "two Exited");
            }
        }
    }

    /// The run's output so far, `\r\n` read as `\n`.
    fn text(&self, run: RunId) -> String {
        let bytes = self.output.get(&run).cloned().unwrap_or_default();
        String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
    }

    async fn wait_exit(&mut self, run: RunId) -> RunState {
        while !self.exited.contains_key(&run) {
            self.next().await;
        }
        self.exited[&run].clone()
    }

    async fn wait_text(&mut self, run: RunId, needle: &str) {
        while !self.text(run).contains(needle) {
            assert!(
                !self.exited.contains_key(&run),
                "{run} exited without printing {needle:?}: {:?}",
                self.text(run)
            );
            self.next().await;
        }
    }

    /// Runs a script to its end; returns its output and final state.
    async fn run(&mut self, engine: &Engine, req: RunRequest) -> (String, RunState) {
        let run = engine.spawn(req).unwrap();
        let state = self.wait_exit(run).await;
        (self.text(run), state)
    }
}

/// Live (non-zombie) processes whose session is `sid`.
fn session_pids(sid: i32) -> Vec<i32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        if let Some((state, _pgrp, session)) = stat(pid)
            && session == sid
            && state != 'Z'
        {
            pids.push(pid);
        }
    }
    pids
}

/// (state, pgrp, session) of a process, `None` once it is gone.
fn stat(pid: i32) -> Option<(char, i32, i32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some((f[0].chars().next()?, f[2].parse().ok()?, f[3].parse().ok()?))
}

fn alive(pid: i32) -> bool {
    stat(pid).is_some_and(|(state, _, _)| state != 'Z')
}

async fn wait_all_gone(pids: &[i32]) {
    for _ in 0..200 {
        if !pids.iter().any(|&p| alive(p)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let left: Vec<i32> = pids.iter().copied().filter(|&p| alive(p)).collect();
    panic!("processes survived: {left:?}");
}

fn req(script: &str) -> RunRequest {
    RunRequest::new("step", script)
}

#[tokio::test]
async fn env_functions_and_cwd_carry_over() {
    let _shared = EXCLUSIVE.read().await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().canonicalize().unwrap();
    let (engine, mut ev) = engine();
    let step1 = format!(
        "TOKEN=$(echo abc)\necho \"same=$TOKEN\"\nexport X=1\narr=(a 'b c')\n\
         greet() {{ echo \"hi $1\"; }}\ncd '{}'\nunset HOME",
        target.display()
    );
    let (out, state) = ev.run(&engine, req(&step1)).await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    assert!(out.contains("same=abc"), "{out}");
    assert_eq!(engine.carried_cwd(), Some(target.clone()));
    let vars = engine.carried_vars();
    assert!(vars.contains(&"TOKEN".to_owned()) && vars.contains(&"X".to_owned()));
    assert!(!vars.iter().any(|v| v.starts_with("BASH") || v == "RANDOM"));

    let step2 = "echo \"tok=$TOKEN\"; echo \"pwd=$(pwd)\"; bash -c 'echo \"x=$X\"'; \
                 echo \"arr=${arr[1]}\"; greet there; echo \"home=${HOME-unset}\"";
    let (out, state) = ev.run(&engine, req(step2)).await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    for want in [
        "tok=abc",
        &format!("pwd={}", target.display()),
        "x=1",
        "arr=b c",
        "hi there",
        "home=unset",
    ] {
        assert!(out.contains(want), "missing {want:?} in {out:?}");
    }
}

#[tokio::test]
async fn the_wrapper_leaves_no_variable_or_function() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    // Names a fresh child shell does not have (bash's own BASH* and PIPESTATUS aside) would be
    // the wrapper's.
    let script = "comm -23 <(compgen -v | grep -Ev '^(BASH|PIPESTATUS$)' | sort) \
                  <(bash -c 'compgen -v' | grep -v '^BASH' | sort)\n\
                  compgen -A function\necho end";
    let (out, state) = ev.run(&engine, req(script)).await;
    assert_eq!(state, RunState::Exited(0));
    assert_eq!(out.trim(), "end");
}

#[tokio::test]
async fn output_is_a_terminal_and_input_answers_read() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    let (out, _) = ev
        .run(&engine, req("[ -t 0 ] && [ -t 1 ] && echo tty"))
        .await;
    assert!(out.contains("tty"), "{out}");

    let run = engine.spawn(req("read -r x; echo \"got $x\"")).unwrap();
    engine.write_input(run, b"hello world\r").unwrap();
    assert_eq!(ev.wait_exit(run).await, RunState::Exited(0));
    assert!(ev.text(run).contains("got hello world"), "{}", ev.text(run));
    assert!(matches!(
        engine.write_input(run, b"late"),
        Err(ExecError::NotRunning(_))
    ));
}

#[tokio::test]
async fn operator_values_stay_literal() {
    let _shared = EXCLUSIVE.read().await;
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let m = marker.display();
    let values = [
        format!("$(touch {m})"),
        format!("; touch {m}"),
        format!("`touch {m}`"),
        "it's \"quoted\" \\ here".to_owned(),
        format!("a\nb$(touch {m})\n"),
    ];
    let (engine, mut ev) = engine();
    let mut request =
        req("for v in \"$V0\" \"$V1\" \"$V2\" \"$V3\" \"$V4\"; do printf '[%s]' \"$v\"; done");
    request.env = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("V{i}"), v.clone()))
        .collect();
    let expected: String = values.iter().map(|v| format!("[{v}]")).collect();
    let (out, state) = ev.run(&engine, request.clone()).await;
    assert_eq!(state, RunState::Exited(0));
    assert_eq!(out, expected);
    // Carried into the next step through the captured state, still literal.
    request.env.clear();
    let (out, _) = ev.run(&engine, request).await;
    assert_eq!(out, expected);
    assert!(!marker.exists(), "a value was run as shell code");
}

#[tokio::test]
async fn request_env_overrides_carried_state() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    ev.run(&engine, req("NS=old")).await;
    let mut request = req("echo \"ns=$NS\"");
    request.env.push(("NS".into(), "new".into()));
    let (out, _) = ev.run(&engine, request).await;
    assert!(out.contains("ns=new"), "{out}");
}

#[tokio::test]
async fn stop_leaves_no_process() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    let script = "sleep 100000 & echo \"bg=$!\"\n\
                  bash -c 'sleep 100000; :' &\n\
                  sleep 100000 | cat &\n\
                  ( set -m; sleep 100000 & wait ) &\n\
                  echo ready\nsleep 100000";
    let run = engine.spawn(req(script)).unwrap();
    ev.wait_text(run, "ready").await;
    let pid = engine.info(run).unwrap().pid;
    // portable-pty made the shell a session and group leader.
    let (_, pgrp, session) = stat(pid).unwrap();
    assert_eq!((pgrp, session), (pid, pid));
    // bash, sleep &, bash -c, its sleep, sleep | cat (2), the job-control subshell, its sleep
    // (in a process group of its own), the foreground sleep. Forks take a moment to settle.
    let groups_of = |pids: &[i32]| -> BTreeSet<i32> {
        pids.iter()
            .filter_map(|&p| stat(p))
            .map(|(_, g, _)| g)
            .collect()
    };
    let mut pids = session_pids(pid);
    for _ in 0..200 {
        if pids.len() >= 9 && groups_of(&pids).len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        pids = session_pids(pid);
    }
    assert!(pids.len() >= 9, "expected the step's processes: {pids:?}");
    assert!(groups_of(&pids).len() >= 2, "expected a second group");
    engine.stop(run).unwrap();
    assert_eq!(ev.wait_exit(run).await, RunState::Stopped);
    assert_eq!(engine.state(run), Some(RunState::Stopped));
    wait_all_gone(&pids).await;
    assert!(session_pids(pid).is_empty());
}

#[tokio::test]
async fn background_jobs_do_not_outlive_their_step() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    let script = "sleep 100000 & echo \"bg=$!\"\n\
                  nohup sleep 100000 >/dev/null 2>&1 & echo \"nohup=$!\"; sleep 0.3";
    let (out, state) = ev.run(&engine, req(script)).await;
    assert_eq!(state, RunState::Exited(0), "{out}");
    let pids: Vec<i32> = out
        .lines()
        .filter_map(|l| l.split_once('=').and_then(|(_, p)| p.trim().parse().ok()))
        .collect();
    assert_eq!(pids.len(), 2, "{out}");
    wait_all_gone(&pids).await;
}

#[tokio::test]
async fn dropping_the_engine_kills_running_groups() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    let run = engine
        .spawn(req("sleep 100000 & echo ready; sleep 100000"))
        .unwrap();
    ev.wait_text(run, "ready").await;
    let pid = engine.info(run).unwrap().pid;
    let pids = session_pids(pid);
    assert!(pids.len() >= 2, "{pids:?}");
    drop(engine);
    wait_all_gone(&pids).await;
}

#[tokio::test]
async fn exit_codes_and_command_not_found() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    assert_eq!(ev.run(&engine, req("true")).await.1, RunState::Exited(0));
    let run = engine.spawn(req("KEPT=yes\nexit 3\necho never")).unwrap();
    assert_eq!(ev.wait_exit(run).await, RunState::Exited(3));
    assert_eq!(engine.state(run), Some(RunState::Exited(3)));
    assert!(!ev.text(run).contains("never"));
    // The EXIT trap still captured the state before `exit 3`.
    let (out, _) = ev.run(&engine, req("echo \"kept=$KEPT\"")).await;
    assert!(out.contains("kept=yes"), "{out}");

    let (out, state) = ev.run(&engine, req("rb-no-such-command-xyz --flag")).await;
    assert_eq!(state, RunState::Exited(127));
    assert_eq!(
        describe_exit(127, &out),
        "command not found: rb-no-such-command-xyz"
    );
}

#[tokio::test]
async fn missing_shell_and_missing_cwd_are_clear_errors() {
    let _shared = EXCLUSIVE.read().await;
    let (tx, _rx) = mpsc::channel(4);
    let bad = ExecConfig {
        shell: PathBuf::from("/nonexistent/bash"),
        ..config()
    };
    let no_shell = Engine::new(bad, tx).unwrap();
    let err = no_shell.spawn(req("true")).unwrap_err();
    assert!(matches!(err, ExecError::ShellNotFound(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "shell not found: /nonexistent/bash (not an executable file, nor on PATH)"
    );

    let (engine, _ev) = engine();
    let mut request = req("true");
    request.cwd = Some(PathBuf::from("/nonexistent-runbook-dir"));
    let err = engine.spawn(request).unwrap_err();
    assert!(
        matches!(err, ExecError::CwdMissing(ref p) if p == Path::new("/nonexistent-runbook-dir"))
    );
}

#[tokio::test]
async fn secrets_are_masked_in_the_output_log() {
    let _shared = EXCLUSIVE.read().await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("step.log");
    let (engine, mut ev) = engine();
    let mut request = req(
        "printf '\\033[31mtoken=s3cr'; sleep 0.3; printf '3t-value\\033[0m\\n'\n\
         echo \"again s3cr3t-value\"\nprintf 'tail s3cr3t-value'",
    );
    request.log_path = Some(log.clone());
    request.mask = Arc::new(|line: &str| line.replace("s3cr3t-value", "****"));
    let run = engine.spawn(request).unwrap();
    assert_eq!(ev.wait_exit(run).await, RunState::Exited(0));
    // The raw stream is untouched; the secret arrived in two chunks.
    assert!(ev.text(run).contains("\x1b[31mtoken=s3cr"));
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text, "token=****\nagain ****\ntail ****\n");
}

#[tokio::test]
async fn resize_reaches_the_child() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    let mut request = req("stty size; echo waiting; read -r _; stty size; tput cols");
    request.rows = 24;
    request.cols = 80;
    let run = engine.spawn(request).unwrap();
    ev.wait_text(run, "waiting").await;
    engine.resize(run, 30, 100).unwrap();
    engine.write_input(run, b"\r").unwrap();
    assert_eq!(ev.wait_exit(run).await, RunState::Exited(0));
    let out = ev.text(run);
    let lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines, ["24 80", "waiting", "30 100", "100"], "{out:?}");
}

#[tokio::test]
async fn concurrent_runs_and_finishing_order() {
    let _shared = EXCLUSIVE.read().await;
    let (engine, mut ev) = engine();
    let long = engine
        .spawn(req("ORDER=long; echo started; read -r x; echo \"long-$x\""))
        .unwrap();
    ev.wait_text(long, "started").await;
    let (out, state) = ev.run(&engine, req("ORDER=short; echo short-done")).await;
    assert_eq!(state, RunState::Exited(0));
    assert!(out.contains("short-done"));
    assert_eq!(engine.state(long), Some(RunState::Running));
    assert_eq!(engine.running(), vec![long]);
    assert!(engine.info(long).unwrap().duration > Duration::ZERO);
    engine.write_input(long, b"answered\r").unwrap();
    assert_eq!(ev.wait_exit(long).await, RunState::Exited(0));
    assert!(ev.text(long).contains("long-answered"));
    // The run that finished last set the carried state.
    let (out, _) = ev.run(&engine, req("echo \"order=$ORDER\"")).await;
    assert!(out.contains("order=long"), "{out}");
}

#[tokio::test]
async fn flood_is_complete_and_exited_comes_last() {
    let _shared = EXCLUSIVE.read().await;
    // A tiny channel forces back-pressure on the child.
    let (engine, mut ev) = engine_with(config(), 2);
    let (out, state) = ev.run(&engine, req("seq 1 200000")).await;
    assert_eq!(state, RunState::Exited(0));
    let numbers: Vec<&str> = out.lines().collect();
    assert_eq!(numbers.len(), 200_000);
    assert_eq!(numbers.last(), Some(&"200000"));
}

#[tokio::test]
async fn kill_all_groups_kills_every_live_run() {
    let _only = EXCLUSIVE.write().await;
    let (engine, mut ev) = engine();
    let run = engine.spawn(req("echo ready; sleep 100000")).unwrap();
    ev.wait_text(run, "ready").await;
    let pids = session_pids(engine.info(run).unwrap().pid);
    assert!(kill_all_groups() >= 1);
    assert_eq!(ev.wait_exit(run).await, RunState::Exited(137));
    wait_all_gone(&pids).await;
}
