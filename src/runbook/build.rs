//! Turns the walker's drafts into finished [`Step`]s: commands split and classified, annotations
//! applied, variables and placeholders found, titles cleaned, ids made unique.

use super::lang::{BlockKind, block_kind, is_manifest, parse_info};
use super::{Command, Risk, Step, StepKind, ids, risk, shell, vars};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One code block as the walker saw it. Text is borrowed from the markdown where it can be:
/// finishing runs on other threads, so the walker copies as little as possible.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    pub info: Cow<'a, str>,
    /// Line of the opening fence (or of the first line of an indented block).
    pub line: usize,
    /// Line of the first content line.
    pub first_line: usize,
    /// Byte offset of the block in the file.
    pub offset: usize,
    /// The block's text: a slice of the file when its lines are contiguous there (a fenced
    /// block at the top level), else the lines joined without their indentation.
    pub content: Cow<'a, str>,
}

impl<'a> Block<'a> {
    pub fn new(info: Cow<'a, str>, line: usize, offset: usize) -> Block<'a> {
        Block {
            info,
            line,
            first_line: line,
            offset,
            content: Cow::Borrowed(""),
        }
    }
}

/// A step before its commands are analysed.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    pub kind: StepKind,
    pub line: usize,
    /// The headings above the step, shared by every step of a section.
    pub section: Arc<[String]>,
    pub title: String,
    pub depth: usize,
    /// Index of the parent draft.
    pub parent: Option<usize>,
    pub checked: bool,
    pub blocks: Vec<Block<'a>>,
    pub expect: Vec<String>,
    /// The prose between the previous step and this one (see [`Step::context`]); a check's
    /// own title text follows it when `title_in_context`.
    pub prose: &'a str,
    pub title_in_context: bool,
    /// The title is the nearest heading's, the last of `section`.
    pub title_from_heading: bool,
}

impl<'a> Draft<'a> {
    pub fn new(kind: StepKind, line: usize, section: Arc<[String]>) -> Draft<'a> {
        Draft {
            kind,
            line,
            section,
            title: String::new(),
            depth: 0,
            parent: None,
            checked: false,
            blocks: Vec::new(),
            expect: Vec::new(),
            prose: "",
            title_in_context: false,
            title_from_heading: false,
        }
    }

    /// The step's context text: its prose, then a check's own title text.
    fn context(&self) -> String {
        let tail = if self.title_in_context {
            self.title.as_str()
        } else {
            ""
        };
        let mut context = String::with_capacity(self.prose.len() + tail.len());
        context.push_str(self.prose);
        context.push_str(tail);
        context
    }
}

const MAX_TITLE: usize = 120;

/// Finishes one draft: `number` is its 1-based place in the document, `book_title` the last
/// resort for a title.
pub fn finish_one(number: usize, mut draft: Draft<'_>, book_title: &str) -> Step {
    let mut annotations = BTreeMap::new();
    let mut commands = Vec::new();
    let mut expect = std::mem::take(&mut draft.expect);
    let mut script = String::new();
    let mut executable = false;
    let mut manifest = false;
    let mut lang = None;
    let lone = draft.blocks.len() == 1;
    // What `vars` needs of the step: nothing (no `$`, no `<`), the scan the splitter already
    // made of a lone block, or the script built here.
    let mut found = Found::Nothing;
    for (i, block) in draft.blocks.iter().enumerate() {
        let info = parse_info(&block.info);
        for (k, v) in info.annotations {
            annotations.entry(k).or_insert(v);
        }
        let content = block.content.strip_suffix('\n').unwrap_or(&block.content);
        let ignored = annotations_flag(&annotations, "ignore");
        let kind = if ignored {
            BlockKind::Note
        } else {
            block_kind(info.lang.as_deref(), content)
        };
        if matches!(info.lang.as_deref(), None | Some("yaml" | "yml")) && is_manifest(content) {
            manifest = true;
        }
        if i == 0 {
            lang = info.lang;
        }
        // Text without `$` and `<` holds neither variables nor placeholders.
        let discoverable = memchr::memchr2(b'$', b'<', content.as_bytes()).is_some();
        let raw = match kind {
            BlockKind::Note => continue,
            BlockKind::Shell if lone && discoverable => {
                // Scanned once, for both jobs.
                match shell::split_and_scan(content, block.first_line) {
                    Some((cmds, scan)) => {
                        found = Found::Scan(scan);
                        cmds
                    }
                    None => shell::split_commands(content, block.first_line),
                }
            }
            BlockKind::Shell => shell::split_commands(content, block.first_line),
            BlockKind::Session => {
                let (cmds, output) = shell::split_session(content, block.first_line);
                expect.extend(output);
                cmds
            }
        };
        executable = true;
        if discoverable && !matches!(found, Found::Scan(_)) {
            found = Found::Script;
        }
        if matches!(found, Found::Scan(_)) || (lone && !discoverable) {
            // Nothing to build: the scan is made, or there is nothing to find.
        } else if kind == BlockKind::Shell {
            // The whole script, so that `vars` sees assignments and comments in context.
            script.push_str(content);
            script.push('\n');
        } else {
            for cmd in &raw {
                script.push_str(&cmd.text);
                script.push('\n');
            }
        }
        commands.extend(raw.into_iter().map(|raw| {
            let analysis = risk::analyze(&raw.text);
            Command {
                text: raw.text,
                line: raw.line,
                label: raw.label,
                risk: analysis.risk,
                interactive: analysis.interactive,
                long_running: analysis.long_running,
            }
        }));
    }
    apply_overrides(&mut commands, &annotations);
    let kind = match draft.kind {
        StepKind::Check => StepKind::Check,
        _ if executable => StepKind::Command,
        _ => StepKind::Note,
    };
    let override_risk = annotations.get("risk").and_then(|r| Risk::parse(r));
    let risk = if executable {
        override_risk.or_else(|| commands.iter().map(|c| c.risk).max())
    } else {
        None
    };
    let code = code_of(&mut draft.blocks);
    let context = draft.context();
    let fallback = draft.section.last().map_or(book_title, String::as_str);
    let raw_title = match draft.section.last() {
        Some(heading) if draft.title_from_heading => heading.clone(),
        _ => std::mem::take(&mut draft.title),
    };
    let title = clean_title(raw_title, fallback);
    let (variables, placeholders) = match &found {
        Found::Scan(scan) => vars::discover_in(scan),
        Found::Script => vars::discover(&script),
        Found::Nothing => (Vec::new(), Vec::new()),
    };
    let block_lines = draft.blocks.iter().map(|b| b.line).collect();
    let id = ids::step_id(
        annotations.get("name").map(String::as_str),
        &draft.section,
        &title,
        code.as_deref(),
    );
    Step {
        number,
        id,
        kind,
        title,
        section: draft.section,
        line: draft.line,
        depth: draft.depth,
        parent: draft.parent.map(|p| p + 1),
        checked: draft.checked && kind == StepKind::Check,
        lang: if code.is_some() { lang } else { None },
        code,
        manifest,
        commands,
        risk,
        variables,
        placeholders,
        expect,
        annotations,
        context,
        block_lines,
    }
}

