//! The first half of the chunked parse of a document that defines link references: the
//! document is cut as the scan goes (see [`super::cuts`]) and each chunk's pulldown-cmark
//! parser is made on whichever thread is free.
//! Making a parser runs its first pass (block structure, link reference definitions); the
//! walk of the events (inline parsing) waits until every chunk's definitions are known.

use super::OPTIONS;
use super::cuts::{Cut, CutScan};
use super::links::{Links, Resolve};
use pulldown_cmark::Parser;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Mutex, PoisonError};

/// A chunk's parser: references it cannot resolve are looked up in the other chunks.
pub(super) type ChunkParser<'s, 'a> = Parser<'a, Resolve<'s>>;

/// A chunk with its parser, first pass done.
pub(super) struct Parsed<'s, 'a> {
    pub span: Span,
    pub parser: ChunkParser<'s, 'a>,
}

/// Cuts `text` into chunks of about `every` bytes and makes their parsers on `threads`
/// threads. `None` when there is nothing to cut, or when a chunk may hold footnotes (a
/// footnote reference is a link only where its definition is known).
pub(super) fn parse_chunks<'s, 'a>(
    text: &'a str,
    every: usize,
    threads: usize,
    links: &'s Links,
) -> Option<Vec<Parsed<'s, 'a>>> {
    let mut spans = Spans::new(text, every);
    // A document with no place to cut is parsed in one piece.
    let first = spans.next().filter(|(_, span)| span.stop.is_some())?;
    let state = State {
        first: Mutex::new(Some(first)),
        spans: Mutex::new(spans),
        failed: AtomicBool::new(false),
        parsed: Mutex::new((0..=text.len() / every.max(1)).map(|_| None).collect()),
    };
    rayon::in_place_scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| state.work(text, links));
        }
        state.work(text, links);
    });
    if state.failed.load(Relaxed) {
        return None;
    }
    let handed = state
        .spans
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .handed;
    let mut parsed = state
        .parsed
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    parsed.truncate(handed);
    parsed.into_iter().collect()
}

struct State<'s, 'a> {
    /// The first chunk, found before the threads start, for the first thread that asks.
    first: Mutex<Option<(usize, Span)>>,
    spans: Mutex<Spans<'a>>,
    failed: AtomicBool,
    parsed: Mutex<Vec<Option<Parsed<'s, 'a>>>>,
}

impl<'s, 'a> State<'s, 'a> {
    fn next(&self) -> Option<(usize, Span)> {
        let first = self
            .first
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        first.or_else(|| {
            self.spans
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .next()
        })
    }

    fn work(&self, text: &'a str, links: &'s Links) {
        while !self.failed.load(Relaxed) {
            let Some((k, span)) = self.next() else {
                return;
            };
            let Some(chunk) = first_pass(text, span, links) else {
                self.failed.store(true, Relaxed);
                return;
            };
            let mut parsed = self.parsed.lock().unwrap_or_else(PoisonError::into_inner);
            match parsed.get_mut(k) {
                Some(slot) => *slot = Some(chunk),
                None => self.failed.store(true, Relaxed),
            }
        }
    }
}

/// The parser of the chunk `span` of `text`, first pass done; `None` when the span is not
/// in the text, or when the chunk may hold footnotes (a footnote reference is a link only
/// where its definition is known).
pub(super) fn first_pass<'s, 'a>(
    text: &'a str,
    span: Span,
    links: &'s Links,
) -> Option<Parsed<'s, 'a>> {
    let src = text.get(span.start..span.end)?;
    if memchr::memmem::find(src.as_bytes(), b"[^").is_some() {
        return None;
    }
    let parser = Parser::new_with_broken_link_callback(src, OPTIONS, Some(Resolve { links }));
    Some(Parsed { span, parser })
}

/// A chunk: from `start` (on line `line`) to the cut `stop`, parsed up to `end`, the end of
/// the line at `stop` (the last chunk has no `stop` and ends with the text).
pub(super) struct Span {
    pub start: usize,
    pub line: usize,
    pub stop: Option<usize>,
    pub end: usize,
}

/// The chunks, in order, as the scan finds the cuts: the scan of the rest of the document
/// goes on while the first chunks are parsed.
pub(super) struct Spans<'a> {
    text: &'a str,
    scan: CutScan<'a>,
    every: usize,
    /// Where the next chunk starts; `None` once the last one is handed out.
    start: Option<Cut>,
    handed: usize,
}

impl<'a> Spans<'a> {
    pub(super) fn new(text: &'a str, every: usize) -> Spans<'a> {
        Spans {
            text,
            scan: CutScan::new(text),
            every: every.max(1),
            start: Some(Cut { offset: 0, line: 1 }),
            handed: 0,
        }
    }

    /// How many chunks were handed out.
    pub(super) fn handed(&self) -> usize {
        self.handed
    }

    /// The next chunk and its index.
    pub(super) fn next(&mut self) -> Option<(usize, Span)> {
        let start = self.start.take()?;
        let stop = self.scan.next_cut(start.offset + self.every);
        self.start = stop;
        let len = self.text.len();
        let end = stop.map_or(len, |cut| {
            let rest = &self.text.as_bytes()[cut.offset..];
            memchr::memchr(b'\n', rest).map_or(len, |p| cut.offset + p + 1)
        });
        let k = self.handed;
        self.handed += 1;
        Some((
            k,
            Span {
                start: start.offset,
                line: start.line,
                stop: stop.map(|cut| cut.offset),
                end,
            },
        ))
    }
}
