//! Turns the walker's drafts into finished [`Step`]s: commands split and classified, annotations
//! applied, variables and placeholders found, titles cleaned, ids made unique.

use super::lang::{BlockKind, block_kind, is_manifest, parse_info};
use super::{Command, Risk, Step, StepKind, ids, risk, shell, vars};
use std::collections::BTreeMap;

/// One code block as the walker saw it.
#[derive(Debug, Clone)]
pub struct Block {
    pub info: String,
    /// Line of the opening fence (or of the first line of an indented block).
    pub line: usize,
    /// Line of the first content line.
    pub first_line: usize,
    /// Byte offset of the block in the file.
    pub offset: usize,
    /// The paragraph directly before the block in the same container.
    pub prev_para: Option<String>,
    pub content: String,
}

impl Block {
    pub fn new(info: String, line: usize, offset: usize, prev_para: Option<String>) -> Block {
        Block {
            info,
            line,
            first_line: line,
            offset,
            prev_para,
            content: String::new(),
        }
    }
}

/// A step before its commands are analysed.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: StepKind,
    pub line: usize,
    pub section: Vec<String>,
    pub title: String,
    pub depth: usize,
    /// Index of the parent draft.
    pub parent: Option<usize>,
    pub checked: bool,
    pub blocks: Vec<Block>,
    pub expect: Vec<String>,
    pub context: String,
}

impl Draft {
    pub fn new(kind: StepKind, line: usize, section: Vec<String>) -> Draft {
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
            context: String::new(),
        }
    }
}

const MAX_TITLE: usize = 120;

/// Makes step ids unique in document order (`-2`, `-3`…).
pub fn dedupe_ids(steps: &mut [Step]) {
    let mut ids: Vec<String> = steps
        .iter_mut()
        .map(|s| std::mem::take(&mut s.id))
        .collect();
    ids::dedupe(&mut ids);
    for (step, id) in steps.iter_mut().zip(ids) {
        step.id = id;
    }
}

/// Finishes one draft: `number` is its 1-based place in the document, `book_title` the last
/// resort for a title.
pub fn finish_one(number: usize, mut draft: Draft, book_title: &str) -> Step {
    let mut annotations = BTreeMap::new();
    let mut commands = Vec::new();
    let mut expect = draft.expect;
    let mut script = String::new();
    let mut executable = false;
    let mut manifest = false;
    let mut lang = None;
    let mut code_parts = Vec::with_capacity(draft.blocks.len());
    // The scan of `script` when the splitter already made it.
    let mut script_scan = None;
    for (i, block) in draft.blocks.iter().enumerate() {
        let info = parse_info(&block.info);
        if i == 0 {
            lang.clone_from(&info.lang);
        }
        for (k, v) in info.annotations {
            annotations.entry(k).or_insert(v);
        }
        let content = block.content.strip_suffix('\n').unwrap_or(&block.content);
        code_parts.push(content);
        let ignored = annotations_flag(&annotations, "ignore");
        let kind = if ignored {
            BlockKind::Note
        } else {
            block_kind(info.lang.as_deref(), content)
        };
        if matches!(info.lang.as_deref(), None | Some("yaml" | "yml")) && is_manifest(content) {
            manifest = true;
        }
        let raw = match kind {
            BlockKind::Note => continue,
            BlockKind::Shell => {
                // A lone block with something to discover is scanned once, for both jobs.
                let reuse = draft.blocks.len() == 1 && content.contains(['$', '<']);
                match reuse.then(|| shell::split_and_scan(content, block.first_line)) {
                    Some(Some((cmds, scan))) => {
                        script_scan = Some(scan);
                        cmds
                    }
                    _ => shell::split_commands(content, block.first_line),
                }
            }
            BlockKind::Session => {
                let (cmds, output) = shell::split_session(content, block.first_line);
                expect.extend(output);
                cmds
            }
        };
        executable = true;
        if script_scan.is_some() {
            // The splitter already scanned this lone block for `vars`: no script to build.
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
    let joined = (code_parts.len() > 1).then(|| code_parts.join("\n"));
    let code = match (joined, draft.blocks.as_mut_slice()) {
        (Some(joined), _) => Some(joined),
        // One block: its content is the code, moved rather than copied.
        (None, [only]) => {
            let mut content = std::mem::take(&mut only.content);
            if content.ends_with('\n') {
                content.pop();
            }
            Some(content)
        }
        (None, _) => None,
    };
    let fallback = draft.section.last().map_or(book_title, String::as_str);
    let title = clean_title(&draft.title, fallback);
    let (variables, placeholders) = if let Some(scan) = &script_scan {
        vars::discover_in(scan)
    } else if executable {
        vars::discover(&script)
    } else {
        (Vec::new(), Vec::new())
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
        context: draft.context,
        block_lines,
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

/// Drops a trailing `:`, collapses whitespace, cuts at 120 characters with `…`.
pub fn clean_title(raw: &str, fallback: &str) -> String {
    let mut title = raw.trim().trim_end_matches(':').trim_end().to_string();
    if title.is_empty() {
        title = fallback.trim().to_string();
    }
    if title.chars().count() > MAX_TITLE {
        title = title
            .chars()
            .take(MAX_TITLE - 1)
            .collect::<String>()
            .trim_end()
            .to_string();
        title.push('…');
    }
    title
}

#[cfg(test)]
mod tests {
    use super::clean_title;

    #[test]
    fn titles() {
        assert_eq!(
            clean_title("Verify Key Vault accessible:", "x"),
            "Verify Key Vault accessible"
        );
        assert_eq!(clean_title("  ", "Heading"), "Heading");
        let long = "a".repeat(200);
        let t = clean_title(&long, "x");
        assert_eq!(t.chars().count(), 120);
        assert!(t.ends_with('…'));
    }
}
