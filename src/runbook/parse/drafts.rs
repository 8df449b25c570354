//! The walker's drafts, addressed by their index in the document, and the runs of drafts that
//! are sealed: nothing the walker reads later can change them, so they can be finished while
//! the walk goes on.
//!
//! A draft is sealed once a later draft exists (an `Expected:` paragraph attaches to the last
//! step) and no task item that owns it is still open (nested blocks, titles and expectations
//! go to open task items). Drafts before the first heading fall back to the book's title,
//! which is only known at the end: they are held back.

use crate::runbook::build::Draft;
use crate::runbook::pool::Batch;
use std::sync::Arc;

#[derive(Default)]
pub(in crate::runbook) struct Drafts<'a> {
    /// Sealed drafts without a section (a prefix of the document), finished at the end.
    held: Vec<Draft<'a>>,
    /// Index of `open[0]`: every draft before it was handed over or held.
    base: usize,
    open: Vec<Draft<'a>>,
}

impl<'a> Drafts<'a> {
    /// How many drafts there are in all.
    pub(super) fn len(&self) -> usize {
        self.base + self.open.len()
    }

    /// Room for `drafts` more.
    pub(super) fn reserve(&mut self, drafts: usize) {
        self.open.reserve(drafts);
    }

    pub(super) fn push(&mut self, draft: Draft<'a>) {
        self.open.push(draft);
    }

    /// The draft at `index`, unless it was sealed and handed over.
    pub(super) fn get_mut(&mut self, index: usize) -> Option<&mut Draft<'a>> {
        self.open.get_mut(index.checked_sub(self.base)?)
    }

    pub(super) fn last_mut(&mut self) -> Option<&mut Draft<'a>> {
        self.open.last_mut()
    }

    /// Drafts not yet handed over (held or open).
    pub(super) fn unsealed_len(&self) -> usize {
        self.open.len()
    }

    /// The sealed drafts before `bound` (the oldest open task item's index, if any), once at
    /// least `min` of them are ready.
    pub(super) fn take_sealed(&mut self, bound: Option<usize>, min: usize) -> Option<Batch<'a>> {
        let last = self.len().checked_sub(1)?;
        let end = bound.map_or(last, |b| b.min(last));
        let count = end.checked_sub(self.base)?;
        if count < min {
            return None;
        }
        let held = self
            .open
            .iter()
            .take(count)
            .take_while(|d| d.section.is_empty())
            .count();
        self.held.extend(self.open.drain(..held));
        self.base += held;
        let start = self.base;
        let drafts: Vec<Draft<'a>> = self.open.drain(..count - held).collect();
        self.base += drafts.len();
        (!drafts.is_empty()).then(|| Batch {
            start,
            drafts,
            book_title: Arc::from(""),
        })
    }

    /// Every draft, in order, from a walk that handed none over.
    pub(super) fn into_all(self) -> Vec<Draft<'a>> {
        debug_assert_eq!(self.base, self.held.len(), "nothing was handed over");
        if self.held.is_empty() {
            return self.open;
        }
        let mut all = self.held;
        all.extend(self.open);
        all
    }

    /// Every draft not handed over, as runs of consecutive drafts: (start, drafts).
    pub(super) fn into_rest(self) -> Vec<(usize, Vec<Draft<'a>>)> {
        // Held drafts are the document's first ones: they start at 0.
        [(0, self.held), (self.base, self.open)]
            .into_iter()
            .filter(|(_, drafts)| !drafts.is_empty())
            .collect()
    }
}
