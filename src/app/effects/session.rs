//! The journal side of the effects: starting, resuming and ending the session, and turning the
//! state machine's `JournalOp`s into journal events, acknowledged back as messages.

use super::{Effects, notice};
use crate::exec::RunId;
use crate::journal::{self, Event, Journal};
use crate::state::{JournalOp, Msg, State};

impl Effects {
    /// Records the end of the session and waits until it is on disk (the process exits next).
    /// Runs still alive were sent a stop; their end is waited for (as long as the stop's own
    /// escalation takes) and recorded first, so the journal never ends with a run left open.
    pub async fn end(&mut self, reason: Option<String>) {
        self.engine.stop_all();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(6);
        while !self.engine.running().is_empty() && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let Some(journal) = self.journal.take() else {
            return;
        };
        for (run, (id, number)) in std::mem::take(&mut self.open_runs) {
            let info = self.engine.info(RunId(run));
            let (exit_code, stopped) = match info.as_ref().map(|i| &i.state) {
                Some(crate::exec::RunState::Exited(code)) => (Some(*code), false),
                _ => (None, true),
            };
            let (_, run_no, output) =
                self.runs
                    .get(&run)
                    .cloned()
                    .unwrap_or((String::new(), 0, None));
            let duration_ms = info.map_or(0, |i| {
                u64::try_from(i.duration.as_millis()).unwrap_or(u64::MAX)
            });
            let finished = Event::StepFinished {
                id,
                number,
                exit_code,
                duration_ms,
                output,
                stopped,
                run: run_no,
            };
            let _ = journal.append(finished).await;
        }
        let _ = journal.append(Event::SessionEnded { reason }).await;
    }

    /// Starts a new session in the journal and writes what was queued.
    pub fn start(&mut self, state: &mut State) {
        let Some(dir) = self.data_dir.clone() else {
            notice(
                state,
                "no data directory: this session is not recorded",
                true,
            );
            return;
        };
        let kube = state.kube.context.clone();
        match Journal::create(
            &dir,
            &state.runbook,
            &self.source.path,
            &self.source.sha256,
            self.source.mode,
            kube,
        ) {
            Ok(journal) => {
                journal.set_variable_specs(&state.runbook);
                journal.set_secret_policy(state.config.secret_policy());
                journal.learn_secrets(&state.runbook, &|n| std::env::var(n).ok());
                self.journal = Some(journal);
                self.unrecorded = false;
                self.flush_queue();
            }
            Err(e) => {
                notice(
                    state,
                    &format!("journal unavailable: {e}; this session is not recorded"),
                    true,
                );
                // No journal will take what waited for one: release the operator's actions.
                self.unrecorded = true;
                self.flush_queue();
            }
        }
    }

    pub(super) async fn resume(&mut self, state: &mut State, session: &str) {
        let Some(dir) = self.data_dir.clone() else {
            return;
        };
        let summary = match journal::resolve(&dir, session) {
            Ok(summary) => summary,
            Err(e) => return notice(state, &format!("cannot resume: {e}"), true),
        };
        match Journal::resume(&summary.dir, &state.runbook, &self.source.sha256).await {
            Ok((journal, replayed, report)) => {
                journal.set_secret_policy(state.config.secret_policy());
                journal.learn_secrets(&state.runbook, &|n| std::env::var(n).ok());
                for (id, st) in &replayed.steps {
                    self.run_counts.insert(id.clone(), st.runs);
                }
                if report.hash_changed {
                    let n = report.changed_or_gone.len();
                    notice(
                        state,
                        &format!(
                            "the runbook changed since this session started: {} changed or disappeared",
                            crate::check::count(n, "step")
                        ),
                        false,
                    );
                }
                self.journal = Some(journal);
                self.flush_queue();
            }
            Err(e) => {
                notice(
                    state,
                    &format!("cannot resume ({e}); starting a new session"),
                    true,
                );
                self.start(state);
            }
        }
    }

    pub(super) fn flush_queue(&mut self) {
        for (op, ack) in std::mem::take(&mut self.queued) {
            self.journal_op(op, ack);
        }
    }

