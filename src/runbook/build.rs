//! Turns the walker's drafts into finished [`Step`]s: commands split and classified, annotations
//! applied, variables and placeholders found, titles cleaned, ids made unique.

use super::lang::{BlockKind, block_kind, is_manifest, parse_info};
use super::shell::RawCommand;
use super::step_text::{Parts, push_code, push_title, trimmed};
use super::{Command, Risk, Step, StepKind, Text, ids, risk, shell, vars};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
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
}

const MAX_TITLE: usize = 120;

/// Finishes one draft: `number` is its 1-based place in the document, `book_title` the last
/// resort for a title. Every string of the step goes into one buffer, built in `scratch`
/// (cleared first; the caller keeps it from one step to the next, so that it stops growing)
/// and frozen into one `Arc<str>` (see `step_text.rs`).
pub fn finish_one(number: usize, draft: Draft<'_>, book_title: &str, scratch: &mut String) -> Step {
    let mut annotations = BTreeMap::new();
    let mut raws: Vec<RawCommand<'_>> = Vec::new();
    // Session output, after the draft's own `expect` lines.
    let mut output: Vec<&str> = Vec::new();
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
        let content = trimmed(&block.content);
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
                let (cmds, lines) = shell::split_session(content, block.first_line);
                output.extend(lines);
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
        if raws.is_empty() {
            raws = raw;
        } else {
            raws.extend(raw);
        }
    }
    let kind = match draft.kind {
        StepKind::Check => StepKind::Check,
        _ if executable => StepKind::Command,
        _ => StepKind::Note,
    };
    let script_scan = match found {
        Found::Script => vars::discovery_scan(&script),
        _ => None,
    };
    let (variables, placeholders) = match (&found, &script_scan) {
        (Found::Scan(scan), _) | (_, Some(scan)) => vars::discover_in(scan),
        _ => (Vec::new(), Vec::new()),
    };

    // The step's text, in one buffer: the code first (the other strings point into it where
    // they can), the context, the title, then the rest in the order `Parts` reads them back.
    scratch.clear();
    // Room for the code, the context and the short strings at once: a step of a large block
    // would otherwise regrow the scratch (copying it) several times.
    let blocks_len: usize = draft.blocks.iter().map(|b| b.content.len() + 1).sum();
    scratch.reserve(blocks_len + draft.prose.len() + draft.title.len() + 128);
    let code = push_code(scratch, &draft.blocks);
    let context_start = scratch.len();
    scratch.push_str(draft.prose);
    if draft.title_in_context {
        scratch.push_str(&draft.title);
    }
    let context = context_start..scratch.len();
    let fallback = draft.section.last().map_or(book_title, String::as_str);
    let raw_title = match draft.section.last() {
        Some(heading) if draft.title_from_heading => heading.as_str(),
        _ => draft.title.as_str(),
    };
    let (clean, cut) = clean_title_parts(raw_title, fallback);
    let title = push_title(scratch, context.clone(), clean, cut);
    let id = {
        let title_text = &scratch[title.clone()];
        let hash = ids::step_hash(
            &draft.section,
            title_text,
            code.clone().map(|c| &scratch[c]),
        );
        // The title again, outside the buffer being written to (a cut one is rare).
        let title_text = if cut {
            Cow::Owned(title_text.to_string())
        } else {
            Cow::Borrowed(clean)
        };
        let from = scratch.len();
        let name = annotations.get("name").map(String::as_str);
        ids::push_step_id(scratch, name, &title_text, hash);
        from..scratch.len()
    };
    let lang = lang.filter(|_| code.is_some()).map(|l| {
        let from = scratch.len();
        scratch.push_str(&l);
        from..scratch.len()
    });
    let code_start = code.as_ref().map_or(0, |c| c.start);
    let writer = Parts::new(&draft.blocks, code_start, scratch.len());
    // Read back below in this order: commands (text, label), the draft's `expect` lines,
    // session output, variables, placeholders, annotations (key, value).
    for raw in &raws {
        writer.write(scratch, &raw.text);
        if let Some(label) = raw.label {
            writer.write(scratch, label);
        }
    }
    for line in &draft.expect {
        writer.copy(scratch, line);
    }
    for line in &output {
        writer.write(scratch, line);
    }
    for part in variables.iter().chain(&placeholders) {
        writer.copy(scratch, part);
    }
    for (k, v) in &annotations {
        writer.copy(scratch, k);
        writer.copy(scratch, v);
    }

    // Frozen: one allocation for all of the step's text. Its strings are views of it, found
    // again in the order they were written.
    let buf: Arc<str> = Arc::from(scratch.as_str());
    let text = |range: Range<usize>| Text::shared(&buf, range);
    let mut parts = Parts::new(&draft.blocks, code_start, writer.end());
    let mut commands: Vec<Command> = raws
        .iter()
        .map(|raw| {
            let analysis = risk::analyze(&raw.text);
            Command {
                text: text(parts.range(&raw.text)),
                line: raw.line,
                label: raw.label.map(|label| text(parts.range(label))),
                risk: analysis.risk,
                interactive: analysis.interactive,
                long_running: analysis.long_running,
            }
        })
        .collect();
    let mut expect: Vec<Text> = Vec::with_capacity(draft.expect.len() + output.len());
    expect.extend(draft.expect.iter().map(|e| text(parts.copied(e))));
    expect.extend(output.iter().map(|e| text(parts.range(e))));
    let variables: Vec<Text> = variables.iter().map(|v| text(parts.copied(v))).collect();
    let placeholders: Vec<Text> = placeholders.iter().map(|p| text(parts.copied(p))).collect();
    // Inserted in order rather than collected: `collect` sorts a list of the pairs first.
    let mut step_annotations = BTreeMap::new();
    for (k, v) in &annotations {
        let k = text(parts.copied(k));
        step_annotations.insert(k, text(parts.copied(v)));
    }
    debug_assert_eq!(parts.end(), buf.len(), "every string was read back");

    apply_overrides(&mut commands, &annotations);
    let override_risk = annotations.get("risk").and_then(|r| Risk::parse(r));
    let risk = if executable {
        override_risk.or_else(|| commands.iter().map(|c| c.risk).max())
    } else {
        None
    };
    Step {
        number,
        id: text(id),
        kind,
        title: text(title),
        section: draft.section,
        line: draft.line,
        depth: draft.depth,
        parent: draft.parent.map(|p| p + 1),
        checked: draft.checked && kind == StepKind::Check,
        lang: lang.map(text),
        code: code.map(text),
        manifest,
        commands,
        risk,
        variables,
        placeholders,
        expect,
        annotations: step_annotations,
        context: text(context),
        block_lines: draft.blocks.iter().map(|b| b.line).collect(),
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
/// Gives the title as a slice of `raw` (or of `fallback`), and whether `…` follows it.
pub fn clean_title_parts<'t>(raw: &'t str, fallback: &'t str) -> (&'t str, bool) {
    let trimmed = raw.trim().trim_end_matches(':').trim_end();
    let title = if trimmed.is_empty() {
        fallback.trim()
    } else {
        trimmed
    };
    // Only a title longer than `MAX_TITLE` bytes can have more than `MAX_TITLE` characters.
    if title.len() > MAX_TITLE {
        let mut starts = title.char_indices().map(|(i, _)| i);
        if let (Some(cut), Some(_)) = (starts.nth(MAX_TITLE - 1), starts.next()) {
            return (title[..cut].trim_end(), true);
        }
    }
    (title, false)
}

#[cfg(test)]
mod tests {
    use super::clean_title_parts;

    /// The clean title as one string.
    fn clean_title(raw: String, fallback: &str) -> String {
        let (title, cut) = clean_title_parts(&raw, fallback);
        if cut {
            format!("{title}…")
        } else {
            title.to_string()
        }
    }

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
