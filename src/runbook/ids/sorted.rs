//! Unique ids for a whole runbook at once, on all cores, for the chunked parse: the same result
//! as [`super::UniqueIds`] fed the ids in document order, found by sorting the ids' hashes
//! instead of one table filled in order.
//!
//! The k-th step with a given id gets `-k`, unless such a copy's id is already another step's.
//! Two copies of different ids never meet (the last `-` of a copy starts its suffix), so only
//! the runbook's own ids can be in the way: one that ends with `-n` where n has fewer than six
//! digits (a `name` attribute's), or with a six-digit hash that reads as a number (only in the
//! way of 100,000 copies). When one is, the ids are left to the table.

use crate::runbook::{Step, Text};
use rayon::prelude::*;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_128;

/// Copies of one id from which a suffix may look like a hash.
const COPIES_LIMIT: usize = 100_000;

/// What the sort needs of each id, gathered where the steps are finished (on every thread,
/// while the ids are still in the cache): a 128-bit XXH3 of each id, and the ids that read as
/// a copy (`base-n`). Two ids with equal 128-bit hashes are taken to be equal: among a
/// million ids the odds of a collision are about one in 10^26.
#[derive(Debug, Default)]
pub struct IdKeys {
    hashes: Vec<u128>,
    /// (hash of the base, n) of each id that reads `base-n`.
    copies: Vec<(u128, usize)>,
}

impl IdKeys {
    pub fn with_capacity(ids: usize) -> IdKeys {
        IdKeys {
            hashes: Vec::with_capacity(ids),
            copies: Vec::new(),
        }
    }

    /// The next step's id, in document order.
    pub fn push(&mut self, id: &str) {
        self.hashes.push(xxh3_128(id.as_bytes()));
        if let Some((base, n)) = copy_suffix(id) {
            self.copies.push((xxh3_128(base.as_bytes()), n));
        }
    }

    /// The keys of `other`'s ids, which come after these.
    pub fn append(&mut self, other: IdKeys) {
        self.hashes.extend(other.hashes);
        self.copies.extend(other.copies);
    }
}

/// Makes the ids of `steps` unique in document order; `keys` are those of their ids. Returns
/// `false`, having changed nothing, when the ids must go through [`super::UniqueIds`] instead.
pub fn make_unique_sorted(steps: &mut [Step], keys: &IdKeys) -> bool {
    if keys.hashes.len() != steps.len() || u32::try_from(steps.len()).is_err() {
        return false;
    }
    let mut order: Vec<(u128, u32)> = keys.hashes.iter().copied().zip(0u32..).collect();
    order.par_sort_unstable();
    let runs: Vec<&[(u128, u32)]> = order
        .par_chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .collect();
    if runs.iter().any(|run| run.len() >= COPIES_LIMIT) {
        return false;
    }
    // An id `base-n` is in the way of the n-th copy of `base`, if there are that many.
    let in_the_way = keys.copies.par_iter().any(|&(base, n)| {
        let from = order.partition_point(|&(h, _)| h < base);
        order[from..]
            .iter()
            .take_while(|&&(h, _)| h == base)
            .count()
            >= n
    });
    if in_the_way {
        return false;
    }
    // The copies of each id get their new ids from one buffer: `base-2base-3…`.
    let renamed: Vec<(u32, Text)> = runs
        .par_iter()
        .flat_map_iter(|run| {
            let base = &steps[run[0].1 as usize].id;
            let mut buf = String::with_capacity((base.len() + 4) * run.len());
            let mut ends = Vec::with_capacity(run.len());
            for k in 2..=run.len() {
                buf.push_str(base);
                buf.push('-');
                super::push_decimal(&mut buf, k);
                ends.push(buf.len());
            }
            let buf: Arc<str> = buf.into();
            let starts = std::iter::once(0).chain(ends.clone());
            let views: Vec<Text> = starts
                .zip(ends)
                .map(|(from, to)| Text::shared(&buf, from..to))
                .collect();
            run[1..].iter().map(|&(_, i)| i).zip(views)
        })
        .collect();
    let mut new_ids: Vec<Option<Text>> = vec![None; steps.len()];
    for (i, id) in renamed {
        new_ids[i as usize] = Some(id);
    }
    steps
        .par_iter_mut()
        .zip(new_ids.into_par_iter())
        .for_each(|(step, id)| {
            if let Some(id) = id {
                step.id = id;
            }
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
    use super::{IdKeys, make_unique_sorted};
    use crate::runbook::ids::UniqueIds;
    use crate::runbook::parse_with_threads;
    use proptest::prelude::*;

    fn dedupe(ids: &[&str]) -> Option<Vec<String>> {
        let book = parse_with_threads("```bash\necho\n```\n", "T", 1);
        let mut steps: Vec<_> = ids
            .iter()
            .map(|id| {
                let mut step = book.steps[0].clone();
                step.id = (*id).into();
                step
            })
            .collect();
        let mut keys = IdKeys::default();
        ids.iter().for_each(|id| keys.push(id));
        make_unique_sorted(&mut steps, &keys)
            .then(|| steps.into_iter().map(|s| s.id.to_string()).collect())
    }

    fn dedupe_table(ids: &[&str]) -> Vec<String> {
        let mut table = UniqueIds::default();
        ids.iter()
            .map(|id| {
                let mut id = crate::runbook::Text::from(*id);
                table.make_unique(&mut id);
                id.to_string()
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
                    step.id = base.into();
                }
            }
            for (step, base) in table.iter_mut().zip(&book.steps) {
                step.id.clone_from(&base.id);
                ids.make_unique(&mut step.id);
            }
            let mut keys = IdKeys::with_capacity(book.steps.len());
            book.steps.iter().for_each(|s| keys.push(&s.id));
            prop_assert!(make_unique_sorted(&mut book.steps, &keys));
            let sorted: Vec<&str> = book.steps.iter().map(|s| s.id.as_str()).collect();
            let want: Vec<&str> = table.iter().map(|s| s.id.as_str()).collect();
            prop_assert_eq!(sorted, want);
        }
    }

    #[test]
    fn a_hundred_thousand_copies_go_to_the_table() {
        // Copy 100,000 would read like a hash: `x-100000`.
        assert!(dedupe(&vec!["x"; 99_999]).is_some());
        assert!(dedupe(&vec!["x"; 100_000]).is_none());
    }
}