/// Where a step's variables and placeholders come from.
enum Found {
    /// Its text has no `$` and no `<`.
    Nothing,
    /// The splitter's scan of its lone block.
    Scan(shell::lex::Scan),
    /// The script built from its blocks.
    Script,
}

/// The step's code: its blocks' contents, each without its final newline, joined with `\n`; a
/// lone block's owned content is moved rather than copied.
fn code_of(blocks: &mut [Block<'_>]) -> Option<String> {
    let trimmed = |c: &str| c.strip_suffix('\n').unwrap_or(c).len();
    match blocks {
        [] => None,
        [only] => Some(match std::mem::take(&mut only.content) {
            Cow::Borrowed(text) => text[..trimmed(text)].to_string(),
            Cow::Owned(mut text) => {
                text.truncate(trimmed(&text));
                text
            }
        }),
        many => {
            let total = many.iter().map(|b| b.content.len() + 1).sum();
            let mut code = String::with_capacity(total);
            for (i, block) in many.iter().enumerate() {
                if i > 0 {
                    code.push('\n');
                }
                code.push_str(&block.content[..trimmed(&block.content)]);
            }
            Some(code)
        }
    }
}

fn annotations_flag(annotations: &BTreeMap<String, String>, key: &str) -> bool {
    annotations.get(key).is_some_and(|v| {
        v.eq_ignore_ascii_case("true") || v == "1" || v.eq_ignore_ascii_case("yes")
    })
}

/// Runme `interactive`, `background` and our own `risk` override what detection found.
fn apply_overrides(commands: &mut [Command], annotations: &BTreeMap<String, String>) {
    let risk = annotations.get("risk").and_then(|r| Risk::parse(r));
    let interactive = annotations
        .get("interactive")
        .map(|v| v.eq_ignore_ascii_case("true"));
    let background = annotations_flag(annotations, "background");
    for cmd in commands {
        if let Some(risk) = risk {
            cmd.risk = risk;
        }
        if let Some(interactive) = interactive {
            cmd.interactive = interactive;
        }
        if background {
            cmd.long_running = true;
        }
    }
}

/// Drops a trailing `:`, cuts at 120 characters with `…`; `fallback` when nothing is left.
/// The raw title's buffer is reused when it can be.
pub fn clean_title(raw: String, fallback: &str) -> String {
    let trimmed = raw.trim().trim_end_matches(':').trim_end();
    let mut title = if trimmed.is_empty() {
        fallback.trim().to_string()
    } else if trimmed.len() == raw.len() {
        raw
    } else {
        trimmed.to_string()
    };
    // Only a title longer than `MAX_TITLE` bytes can have more than `MAX_TITLE` characters.
    if title.len() > MAX_TITLE {
        let mut starts = title.char_indices().map(|(i, _)| i);
        if let (Some(cut), Some(_)) = (starts.nth(MAX_TITLE - 1), starts.next()) {
            title.truncate(cut);
            title.truncate(title.trim_end().len());
            title.push('…');
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::clean_title;

    #[test]
    fn titles() {
        assert_eq!(
            clean_title("Verify Key Vault accessible:".into(), "x"),
            "Verify Key Vault accessible"
        );
        assert_eq!(clean_title("  ".into(), "Heading"), "Heading");
        assert_eq!(clean_title(" a: ".into(), "x"), "a");
        let long = "a".repeat(200);
        let t = clean_title(long, "x");
        assert_eq!(t.chars().count(), 120);
        assert!(t.ends_with('…'));
        // Exactly 120 characters (more bytes): kept whole.
        let wide = "é".repeat(120);
        assert_eq!(clean_title(wide.clone(), "x"), wide);
        let wider = "é".repeat(121);
        assert_eq!(clean_title(wider, "x").chars().count(), 120);
        let spaced = format!("{} {}", "a".repeat(118), "b".repeat(10));
        assert_eq!(clean_title(spaced, "x"), format!("{}…", "a".repeat(118)));
    }
}
