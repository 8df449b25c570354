//! A document parsed in chunks is the document parsed in one piece: random documents made of
//! pieces that stress what crosses a cut (section paths, step numbers and parents, ids made
//! unique, `Expected:` after a heading, steps before the first heading, a late H1) and what
//! hides a heading line from the cut scan (fences, HTML blocks, front matter, a fence in a
//! list item whose lines are not indented).

use super::parse_sized;
use crate::runbook::parse::parse_with_threads;
use crate::runbook::pool::tests::document;
use proptest::prelude::*;

/// Pieces after which a cut is always safe.
const SAFE: &[&str] = &[
    "# Title\n",
    "## Deploy\n",
    "### Check\n",
    "#### Deep\n",
    "## Deploy\n\nExpected: an orphan after a heading\n",
    "Run it:\n\n```bash\nkubectl get pods -n shop\n```\n",
    "```sh\necho \"$NAME\" <pod>\n```\n\nExpected: 3 pods\n",
    "- [ ] Check the nodes\n  ```bash\n  kubectl get nodes\n  ```\n",
    "- [x] Parent\n  - [ ] Child one\n    ```bash\n    kubectl delete pod <pod>\n    ```\n  - [ ] Child two\n",
    "```bash\n# a comment\n\n# another, after a blank line\necho hi\n```\n",
    "~~~\n```\n\n# not a heading\n~~~\n",
    "<!-- a comment\n\n# not a heading either\n-->\n",
    "<pre>\n\n# nor this\n</pre>\n",
    "> - [ ] Quoted check\n>   ```bash\n>   kubectl apply -f x.yaml\n>   ```\n",
    "```yaml\napiVersion: v1\nkind: Pod\n```\n",
    "1. **Restore**\n\n   ```bash\n   pg_restore -c db.dump\n   ```\n",
    "```console\n$ kubectl get ns\nNAME STATUS\n```\n",
    "- [ ] Manual tick\n",
    "Some prose with a [link](https://example.com).\n",
    "```bash\necho same\n```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    // Defined at the end of the document (see `document`), and again here and there.
    "See [the docs][ref], [Ref] and [nowhere]:\n\n```bash\necho linked\n```\n",
    "[REF]: https://example.org/another/definition\n",
];

/// Pieces that make a cut unsafe or a chunk unable to stand alone: chunking must give up (or
/// still be exact).
const HARD: &[&str] = &[
    // The fence ends the item at the heading, then a new fence opens at the top level.
    "- item\n  ```\n  code\n\n# heading that closes the item\n  ```\n\n# inside the new fence\n",
    "[ref]: https://example.com\n\nSee [the docs][ref].\n",
    "Footnote[^1].\n\n[^1]: The note.\n",
    "```\nunterminated\n\n# in the fence\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn chunks_give_the_one_piece_result(
        picks in prop::collection::vec(0..SAFE.len(), 200..700),
        front in any::<bool>(),
        min_chunk in 200usize..3000,
        definitions in any::<bool>(),
    ) {
        // Without link reference definitions, each chunk's parser is made by the thread that
        // walks it; with them, all are made first.
        let mut doc = if definitions {
            document(&picks, SAFE) + "[ref]: https://example.com/docs \"The docs\"\n"
        } else {
            let pieces: Vec<&str> = SAFE.iter().copied().filter(|p| !p.contains("]:")).collect();
            document(&picks, &pieces)
        };
        if front {
            doc.insert_str(0, "---\ntitle: Front\nvariables:\n  NAME: x\n\n# yaml comment\n---\n\n");
        }
        let whole = parse_with_threads(&doc, "Fallback", 1);
        let chunked = parse_sized(&doc, "Fallback", 3, min_chunk);
        // The pieces always leave a cut after a heading that follows a blank line.
        let many_headings = doc.matches("\n\n#").count() > 8;
        prop_assert!(chunked.is_some() || !many_headings, "nothing was cut");
        if let Some(chunked) = chunked {
            prop_assert_eq!(whole, chunked);
        }
    }

    #[test]
    fn unsafe_cuts_never_change_the_result(
        picks in prop::collection::vec(0..SAFE.len() + HARD.len(), 100..400),
        min_chunk in 100usize..2000,
    ) {
        let pieces: Vec<&str> = SAFE.iter().chain(HARD).copied().collect();
        let doc = document(&picks, &pieces);
        let whole = parse_with_threads(&doc, "Fallback", 1);
        if let Some(chunked) = parse_sized(&doc, "Fallback", 2, min_chunk) {
            prop_assert_eq!(whole, chunked);
        }
    }
}

