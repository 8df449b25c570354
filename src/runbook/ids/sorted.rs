//! Unique ids for a whole runbook at once, on all cores, for the chunked parse: the same result
//! as [`super::UniqueIds`] fed the ids in document order, found by sorting the ids' hashes
//! instead of one table filled in order.
//!
//! The k-th step with a given id gets `-k`, unless such a copy's id is already another step's.
//! Two copies of different ids never meet (the last `-` of a copy starts its suffix), so only
//! the runbook's own ids can be in the way: one that ends with `-n` where n has fewer than six
//! digits (a `name` attribute's), or with a six-digit hash that reads as a number (only in the
//! way of 100,000 copies). When one is, the ids are left to the table.

use crate::runbook::Step;
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

/// Copies of one id from which a suffix may look like a hash.
const COPIES_LIMIT: usize = 100_000;

/// Makes the ids of `steps` unique in document order; `hashes` holds the XXH3 of each id.
/// Returns `false`, having changed nothing, when the ids must go through
/// [`super::UniqueIds`] instead.
pub fn make_unique_sorted(steps: &mut [Step], hashes: &[u64]) -> bool {
    if hashes.len() != steps.len() || u32::try_from(steps.len()).is_err() {
        return false;
    }
    let mut order: Vec<(u64, u32)> = hashes
        .iter()
        .zip(0u32..)
        .map(|(&hash, i)| (hash, i))
        .collect();
    order.par_sort_unstable();
    // (step, k) for the k-th copy of an id, k ≥ 2; `None` when a run of equal hashes holds
    // different ids (a hash collision) or too many copies.
    let copies: Option<Vec<Vec<(u32, usize)>>> = order
        .par_chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .map(|run| {
            let first = &steps[run[0].1 as usize].id;
            let same = run[1..]
                .iter()
                .all(|&(_, i)| steps[i as usize].id == *first);
            (same && run.len() < COPIES_LIMIT).then(|| {
                run[1..]
                    .iter()
                    .zip(2..)
                    .map(|(&(_, i), k)| (i, k))
                    .collect()
            })
        })
        .collect();
    let Some(copies) = copies else {
        return false;
    };
    // An id `base-n` is in the way of the n-th copy of `base`, if there are that many.
    let in_the_way = steps.par_iter().any(|step| {
        let Some((base, n)) = copy_suffix(&step.id) else {
            return false;
        };
        let hash = xxh3_64(base.as_bytes());
        let from = order.partition_point(|&(h, _)| h < hash);
        let run = order[from..].iter().take_while(|&&(h, _)| h == hash);
        let copies_of_base = run.filter(|&&(_, i)| steps[i as usize].id == base).count();
        copies_of_base >= n
    });
    if in_the_way {
        return false;
    }
    let mut suffix = vec![0usize; steps.len()];
    for (i, k) in copies.into_iter().flatten() {
        suffix[i as usize] = k;
    }
    steps
        .par_iter_mut()
        .zip(suffix.par_iter())
        .filter(|(_, k)| **k > 0)
        .for_each(|(step, &k)| {
            step.id.push('-');
            super::push_decimal(&mut step.id, k);
        });
    true
}

/// `base` and `n` of an id that reads `base-n` with n ≥ 2 written as a copy's suffix is (no
/// leading zero, fewer than six digits: a six-digit number needs more copies than allowed).
fn copy_suffix(id: &str) -> Option<(&str, usize)> {
    let (base, digits) = id.rsplit_once('-')?;
    let plain = !digits.is_empty()
        && digits.len() < 6
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    let n: usize = digits.parse().ok().filter(|_| plain)?;
    (n >= 2).then_some((base, n))
}

#[cfg(test)]
mod tests {
    use super::make_unique_sorted;
    use crate::runbook::ids::UniqueIds;
    use crate::runbook::parse_with_threads;
    use proptest::prelude::*;
    use xxhash_rust::xxh3::xxh3_64;

    fn dedupe(ids: &[&str]) -> Option<Vec<String>> {
        let book = parse_with_threads("```bash\necho\n```\n", "T", 1);
        let mut steps: Vec<_> = ids
            .iter()
            .map(|id| {
                let mut step = book.steps[0].clone();
                step.id = (*id).to_string();
                step
            })
            .collect();
        let hashes: Vec<u64> = ids.iter().map(|id| xxh3_64(id.as_bytes())).collect();
        make_unique_sorted(&mut steps, &hashes).then(|| steps.into_iter().map(|s| s.id).collect())
    }

    fn dedupe_table(ids: &[&str]) -> Vec<String> {
        let mut table = UniqueIds::default();
        ids.iter()
            .map(|id| {
                let mut id = (*id).to_string();
                table.make_unique(&mut id);
                id
            })
            .collect()
    }

    proptest! {
        #[test]
        fn named_ids_give_the_table_result_or_go_to_it(
            ids in prop::collection::vec("[ab](-[23](-2)?)?|a-0|a-1|b-12", 0..30)
        ) {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            if let Some(sorted) = dedupe(&ids) {
                prop_assert_eq!(sorted, dedupe_table(&ids));
            }
        }
    }

    #[test]
    fn ids_in_the_way_of_copies_go_to_the_table() {
        assert_eq!(
            dedupe(&["x", "x", "x"]),
            Some(dedupe_table(&["x", "x", "x"]))
        );
        // `x-2` is taken before the copy needs it, or after: the table decides both.
        assert_eq!(dedupe(&["x", "x-2", "x"]), None);
        assert_eq!(dedupe(&["x", "x", "x-2"]), None);
        // Not in the way: no copy of `x` reaches 3, `x-02` is not a suffix, `y-2` is another base.
        assert!(dedupe(&["x", "x", "x-3", "x-02", "y-2"]).is_some());
    }

    proptest! {
        #[test]
        fn same_ids_as_the_table(picks in prop::collection::vec(0usize..6, 0..300)) {
            // Steps whose ids repeat: a few blocks, copied in any order.
            let blocks = ["echo a", "echo b", "echo a", "kubectl get pods", "echo c", "echo b"];
            let doc: String = picks
                .iter()
                .map(|&p| format!("## S{}\n\n```bash\n{}\n```\n\n", p % 3, blocks[p]))
                .collect();
            let mut book = parse_with_threads(&doc, "T", 1);
            let mut table = book.steps.clone();
            let mut ids = UniqueIds::default();
            // The ids as the parse made them, before they were made unique.
            for step in &mut book.steps {
                if let Some((base, n)) = step.id.rsplit_once('-')
                    && n.len() < 6
                {
                    step.id = base.to_string();
                }
            }
            for (step, base) in table.iter_mut().zip(&book.steps) {
                step.id.clone_from(&base.id);
                ids.make_unique(&mut step.id);
            }
            let hashes: Vec<u64> = book.steps.iter().map(|s| xxh3_64(s.id.as_bytes())).collect();
            prop_assert!(make_unique_sorted(&mut book.steps, &hashes));
            let sorted: Vec<&str> = book.steps.iter().map(|s| s.id.as_str()).collect();
            let want: Vec<&str> = table.iter().map(|s| s.id.as_str()).collect();
            prop_assert_eq!(sorted, want);
        }
    }

    #[test]
    fn hash_collisions_are_left_to_the_table() {
        let doc = "```bash\necho a\n```\n\n```bash\necho b\n```\n";
        let mut book = parse_with_threads(doc, "T", 1);
        let before = book.steps.clone();
        // Equal hashes for different ids: a collision, not copies.
        assert!(!make_unique_sorted(&mut book.steps, &[7, 7]));
        assert_eq!(book.steps, before);
    }
}
