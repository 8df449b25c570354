//! A list that keeps its first few items inline. The words, flags and positionals of a command
//! line are usually a handful, and with the binary's allocator an allocation (and its free)
//! costs more than reading the whole command: these lists only allocate past `N` items.

use std::fmt;
use std::ops::Deref;

pub(crate) struct Small<T, const N: usize> {
    inline: [T; N],
    /// Items held in `inline`, until they spill.
    len: usize,
    /// Every item, once there were more than `N`.
    spilled: Vec<T>,
}

impl<T: Default, const N: usize> Default for Small<T, N> {
    fn default() -> Self {
        Small {
            inline: std::array::from_fn(|_| T::default()),
            len: 0,
            spilled: Vec::new(),
        }
    }
}

impl<T: Default, const N: usize> Small<T, N> {
    #[inline]
    pub fn push(&mut self, item: T) {
        if self.spilled.is_empty()
            && let Some(slot) = self.inline.get_mut(self.len)
        {
            *slot = item;
            self.len += 1;
        } else {
            self.push_spilled(item);
        }
    }

    /// The rare case, kept out of the inlined `push`.
    #[cold]
    fn push_spilled(&mut self, item: T) {
        if self.spilled.is_empty() {
            self.spilled.reserve(2 * N);
            let held = self.inline.iter_mut().take(self.len);
            self.spilled.extend(held.map(std::mem::take));
        }
        self.spilled.push(item);
    }

    pub fn extend(&mut self, items: impl IntoIterator<Item = T>) {
        for item in items {
            self.push(item);
        }
    }
}

impl<T, const N: usize> Deref for Small<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        if self.spilled.is_empty() {
            self.inline.get(..self.len).unwrap_or_default()
        } else {
            &self.spilled
        }
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for Small<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Small;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn holds_what_a_vec_holds(items in prop::collection::vec(any::<u8>(), 0..20)) {
            let mut small: Small<u8, 4> = Small::default();
            let mut vec = Vec::new();
            for (k, &item) in items.iter().enumerate() {
                small.push(item);
                vec.push(item);
                prop_assert_eq!(&*small, &vec[..], "after {} items", k + 1);
            }
            let mut extended: Small<String, 3> = Small::default();
            extended.extend(items.iter().map(u8::to_string));
            let strings: Vec<String> = items.iter().map(u8::to_string).collect();
            prop_assert_eq!(&*extended, &strings[..]);
        }
    }
}
