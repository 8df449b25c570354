//! Parses every real-world runbook in `../shared/corpus` and `../shared/seeds` when they exist:
//! no panic, every code block and task item accounted for, no step without a title.
#![allow(clippy::unwrap_used)]

use pulldown_cmark::{Event, Options, Parser, Tag};
use runbook::runbook::{StepKind, parse_titled, parse_with_threads};
use std::path::PathBuf;

fn shared_files() -> Option<Vec<PathBuf>> {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut files = Vec::new();
    for dir in ["corpus", "seeds"] {
        let Ok(entries) = std::fs::read_dir(shared.join(dir)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt")),
        );
    }
    files.sort();
    (!files.is_empty()).then_some(files)
}

#[test]
fn every_shared_runbook_parses_and_is_accounted_for() {
    let Some(files) = shared_files() else {
        println!("note: ../shared/corpus and ../shared/seeds not found; skipping the corpus test");
        return;
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut total_steps = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let book = parse_titled(&text, "x");
        let mut blocks = 0;
        let mut tasks = 0;
        for event in Parser::new_ext(&text, options) {
            match event {
                Event::Start(Tag::CodeBlock(_)) => blocks += 1,
                Event::TaskListMarker(_) => tasks += 1,
                _ => {}
            }
        }
        let ours: usize = book.steps.iter().map(|s| s.block_lines.len()).sum();
        let checks = book
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::Check)
            .count();
        let name = file.display();
        assert_eq!(ours, blocks, "{name}: code blocks");
        assert_eq!(checks, tasks, "{name}: task items");
        assert!(
            book.steps.iter().all(|s| !s.title.is_empty()),
            "{name}: a step has no title"
        );
        assert!(
            book.warnings
                .iter()
                .all(|w| !w.message.contains("front matter")),
            "{name}: {:?}",
            book.warnings
        );
        total_steps += book.steps.len();
    }
    println!(
        "parsed {} shared runbooks, {total_steps} steps",
        files.len()
    );
}

/// The shared runbooks one after another, several times: a document large enough to be parsed
/// in chunks on all threads gives the runbook the walk on one thread gives.
#[test]
fn the_whole_corpus_in_one_file_parses_alike_on_any_number_of_threads() {
    let Some(files) = shared_files() else {
        println!("note: ../shared/corpus and ../shared/seeds not found; skipping the corpus test");
        return;
    };
    let mut text = String::new();
    for file in &files {
        text.push_str(&std::fs::read_to_string(file).unwrap());
        text.push_str("\n\n");
    }
    // Over a megabyte, so that the chunked parse takes it.
    let text = text.repeat(3);
    let one = parse_with_threads(&text, "x", 1);
    for threads in [2, 3] {
        let many = parse_with_threads(&text, "x", threads);
        assert_eq!(one.steps.len(), many.steps.len());
        for (a, b) in one.steps.iter().zip(&many.steps) {
            assert_eq!(a, b, "step {}", a.number);
        }
        assert_eq!(one.sections, many.sections);
        assert_eq!(one.warnings, many.warnings);
        assert_eq!(one.meta, many.meta);
        assert_eq!(one, many);
    }
}
