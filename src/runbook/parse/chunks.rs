//! Large documents parsed on all cores. The document is cut at top-level headings (see
//! [`super::cuts`]); each thread takes the next chunk, walks it with a pulldown-cmark parser
//! of its own and finishes its steps. What a chunk cannot know by itself comes from the chunks
//! before it as soon as they are walked: the headings above its first one (the start of its
//! steps' section paths) and how many steps come before it (their numbers).
//!
//! The result is the one the walk of the whole document gives (`parse_with_threads(.., 1)`):
//! the walk of a chunk reads the first line of the next one too and checks that it is a
//! heading at the top level. When a cut is not, or when references may expand past
//! pulldown-cmark's limit (see [`super::links`]), [`parse`] gives up and the caller parses the
//! document in one piece.
//!
//! A reference in one chunk may be defined in another: when the document defines any, every
//! chunk's first pass is made before the walks start ([`super::first_pass`]). Otherwise the
//! thread that walks a chunk makes its parser too.

use super::Walker;
use super::first_pass::{Parsed, Span, Spans, first_pass, parse_chunks};
use super::links::{self, Links, Stats};
use crate::runbook::build::{Draft, finish_one};
use crate::runbook::{Meta, Runbook, Section, Step, Warning};
use joined::Joined;
use pulldown_cmark::{Event, Tag};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// The smallest chunk worth a parser of its own (documents below twice this size are parsed in
/// one piece).
const MIN_CHUNK: usize = 32 * 1024;

/// Chunks per thread: several, so that threads that get cheaper chunks take more of them.
const CHUNKS_PER_THREAD: usize = 32;

/// A heading path as a stack of (level, title).
type Headings = Vec<(u8, String)>;

/// Parses `text` in chunks on `threads` threads; `None` when it is too small to cut, has no
/// place to cut, or a cut turns out not to be safe.
pub(super) fn parse(text: &str, fallback_title: &str, threads: usize) -> Option<Runbook> {
    parse_sized(text, fallback_title, threads, MIN_CHUNK)
}

/// [`parse`] with chunks of at least `min_chunk` bytes (tests cut small documents often).
fn parse_sized(
    text: &str,
    fallback_title: &str,
    threads: usize,
    min_chunk: usize,
) -> Option<Runbook> {
    if text.len() < 2 * min_chunk {
        return None;
    }
    let every = (text.len() / (threads * CHUNKS_PER_THREAD)).max(min_chunk);
    let links = Links::default();
    // A definition is a label with a colon right after it: without `]:`, there is none.
    let (chunks, bound, stats) = if memchr::memmem::find(text.as_bytes(), b"]:").is_none() {
        let mut spans = Spans::new(text, every);
        // A document with no place to cut is parsed in one piece.
        let first = spans.next().filter(|(_, span)| span.stop.is_some())?;
        let chunks = Chunks::Cut {
            first: Some(first),
            spans: Box::new(spans),
            links: &links,
        };
        // Every chunk but the last is at least `every` bytes long.
        (chunks, text.len() / every + 1, Stats::default())
    } else {
        let parsed = parse_chunks(text, every, threads, &links)?;
        let stats = links.gather(parsed.iter().map(|p| p.parser.reference_definitions()));
        let count = parsed.len();
        (Chunks::Made(parsed.into_iter().enumerate()), count, stats)
    };
    let shared = Shared::new(chunks, bound, text.len());
    // Threads from rayon's pool, which outlive the parse: their allocators' memory is reused
    // from one parse to the next.
    rayon::in_place_scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| shared.work(text));
        }
        shared.work(text);
    });
    if shared.failed.load(Relaxed) {
        return None;
    }
    let chunks = shared
        .chunks
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let count = match chunks {
        Chunks::Made(_) => bound,
        Chunks::Cut { spans, .. } => spans.handed(),
    };
    let joined = shared.joined;
    let (references, expanded) = joined.links();
    if !joined.is_complete(count) || !stats.within_limit(references, expanded) {
        return None;
    }
    Some(joined.into_runbook(fallback_title))
}

/// Where the threads take the chunks' parsers from.
enum Chunks<'s, 'a> {
    /// Made beforehand, every chunk's first pass done: the document may define link
    /// references, which the walk of every chunk needs.
    Made(std::iter::Enumerate<std::vec::IntoIter<Parsed<'s, 'a>>>),
    /// Made by the thread that takes the chunk, which walks it right away: without link
    /// reference definitions a chunk needs nothing of the others, and a parser walked as soon
    /// as it is made is still in the cache and leaves its memory to the next one (making them
    /// all first held every chunk's tree at once: most of the parse's memory).
    Cut {
        /// The first chunk, found before the threads start.
        first: Option<(usize, Span)>,
        /// Boxed: the cut scan's state is large, and there is one per parse.
        spans: Box<Spans<'a>>,
        links: &'s Links,
    },
}

