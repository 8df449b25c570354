//! The [`Journal`] handle: masks secrets, stamps events and hands them to a writer thread behind a
//! bounded channel. The writer writes each batch of lines, flushes and `sync_data`s the file, and
//! only then acknowledges each line, so a caller that awaits [`Journal::append`] knows its event
//! survives a crash. Writing never happens on the caller's thread.

use super::event::{Event, Mode, Record, SessionResume, SessionStart, outline};
use super::fs::{
    create_private_dir, ends_with_newline, host, make_session_dir, open_private, operator,
    set_mode, sync_dir, write_durably,
};
use super::redact::Secrets;
use super::{JOURNAL_FILE, JournalError, LOCK_FILE, OUTPUT_DIR};
use crate::runbook::Runbook;
use crate::secrets::{Masker, SecretPolicy};
use nix::fcntl::{Flock, FlockArg};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{mpsc, oneshot};

/// Lines waiting for the writer; beyond this, `send` queues through the overflow thread.
const CHANNEL_CAPACITY: usize = 1024;
/// At most this many lines share one `sync_data`.
const MAX_BATCH: usize = 256;

type Ack = oneshot::Sender<Result<(), String>>;

struct Request {
    line: String,
    ack: Option<Ack>,
}

struct Inner {
    id: String,
    dir: PathBuf,
    tx: mpsc::Sender<Request>,
    /// Used once the bounded channel was full, until the overflow thread has caught up, so that
    /// events keep the order in which they were sent.
    overflow: std::sync::mpsc::Sender<Request>,
    overflow_pending: Arc<AtomicUsize>,
    secrets: Mutex<Secrets>,
}

/// A handle on an open session journal. Cheap to clone; the writer stops when the last clone is
/// dropped, after writing everything sent before.
#[derive(Clone)]
pub struct Journal {
    inner: Arc<Inner>,
}

impl Journal {
    /// Starts a new session under `data_dir` and durably writes its `session_started` event.
    pub fn create(
        data_dir: &Path,
        runbook: &Runbook,
        runbook_path: &Path,
        content_sha256: &str,
        mode: Mode,
        kube_context: Option<String>,
    ) -> Result<Journal, JournalError> {
        let now = chrono::Local::now().fixed_offset();
        let sessions = data_dir.join(super::store::SESSIONS_DIR);
        create_private_dir(&sessions)?;
        let dir = make_session_dir(&sessions, now.to_utc(), runbook_path)?;
        let (steps, sections) = outline(runbook);
        let start = SessionStart {
            runbook: std::fs::canonicalize(runbook_path)
                .unwrap_or_else(|_| runbook_path.to_path_buf())
                .to_string_lossy()
                .into_owned(),
            sha256: content_sha256.to_string(),
            title: runbook.title.clone(),
            operator: operator(),
            host: host(),
            kube_context,
            mode,
            version: env!("CARGO_PKG_VERSION").to_string(),
            steps,
            sections,
        };
        let record = Record {
            ts: now,
            event: Event::SessionStarted(Box::new(start)),
        };
        let lock = lock_session(&dir)?;
        let path = dir.join(JOURNAL_FILE);
        let mut file = open_private(&path, true)?;
        write_durably(&mut file, &format!("{}\n", record.to_line()?))
            .map_err(|e| JournalError::io(&path, e))?;
        // Make the new directory entries themselves durable.
        sync_dir(&dir)?;
        sync_dir(&sessions)?;
        let journal = Journal::start(dir, file, lock)?;
        journal.set_variable_specs(runbook);
        Ok(journal)
    }

    /// Opens an existing session to append to it (resume). Fails with [`JournalError::Locked`]
    /// when another process is writing it.
    pub fn reopen(dir: &Path) -> Result<Journal, JournalError> {
        // Lock first: nothing may touch the journal of a session another process is writing.
        let lock = lock_session(dir)?;
        let path = dir.join(JOURNAL_FILE);
        let mut file = open_private(&path, false)?;
        // A torn last line has no newline: start on a fresh line so that it stays one bad line
        // instead of swallowing the next event too.
        if !ends_with_newline(&mut file).map_err(|e| JournalError::io(&path, e))? {
            write_durably(&mut file, "\n").map_err(|e| JournalError::io(&path, e))?;
        }
        Journal::start(dir.to_path_buf(), file, lock)
    }

