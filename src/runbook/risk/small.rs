//! A list that keeps its first few items inline. The words, flags and positionals of a command
//! line are usually a handful, and with the binary's allocator an allocation (and its free)
//! costs more than reading the whole command: these lists only allocate past `N` items.

/// Up to `N` items inline, more on the heap.
pub(crate) type Small<T, const N: usize> = smallvec::SmallVec<[T; N]>;
