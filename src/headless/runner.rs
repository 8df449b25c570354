//! Runs the chosen steps one after another through the PTY engine, streaming output, recording
//! everything in the journal, stopping at the first failure.

use super::Outcome;
use super::prompt::{self, Signals};
use super::stream::{EOF, PipedInput, Sink};
use crate::exec::{Engine, ExecConfig, ExecEvent, RunRequest, RunState, describe_exit};
use crate::journal::{Event, Journal, StepStatus};
use crate::runbook::{Risk, Runbook, Step, StepKind};
use crate::values::{self, Sources};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Everything the loop needs besides the engine.
pub struct Session<'a> {
    pub book: &'a Runbook,
    pub picked: &'a [usize],
    pub journal: &'a Journal,
    pub given: BTreeMap<String, String>,
    pub secret: &'a dyn Fn(&str) -> bool,
    pub yes: bool,
    pub shell: Option<std::path::PathBuf>,
    /// Step ids already done or skipped in a resumed session, with their run counts.
    pub resumed: BTreeMap<String, (StepStatus, u32)>,
    pub stdout_is_tty: bool,
    /// With a terminal, questions are asked on it and steps get no keyboard; otherwise piped
    /// input is passed to the steps, then end-of-file.
    pub stdin_is_tty: bool,
    /// Steps were named with `--step`: long-running ones run (until stopped) instead of being
    /// skipped.
    pub explicit: bool,
}

