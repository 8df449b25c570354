//! Unique ids in document order: the first step keeps its id, later ones with the same id get
//! `-2`, `-3`… (the smallest suffix no earlier id has taken).
//!
//! Ids arrive one at a time, so the work can follow the finished steps as they come. Every id
//! given out is kept once, back to back in one string, and found again through a table of
//! hashes: no allocation per id.

use super::push_decimal;
use crate::runbook::Text;
use hashbrown::HashTable;
use xxhash_rust::xxh3::xxh3_64;

/// Every id given out so far.
#[derive(Default)]
pub struct UniqueIds {
    table: HashTable<Slot>,
    /// The ids, back to back; slots point into it.
    text: String,
    /// Where a duplicate's suffixed ids are tried, kept for the next one.
    scratch: String,
}

#[derive(Clone, Copy)]
struct Slot {
    hash: u64,
    start: usize,
    len: usize,
    /// The next suffix to try when this id comes again.
    next: usize,
}

impl UniqueIds {
    /// Room for `ids` ids without growing.
    pub fn with_capacity(ids: usize) -> UniqueIds {
        UniqueIds {
            table: HashTable::with_capacity(ids),
            text: String::with_capacity(ids * 24),
            scratch: String::new(),
        }
    }

    /// Room for `ids` more ids.
    pub fn reserve(&mut self, ids: usize) {
        self.table.reserve(ids, |s| s.hash);
        self.text.reserve(ids * 24);
    }

    /// Makes `id` unique among the ids given out so far, and gives it out. A taken id is
    /// replaced by a copy with `-n` appended, in a buffer of its own (the step's buffer is
    /// frozen by now): one allocation per duplicate.
    pub fn make_unique(&mut self, id: &mut Text) {
        let hash = xxh3_64(id.as_bytes());
        let Some(n) = self.find(hash, id).map(|s| s.next) else {
            self.insert(hash, id);
            return;
        };
        let start = self.text.len();
        let mut unique = std::mem::take(&mut self.scratch);
        unique.clear();
        unique.push_str(id);
        self.suffix(&mut unique, hash, n);
        self.scratch = unique;
        // `suffix` gave the id out: it is the end of `text`.
        *id = Text::from(&self.text[start..]);
    }

    /// Appends the smallest free `-n` (from `n`, the next suffix remembered for `id`, whose
    /// hash is `base_hash`) to `id`, which is taken, and gives it out.
    fn suffix(&mut self, id: &mut String, base_hash: u64, mut n: usize) {
        let base_len = id.len();
        let hash = loop {
            id.truncate(base_len);
            id.push('-');
            push_decimal(id, n);
            let hash = xxh3_64(id.as_bytes());
            if self.find(hash, id).is_none() {
                break hash;
            }
            n += 1;
        };
        let base = &id[..base_len];
        let text = &self.text;
        if let Some(slot) = self.table.find_mut(base_hash, |s| {
            s.hash == base_hash && &text[s.start..s.start + s.len] == base
        }) {
            slot.next = n + 1;
        }
        self.insert(hash, id);
    }

    fn find(&self, hash: u64, id: &str) -> Option<&Slot> {
        let text = &self.text;
        self.table.find(hash, |s| {
            s.hash == hash && &text[s.start..s.start + s.len] == id
        })
    }

    fn insert(&mut self, hash: u64, id: &str) {
        let slot = Slot {
            hash,
            start: self.text.len(),
            len: id.len(),
            next: 2,
        };
        self.text.push_str(id);
        self.table.insert_unique(hash, slot, |s| s.hash);
    }
}

#[cfg(test)]
mod tests {
    use super::{Text, UniqueIds};
    use std::collections::HashSet;

    /// The slow, obvious way: the smallest free `-n` from 2, per id in order.
    fn dedupe_ref(ids: &[String]) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for id in ids {
            let mut id = id.clone();
            if !seen.insert(id.clone()) {
                let base = id.clone();
                let mut n = 2;
                while seen.contains(&format!("{base}-{n}")) {
                    n += 1;
                }
                id = format!("{base}-{n}");
                seen.insert(id.clone());
            }
            out.push(id);
        }
        out
    }

    fn dedupe(ids: &[String]) -> Vec<String> {
        let mut unique = UniqueIds::default();
        ids.iter()
            .map(|id| {
                let mut id = Text::from(id.as_str());
                unique.make_unique(&mut id);
                id.into_string()
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn matches_the_obvious_way(ids in proptest::collection::vec("[ab](-[23](-2)?)?", 0..30)) {
            proptest::prop_assert_eq!(dedupe(&ids), dedupe_ref(&ids));
        }
    }

    #[test]
    fn later_copies_get_the_smallest_free_suffix() {
        let ids: Vec<String> = ["x", "x", "x-2", "x", "y", "x-2"]
            .map(String::from)
            .to_vec();
        assert_eq!(dedupe(&ids), ["x", "x-2", "x-2-2", "x-3", "y", "x-2-3"]);
        // Many copies stay linear: the next suffix is remembered per id.
        let many = vec!["s".to_string(); 5000];
        let out = dedupe(&many);
        assert_eq!(out[4999], "s-5000");
        assert_eq!(out.iter().collect::<HashSet<_>>().len(), 5000);
    }
}