    pub(super) fn journal_op(&mut self, op: JournalOp, ack: Option<u64>) {
        let Some(journal) = self.journal.clone() else {
            if self.data_dir.is_some() && !self.unrecorded {
                self.queued.push((op, ack));
            } else if let Some(token) = ack {
                // Nowhere to record: acknowledge so the operator is not stuck on "saving".
                self.post(Msg::JournalAck(token));
            }
            return;
        };
        let refresh_kube = matches!(op, JournalOp::StepFinished { .. });
        let event = self.event_of(op);
        let finished_log = match &event {
            Event::StepFinished { output, .. } => Some(output.clone()),
            _ => None,
        };
        let tx = self.tx.clone();
        match ack {
            Some(token) => {
                // Queued now, in order; only the wait for the fsync happens on a task.
                let written = journal.submit(event);
                tokio::spawn(async move {
                    let result = match written {
                        Ok(done) => done.await,
                        Err(e) => Err(e),
                    };
                    let msg = match result {
                        Ok(()) => Msg::JournalAck(token),
                        Err(e) => Msg::JournalFailed {
                            token,
                            reason: e.to_string(),
                        },
                    };
                    if let Some(tx) = tx {
                        let _ = tx.send(msg).await;
                    }
                });
            }
            None => {
                let _ = journal.send(event);
            }
        }
        if let Some(log) = finished_log {
            // A secret the run fetched and printed is known only now: mask its log again.
            let carried = self.engine.carried_secrets(&|name| journal.is_secret(name));
            if journal.add_secrets(carried)
                && let Some(name) = log
            {
                let journal = journal.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = journal.remask_output(&name) {
                        tracing::error!("cannot mask the output log again: {e}");
                    }
                });
            }
        }
        if refresh_kube {
            // What the run left in the shell: a destructive target may name it (`$WORKDIR`).
            self.post(Msg::Carried(self.engine.carried_values()));
            // A step may have switched context (`kubectl config use-context`).
            let tx = self.tx.clone();
            tokio::task::spawn_blocking(move || {
                let kube = crate::kubectx::current();
                if let Some(tx) = tx {
                    let _ = tx.blocking_send(Msg::Kube {
                        context: kube.context,
                        namespace: kube.namespace,
                    });
                }
            });
        }
    }

    fn event_of(&mut self, op: JournalOp) -> Event {
        match op {
            JournalOp::CheckToggled { id, checked } => Event::CheckToggled { id, checked },
            JournalOp::StepSkipped { id, reason } => Event::StepSkipped { id, reason },
            JournalOp::NoteAdded { id, text } => Event::NoteAdded {
                id: (!id.is_empty()).then_some(id),
                text,
            },
            JournalOp::CommandEdited { id, text } => Event::CommandEdited { id, text },
            JournalOp::VariableSet {
                name,
                value,
                secret,
            } => Event::VariableSet {
                name,
                value,
                secret,
            },
            JournalOp::Confirmation { id, what } => Event::Confirmation {
                id: Some(id),
                what,
                overridden: false,
            },
            JournalOp::StepStarted {
                id,
                number,
                command,
                run,
            } => {
                let run_no = self.runs.get(&run).map_or(1, |r| r.1);
                Event::StepStarted {
                    id,
                    number,
                    command,
                    run: run_no,
                }
            }
            JournalOp::StepFinished {
                id,
                number,
                exit_code,
                duration_ms,
                stopped,
                run,
            } => {
                // Recorded now: ending the session must not record this run a second time.
                self.open_runs.remove(&run);
                let (run, output) = self
                    .runs
                    .get(&run)
                    .map_or((0, None), |r| (r.1, r.2.clone()));
                Event::StepFinished {
                    id,
                    number,
                    exit_code,
                    duration_ms,
                    output,
                    stopped,
                    run,
                }
            }
            JournalOp::StepRehearsed {
                id,
                number,
                command,
            } => Event::StepRehearsed {
                id,
                number,
                command,
            },
            JournalOp::SessionEnded => Event::SessionEnded { reason: None },
        }
    }
}
