//! Stable step ids: a readable slug plus a short hash of what identifies the step, so that an id
//! survives edits elsewhere in the file and the journal can resume by id.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash (the rustc hasher): ids are not attacker-chosen keys, and SipHash dominated dedupe.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type Fx = BuildHasherDefault<FxHasher>;

/// GitHub-style slug: lower-case, alphanumerics and `-`, other characters dropped, spaces → `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A file-name-safe slug of at most `max` bytes (ASCII only, so it is safe in every file system).
pub fn short_slug(text: &str, max: usize) -> String {
    if text.is_ascii() {
        ascii_short_slug(text, max)
    } else {
        general_short_slug(text, max)
    }
}

fn general_short_slug(text: &str, max: usize) -> String {
    let ascii: String = slug(text).chars().filter(|c| c.is_ascii()).collect();
    let mut cut = ascii.chars().take(max).collect::<String>();
    while cut.ends_with('-') {
        cut.pop();
    }
    cut
}

/// [`short_slug`] of ASCII text in one pass, without the intermediate strings: for ASCII,
/// lower-casing is one byte per byte and nothing is filtered out after slugging.
fn ascii_short_slug(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max));
    push_ascii_short_slug(&mut out, text, max);
    out
}

/// [`ascii_short_slug`] appended to `out`, which must be empty (the caller owns the buffer).
fn push_ascii_short_slug(out: &mut String, text: &str, max: usize) {
    for &b in text.as_bytes() {
        if out.len() >= max {
            break;
        }
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b.to_ascii_lowercase()));
        } else if matches!(b, b' ' | b'-' | b'_') && !out.is_empty() && !out.ends_with('-') {
            // A leading separator would be trimmed by `slug`, so it is never written.
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
}

/// The id of a step: `name` attribute when given, else `slug-hash`.
pub fn step_id(name: Option<&str>, section: &[String], title: &str, code: Option<&str>) -> String {
    if let Some(name) = name {
        let s = short_slug(name, 64);
        if !s.is_empty() {
            return s;
        }
    }
    let parts = section.iter().map(String::as_str);
    let hash = fnv1a(parts.chain([title, code.unwrap_or("")]));
    // Room for the slug and `-xxxxxx` from the start: no regrowth.
    let mut id = String::with_capacity(title.len().min(40) + 7);
    if title.is_ascii() {
        push_ascii_short_slug(&mut id, title, 40);
    } else {
        id.push_str(&general_short_slug(title, 40));
    }
    if id.is_empty() {
        id.push_str("step");
    }
    id.push('-');
    for shift in (0..6).rev() {
        let digit = (hash >> (shift * 4)) & 0xf;
        id.push(char::from(b"0123456789abcdef"[digit as usize]));
    }
    id
}

/// FNV-1a, 64 bit, of the parts each followed by `0x1f`: stable across releases and platforms
/// (unlike `DefaultHasher`) and cheap.
pub fn fnv1a<'a>(parts: impl Iterator<Item = &'a str>) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        // Eight bytes per load, still one FNV-1a round per byte in order: same hash, fewer
        // instructions than a per-byte iterator.
        let mut chunks = part.as_bytes().chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            let mut w = u64::from_le_bytes(word);
            for _ in 0..8 {
                hash = (hash ^ (w & 0xff)).wrapping_mul(PRIME);
                w >>= 8;
            }
        }
        for &b in chunks.remainder() {
            hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
        }
        hash = (hash ^ 0x1f).wrapping_mul(PRIME);
    }
    hash
}

