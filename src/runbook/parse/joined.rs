//! The finished chunks of a chunked parse, joined in document order as they come in: the
//! thread that finishes a chunk appends it, and the finished chunks waiting behind it, to the
//! runbook's steps while the other threads go on finishing theirs. Joining every chunk after
//! the last one was finished copied all the steps on one thread while the others stood idle:
//! a sixth of the wall time of a 10 MB parse on two cores.

use super::Out;
use crate::runbook::build::{Draft, finish_one};
use crate::runbook::ids::{IdKeys, UniqueIds, make_unique_sorted};
use crate::runbook::{Meta, Runbook, Section, Step, Warning};

/// The chunks joined so far, and those finished before a chunk ahead of them.
pub(super) struct Joined<'a> {
    /// Finished chunks not yet joined, by index, with the byte where each ends.
    waiting: Vec<Option<(Out<'a>, usize)>>,
    /// The index of the next chunk to join.
    next: usize,
    text_len: usize,
    steps: Vec<Step>,
    keys: IdKeys,
    sections: Vec<Section>,
    warnings: Vec<Warning>,
    /// The drafts before the first heading (first chunk only).
    held: Vec<Draft<'a>>,
    first_h1: Option<String>,
    meta: Meta,
    pub references: usize,
    pub expanded: usize,
}

impl<'a> Joined<'a> {
    /// Nothing joined yet of the `chunks` chunks of a `text_len`-byte document.
    pub fn new(chunks: usize, text_len: usize) -> Joined<'a> {
        Joined {
            waiting: (0..chunks).map(|_| None).collect(),
            next: 0,
            text_len,
            steps: Vec::new(),
            keys: IdKeys::default(),
            sections: Vec::new(),
            warnings: Vec::new(),
            held: Vec::new(),
            first_h1: None,
            meta: Meta::default(),
            references: 0,
            expanded: 0,
        }
    }

    /// Chunk `k`, finished, which ends at byte `end`: joined now if the chunks before it are,
    /// along with the chunks after it that were waiting for it.
    pub fn add(&mut self, k: usize, out: Out<'a>, end: usize) {
        if let Some(slot) = self.waiting.get_mut(k) {
            *slot = Some((out, end));
        }
        while let Some((out, end)) = self.waiting.get_mut(self.next).and_then(Option::take) {
            self.append(out, end);
            self.next += 1;
        }
    }

    /// Whether every chunk is joined.
    pub fn is_complete(&self) -> bool {
        self.next == self.waiting.len()
    }

    fn append(&mut self, out: Out<'a>, end: usize) {
        if self.next == 0 {
            self.held = out.held;
            self.meta = out.meta;
        }
        if self.first_h1.is_none() {
            self.first_h1 = out.first_h1;
        }
        self.reserve(out.steps.len(), end);
        self.steps.extend(out.steps);
        self.keys.append(out.keys);
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

    /// The runbook, once every chunk is joined.
    pub fn into_runbook(mut self, fallback_title: &str) -> Runbook {
        let meta = std::mem::take(&mut self.meta);
        let title = self
            .first_h1
            .take()
            .or_else(|| meta.title.clone())
            .unwrap_or_else(|| fallback_title.to_string());
        let mut steps = self.steps;
        let mut keys = self.keys;
        if !self.held.is_empty() {
            // Their fallback title is the book's, known only now; they come first.
            let mut scratch = String::new();
            let held: Vec<Step> = self
                .held
                .into_iter()
                .enumerate()
                .map(|(i, draft)| finish_one(i + 1, draft, &title, &mut scratch))
                .collect();
            let mut front = IdKeys::with_capacity(held.len() + steps.len());
            held.iter().for_each(|s| front.push(&s.id));
            front.append(keys);
            keys = front;
            steps.splice(0..0, held);
        }
        if !make_unique_sorted(&mut steps, &keys) {
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
    use crate::runbook::ids::IdKeys;
    use crate::runbook::{Runbook, parse_with_threads};

    /// Chunk `k` of three, cut out of `book`'s steps and sections (ids not yet unique).
    fn out(book: &Runbook, k: usize) -> Out<'static> {
        let per = book.steps.len().div_ceil(3);
        let steps: Vec<_> = book.steps.iter().skip(k * per).take(per).cloned().collect();
        let mut keys = IdKeys::with_capacity(steps.len());
        steps.iter().for_each(|s| keys.push(&s.id));
        Out {
            held: Vec::new(),
            steps,
            keys,
            sections: book.sections.get(k).cloned().into_iter().collect(),
            warnings: Vec::new(),
            first_h1: (k > 0).then(|| format!("H1 of chunk {k}")),
            meta: Default::default(),
            references: k,
            expanded: 10 * k,
        }
    }

    fn join(book: &Runbook, order: [usize; 3]) -> (Runbook, usize, usize) {
        let mut joined = Joined::new(3, 3000);
        for k in order {
            assert!(!joined.is_complete());
            joined.add(k, out(book, k), 1000 * (k + 1));
        }
        assert!(joined.is_complete());
        let (references, expanded) = (joined.references, joined.expanded);
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
