//! A small static hash table from program names to what a classifier needs to know about them,
//! built once from `&'static str` lists: one lookup instead of scanning long lists.

/// Open addressing over a power-of-two number of slots, at most half full: a lookup hashes a
/// short name and usually compares one string (a binary search compared seven).
pub(super) struct Table<V> {
    pub(super) slots: Vec<Option<(&'static str, V)>>,
}

impl<V: Copy> Table<V> {
    /// The names of `lists`; a name in several lists keeps the value of the first.
    pub(super) fn build(lists: &[(&[&'static str], V)]) -> Table<V> {
        let count: usize = lists.iter().map(|(names, _)| names.len()).sum();
        let mut table = Table {
            slots: vec![None; (2 * count).next_power_of_two()],
        };
        for &(names, value) in lists {
            for name in names {
                let at = table.probe(name);
                if let Some(slot @ None) = table.slots.get_mut(at) {
                    *slot = Some((name, value));
                }
            }
        }
        table
    }

    /// The given names, each with the merge (by `merge`, in order) of its values.
    pub(super) fn build_merged(
        entries: &[(&'static str, V)],
        merge: impl Fn(&mut V, V),
    ) -> Table<V> {
        let mut table = Table {
            slots: vec![None; (2 * entries.len()).next_power_of_two()],
        };
        for &(name, value) in entries {
            let at = table.probe(name);
            match table.slots.get_mut(at) {
                Some(Some((_, held))) => merge(held, value),
                Some(slot) => *slot = Some((name, value)),
                None => {}
            }
        }
        table
    }

    pub(super) fn get(&self, name: &str) -> Option<V> {
        match self.slots.get(self.probe(name)) {
            Some(Some((_, v))) => Some(*v),
            _ => None,
        }
    }

    /// The slot holding `name`, or the empty slot where it would go.
    fn probe(&self, name: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = hash(name) & mask;
        // At most half full, so an empty slot is always reached.
        while let Some(Some((n, _))) = self.slots.get(at) {
            if *n == name {
                break;
            }
            at = (at + 1) & mask;
        }
        at
    }
}

/// A hash of the name's length and of its first two and last two bytes: cheaper than hashing
/// every byte, and it spreads the listed names well (a collision only costs a probe).
fn hash(name: &str) -> usize {
    let b = name.as_bytes();
    let at = |k: usize| u32::from(b.get(k).copied().unwrap_or(0));
    let last = |k: usize| {
        u32::from(
            b.len()
                .checked_sub(k)
                .and_then(|i| b.get(i))
                .copied()
                .unwrap_or(0),
        )
    };
    let key = at(0) | at(1) << 8 | last(1) << 16 | last(2) << 24;
    (key ^ (b.len() as u32).wrapping_mul(0x9e37_79b9)).wrapping_mul(0x85eb_ca6b) as usize >> 7
}