/// Makes ids unique in document order by appending `-2`, `-3`…
pub fn dedupe(ids: &mut [String]) {
    // Every id seen so far, borrowed from `ids`, and the new ids of renamed duplicates, owned
    // here with the index they go to; they are moved back once `ids` is no longer borrowed.
    let mut seen = HashMap::<Cow<'_, str>, Option<usize>, Fx>::with_capacity_and_hasher(
        ids.len(),
        Fx::default(),
    );
    // Next suffix to try per base id, so that many copies of one step stay linear.
    let mut next = HashMap::<&str, usize, Fx>::default();
    let mut renamed = 0;
    for (i, id) in ids.iter().enumerate() {
        let id = id.as_str();
        if let Entry::Vacant(v) = seen.entry(Cow::Borrowed(id)) {
            v.insert(None);
            continue;
        }
        let n = next.entry(id).or_insert(2);
        let suffixed = |n: usize| {
            let mut c = String::with_capacity(id.len() + 8);
            c.push_str(id);
            c.push('-');
            push_decimal(&mut c, n);
            c
        };
        let mut candidate = suffixed(*n);
        while seen.contains_key(candidate.as_str()) {
            *n += 1;
            candidate = suffixed(*n);
        }
        *n += 1;
        seen.insert(Cow::Owned(candidate), Some(i));
        renamed += 1;
    }
    if renamed == 0 {
        return;
    }
    let mut moves = Vec::with_capacity(renamed);
    for (id, at) in seen {
        if let (Cow::Owned(id), Some(i)) = (id, at) {
            moves.push((i, id));
        }
    }
    for (i, id) in moves {
        if let Some(slot) = ids.get_mut(i) {
            *slot = id;
        }
    }
}

/// Appends `n` in decimal without the formatting machinery (it runs once per duplicate id).
fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    let mut n = n;
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[k..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("1.1 Azure Key Vault — Config!"),
            "11-azure-key-vault-config"
        );
        assert_eq!(slug("Roll back"), "roll-back");
        assert_eq!(short_slug("Ünïcode stays out", 10), "ncode-stay");
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_matches_general_slug(
            text in "[ -~]{0,60}",
            max in 0usize..50,
        ) {
            proptest::prop_assert_eq!(ascii_short_slug(&text, max), general_short_slug(&text, max));
        }
    }

    /// The plain per-byte FNV-1a the word-at-a-time loop must agree with.
    fn fnv1a_ref<'a>(parts: impl Iterator<Item = &'a str>) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            for byte in part.bytes().chain(std::iter::once(0x1f)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        hash
    }

    proptest::proptest! {
        #[test]
        fn fnv1a_matches_per_byte_reference(parts in proptest::collection::vec(".{0,40}", 0..5)) {
            let fast = fnv1a(parts.iter().map(String::as_str));
            proptest::prop_assert_eq!(fast, fnv1a_ref(parts.iter().map(String::as_str)));
        }
    }

    /// Dedupe the slow, obvious way: the smallest free `-n` from 2, per id in order.
    fn dedupe_ref(ids: &[String]) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
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

    proptest::proptest! {
        #[test]
        fn dedupe_matches_reference(ids in proptest::collection::vec("[ab](-[23](-2)?)?", 0..30)) {
            let mut fast = ids.clone();
            dedupe(&mut fast);
            proptest::prop_assert_eq!(fast, dedupe_ref(&ids));
        }
    }

    #[test]
    fn decimal_matches_to_string() {
        for n in [0, 7, 10, 99, 100, 4096, usize::MAX] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }

    #[test]
    fn ids_are_stable_and_unique() {
        let a = step_id(None, &["A".into()], "Check pods", Some("kubectl get pods"));
        let b = step_id(None, &["A".into()], "Check pods", Some("kubectl get pods"));
        assert_eq!(a, b);
        assert!(a.starts_with("check-pods-"));
        let c = step_id(None, &["B".into()], "Check pods", Some("kubectl get pods"));
        assert_ne!(a, c);
        assert_eq!(step_id(Some("Deploy App"), &[], "x", None), "deploy-app");
        let mut ids = vec!["x".to_string(), "x".into(), "x-2".into(), "x".into()];
        dedupe(&mut ids);
        assert_eq!(ids, ["x", "x-2", "x-2-2", "x-3"]);
    }
}
