//! Finishing drafts while the walk goes on: the walker hands over each run of drafts it will
//! not touch again, worker threads finish them (split, classify, discover variables), and the
//! results are put back in document order as they come, their ids made unique on the way. Each
//! draft is finished on its own (pure, no shared state) and ids are made unique in document
//! order, so the result is the same whatever the number of threads.
//!
//! Small runbooks never start a thread: below [`PARALLEL_FROM`] drafts one thread is faster.

use super::build::{Draft, finish_one};
use super::{Step, ids::UniqueIds};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

/// Below this many drafts one thread is faster than starting others (the 50 corpus runbooks
/// together, 855 steps: 3.4 ms on one thread, 4.1 ms with a worker).
pub(super) const PARALLEL_FROM: usize = 1024;

/// Drafts handed over at once once the pool runs: few enough to keep the workers busy early,
/// enough to make the channel's cost vanish.
pub(super) const BATCH: usize = 64;

/// A run of consecutive drafts; `start` is the 0-based index of the first. `book_title` is the
/// last-resort title of drafts before the first heading; it is only known once the walk is
/// over, so batches handed over during the walk (which never hold such drafts) carry an empty one.
pub(super) struct Batch<'a> {
    pub start: usize,
    pub drafts: Vec<Draft<'a>>,
    pub book_title: Arc<str>,
}

/// What the threads share; it outlives the thread scope.
pub(super) struct Queue<'a> {
    rx: Mutex<Receiver<Batch<'a>>>,
    ordered: Mutex<Ordered>,
    /// How many steps the runbook will have, as the walk sees it so far: the finished steps
    /// grow to it at once rather than by doubling.
    expected: AtomicUsize,
}

impl<'a> Queue<'a> {
    /// The queue and its only sender (for [`Pool::new`]); `text_len` is the size of the
    /// markdown, to make room for its steps at once.
    pub(super) fn new(text_len: usize) -> (Queue<'a>, Sender<Batch<'a>>) {
        let (tx, rx) = channel();
        // Runbooks hold a step every few hundred bytes; dense ones grow the room once or twice.
        let steps = text_len / 256;
        let queue = Queue {
            rx: Mutex::new(rx),
            ordered: Mutex::new(Ordered {
                steps: Vec::with_capacity(steps),
                early: BTreeMap::new(),
                ids: UniqueIds::with_capacity(steps),
            }),
            expected: AtomicUsize::new(steps),
        };
        (queue, tx)
    }

    /// The next batch, or `None` once every sender is gone and the queue is empty.
    fn next(&self) -> Option<Batch<'a>> {
        self.rx.lock().ok()?.recv().ok()
    }

    /// Finishes a batch and puts its steps in their place.
    fn finish(&self, batch: Batch<'_>) {
        let start = batch.start;
        // Each step builds its text here, then freezes a copy: one scratch for the batch.
        let mut scratch = String::new();
        let steps = batch
            .drafts
            .into_iter()
            .enumerate()
            .map(|(i, d)| finish_one(start + i + 1, d, &batch.book_title, &mut scratch))
            .collect();
        // A poisoned lock means another thread panicked: that panic is re-raised on join.
        if let Ok(mut ordered) = self.ordered.lock() {
            ordered.reserve(self.expected.load(Relaxed));
            ordered.add(start, steps);
        }
    }
}

/// Finished steps in document order with unique ids, and the batches that came too early.
#[derive(Default)]
struct Ordered {
    steps: Vec<Step>,
    early: BTreeMap<usize, Vec<Step>>,
    ids: UniqueIds,
}

impl Ordered {
    /// Room for `steps` steps in all (a guess: it may be passed). Grows by half at least, so
    /// that a guess creeping up does not copy the steps again and again.
    fn reserve(&mut self, steps: usize) {
        let room = self.steps.capacity();
        if steps > room {
            let target = steps.max(room + room / 2);
            self.steps.reserve_exact(target - self.steps.len());
            self.ids.reserve(target - room);
        }
    }

    fn add(&mut self, start: usize, steps: Vec<Step>) {
        if start != self.steps.len() {
            self.early.insert(start, steps);
            return;
        }
        self.append(steps);
        while let Some(steps) = self.early.remove(&self.steps.len()) {
            self.append(steps);
        }
    }

