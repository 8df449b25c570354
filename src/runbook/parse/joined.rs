//! The finished chunks of a chunked parse, joined in document order as they come in. The
//! thread that finishes a chunk leaves it here; one thread at a time appends the chunks that
//! are next in order to the runbook's steps and makes their ids unique, while the others go on
//! finishing chunks. Joining every chunk after the last one was finished left all the copying
//! and the ids to the end of the parse, with the other cores idle.

use super::Out;
use crate::runbook::build::{Draft, finish_one};
use crate::runbook::ids::UniqueIds;
use crate::runbook::{Meta, Runbook, Section, Step, Warning};
use std::sync::{Mutex, PoisonError};

pub(super) struct Joined<'a> {
    queue: Mutex<Queue<'a>>,
    /// What the chunks joined so far make; only the thread that appends holds it.
    sink: Mutex<Sink<'a>>,
}

/// The chunks finished but not yet joined.
struct Queue<'a> {
    /// By index, with the byte where each ends.
    waiting: Vec<Option<(Out<'a>, usize)>>,
    /// The index of the next chunk to join.
    next: usize,
    /// Whether a thread is appending chunks (it takes those that come in meanwhile too).
    appending: bool,
}

struct Sink<'a> {
    text_len: usize,
    steps: Vec<Step>,
    /// The ids given out so far, in document order.
    ids: UniqueIds,
    sections: Vec<Section>,
    warnings: Vec<Warning>,
    /// The drafts before the first heading (first chunk only). Their ids come first but are
    /// known only once the book's title is: when there are any, the ids are made unique at
    /// the end instead.
    held: Vec<Draft<'a>>,
    first_h1: Option<String>,
    meta: Meta,
    references: usize,
    expanded: usize,
}

impl<'a> Joined<'a> {
    /// Nothing joined yet of the chunks (at most `chunks`) of a `text_len`-byte document.
    pub fn new(chunks: usize, text_len: usize) -> Joined<'a> {
        Joined {
            queue: Mutex::new(Queue {
                waiting: (0..chunks).map(|_| None).collect(),
                next: 0,
                appending: false,
            }),
            sink: Mutex::new(Sink {
                text_len,
                steps: Vec::new(),
                ids: UniqueIds::default(),
                sections: Vec::new(),
                warnings: Vec::new(),
                held: Vec::new(),
                first_h1: None,
                meta: Meta::default(),
                references: 0,
                expanded: 0,
            }),
        }
    }

    /// Chunk `k`, finished, which ends at byte `end`. Unless another thread is appending
    /// (it will take this chunk in turn), appends it and the chunks after it that are ready.
    pub fn add(&self, k: usize, out: Out<'a>, end: usize) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = queue.waiting.get_mut(k) {
            *slot = Some((out, end));
        }
        if queue.appending {
            return;
        }
        queue.appending = true;
        loop {
            let mut ready = Vec::new();
            let q = &mut *queue;
            while let Some((out, end)) = q.waiting.get_mut(q.next).and_then(Option::take) {
                ready.push((q.next, out, end));
                q.next += 1;
            }
            if ready.is_empty() {
                queue.appending = false;
                return;
            }
            drop(queue);
            let mut sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
            for (k, out, end) in ready {
                sink.append(out, end, k == 0);
            }
            drop(sink);
            queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The references and the bytes they expanded to, over every chunk joined.
    pub fn links(&self) -> (usize, usize) {
        let sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        (sink.references, sink.expanded)
    }

    /// Whether the document's `chunks` chunks are all joined.
    pub fn is_complete(&self, chunks: usize) -> bool {
        let queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.next == chunks
    }

    /// The runbook, once every chunk is joined.
    pub fn into_runbook(self, fallback_title: &str) -> Runbook {
        self.sink
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into_runbook(fallback_title)
    }
}

impl<'a> Sink<'a> {
    fn append(&mut self, out: Out<'a>, end: usize, first: bool) {
        if first {
            self.held = out.held;
            self.meta = out.meta;
        }
        if self.first_h1.is_none() {
            self.first_h1 = out.first_h1;
        }
        self.reserve(out.steps.len(), end);
        let from = self.steps.len();
        self.steps.extend(out.steps);
        if self.held.is_empty() {
            self.ids.reserve(self.steps.len() - from);
            for step in &mut self.steps[from..] {
                self.ids.make_unique(&mut step.id);
            }
        }
        self.sections.extend(out.sections);
        self.warnings.extend(out.warnings);
        self.references += out.references;
        self.expanded += out.expanded;
    }