/// Runs the session; returns how the run ended.
pub async fn run(mut s: Session<'_>, signals: &mut Signals) -> Outcome {
    let mut config = ExecConfig::default();
    if let Some(shell) = s
        .shell
        .clone()
        .or_else(|| s.book.meta.shell.clone().map(Into::into))
    {
        config.shell = shell;
    }
    let (engine, mut events) = match Engine::with_channel(config) {
        Ok(pair) => pair,
        Err(e) => return Outcome::Usage(format!("cannot start the execution engine: {e}")),
    };
    let total = s.picked.len();
    let mut first_run = true;
    let mut stdin = PipedInput::start(s.stdin_is_tty);
    for (pos, &index) in s.picked.iter().enumerate() {
        let step = &s.book.steps[index];
        if let Some((status, _)) = s.resumed.get(step.id.as_str())
            && matches!(status, StepStatus::Done | StepStatus::Skipped)
        {
            eprintln!(
                "· [{}/{total}] #{} {} — already {status:?} in this session",
                pos + 1,
                step.number,
                step.title
            );
            continue;
        }
        header(pos + 1, total, step);
        if !s.explicit && step.commands.iter().any(|c| c.long_running) {
            // A watch or a log follow never ends by itself: a headless run would hang on it.
            let reason =
                "long-running: not run headless (select it with --step to run until stopped)";
            eprintln!("⏵ skipped: {reason}");
            if let Err(e) = s
                .journal
                .append(Event::StepSkipped {
                    id: step.id.to_string(),
                    reason: reason.to_string(),
                })
                .await
            {
                return Outcome::Usage(format!("cannot write the journal: {e}"));
            }
            continue;
        }
        if step.commands.is_empty() {
            match confirm_manual(&s, signals, step).await {
                Ok(()) => continue,
                Err(outcome) => return outcome,
            }
        }
        let resolved = resolve(&s, &engine, step);
        if !resolved.missing.is_empty() {
            let names: Vec<_> = resolved.missing.iter().map(|n| n.name.clone()).collect();
            return Outcome::Usage(format!(
                "missing values for step {}: {}",
                step.number,
                names.join(", ")
            ));
        }
        let script = values::script_for(step, None, &resolved.placeholders);
        let carried = engine.carried_values();
        if let Err(outcome) = confirm_risky(&s, signals, step, &script, &carried).await {
            return outcome;
        }
        let run_no = s.resumed.get(step.id.as_str()).map_or(0, |(_, n)| *n) + 1;
        s.resumed
            .insert(step.id.to_string(), (StepStatus::Running, run_no));
        let started = Event::StepStarted {
            id: step.id.to_string(),
            number: step.number,
            command: script.clone(),
            run: run_no,
        };
        if let Err(e) = s.journal.append(started).await {
            return Outcome::Usage(format!("cannot write the journal: {e}"));
        }
        for value in engine.carried_secrets(s.secret) {
            s.journal.add_secret(&value);
        }
        let masker = s.journal.masker();
        let mask: Arc<dyn Fn(&str) -> String + Send + Sync> =
            Arc::new(move |line: &str| masker.mask(line));
        let (cols, rows) = crossterm::terminal::size().unwrap_or((120, 40));
        let mut req = RunRequest::new(step.id.to_string(), script);
        req.env = resolved.env;
        req.rows = rows;
        req.cols = cols;
        req.mask = mask.clone();
        req.log_path = s.journal.output_path(&step.id, run_no).ok();
        if first_run && engine.carried_cwd().is_none() {
            req.cwd = s.book.meta.cwd.clone().map(Into::into);
        }
        first_run = false;
        let output_name = req
            .log_path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        let run = match engine.spawn(req) {
            Ok(run) => run,
            Err(e) => {
                let _ = s
                    .journal
                    .append(Event::StepFinished {
                        id: step.id.to_string(),
                        number: step.number,
                        exit_code: None,
                        duration_ms: 0,
                        output: None,
                        stopped: false,
                        run: run_no,
                    })
                    .await;
                eprintln!("✘ step {} could not start: {e}", step.number);
                let note = Event::NoteAdded {
                    id: Some(step.id.to_string()),
                    text: format!("could not start: {e}"),
                };
                let _ = s.journal.append(note).await;
                return Outcome::Failed(step.number);
            }
        };
        let mut sink = Sink {
            tty: s.stdout_is_tty,
            mask,
            pending: Vec::new(),
            tail: Vec::new(),
        };
        let mut interrupted = false;
        if stdin.at_eof {
            // Input is exhausted: a step that reads gets end-of-file instead of waiting forever.
            let _ = engine.write_input(run, EOF);
        }
        let (state, duration) = loop {
            tokio::select! {
                chunk = stdin.rx.recv(), if !stdin.at_eof => match chunk {
                    Some(bytes) => { let _ = engine.write_input(run, &bytes); }
                    None => { stdin.at_eof = true; let _ = engine.write_input(run, EOF); }
                },
                ev = events.recv() => match ev {
                    Some(ExecEvent::Output { run: r, bytes }) if r == run => sink.write(&bytes),
                    Some(ExecEvent::Exited { run: r, state, duration }) if r == run => break (state, duration),
                    Some(_) => {}
                    None => break (RunState::FailedToStart("the engine stopped".into()), Duration::ZERO),
                },
                () = signals.recv() => { interrupted = true; let _ = engine.stop(run); }
            }
        };
        sink.finish();
        let (exit_code, stopped) = match &state {
            RunState::Exited(code) => (Some(*code), false),
            RunState::Stopped => (None, true),
            _ => (None, false),
        };
        // A secret the run fetched and printed is known only now: mask its log again.
        if s.journal.add_secrets(engine.carried_secrets(s.secret))
            && let Some(name) = output_name.clone()
        {
            let journal = s.journal.clone();
            let masked = tokio::task::spawn_blocking(move || journal.remask_output(&name)).await;
            if let Ok(Err(e)) = masked {
                eprintln!("runbook: cannot mask the output log again: {e}");
            }
        }
        let finished = Event::StepFinished {
            id: step.id.to_string(),
            number: step.number,
            exit_code,
            duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
            output: output_name,
            stopped,
            run: run_no,
        };
        if let Err(e) = s.journal.append(finished).await {
            return Outcome::Usage(format!("cannot write the journal: {e}"));
        }
        let secs = duration.as_secs_f64();
        if interrupted {
            eprintln!("■ step {} stopped after {secs:.1}s", step.number);
            return Outcome::Interrupted;
        }
        match state {
            RunState::Exited(0) => {
                eprintln!("✔ exit 0 · {secs:.1}s");
                s.resumed
                    .insert(step.id.to_string(), (StepStatus::Done, run_no));
                if step.kind == StepKind::Check {
                    let _ = s
                        .journal
                        .append(Event::CheckToggled {
                            id: step.id.to_string(),
                            checked: true,
                        })
                        .await;
                }
            }
            RunState::Exited(code) => {
                let tail = String::from_utf8_lossy(&sink.tail).into_owned();
                eprintln!("✘ {} · {secs:.1}s", describe_exit(code, &tail));
                return Outcome::Failed(step.number);
            }
            RunState::FailedToStart(reason) => {
                eprintln!("✘ step {} could not start: {reason}", step.number);
                return Outcome::Failed(step.number);
            }
            RunState::Stopped | RunState::Running => return Outcome::Interrupted,
        }
    }
    let _ = s.journal.append(Event::SessionEnded { reason: None }).await;
    Outcome::Done
}

fn header(pos: usize, total: usize, step: &Step) {
    let risk = step
        .risk
        .map_or(String::new(), |r| format!("  ({})", r.as_str()));
    let section = step
        .section
        .last()
        .map_or(String::new(), |s| format!("{s} › "));
    eprintln!(
        "\n▶ [{pos}/{total}] #{} {section}{}{risk}",
        step.number, step.title
    );
}