    /// Reopens `dir`, replays it, records a `session_resumed` event with the runbook as it is now
    /// and reports what changed. The caller restores step states and variables from the
    /// returned state and asks again for the secret variables (their values read `••••••`).
    pub async fn resume(
        dir: &Path,
        runbook: &Runbook,
        content_sha256: &str,
    ) -> Result<(Journal, super::SessionState, super::ResumeReport), JournalError> {
        let journal = Journal::reopen(dir)?;
        let (records, _warnings) = super::read_journal(&dir.join(JOURNAL_FILE))?;
        let state = super::replay(&records);
        let report = super::reconcile(&state, runbook, content_sha256);
        journal.set_variable_specs(runbook);
        let (steps, sections) = outline(runbook);
        let resume = SessionResume {
            sha256: content_sha256.to_string(),
            operator: operator(),
            host: host(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            steps,
            sections,
        };
        journal
            .append(Event::SessionResumed(Box::new(resume)))
            .await?;
        Ok((journal, state, report))
    }

    fn start(dir: PathBuf, file: File, lock: Flock<File>) -> Result<Journal, JournalError> {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let (overflow, overflow_rx) = std::sync::mpsc::channel::<Request>();
        let overflow_pending = Arc::new(AtomicUsize::new(0));
        let spawn_err = |e| JournalError::io(&dir, e);
        std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || writer_loop(file, lock, rx))
            .map_err(spawn_err)?;
        let forward_tx = tx.clone();
        let pending = Arc::clone(&overflow_pending);
        std::thread::Builder::new()
            .name("journal-overflow".into())
            .spawn(move || {
                while let Ok(req) = overflow_rx.recv() {
                    let sent = forward_tx.blocking_send(req);
                    pending.fetch_sub(1, Ordering::SeqCst);
                    if sent.is_err() {
                        break;
                    }
                }
            })
            .map_err(spawn_err)?;
        let id = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Journal {
            inner: Arc::new(Inner {
                id,
                dir,
                tx,
                overflow,
                overflow_pending,
                secrets: Mutex::new(Secrets::default()),
            }),
        })
    }

    /// The session id (its directory name).
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The session directory.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// Writes an event and waits until it is on disk (fsync'd). Use it where durability matters:
    /// step finished, check toggled, skipped.
    pub async fn append(&self, event: Event) -> Result<(), JournalError> {
        let (ack, done) = oneshot::channel();
        self.enqueue(event, ack).await?;
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(JournalError::Write(message)),
            Err(_) => Err(JournalError::Closed),
        }
    }

    /// Queues an event now (keeping its order with every other event queued from this thread)
    /// and returns a future that resolves once it is on disk. The TUI uses this so that several
    /// acknowledged events from one update land in the order they were made.
    pub fn submit(
        &self,
        event: Event,
    ) -> Result<impl std::future::Future<Output = Result<(), JournalError>> + use<>, JournalError>
    {
        let line = self.encode(event)?;
        let (ack, done) = oneshot::channel();
        self.push(Request {
            line,
            ack: Some(ack),
        })?;
        Ok(async move {
            match done.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(message)) => Err(JournalError::Write(message)),
                Err(_) => Err(JournalError::Closed),
            }
        })
    }

    /// Queues an event without waiting, never blocking the caller's thread. Errors (a stopped
    /// writer) are returned only when the event could not even be queued.
    pub fn send(&self, event: Event) -> Result<(), JournalError> {
        let line = self.encode(event)?;
        self.push(Request { line, ack: None })
    }

    async fn enqueue(&self, event: Event, ack: Ack) -> Result<(), JournalError> {
        let line = self.encode(event)?;
        let req = Request {
            line,
            ack: Some(ack),
        };
        if self.inner.overflow_pending.load(Ordering::SeqCst) == 0 {
            return self
                .inner
                .tx
                .send(req)
                .await
                .map_err(|_| JournalError::Closed);
        }
        self.push(req)
    }

    fn push(&self, req: Request) -> Result<(), JournalError> {
        let inner = &self.inner;
        let req = if inner.overflow_pending.load(Ordering::SeqCst) == 0 {
            match inner.tx.try_send(req) {
                Ok(()) => return Ok(()),
                Err(mpsc::error::TrySendError::Closed(_)) => return Err(JournalError::Closed),
                Err(mpsc::error::TrySendError::Full(req)) => req,
            }
        } else {
            req
        };
        inner.overflow_pending.fetch_add(1, Ordering::SeqCst);
        inner.overflow.send(req).map_err(|_| {
            inner.overflow_pending.fetch_sub(1, Ordering::SeqCst);
            JournalError::Closed
        })
    }

    /// Masks secrets in the event and encodes it as one line.
    fn encode(&self, event: Event) -> Result<String, JournalError> {
        let mut event = event;
        self.secrets().redact(&mut event);
        Ok(Record::now(event).to_line()?)
    }

    /// The secrets state; a panic elsewhere while holding it leaves it usable.
    fn secrets(&self) -> MutexGuard<'_, Secrets> {
        self.inner.secrets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a secret value to mask from now on (e.g. a value read from a secret prompt).
    pub fn add_secret(&self, value: &str) {
        let mut s = self.secrets();
        s.masker.add(value);
    }

    /// A copy of the current masker, for the executor's output files.
    pub fn masker(&self) -> Masker {
        let s = self.secrets();
        s.masker.clone()
    }

    /// Replaces the name policy (from the user's configuration).
    pub fn set_secret_policy(&self, policy: SecretPolicy) {
        let mut s = self.secrets();
        s.policy = policy;
    }

    /// Masks from now on the secret values the runbook will use without them being typed (from
    /// the environment, front-matter defaults); call after the policy is set.
    pub fn learn_secrets(&self, runbook: &Runbook, env: &dyn Fn(&str) -> Option<String>) {
        self.secrets().learn(runbook, env);
    }

    /// Whether a variable of this name holds a secret, by the policy and declarations set.
    pub fn is_secret(&self, name: &str) -> bool {
        let s = self.secrets();
        s.policy.is_secret(name, s.specs.get(name))
    }

    /// Takes the runbook's front-matter variable declarations (`secret: true`) into account.
    pub fn set_variable_specs(&self, runbook: &Runbook) {
        let mut s = self.secrets();
        s.specs = runbook.meta.variables.clone();
    }

    /// `output/<step-id>-<run>.log` in the session directory; creates `output/` (0700).
    pub fn output_path(&self, step_id: &str, run: u32) -> Result<PathBuf, JournalError> {
        let dir = self.inner.dir.join(OUTPUT_DIR);
        create_private_dir(&dir)?;
        Ok(dir.join(output_file_name(step_id, run)))
    }

    /// Creates (or truncates) the output file of a run with mode 0600.
    pub fn open_output(&self, step_id: &str, run: u32) -> Result<(PathBuf, File), JournalError> {
        let path = self.output_path(step_id, run)?;
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| JournalError::io(&path, e))?;
        set_mode(&path, 0o600)?;
        Ok((path, file))
    }
}

