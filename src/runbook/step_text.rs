//! Where a finished step's strings go in its one buffer (see [`super::Text`]).
//!
//! [`super::build::finish_one`] writes the step's strings into a scratch `String` in two
//! steps: first the code and the context, whose ranges it keeps, then every other string in a
//! fixed order ([`Parts::write`], [`Parts::copy`]). Once the buffer is frozen into an
//! `Arc<str>` it goes over the same strings in the same order ([`Parts::range`],
//! [`Parts::copied`]) to find where each one went, so that no list of ranges is built. A
//! string that is a slice of one of the step's blocks (command texts and labels, session
//! output) is not written again: it points into the code.

use super::build::Block;
use std::ops::Range;

/// A block's content as it appears in the step's code: without its final newline.
pub fn trimmed(content: &str) -> &str {
    content.strip_suffix('\n').unwrap_or(content)
}

/// Appends the step's code to `buf`: its blocks' contents, each without its final newline,
/// joined with `\n`; `None` when it has no block.
pub fn push_code(buf: &mut String, blocks: &[Block<'_>]) -> Option<Range<usize>> {
    let start = buf.len();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            buf.push('\n');
        }
        buf.push_str(trimmed(&block.content));
    }
    (!blocks.is_empty()).then_some(start..buf.len())
}

/// Where the step's clean title goes: into its context when the context ends with it (a check's
/// own title text ends its context; the paragraph a block's title comes from usually ends the
/// prose before it), give or take markup and a `:`; else appended, with its `…` when `cut`.
pub fn push_title(buf: &mut String, context: Range<usize>, title: &str, cut: bool) -> Range<usize> {
    if !cut {
        let context_text = buf.get(context.clone()).unwrap_or_default();
        // ASCII bytes only: the cut falls on a char boundary, and a tail of other white space
        // merely misses the match (the title is copied then).
        let end = context_text
            .bytes()
            .rposition(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b':' | b'*' | b'_' | b'`'))
            .map_or(0, |p| p + 1);
        let tail = &context_text[..end];
        if tail.ends_with(title) {
            let end = context.start + tail.len();
            return end - title.len()..end;
        }
    }
    let from = buf.len();
    buf.push_str(title);
    if cut {
        buf.push('…');
    }
    from..buf.len()
}

/// Where `part` starts in `outer`, when it is a slice of it (the same bytes in memory, not
/// only equal ones).
pub fn offset_in(outer: &str, part: &str) -> Option<usize> {
    // Addresses only, never dereferenced: both strings are alive, so a part that starts in
    // `outer` and fits in it is one of its slices.
    let offset = (part.as_ptr() as usize).wrapping_sub(outer.as_ptr() as usize);
    (offset <= outer.len() && part.len() <= outer.len() - offset).then_some(offset)
}

/// The strings of a step after its code and context, in the order [`Parts::write`] was given
/// them.
pub struct Parts<'b, 'a> {
    blocks: &'b [Block<'a>],
    /// Where the code starts in the buffer.
    code: usize,
    /// Where the next string not found in the code went.
    next: usize,
}

