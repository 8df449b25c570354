//! Finishing drafts while the walk goes on: the walker hands over each run of drafts it will
//! not touch again, worker threads finish them (split, classify, discover variables), and the
//! results are put back in document order. Each draft is finished on its own (pure, no shared
//! state), so the result is the same whatever the number of threads.
//!
//! Small runbooks never start a thread: below [`PARALLEL_FROM`] drafts one thread is faster.

use super::Step;
use super::build::{Draft, finish_one};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

/// Below this many drafts one thread is faster than starting others.
pub(super) const PARALLEL_FROM: usize = 256;

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

/// Finished steps of one batch, with the batch's start.
type Done = (usize, Vec<Step>);

/// Where the workers take batches from; it outlives the thread scope.
pub(super) struct Queue<'a> {
    rx: Mutex<Receiver<Batch<'a>>>,
}

impl<'a> Queue<'a> {
    /// The queue and its only sender (for [`Pool::new`]).
    pub(super) fn new() -> (Queue<'a>, Sender<Batch<'a>>) {
        let (tx, rx) = channel();
        (Queue { rx: Mutex::new(rx) }, tx)
    }

    /// The next batch, or `None` once every sender is gone and the queue is empty.
    fn next(&self) -> Option<Batch<'a>> {
        self.rx.lock().ok()?.recv().ok()
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
    workers: Vec<ScopedJoinHandle<'scope, Vec<Done>>>,
    /// Whether starting the workers was tried (a thread that cannot start is not retried).
    started: bool,
    /// Batches finished on the calling thread.
    done: Vec<Done>,
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
            done: Vec::new(),
        }
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
            self.done.push(finish_batch(batch));
        }
    }

    fn start_workers(&mut self) {
        for _ in 1..self.threads {
            let queue = self.queue;
            let handle = std::thread::Builder::new()
                .name("runbook-parse".into())
                .spawn_scoped(self.scope, move || {
                    let mut done = Vec::new();
                    while let Some(batch) = queue.next() {
                        done.push(finish_batch(batch));
                    }
                    done
                });
            // A thread that cannot start leaves its share to the others and to this thread.
            if let Ok(handle) = handle {
                self.workers.push(handle);
            }
        }
    }

    /// Finishes the drafts left after the walk (runs of consecutive drafts with the index of
    /// their first), with the workers when they run or when there are many, and returns every
    /// step in document order.
    pub(super) fn finish(
        mut self,
        rest: Vec<(usize, Vec<Draft<'a>>)>,
        book_title: &str,
    ) -> Vec<Step> {
        let book_title: Arc<str> = book_title.into();
        let left: usize = rest.iter().map(|(_, drafts)| drafts.len()).sum();
        let parallel = !self.workers.is_empty() || left >= PARALLEL_FROM;
        for (start, drafts) in rest {
            if !parallel {
                self.done.push(finish_batch(Batch {
                    start,
                    drafts,
                    book_title: book_title.clone(),
                }));
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
                self.done.push(finish_batch(batch));
            }
        }
        let mut from_workers = Vec::new();
        for handle in std::mem::take(&mut self.workers) {
            // A panic in a worker is a parser bug; re-raise it rather than lose steps silently.
            from_workers.extend(
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        self.merge(from_workers)
    }

    fn merge(mut self, mut more: Vec<Done>) -> Vec<Step> {
        more.append(&mut self.done);
        if let [(_, only)] = more.as_mut_slice() {
            return std::mem::take(only);
        }
        more.sort_unstable_by_key(|(start, _)| *start);
        let total = more.iter().map(|(_, steps)| steps.len()).sum();
        let mut steps = Vec::with_capacity(total);
        for (_, batch) in more {
            steps.extend(batch);
        }
        steps
    }
}

fn finish_batch(batch: Batch<'_>) -> Done {
    let start = batch.start;
    let steps = batch
        .drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| finish_one(start + i + 1, d, &batch.book_title))
        .collect();
    (start, steps)
}

#[cfg(test)]
#[path = "pool_tests.rs"]
mod tests;
