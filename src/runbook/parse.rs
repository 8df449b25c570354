//! pulldown-cmark events → steps: task items, code blocks (nested at any depth, in blockquotes),
//! titles from the surrounding paragraphs, sections from headings.
//!
//! The walker keeps a stack of containers (document, list items, blockquotes). A code block belongs
//! to the innermost enclosing task item, else it is a step of its own; its title comes from the
//! paragraph directly before it in the same container, else from the list item around it, else
//! from the nearest heading.

use super::build::Block;
use super::frontmatter;
use super::{Runbook, Section, StepKind, Warning};
use drafts::Drafts;
use pulldown_cmark::{Event, MetadataBlockKind, Options, Tag, TagEnd};
use std::ops::Range;
use std::sync::Arc;
use text::{LineCursor, collapse_into, expected_text};

mod chunks;
mod cuts;
mod drafts;
mod first_pass;
mod links;
mod steps;
mod streaming;
mod text;

#[cfg(test)]
pub(in crate::runbook) use streaming::parse as parse_streaming;

/// The pulldown-cmark extensions the walker reads.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS)
    .union(Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS);

/// Parses markdown text into a runbook. Never panics. The title falls back to `"Runbook"`.
pub fn parse(text: &str) -> Runbook {
    parse_titled(text, "Runbook")
}

/// Parses markdown text; `fallback_title` (usually the file stem) is used when the file has
/// neither an H1 nor a front-matter title.
pub fn parse_titled(text: &str, fallback_title: &str) -> Runbook {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    parse_with_threads(text, fallback_title, threads)
}

/// [`parse_titled`] on at most `threads` threads (the result does not depend on it; one thread
/// is the reference the tests compare with, and what profilers read most easily).
///
/// A large document is cut at headings into chunks walked and finished on all threads (see
/// [`chunks`]); one that cannot be cut is walked on this thread while other threads finish
/// its steps.
pub fn parse_with_threads(text: &str, fallback_title: &str, threads: usize) -> Runbook {
    if threads > 1
        && let Some(book) = chunks::parse(text, fallback_title, threads)
    {
        return book;
    }
    streaming::parse(text, fallback_title, threads)
}

#[derive(Debug)]
enum Container {
    Document,
    Quote,
    List,
    Item {
        /// Index into `drafts` when this item is a task item.
        task: Option<usize>,
        /// The item's first paragraph (or its tight text); empty for a task item, whose text
        /// went to its check's title.
        first_para: Option<String>,
        line: usize,
        /// Byte offset where the item starts.
        offset: usize,
    },
}

#[derive(Debug)]
struct Frame {
    container: Container,
    /// Text of the previous sibling block when it was a paragraph.
    last_para: Option<String>,
}

/// What inline text is being collected for.
#[derive(Debug, PartialEq)]
enum Capture {
    None,
    Paragraph,
    /// Text directly inside a tight list item.
    ItemText,
    Heading(u8),
    Metadata(bool),
}

struct Walker<'a> {
    src: &'a str,
    lines: LineCursor<'a>,
    frames: Vec<Frame>,
    capture: Capture,
    text: String,
    /// A paragraph buffer to reuse: most paragraphs are dropped unread.
    spare: String,
    code: Option<Code<'a>>,
    headings: Vec<(u8, String)>,
    /// The titles of `headings`, shared by the drafts of the current section.
    section: Arc<[String]>,
    sections: Vec<Section>,
    drafts: Drafts<'a>,
    meta: super::Meta,
    first_h1: Option<String>,
    warnings: Vec<Warning>,
    /// Where the prose before the next step starts (for the step's context text).
    context_from: usize,
    /// Drafts before this index are in an earlier section: an `Expected:` paragraph does not
    /// reach back over a heading.
    expect_from: usize,
    /// Every section made, with the lowest heading level of its path (for [`chunks`], which
    /// completes the paths of a chunk with the headings of the chunks before it); `None` when
    /// nobody needs them.
    levels: Option<Vec<(Arc<[String]>, u8)>>,
}

/// The code block being read, with the paragraph before it.
struct Code<'a> {
    block: Block<'a>,
    prev_para: Option<String>,
    /// The span of the file the content is so far, while its pieces are contiguous there.
    span: Option<Range<usize>>,
}