impl<'b, 'a> Parts<'b, 'a> {
    /// For a step whose code (of `blocks`) starts at `code` in the buffer; the strings written
    /// through [`Parts::write`] start at `from`.
    pub fn new(blocks: &'b [Block<'a>], code: usize, from: usize) -> Parts<'b, 'a> {
        Parts {
            blocks,
            code,
            next: from,
        }
    }

    /// Where `part` lies in the code, when it is a slice of one of the blocks.
    fn in_code(&self, part: &str) -> Option<Range<usize>> {
        let mut at = self.code;
        for block in self.blocks {
            let content = trimmed(&block.content);
            if let Some(offset) = offset_in(content, part) {
                return Some(at + offset..at + offset + part.len());
            }
            at += content.len() + 1;
        }
        None
    }

    /// Appends `part` to `buf` unless it lies in the code.
    pub fn write(&self, buf: &mut String, part: &str) {
        if self.in_code(part).is_none() {
            buf.push_str(part);
        }
    }

    /// Appends `part` to `buf`: a string that cannot lie in the code (not taken from a block).
    pub fn copy(&self, buf: &mut String, part: &str) {
        buf.push_str(part);
    }

    /// Where `part` is in the buffer, for a string given to [`Parts::write`]: each string
    /// written must be asked for here or in [`Parts::copied`], in the same order.
    pub fn range(&mut self, part: &str) -> Range<usize> {
        self.in_code(part).unwrap_or_else(|| self.copied(part))
    }

    /// Where `part` is in the buffer, for a string given to [`Parts::copy`].
    pub fn copied(&mut self, part: &str) -> Range<usize> {
        let range = self.next..self.next + part.len();
        self.next = range.end;
        range
    }

    /// Where the strings not found in the code end (for checks).
    pub fn end(&self) -> usize {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// Every text of every step of `book` is a view of its code's buffer (or of its id's,
    /// for steps without code); gives, per step, the buffer's length.
    fn check_shared(book: &crate::runbook::Runbook) -> Vec<usize> {
        book.steps
            .iter()
            .map(|step| {
                let base = step.code.as_ref().unwrap_or(&step.context);
                let mut texts: Vec<&crate::runbook::Text> = vec![&step.title, &step.context];
                texts.extend(step.lang.iter());
                texts.extend(step.commands.iter().map(|c| &c.text));
                texts.extend(step.commands.iter().filter_map(|c| c.label.as_ref()));
                texts.extend(step.variables.iter().chain(&step.placeholders));
                texts.extend(step.expect.iter());
                texts.extend(step.annotations.iter().flat_map(|(k, v)| [k, v]));
                for t in texts {
                    assert!(t.offset_in_buffer_of(base).is_some(), "{t:?} of {step:#?}");
                }
                base.buffer_len()
            })
            .collect()
    }

    #[test]
    fn a_step_is_one_buffer_and_commands_point_into_its_code() {
        let md = "# Ops\n\n- [ ] **Check the pods:**\n  ```sh {name=pods risk=write}\n  \
                  # 1. List them\n  kubectl get pods -n $NS\n  echo <pod>\n  ```\n  \
                  ```console\n  $ kubectl top pods \\\n    -A\n  web 1m\n  ```\n  \
                  - Expected: all Running\n\nRun it:\n\n```sh\nls\n```\n";
        let book = crate::runbook::parse(md);
        assert_eq!(book.steps.len(), 2, "{book:#?}");
        let lens = check_shared(&book);
        let check = &book.steps[0];
        let code = check.code.as_ref().map(|c| (c.len(), c));
        let Some((code_len, code)) = code else {
            panic!("no code: {check:#?}")
        };
        // One-line commands and labels point into the code; the multi-line session command
        // is joined, so copied.
        let texts: Vec<&str> = check.commands.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "kubectl get pods -n $NS",
                "echo <pod>",
                "kubectl top pods \\\n  -A"
            ]
        );
        for cmd in &check.commands[..2] {
            let at = cmd.text.offset_in_buffer_of(code).unwrap_or(usize::MAX);
            assert!(at + cmd.text.len() <= code_len, "{cmd:?}");
        }
        let label = check.commands[0].label.as_ref();
        assert_eq!(label.map(|l| l.as_str()), Some("List them"));
        assert!(
            label
                .and_then(|l| l.offset_in_buffer_of(code))
                .unwrap_or(usize::MAX)
                < code_len
        );
        // The check's title is a slice of its context.
        assert!(
            check.context.ends_with("Check the pods:"),
            "{:?}",
            check.context
        );
        let title_at = check.title.offset_in_buffer_of(code).unwrap_or(0);
        let context_at = check
            .context
            .offset_in_buffer_of(code)
            .unwrap_or(usize::MAX);
        assert!(
            title_at >= context_at
                && title_at + check.title.len() <= context_at + check.context.len(),
            "{title_at} {context_at} {check:#?}"
        );
        assert_eq!(check.expect, ["all Running", "web 1m"]);
        assert_eq!(
            check.annotations.get("name").map(|v| v.as_str()),
            Some("pods")
        );
        assert_eq!(check.id, "pods");
        // A lone block with one command: code, context (which holds the title), lang and id,
        // nothing else.
        let run = &book.steps[1];
        assert_eq!(run.title, "Run it");
        let want = "ls".len() + "Run it:".len() + "sh".len() + run.id.len();
        assert_eq!(lens[1], want, "{run:#?}");
    }

    #[test]
    fn titles_point_into_the_context_when_it_ends_with_them() {
        for (context, title, cut, shared) in [
            ("Intro.\n\n**Scale Up**", "Scale Up", false, true),
            (
                "Test Redis connectivity:",
                "Test Redis connectivity",
                false,
                true,
            ),
            ("`run it`: \n", "run it", false, true),
            ("Deploy", "Deploy", true, false),
            ("Some prose.", "Heading", false, false),
            (
                "1. **Restore** the _database_",
                "Restore the database",
                false,
                false,
            ),
            ("", "", false, true),
        ] {
            let mut buf = format!("code{context}");
            let end = buf.len();
            let range = push_title(&mut buf, 4..end, title, cut);
            let want = if cut {
                format!("{title}…")
            } else {
                title.to_string()
            };
            assert_eq!(&buf[range.clone()], want, "{context:?}");
            assert_eq!(range.end <= 4 + context.len(), shared, "{context:?}");
        }
    }

    #[test]
    fn slices_are_found_equal_strings_are_not() {
        let outer = "kubectl get pods";
        assert_eq!(offset_in(outer, &outer[8..11]), Some(8));
        assert_eq!(offset_in(outer, &outer[16..]), Some(16));
        assert_eq!(offset_in(outer, outer), Some(0));
        let copy = outer[8..11].to_string();
        assert_eq!(offset_in(outer, &copy), None);
        assert_eq!(offset_in(&outer[..10], &outer[8..11]), None);
        assert_eq!(offset_in(&outer[9..], &outer[8..11]), None);
    }

    #[test]
    fn parts_point_into_the_code_or_follow_in_order() {
        let blocks = [
            Block {
                content: Cow::Borrowed("echo a\n"),
                ..Block::new(Cow::Borrowed("sh"), 1, 0)
            },
            Block {
                content: Cow::Owned("ls -l\n".to_string()),
                ..Block::new(Cow::Borrowed(""), 5, 0)
            },
        ];
        let mut buf = String::from("ctx:");
        let code = push_code(&mut buf, &blocks).unwrap_or_default();
        assert_eq!(&buf[code.clone()], "echo a\nls -l");
        let second = trimmed(&blocks[1].content);
        let strings = [&blocks[0].content[..6], "X", &second[3..], "YZ"];
        let writer = Parts::new(&blocks, code.start, buf.len());
        for s in strings {
            writer.write(&mut buf, s);
        }
        assert_eq!(&buf[code.end..], "XYZ");
        let mut reader = Parts::new(&blocks, code.start, code.end);
        for s in strings {
            let range = reader.range(s);
            assert_eq!(&buf[range], s);
        }
        assert_eq!(reader.end(), buf.len());
    }
}
