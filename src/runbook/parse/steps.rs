//! The walker's steps: task items (checks) and code blocks, and where each one belongs.

use super::text::{fence_is_closed, prose};
use super::{Container, Walker};
use crate::runbook::build::{Block, Draft};
use crate::runbook::pool::Batch;
use crate::runbook::{StepKind, Warning};
use pulldown_cmark::CodeBlockKind;
use std::ops::Range;

impl<'a> Walker<'a> {
    pub(super) fn task_marker(&mut self, checked: bool) {
        let depth = self.task_ancestors().count();
        let parent = self.nearest_task();
        let section = self.section_path();
        let Some(pos) = self
            .frames
            .iter()
            .rposition(|f| matches!(f.container, Container::Item { .. }))
        else {
            return;
        };
        let index = self.drafts.len();
        let Container::Item { task, line, .. } = &mut self.frames[pos].container else {
            return;
        };
        if task.is_some() {
            return;
        }
        *task = Some(index);
        let line = *line;
        let mut draft = Draft::new(StepKind::Check, line, section);
        draft.depth = depth;
        draft.parent = parent;
        draft.checked = checked;
        draft.context = prose(self.src, self.context_from, self.line_start(line));
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
    pub(super) fn take_sealed(&mut self, min: usize) -> Option<Batch> {
        let oldest_open = self.frames.iter().find_map(|f| match f.container {
            Container::Item { task, .. } => task,
            _ => None,
        });
        self.drafts.take_sealed(oldest_open, min)
    }

    pub(super) fn section_path(&self) -> Vec<String> {
        self.headings.iter().map(|(_, t)| t.clone()).collect()
    }

    pub(super) fn line_start(&self, line: usize) -> usize {
        self.lines.start(line).unwrap_or(self.src.len())
    }

    pub(super) fn begin_code(&mut self, kind: CodeBlockKind<'a>, range: Range<usize>) {
        let line = self.lines.line(range.start);
        let (info, fenced) = match kind {
            CodeBlockKind::Fenced(info) => (info.into_string(), true),
            CodeBlockKind::Indented => (String::new(), false),
        };
        if fenced && !fence_is_closed(&self.src[range.clone()]) {
            self.warnings.push(Warning {
                line,
                message: "unterminated code fence".to_string(),
            });
        }
        let prev = self.frames.last_mut().and_then(|f| f.last_para.take());
        let mut block = Block::new(info, line, range.start, prev);
        block.content.reserve(range.len());
        self.code = Some(block);
    }

    pub(super) fn close_code(&mut self, range: Range<usize>) {
        let Some(mut block) = self.code.take() else {
            return;
        };
        if block.content.is_empty() {
            block.first_line = block.line + 1;
        }
        if let Some(draft) = self.nearest_task().and_then(|i| self.drafts.get_mut(i)) {
            draft.blocks.push(block);
        } else {
            // The paragraph is only needed as the title: moved, not copied.
            let title = block.prev_para.take().or_else(|| {
                let item_para = self.frames.iter().rev().find_map(|f| match &f.container {
                    Container::Item { first_para, .. } => Some(first_para.clone()),
                    _ => None,
                });
                item_para
                    .flatten()
                    .or_else(|| self.headings.last().map(|(_, t)| t.clone()))
            });
            let title = title.unwrap_or_default();
            let mut draft = Draft::new(StepKind::Command, block.line, self.section_path());
            draft.title = title;
            draft.context = prose(self.src, self.context_from, block.offset);
            draft.blocks.push(block);
            self.drafts.push(draft);
        }
        self.clear_last_para();
        self.context_from = range.end;
    }
}