impl<'a> Walker<'a> {
    fn new(src: &'a str) -> Walker<'a> {
        Walker::at(src, 0, 1)
    }

    /// A walker of `src` from byte `offset`, which is on line `line`.
    fn at(src: &'a str, offset: usize, line: usize) -> Walker<'a> {
        Walker {
            src,
            lines: LineCursor::at(src, offset, line),
            frames: vec![Frame {
                container: Container::Document,
                last_para: None,
            }],
            capture: Capture::None,
            text: String::new(),
            spare: String::new(),
            code: None,
            headings: Vec::new(),
            section: Arc::new([]),
            sections: Vec::new(),
            drafts: Drafts::default(),
            meta: super::Meta::default(),
            first_h1: None,
            warnings: Vec::new(),
            context_from: offset,
            expect_from: 0,
            levels: None,
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(t) => {
                if self.code.is_some() {
                    self.code_text(&t, range);
                } else if self.capture != Capture::None {
                    self.text.push_str(&t);
                }
            }
            Event::Code(t) => self.text.push_str(&t),
            // `Restart <pod-name>`: markdown reads the placeholder as an HTML tag.
            Event::InlineHtml(t)
                if self.capture != Capture::None
                    && crate::runbook::vars::is_placeholder_token(&t) =>
            {
                self.text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            Event::TaskListMarker(checked) => self.task_marker(checked),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        let is_block = matches!(
            tag,
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::MetadataBlock(_)
        );
        if is_block && self.capture == Capture::ItemText {
            self.close_paragraph();
        }
        match tag {
            Tag::Paragraph => self.begin_capture(Capture::Paragraph),
            Tag::Heading { level, .. } => self.begin_capture(Capture::Heading(level as u8)),
            Tag::MetadataBlock(kind) => {
                self.begin_capture(Capture::Metadata(kind == MetadataBlockKind::PlusesStyle));
            }
            Tag::BlockQuote(_) => self.push(Container::Quote),
            Tag::List(_) => self.push(Container::List),
            Tag::Item => {
                let line = self.lines.line(range.start);
                self.push(Container::Item {
                    task: None,
                    first_para: None,
                    line,
                    offset: range.start,
                });
                self.begin_capture(Capture::ItemText);
            }
            Tag::CodeBlock(kind) => self.begin_code(kind, range),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Paragraph => self.close_paragraph(),
            TagEnd::Heading(_) => self.close_heading(range),
            TagEnd::MetadataBlock(_) => self.close_metadata(range),
            TagEnd::BlockQuote(_) | TagEnd::List(_) => self.pop(),
            TagEnd::Item => {
                if self.capture == Capture::ItemText {
                    self.close_paragraph();
                }
                if matches!(
                    self.frames.last(),
                    Some(Frame {
                        container: Container::Item { task: Some(_), .. },
                        ..
                    })
                ) {
                    self.context_from = range.end;
                }
                self.pop();
            }
            TagEnd::CodeBlock => self.close_code(range),
            TagEnd::HtmlBlock | TagEnd::Table | TagEnd::FootnoteDefinition => {
                self.clear_last_para()
            }
            _ => {}
        }
    }

    fn push(&mut self, container: Container) {
        self.clear_last_para();
        self.frames.push(Frame {
            container,
            last_para: None,
        });
    }

    fn pop(&mut self) {
        if self.frames.len() > 1 {
            self.frames.pop();
        }
        self.clear_last_para();
    }

    fn clear_last_para(&mut self) {
        if let Some(frame) = self.frames.last_mut()
            && let Some(para) = frame.last_para.take()
        {
            self.spare = para;
        }
    }

    fn begin_capture(&mut self, capture: Capture) {
        self.capture = capture;
        self.text.clear();
    }

    /// The collected text, whitespace collapsed, in a reused buffer.
    fn take_text(&mut self) -> String {
        self.capture = Capture::None;
        let mut out = std::mem::take(&mut self.spare);
        collapse_into(&self.text, &mut out);
        self.text.clear();
        out
    }

    /// Ends a paragraph (or an item's tight text): it becomes the container's `last_para`, the
    /// item's first paragraph, a check's title, or an `Expected:` line.
    fn close_paragraph(&mut self) {
        let text = self.take_text();
        if text.is_empty() {
            self.spare = text;
            return;
        }
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let mut is_first = false;
        if let Container::Item {
            task, first_para, ..
        } = &mut frame.container
            && first_para.is_none()
        {
            is_first = true;
            if let Some(index) = *task
                && let Some(draft) = self.drafts.get_mut(index)
            {
                // Blocks in a task item belong to its check and never take a paragraph as
                // their title: the text is the check's title only.
                *first_para = Some(String::new());
                draft.title = text;
                draft.title_in_context = true;
                return;
            }
            *first_para = Some(text.clone());
        }
        if let Some(rest) = expected_text(&text) {
            let item_is_plain = matches!(frame.container, Container::Item { task: None, .. });
            if is_first || !item_is_plain {
                if let Some(draft) = self.nearest_task().and_then(|i| self.drafts.get_mut(i)) {
                    draft.expect.push(rest.to_string());
                    self.spare = text;
                    return;
                }
                if self.drafts.len() > self.expect_from
                    && let Some(last) = self.drafts.last_mut()
                    && last.kind != StepKind::Check
                {
                    last.expect.push(rest.to_string());
                    self.spare = text;
                    return;
                }
            }
        }
        if let Some(frame) = self.frames.last_mut()
            && let Some(old) = frame.last_para.replace(text)
        {
            self.spare = old;
        }
    }

    fn close_heading(&mut self, range: Range<usize>) {
        let Capture::Heading(level) = self.capture else {
            self.take_text();
            return;
        };
        let title = self.take_text();
        let line = self.lines.line(range.start);
        if level == 1 && self.first_h1.is_none() && !title.is_empty() {
            self.first_h1 = Some(title.clone());
        }
        while self.headings.last().is_some_and(|(l, _)| *l >= level) {
            self.headings.pop();
        }
        self.headings.push((level, title.clone()));
        self.section = self.headings.iter().map(|(_, t)| t.clone()).collect();
        if let Some(levels) = &mut self.levels {
            // Each heading pops the deeper ones: the first of the path has the lowest level.
            levels.push((self.section.clone(), self.headings[0].0));
        }
        self.expect_from = self.drafts.len();
        self.sections.push(Section { level, title, line });
        self.clear_last_para();
        self.context_from = range.end;
    }

    fn close_metadata(&mut self, range: Range<usize>) {
        let Capture::Metadata(toml_style) = self.capture else {
            return;
        };
        let text = std::mem::take(&mut self.text);
        self.capture = Capture::None;
        self.context_from = range.end;
        // pulldown-cmark takes a `---` … `---` block anywhere for metadata; front matter is
        // the one at the top of the file.
        if range.start != 0 {
            return;
        }
        match frontmatter::parse(&text, toml_style) {
            Ok(meta) => self.meta = meta,
            Err(message) => self.warnings.push(Warning {
                line: self.lines.line(range.start),
                message: format!("front matter ignored: {message}"),
            }),
        }
    }
}
