//! Property tests: the parser never panics, and every code block and task item that
//! pulldown-cmark reports ends up in exactly one step.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag};
use runbook::runbook::{StepKind, parse};

fn fixtures() -> Vec<String> {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    out.sort();
    out
}

/// Code-block start lines and the number of task items, as pulldown-cmark sees them.
pub fn reference_counts(text: &str) -> (Vec<usize>, usize) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut blocks = Vec::new();
    let mut tasks = 0;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                blocks.push(text[..range.start].matches('\n').count() + 1)
            }
            Event::TaskListMarker(_) => tasks += 1,
            _ => {}
        }
    }
    (blocks, tasks)
}

fn assert_accounted(text: &str) {
    let book = parse(text);
    let (blocks, tasks) = reference_counts(text);
    let mut ours: Vec<usize> = book
        .steps
        .iter()
        .flat_map(|s| s.block_lines.iter().copied())
        .collect();
    ours.sort_unstable();
    let mut expected = blocks;
    expected.sort_unstable();
    assert_eq!(ours, expected, "every code block in exactly one step");
    let checks = book
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Check)
        .count();
    assert_eq!(checks, tasks, "every task item is one check");
    for (i, step) in book.steps.iter().enumerate() {
        assert_eq!(step.number, i + 1);
        if let Some(parent) = step.parent {
            assert!(parent < step.number);
        }
    }
}

#[test]
fn fixtures_are_accounted_for() {
    for text in fixtures() {
        assert_accounted(&text);
    }
}

/// Fragments that exercise the parser's corners; random sequences of them make nasty documents.
const PIECES: &[&str] = &[
    "# H1\n",
    "## H2\n",
    "- [ ] task\n",
    "  - [x] nested\n",
    "1. [ ] numbered\n",
    "> quote\n",
    "> - [ ] quoted task\n",
    "```bash\n",
    "```\n",
    "~~~\n",
    "````\n",
    "    indented\n",
    "kubectl get pods\n",
    "cat <<EOF\n",
    "EOF\n",
    "echo \"open quote\n",
    "\n",
    "---\n",
    "+++\n",
    "title: x\n",
    "<div>\n",
    "Expected: ok\n",
    "| a | b |\n|---|---|\n",
    "$ ls\n",
    "```console\n",
    "```sh {\"name\":\"x\"}\n",
    "   ```\n",
    "\t```\n",
    "* [ ] star\n",
    "<pod-name>\n",
    "${VAR}\n",
    "\\\n",
    "[^1]: foot\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse(&text);
    }

    #[test]
    fn structured_documents_are_accounted_for(pieces in proptest::collection::vec(0..PIECES.len(), 0..60)) {
        let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
        assert_accounted(&text);
    }

    #[test]
    fn mutated_fixtures_never_panic_and_stay_accounted(
        which in 0usize..64,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..PIECES.len(), any::<bool>()), 1..12),
    ) {
        let all = fixtures();
        let mut text = all[which % all.len()].clone();
        for (at, piece, delete) in edits {
            let mut pos = at.index(text.len() + 1);
            while !text.is_char_boundary(pos) {
                pos -= 1;
            }
            if delete {
                let mut end = (pos + 7).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(pos..end, "");
            } else {
                text.insert_str(pos, PIECES[piece]);
            }
        }
        assert_accounted(&text);
    }
}