    /// Room for `more` steps, the last of which ends at byte `end`. When there is not enough,
    /// room for as many as the document holds at the density seen so far, and a quarter more:
    /// the steps are a third of the parse's memory, and growing them by doubling copied them
    /// all again.
    fn reserve(&mut self, more: usize, end: usize) {
        let needed = self.steps.len() + more;
        if needed <= self.steps.capacity() {
            return;
        }
        let estimate = needed.saturating_mul(self.text_len) / end.max(1);
        let total = estimate.saturating_add(estimate / 4).max(needed);
        self.steps.reserve_exact(total - self.steps.len());
    }

    fn into_runbook(mut self, fallback_title: &str) -> Runbook {
        let meta = std::mem::take(&mut self.meta);
        let title = self
            .first_h1
            .take()
            .or_else(|| meta.title.clone())
            .unwrap_or_else(|| fallback_title.to_string());
        let mut steps = self.steps;
        if !self.held.is_empty() {
            // Their fallback title is the book's, known only now; they come first.
            let mut scratch = String::new();
            let held: Vec<Step> = self
                .held
                .into_iter()
                .enumerate()
                .map(|(i, draft)| finish_one(i + 1, draft, &title, &mut scratch))
                .collect();
            steps.splice(0..0, held);
            let mut ids = UniqueIds::with_capacity(steps.len());
            for step in &mut steps {
                ids.make_unique(&mut step.id);
            }
        }
        // In place when the estimate was within twice the count (mimalloc shrinks a block
        // without moving it down to half its size).
        steps.shrink_to_fit();
        let mut warnings = self.warnings;
        warnings.sort_by_key(|w| w.line);
        Runbook {
            title,
            source: String::new(),
            meta,
            sections: self.sections,
            steps,
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Joined, Out};
    use crate::runbook::{Runbook, parse_with_threads};

    /// Chunk `k` of three, cut out of `book`'s steps and sections (ids not yet unique).
    fn out(book: &Runbook, k: usize) -> Out<'static> {
        let per = book.steps.len().div_ceil(3);
        let steps: Vec<_> = book.steps.iter().skip(k * per).take(per).cloned().collect();
        Out {
            held: Vec::new(),
            steps,
            sections: book.sections.get(k).cloned().into_iter().collect(),
            warnings: Vec::new(),
            first_h1: (k > 0).then(|| format!("H1 of chunk {k}")),
            meta: Default::default(),
            references: k,
            expanded: 10 * k,
        }
    }

    fn join(book: &Runbook, order: [usize; 3]) -> (Runbook, usize, usize) {
        let joined = Joined::new(3, 3000);
        for k in order {
            assert!(!joined.is_complete(3));
            joined.add(k, out(book, k), 1000 * (k + 1));
        }
        assert!(joined.is_complete(3));
        let (references, expanded) = joined.links();
        (joined.into_runbook("Fallback"), references, expanded)
    }

    #[test]
    fn chunks_finished_out_of_order_join_in_document_order() {
        let doc: String = (0..12)
            .map(|i| format!("## S{i}\n\n```bash\necho {}\n```\n\n", i % 4))
            .collect();
        let book = parse_with_threads(&doc, "T", 1);
        let (in_order, references, expanded) = join(&book, [0, 1, 2]);
        assert_eq!((references, expanded), (3, 30));
        for order in [[2, 0, 1], [1, 2, 0], [2, 1, 0]] {
            assert_eq!(join(&book, order).0, in_order, "{order:?}");
        }
        let ids: Vec<&str> = in_order.steps.iter().map(|s| s.id.as_str()).collect();
        let want: Vec<&str> = book.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids, want,
            "the copies get their suffixes as in the one-piece parse"
        );
        // The first chunk has no H1: the next one's is the book's title.
        assert_eq!(in_order.title, "H1 of chunk 1");
        let sections: Vec<&str> = in_order.sections.iter().map(|s| &*s.title).collect();
        assert_eq!(sections, ["S0", "S1", "S2"]);
    }
}
