//! The walk in one piece does not depend on how many threads finish the drafts (the chunked
//! parse, which documents this size would take, has its own tests): documents large enough for
//! the pool, built from pieces that stress what seals a draft (open task items with nested
//! blocks and checks, `Expected:` paragraphs after a block, headings inside items, steps before
//! the first heading, an H1 that comes late).

use crate::runbook::parse::parse_streaming as parse_with_threads;
use crate::runbook::pool::{BATCH, PARALLEL_FROM};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "Run it:\n\n```bash\nkubectl get pods -n shop\n```\n",
    "```sh\necho \"$NAME\" <pod>\n```\n\nExpected: 3 pods\n",
    "- [ ] Check the nodes\n  ```bash\n  kubectl get nodes\n  ```\n",
    "- [x] Parent\n  - [ ] Child one\n    ```bash\n    kubectl delete pod <pod>\n    ```\n  - [ ] Child two\n    Expected: ok\n",
    "- [ ] Item with a heading inside\n\n  ## Inner heading\n\n  ```bash\n  helm list\n  ```\n",
    "## Section\n\nSome prose.\n",
    "# Late title\n",
    "### Deeper\n",
    "> - [ ] Quoted check\n>   ```bash\n>   kubectl apply -f x.yaml\n>   ```\n",
    "```yaml\napiVersion: v1\nkind: Pod\n```\n",
    "1. **Restore**\n\n   ```bash\n   pg_restore -c db.dump\n   ```\n",
    "```console\n$ kubectl get ns\nNAME STATUS\n```\n",
    "- [ ] Manual tick\n",
    "- [ ] Parent with work after its children\n  - [ ] Child\n  - [ ] Child with a block\n    ```bash\n    echo child\n    ```\n\n  ```bash\n  echo parent\n  ```\n\n  Expected: parent done\n",
    "Expected output: nothing\n",
];

/// The pieces `picks` names (modulo their number), one after another; the chunked parse's
/// tests build their documents so too.
pub(in crate::runbook) fn document(picks: &[usize], pieces: &[&str]) -> String {
    let mut doc = String::new();
    for &p in picks {
        doc.push_str(pieces[p % pieces.len()]);
        doc.push('\n');
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn threads_do_not_change_the_result(picks in prop::collection::vec(0..PIECES.len(), 1600..2400)) {
        let doc = document(&picks, PIECES);
        let serial = parse_with_threads(&doc, "Fallback", 1);
        // Enough drafts for the pool to start and take several batches during the walk.
        prop_assert!(serial.steps.len() > PARALLEL_FROM + 4 * BATCH, "large enough for the pool");
        let parallel = parse_with_threads(&doc, "Fallback", 3);
        prop_assert_eq!(serial, parallel);
    }
}

#[test]
fn steps_before_any_heading_take_the_late_title() {
    // Hundreds of untitled steps before the first heading, then an H1: their fallback title is
    // the book's, known only at the end, whichever thread finishes them.
    let untitled = PARALLEL_FROM + 100;
    let mut doc = "```bash\necho one\n```\n\n".repeat(untitled);
    doc.push_str("# The title\n\n```bash\necho two\n```\n");
    for threads in [1, 2, 4] {
        let book = parse_with_threads(&doc, "Fallback", threads);
        assert_eq!(book.steps.len(), untitled + 1);
        assert!(
            book.steps[..untitled]
                .iter()
                .all(|s| s.title == "The title")
        );
        assert_eq!(book.steps[0].id, book.steps[1].id.trim_end_matches("-2"));
    }
}
