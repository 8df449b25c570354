//! The walker's steps: task items (checks) and code blocks, and where each one belongs.

use super::text::{fence_is_closed, line_start, prose};
use super::{Code, Container, Walker};
use crate::runbook::build::{Block, Draft};
use crate::runbook::pool::Batch;
use crate::runbook::{StepKind, Warning};
use pulldown_cmark::{CodeBlockKind, CowStr};
use std::borrow::Cow;
use std::ops::Range;

impl<'a> Walker<'a> {
    pub(super) fn task_marker(&mut self, checked: bool) {
        let depth = self.task_ancestors().count();
        let parent = self.nearest_task();
        let Some(pos) = self
            .frames
            .iter()
            .rposition(|f| matches!(f.container, Container::Item { .. }))
        else {
            return;
        };
        let index = self.drafts.len();
        let Container::Item {
            task, line, offset, ..
        } = &mut self.frames[pos].container
        else {
            return;
        };
        if task.is_some() {
            return;
        }
        *task = Some(index);
        let (line, offset) = (*line, *offset);
        let mut draft = Draft::new(StepKind::Check, line, self.section.clone());
        draft.depth = depth;
        draft.parent = parent;
        draft.checked = checked;
        draft.prose = prose(self.src, self.context_from, line_start(self.src, offset));
        self.drafts.push(draft);
    }

    pub(super) fn task_ancestors(&self) -> impl Iterator<Item = usize> + '_ {
        self.frames.iter().rev().filter_map(|f| match f.container {
            Container::Item { task, .. } => task,
            _ => None,
        })
    }

    pub(super) fn nearest_task(&self) -> Option<usize> {
        self.task_ancestors().next()
    }

    /// The sealed drafts, when at least `min` are ready: those before the oldest open task
    /// item (see [`super::drafts::Drafts`]).
    pub(super) fn take_sealed(&mut self, min: usize) -> Option<Batch<'a>> {
        let oldest_open = self.frames.iter().find_map(|f| match f.container {
            Container::Item { task, .. } => task,
            _ => None,
        });
        self.drafts.take_sealed(oldest_open, min)
    }

    pub(super) fn begin_code(&mut self, kind: CodeBlockKind<'a>, range: Range<usize>) {
        let line = self.lines.line(range.start);
        let (info, fenced) = match kind {
            CodeBlockKind::Fenced(CowStr::Borrowed(info)) => (Cow::Borrowed(info), true),
            CodeBlockKind::Fenced(info) => (Cow::Owned(info.into_string()), true),
            CodeBlockKind::Indented => (Cow::Borrowed(""), false),
        };
        if fenced && !fence_is_closed(self.src.get(range.clone()).unwrap_or_default()) {
            self.warnings.push(Warning {
                line,
                message: "unterminated code fence".to_string(),
            });
        }
        let prev_para = self.frames.last_mut().and_then(|f| f.last_para.take());
        self.code = Some(Code {
            block: Block::new(info, line, range.start),
            prev_para,
            span: None,
        });
    }

    /// A piece of the code block's text. Pieces that follow each other in the file (the lines
    /// of a fenced block at the top level) stay a slice of it; others are copied together.
    pub(super) fn code_text(&mut self, text: &CowStr<'a>, range: Range<usize>) {
        let Some(code) = self.code.as_mut() else {
            return;
        };
        let content = &mut code.block.content;
        if content.is_empty() {
            code.block.first_line = self.lines.line(range.start);
        }
        // The piece is the file's own text at `range` (not unescaped or re-indented).
        let verbatim = matches!(text, CowStr::Borrowed(t)
            if self.src.get(range.clone()).is_some_and(|s| std::ptr::eq(s, *t)));
        match (&mut code.span, content) {
            (span @ None, Cow::Borrowed(c)) if verbatim && c.is_empty() => {
                *c = &self.src[range.clone()];
                *span = Some(range);
            }
            (Some(span), Cow::Borrowed(c)) if verbatim && span.end == range.start => {
                span.end = range.end;
                *c = &self.src[span.clone()];
            }
            (span, content) => {
                *span = None;
                content.to_mut().push_str(text);
            }
        }
    }

    pub(super) fn close_code(&mut self, range: Range<usize>) {
        let Some(Code {
            mut block,
            prev_para,
            ..
        }) = self.code.take()
        else {
            return;
        };
        if block.content.is_empty() {
            block.first_line = block.line + 1;
        }
        if let Some(draft) = self.nearest_task().and_then(|i| self.drafts.get_mut(i)) {
            // Most checks hold one block: room for one, not the four a first push makes.
            draft.blocks.reserve_exact(1);
            draft.blocks.push(block);
        } else {
            // The paragraph is only needed as the title: moved, not copied.
            let title = prev_para.or_else(|| {
                self.frames.iter().rev().find_map(|f| match &f.container {
                    Container::Item { first_para, .. } => Some(first_para.clone()),
                    _ => None,
                })?
            });
            let mut draft = Draft::new(StepKind::Command, block.line, self.section.clone());
            match title {
                Some(title) => draft.title = title,
                // The heading's title is the section's last: taken when the step is finished.
                None => draft.title_from_heading = !self.headings.is_empty(),
            }
            draft.prose = prose(self.src, self.context_from, block.offset);
            draft.blocks = vec![block];
            self.drafts.push(draft);
        }
        self.clear_last_para();
        self.context_from = range.end;
    }
}