fn resolve(s: &Session<'_>, engine: &Engine, step: &Step) -> values::Resolved {
    let carried_names = engine.carried_vars();
    let carried = |name: &str| carried_names.iter().any(|n| n == name);
    let env = |name: &str| std::env::var(name).ok();
    let sources = Sources {
        given: &s.given,
        carried: &carried,
        env: &env,
        meta: &s.book.meta,
        is_secret: s.secret,
        use_defaults: true,
    };
    values::resolve(step, &sources)
}

/// A check without commands: `--yes` confirms it, else the operator is asked.
async fn confirm_manual(
    s: &Session<'_>,
    signals: &mut Signals,
    step: &Step,
) -> Result<(), Outcome> {
    let ok = if s.yes {
        true
    } else if prompt::interactive() {
        let question = || prompt::confirm("Manual check: is this done?");
        prompt::ask(signals, question)
            .await
            .ok_or(Outcome::Interrupted)?
    } else {
        false
    };
    if !ok {
        eprintln!("✘ manual check not confirmed");
        declined(s, step, "manual check not confirmed: the run stopped here").await;
        return Err(Outcome::Failed(step.number));
    }
    let what = if s.yes {
        "manual check confirmed with --yes"
    } else {
        "manual check confirmed"
    };
    let events = [
        Event::Confirmation {
            id: Some(step.id.to_string()),
            what: what.to_string(),
            overridden: false,
        },
        Event::CheckToggled {
            id: step.id.to_string(),
            checked: true,
        },
    ];
    for event in events {
        s.journal
            .append(event)
            .await
            .map_err(|e| Outcome::Usage(format!("cannot write the journal: {e}")))?;
    }
    eprintln!("✔ confirmed");
    Ok(())
}

/// Write steps ask `y/N`; destructive ones ask to type their target; `--yes` answers both.
async fn confirm_risky(
    s: &Session<'_>,
    signals: &mut Signals,
    step: &Step,
    script: &str,
    carried: &BTreeMap<String, String>,
) -> Result<(), Outcome> {
    // As in the app: a redirection into a file makes a read step a write.
    let writes = || crate::runbook::shell::redirect::writes_files(script);
    let risk = match step.risk {
        Some(Risk::Read) if writes() => Some(Risk::Write),
        other => other,
    };
    let Some(risk) = risk.filter(|r| *r >= Risk::Write) else {
        return Ok(());
    };
    let what = if s.yes {
        format!("{} step confirmed with --yes", risk.as_str())
    } else if !prompt::interactive() {
        return Err(Outcome::Usage(format!(
            "step {} is a {} step: pass --yes to run it without a terminal",
            step.number,
            risk.as_str()
        )));
    } else {
        eprintln!(
            "  $ {}",
            s.journal.masker().mask(script).replace('\n', "\n    ")
        );
        if let Some(text) = step.annotations.get("confirm") {
            eprintln!("  {text}");
        }
        let ok = match risk {
            Risk::Destructive => {
                let namespace = s.book.meta.namespace.as_deref();
                let word = crate::state::target::derive(
                    script,
                    step.annotations.get("target").map(|t| t.as_str()),
                    namespace,
                );
                let known = |name: &str| {
                    let value = s.given.get(name).or_else(|| carried.get(name)).cloned();
                    let value = value.or_else(|| std::env::var(name).ok());
                    value.filter(|_| !(s.secret)(name))
                };
                let target = crate::state::target::expand(&word, &known);
                prompt::ask(signals, move || prompt::confirm_typed(&target)).await
            }
            _ => prompt::ask(signals, || prompt::confirm("Run this write step?")).await,
        };
        let ok = ok.ok_or(Outcome::Interrupted)?;
        if !ok {
            eprintln!("✘ not confirmed: stopping here");
            let why = format!("{} step not confirmed: the run stopped here", risk.as_str());
            declined(s, step, &why).await;
            return Err(Outcome::Failed(step.number));
        }
        format!("{} step confirmed", risk.as_str())
    };
    s.journal
        .append(Event::Confirmation {
            id: Some(step.id.to_string()),
            what,
            overridden: false,
        })
        .await
        .map_err(|e| Outcome::Usage(format!("cannot write the journal: {e}")))
}

/// Records on the step why the run stopped before it: the audit shows who declined what.
async fn declined(s: &Session<'_>, step: &Step, why: &str) {
    let note = Event::NoteAdded {
        id: Some(step.id.to_string()),
        text: why.to_string(),
    };
    // The run stops either way; a journal that cannot take the note has failed loudly already.
    let _ = s.journal.append(note).await;
}