/// What the threads share while they walk the chunks.
struct Shared<'s, 'a> {
    /// The chunks, taken in order.
    chunks: Mutex<Chunks<'s, 'a>>,
    failed: AtomicBool,
    /// For each chunk once it is walked and the chunks before it are: the heading path at its
    /// end and how many drafts the document has up to its end.
    chain: Mutex<Vec<Option<(Headings, usize)>>>,
    walked: Condvar,
    joined: Joined<'a>,
}

impl<'s, 'a> Shared<'s, 'a> {
    /// Shared state for at most `bound` chunks of a `text_len`-byte document.
    fn new(chunks: Chunks<'s, 'a>, bound: usize, text_len: usize) -> Shared<'s, 'a> {
        Shared {
            chunks: Mutex::new(chunks),
            failed: AtomicBool::new(false),
            chain: Mutex::new(vec![None; bound]),
            walked: Condvar::new(),
            joined: Joined::new(bound, text_len),
        }
    }

    fn fail(&self) {
        // Under the lock, so that no thread starts waiting after the flag is set but before
        // the wake-up.
        let _chain = self.chain.lock().unwrap_or_else(PoisonError::into_inner);
        self.failed.store(true, Relaxed);
        self.walked.notify_all();
    }

    /// The next chunk and its index, its parser's first pass done.
    fn next(&self, text: &'a str) -> Option<(usize, Parsed<'s, 'a>)> {
        let mut chunks = self.chunks.lock().unwrap_or_else(PoisonError::into_inner);
        let (k, span, links) = match &mut *chunks {
            Chunks::Made(parsed) => return parsed.next(),
            Chunks::Cut {
                first,
                spans,
                links,
            } => {
                let (k, span) = first.take().or_else(|| spans.next())?;
                (k, span, *links)
            }
        };
        // The first pass runs while the other threads take their chunks.
        drop(chunks);
        let parsed = first_pass(text, span, links);
        if parsed.is_none() {
            self.fail();
        }
        Some((k, parsed?))
    }

    /// Waits for chunk `k - 1`, then records chunk `k`; returns the heading path above chunk
    /// `k` and the number of drafts before it (`None` once the parse has failed).
    fn resolve(&self, k: usize, walked: &Walked<'_>) -> Option<(Headings, usize)> {
        let mut chain = self.chain.lock().unwrap_or_else(PoisonError::into_inner);
        let (entry, before) = loop {
            if self.failed.load(Relaxed) {
                return None;
            }
            match k.checked_sub(1) {
                None => break (Vec::new(), 0),
                Some(prev) => {
                    if let Some(done) = chain.get(prev)?.as_ref() {
                        break done.clone();
                    }
                }
            }
            chain = self
                .walked
                .wait(chain)
                .unwrap_or_else(PoisonError::into_inner);
        };
        let end = path_after(&entry, &walked.headings);
        *chain.get_mut(k)? = Some((end, before + walked.drafts.len()));
        self.walked.notify_all();
        Some((entry, before))
    }

    /// A thread's work: the next chunk, until there is none or the parse fails.
    fn work(&self, text: &'a str) {
        while !self.failed.load(Relaxed) {
            let Some((k, parsed)) = self.next(text) else {
                return;
            };
            let end = parsed.span.end;
            let Some(walked) = walk(text, parsed) else {
                self.fail();
                return;
            };
            let Some((entry, before)) = self.resolve(k, &walked) else {
                return;
            };
            let out = finish(walked, &entry, before);
            self.joined.add(k, out, end);
        }
    }
}

/// What the walk of one chunk gives.
struct Walked<'a> {
    drafts: Vec<Draft<'a>>,
    levels: Vec<(Arc<[String]>, u8)>,
    /// The heading path at the chunk's end, as far as the chunk knows it.
    headings: Headings,
    sections: Vec<Section>,
    warnings: Vec<Warning>,
    first_h1: Option<String>,
    meta: Meta,
    /// Links from references, and the bytes they expanded to (see [`links::Stats`]).
    references: usize,
    expanded: usize,
}