#[test]
fn a_fence_the_cut_scan_misreads_makes_the_chunked_parse_give_up() {
    // Short enough before the misread line that it is the first place the scan cuts.
    let mut doc = "# Title\n\n".to_string();
    doc.push_str(HARD[0]);
    doc.push_str("```bash\necho closing the fence\n```\n\n");
    for i in 0..40 {
        doc.push_str(&format!("## After {i}\n\n```bash\necho {i}\n```\n\n"));
    }
    let bad = doc
        .find("# inside the new fence")
        .expect("the misread line");
    assert_eq!(
        crate::runbook::parse::cuts::cuts(&doc, 40)[0].offset,
        bad,
        "the scan cuts inside the fence"
    );
    // Many threads: the chunks are as small as allowed, so the scan's first cut is used.
    assert!(parse_sized(&doc, "F", 64, 40).is_none());
    // The public entry point falls back to the walk in one piece.
    assert_eq!(
        parse_with_threads(&doc, "F", 2),
        parse_with_threads(&doc, "F", 1)
    );
}

#[test]
fn paths_numbers_and_parents_cross_the_cuts() {
    let mut doc = "Before any heading:\n\n```bash\necho early\n```\n\n# Book\n\n".to_string();
    for i in 0..30 {
        doc.push_str(&format!(
            "## Stage {i}\n\n### Step {i}\n\n- [ ] Parent {i}\n  - [ ] Child {i}\n    ```bash\n    kubectl get pods\n    ```\n\n"
        ));
    }
    let whole = parse_with_threads(&doc, "F", 1);
    let chunked = parse_sized(&doc, "F", 2, 200).expect("cut at the headings");
    assert_eq!(whole, chunked);
    let child = chunked
        .steps
        .iter()
        .rfind(|s| s.title == "Child 29")
        .expect("last child");
    assert_eq!(&*child.section, ["Book", "Stage 29", "Step 29"]);
    assert_eq!(child.parent, Some(child.number - 1));
    assert_eq!(chunked.steps[0].title, "Before any heading");
}

#[test]
fn expected_after_a_heading_stays_in_its_section() {
    let doc = "```bash\necho a\n```\n\n## Next\n\nExpected: nothing to attach to\n";
    let book = parse_with_threads(doc, "F", 1);
    assert!(book.steps[0].expect.is_empty());
}

#[test]
fn real_runbooks_one_after_another_are_cut() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("note: ../shared/corpus not found; skipping");
        return;
    };
    let mut files: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    let doc: String = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| text + "\n\n")
        .collect();
    // Reference definitions, labels defined in several files, `---` blocks, HTML, fences
    // in lists: the chunked parse copes with all of it, and gives the one-piece result.
    let chunked = parse_sized(&doc, "F", 2, 16 * 1024).expect("the corpus is cut");
    assert_eq!(chunked, parse_with_threads(&doc, "F", 1));
    // The files that define no link references: each chunk is parsed by the thread that
    // walks it.
    let plain: String = doc
        .split_inclusive("\n\n")
        .filter(|part| !part.contains("]:"))
        .collect();
    assert!(!plain.contains("]:") && plain.len() > doc.len() / 2);
    let chunked = parse_sized(&plain, "F", 2, 16 * 1024).expect("the corpus is cut");
    assert_eq!(chunked, parse_with_threads(&plain, "F", 1));
}

#[test]
fn copies_of_an_id_across_the_cuts_get_the_one_piece_suffixes() {
    // The same step in every section: its copies are made unique chunk after chunk, or all
    // at the end when steps before the first heading take the first ids.
    let body: String = (0..40)
        .map(|i| {
            format!(
                "## Stage {}\n\n- [ ] Same\n\n```bash\necho same\n```\n\n",
                i % 3
            )
        })
        .collect();
    for before in ["", "- [ ] Same\n\n```bash\necho same\n```\n\n"] {
        let doc = format!("{before}# Book\n\n{body}");
        let whole = parse_with_threads(&doc, "F", 1);
        let chunked = parse_sized(&doc, "F", 2, 150).expect("cut at the headings");
        assert_eq!(whole, chunked);
        let mut ids: Vec<&str> = chunked.steps.iter().map(|s| s.id.as_str()).collect();
        assert!(ids.iter().any(|id| id.ends_with("-13")), "{ids:?}");
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
    }
}