/// Takes the session's writer lock (held by the writer thread until it ends).
fn lock_session(dir: &Path) -> Result<Flock<File>, JournalError> {
    let lock_file = open_private(&dir.join(LOCK_FILE), false)?;
    Flock::lock(lock_file, FlockArg::LockExclusiveNonblock)
        .map_err(|_| JournalError::Locked(dir.to_path_buf()))
}

/// The output file name of a run; the id is reduced to file-name-safe characters.
pub fn output_file_name(step_id: &str, run: u32) -> String {
    let id: String = step_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{id}-{run}.log")
}

fn writer_loop(mut file: File, lock: Flock<File>, mut rx: mpsc::Receiver<Request>) {
    // After a failed write the file may end in a partial line; the next write starts afresh.
    let mut dirty = false;
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(req) => batch.push(req),
                Err(_) => break,
            }
        }
        let mut text =
            String::with_capacity(batch.iter().map(|r| r.line.len() + 1).sum::<usize>() + 1);
        if dirty {
            text.push('\n');
        }
        for req in &batch {
            text.push_str(&req.line);
            text.push('\n');
        }
        let result = write_durably(&mut file, &text).map_err(|e| e.to_string());
        dirty = result.is_err();
        if let Err(e) = &result {
            tracing::error!("journal write failed: {e}");
        }
        for req in batch {
            if let Some(ack) = req.ack {
                // The caller may have given up waiting; nothing to do then.
                let _ = ack.send(result.clone());
            }
        }
    }
    drop(lock);
}
