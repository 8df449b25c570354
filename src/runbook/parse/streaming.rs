//! The walk of a document in one piece, on this thread; sealed drafts are finished on the
//! other threads as it goes (see [`crate::runbook::pool`]). Every document can be parsed so;
//! [`super::chunks`] is faster for large ones it can cut.

use super::{OPTIONS, Walker};
use crate::runbook::Runbook;
use crate::runbook::pool::{BATCH, PARALLEL_FROM, Pool, Queue};
use pulldown_cmark::Parser;

/// The walk on this thread; sealed drafts are finished on the others as it goes.
pub(in crate::runbook) fn parse(text: &str, fallback_title: &str, threads: usize) -> Runbook {
    let (queue, tx) = Queue::new(text.len());
    std::thread::scope(|scope| {
        // Sealed drafts are finished on other threads while the walk goes on (large runbooks
        // only: the first hand-over waits for `PARALLEL_FROM` of them).
        let mut pool = Pool::new(scope, &queue, tx, threads);
        let mut walker = Walker::new(text);
        // One thread: nothing is handed over during the walk (the reference the pool must match).
        let mut min = if threads > 1 {
            PARALLEL_FROM
        } else {
            usize::MAX
        };
        let mut seen = 0;
        for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
            let range_end = range.end;
            walker.event(event, range);
            let len = walker.drafts.len();
            if len != seen && walker.drafts.unsealed_len() > min {
                seen = len;
                if let Some(batch) = walker.take_sealed(min) {
                    // The steps so far, scaled to the whole text.
                    let walked = range_end.max(1);
                    pool.expect(len.saturating_mul(text.len()) / walked + BATCH);
                    pool.submit(batch);
                    min = BATCH;
                }
            }
        }
        let mut book = Runbook {
            title: String::new(),
            source: String::new(),
            meta: walker.meta,
            sections: walker.sections,
            steps: Vec::new(),
            warnings: walker.warnings,
        };
        book.title = walker
            .first_h1
            .or_else(|| book.meta.title.clone())
            .unwrap_or_else(|| fallback_title.to_string());
        book.steps = pool.finish(walker.drafts.into_rest(), &book.title);
        book.warnings.sort_by_key(|w| w.line);
        book
    })
}