    fn append(&mut self, steps: Vec<Step>) {
        let from = self.steps.len();
        self.steps.extend(steps);
        for step in &mut self.steps[from..] {
            self.ids.make_unique(&mut step.id);
        }
    }
}

/// Finishes batches on worker threads (started on the first batch) and on the calling thread.
pub(super) struct Pool<'scope, 'env, 'a> {
    scope: &'scope Scope<'scope, 'env>,
    queue: &'env Queue<'a>,
    /// Threads in all, this one included.
    threads: usize,
    /// The calling thread's sender; dropped to tell the workers that nothing more comes.
    tx: Option<Sender<Batch<'a>>>,
    workers: Vec<ScopedJoinHandle<'scope, ()>>,
    /// Whether starting the workers was tried (a thread that cannot start is not retried).
    started: bool,
}

impl<'scope, 'env, 'a: 'env> Pool<'scope, 'env, 'a> {
    pub(super) fn new(
        scope: &'scope Scope<'scope, 'env>,
        queue: &'env Queue<'a>,
        tx: Sender<Batch<'a>>,
        threads: usize,
    ) -> Self {
        Pool {
            scope,
            queue,
            threads,
            tx: Some(tx),
            workers: Vec::new(),
            started: false,
        }
    }

    /// Tells how many steps the runbook will have, as the walk sees it so far.
    pub(super) fn expect(&self, steps: usize) {
        self.queue.expected.fetch_max(steps, Relaxed);
    }

    /// Hands a batch over; the first one starts the workers.
    pub(super) fn submit(&mut self, batch: Batch<'a>) {
        if !self.started {
            self.started = true;
            self.start_workers();
        }
        let unsent = match (&self.tx, self.workers.is_empty()) {
            (Some(tx), false) => tx.send(batch).err().map(|e| e.0),
            _ => Some(batch),
        };
        if let Some(batch) = unsent {
            // No worker could start: finish it here.
            self.queue.finish(batch);
        }
    }

    fn start_workers(&mut self) {
        for _ in 1..self.threads {
            let queue = self.queue;
            let handle = std::thread::Builder::new()
                .name("runbook-parse".into())
                .spawn_scoped(self.scope, move || {
                    while let Some(batch) = queue.next() {
                        queue.finish(batch);
                    }
                });
            // A thread that cannot start leaves its share to the others and to this thread.
            if let Ok(handle) = handle {
                self.workers.push(handle);
            }
        }
    }

    /// Finishes the drafts left after the walk (runs of consecutive drafts with the index of
    /// their first), with the workers when they run or when there are many, and returns every
    /// step in document order with unique ids.
    pub(super) fn finish(
        mut self,
        rest: Vec<(usize, Vec<Draft<'a>>)>,
        book_title: &str,
    ) -> Vec<Step> {
        let book_title: Arc<str> = book_title.into();
        let left: usize = rest.iter().map(|(_, drafts)| drafts.len()).sum();
        let total = rest
            .iter()
            .map(|(start, d)| start + d.len())
            .max()
            .unwrap_or(0);
        self.queue.expected.store(total, Relaxed);
        let parallel = !self.workers.is_empty() || left >= PARALLEL_FROM;
        for (start, drafts) in rest {
            if !parallel {
                self.queue.finish(Batch {
                    start,
                    drafts,
                    book_title: book_title.clone(),
                });
                continue;
            }
            let mut drafts = drafts.into_iter();
            let mut at = start;
            loop {
                let batch: Vec<Draft<'a>> = drafts.by_ref().take(BATCH).collect();
                if batch.is_empty() {
                    break;
                }
                let len = batch.len();
                self.submit(Batch {
                    start: at,
                    drafts: batch,
                    book_title: book_title.clone(),
                });
                at += len;
            }
        }
        // Nothing more comes: the workers stop once the queue is empty; this thread helps.
        self.tx = None;
        if !self.workers.is_empty() {
            while let Some(batch) = self.queue.next() {
                self.queue.finish(batch);
            }
        }
        for handle in std::mem::take(&mut self.workers) {
            // A panic in a worker is a parser bug; re-raise it rather than lose steps silently.
            handle
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
        let ordered = match self.queue.ordered.lock() {
            Ok(mut ordered) => std::mem::take(&mut *ordered),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        debug_assert!(ordered.early.is_empty(), "every batch found its place");
        ordered.steps
    }
}

#[cfg(test)]
#[path = "pool_tests.rs"]
pub(in crate::runbook) mod tests;