/// Walks one chunk's events; `None` when the cut after it is not a heading at the top level.
fn walk<'a>(text: &'a str, parsed: Parsed<'_, 'a>) -> Option<Walked<'a>> {
    let span = parsed.span;
    let mut walker = Walker::at(text, span.start, span.line);
    walker.levels = Some(Vec::new());
    // Dense runbooks hold a step every hundred bytes or so: the drafts grow once at most.
    walker.drafts.reserve((span.end - span.start) / 128);
    let mut valid = span.stop.is_none();
    let (mut references, mut expanded) = (0, 0);
    for (event, range) in parsed.parser.into_offset_iter() {
        let range = range.start + span.start..range.end + span.start;
        if let Event::Start(tag) = &event {
            if Some(range.start) == span.stop && matches!(tag, Tag::Heading { .. }) {
                valid = walker.frames.len() == 1 && walker.code.is_none();
                break;
            }
            if let Some(bytes) = links::expansion(tag) {
                references += 1;
                expanded += bytes;
            }
        }
        walker.event(event, range);
    }
    valid.then(|| Walked {
        drafts: walker.drafts.into_all(),
        levels: walker.levels.unwrap_or_default(),
        headings: walker.headings,
        sections: walker.sections,
        warnings: walker.warnings,
        first_h1: walker.first_h1,
        meta: walker.meta,
        references,
        expanded,
    })
}

/// The heading path after a chunk that starts below `entry` and ends with `local` (the path
/// it saw itself): a heading pops every deeper one, so `entry` keeps the levels above the
/// lowest level the chunk saw, which is that of the first entry of `local`.
fn path_after(entry: &[(u8, String)], local: &[(u8, String)]) -> Headings {
    let Some(&(lowest, _)) = local.first() else {
        return entry.to_vec();
    };
    let kept = entry.iter().take_while(|(level, _)| *level < lowest);
    kept.chain(local).cloned().collect()
}

/// A finished chunk.
struct Out<'a> {
    /// Drafts before the first heading (first chunk only): their fallback title is the book's,
    /// known once every chunk is walked.
    held: Vec<Draft<'a>>,
    steps: Vec<Step>,
    sections: Vec<Section>,
    warnings: Vec<Warning>,
    first_h1: Option<String>,
    meta: Meta,
    references: usize,
    expanded: usize,
}

/// Completes the chunk's section paths with `entry`, numbers its drafts after the `before`
/// drafts of the chunks before it, and finishes them.
fn finish<'a>(walked: Walked<'a>, entry: &[(u8, String)], before: usize) -> Out<'a> {
    let mut drafts = walked.drafts;
    complete_paths(&mut drafts, &walked.levels, entry);
    for draft in &mut drafts {
        draft.parent = draft.parent.map(|p| p + before);
    }
    let held_len = drafts.iter().take_while(|d| d.section.is_empty()).count();
    // Only the first chunk can hold drafts before any heading: the others are moved whole.
    let rest = if held_len == 0 {
        std::mem::take(&mut drafts)
    } else {
        drafts.split_off(held_len)
    };
    let mut scratch = String::new();
    let steps: Vec<Step> = rest
        .into_iter()
        .enumerate()
        .map(|(i, draft)| finish_one(before + held_len + i + 1, draft, "", &mut scratch))
        .collect();
    Out {
        held: drafts,
        steps,
        sections: walked.sections,
        warnings: walked.warnings,
        first_h1: walked.first_h1,
        meta: walked.meta,
        references: walked.references,
        expanded: walked.expanded,
    }
}

/// Puts the headings of `entry` that stand above each section of the chunk in front of its
/// path; drafts share the completed paths as they shared the chunk's.
fn complete_paths(
    drafts: &mut [Draft<'_>],
    levels: &[(Arc<[String]>, u8)],
    entry: &[(u8, String)],
) {
    if entry.is_empty() {
        return;
    }
    let completed: Vec<Option<Arc<[String]>>> = levels
        .iter()
        .map(|(path, lowest)| {
            let above = entry.iter().take_while(|(level, _)| level < lowest);
            let mut above = above.map(|(_, title)| title.clone()).peekable();
            above.peek()?;
            Some(above.chain(path.iter().cloned()).collect())
        })
        .collect();
    // Drafts come in document order, as do the sections they point to.
    let mut at = 0;
    for draft in drafts {
        let found = levels[at..]
            .iter()
            .position(|(path, _)| Arc::ptr_eq(path, &draft.section));
        if let Some(step) = found {
            at += step;
            if let Some(Some(path)) = completed.get(at) {
                draft.section = path.clone();
            }
        }
    }
}

#[path = "joined.rs"]
mod joined;

#[cfg(test)]
#[path = "chunks_tests.rs"]
mod tests;
