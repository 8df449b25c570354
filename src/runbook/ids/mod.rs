//! Stable step ids: a readable slug plus a short hash of what identifies the step, so that an id
//! survives edits elsewhere in the file and the journal can resume by id.

mod unique;

pub use unique::UniqueIds;

use xxhash_rust::xxh3::xxh3_64_with_seed;

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

/// A file-name-safe slug of at most `max` bytes (see [`push_short_slug`]).
#[cfg(test)]
fn short_slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    push_short_slug(&mut out, 0, text, max);
    out
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
#[cfg(test)]
fn ascii_short_slug(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max));
    push_ascii_short_slug(&mut out, 0, text, max);
    out
}

/// [`ascii_short_slug`] appended to `out`, whose text from `from` on is the slug so far (the
/// caller's buffer may hold other text before it).
fn push_ascii_short_slug(out: &mut String, from: usize, text: &str, max: usize) {
    debug_assert_eq!(out.len(), from, "the slug so far is empty");
    // Built in a buffer on the stack, one table lookup a byte: every step's id passes here.
    let mut slug = [0u8; 64];
    let max = max.min(slug.len());
    let mut len = 0;
    for &b in text.as_bytes() {
        if len >= max {
            break;
        }
        match SLUG[usize::from(b)] {
            0 => {}
            // A leading separator would be trimmed by `slug`, so it is never written.
            b'-' if len == 0 || slug[len - 1] == b'-' => {}
            kept => {
                slug[len] = kept;
                len += 1;
            }
        }
    }
    while len > 0 && slug[len - 1] == b'-' {
        len -= 1;
    }
    // ASCII letters, digits and `-` only: always UTF-8.
    out.push_str(std::str::from_utf8(&slug[..len]).unwrap_or_default());
}

/// What an ASCII byte becomes in a slug: itself lower-cased (letters, digits), `-`
/// (separators), or 0 (dropped).
const SLUG: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else if c == b' ' || c == b'-' || c == b'_' {
            b'-'
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The id of a step: `name` attribute when given, else `slug-hash` (see [`push_step_id`]).
#[cfg(test)]
pub fn step_id(name: Option<&str>, section: &[String], title: &str, code: Option<&str>) -> String {
    let mut id = String::new();
    push_step_id(&mut id, name, title, step_hash(section, title, code));
    id
}

/// What a step's id hashes: its section path, title and code.
pub fn step_hash(section: &[String], title: &str, code: Option<&str>) -> u64 {
    let parts = section.iter().map(String::as_str);
    id_hash(parts.chain([title, code.unwrap_or("")]))
}

/// Appends the id of a step to `out` (the buffer that holds the step's other strings): the slug
/// of the `name` attribute when it has one, else the slug of `title` and the low 24 bits of
/// `hash` ([`step_hash`]) in hex.
pub fn push_step_id(out: &mut String, name: Option<&str>, title: &str, hash: u64) {
    let from = out.len();
    if let Some(name) = name {
        push_short_slug(out, from, name, 64);
        if out.len() > from {
            return;
        }
    }
    push_short_slug(out, from, title, 40);
    if out.len() == from {
        out.push_str("step");
    }
    out.push('-');
    for shift in (0..6).rev() {
        let digit = (hash >> (shift * 4)) & 0xf;
        out.push(char::from(b"0123456789abcdef"[digit as usize]));
    }
}

/// A file-name-safe slug of at most `max` bytes (ASCII only, so it is safe in every file
/// system) of `text`, appended to `out`, whose text from `from` on is the slug so far (empty).
fn push_short_slug(out: &mut String, from: usize, text: &str, max: usize) {
    if text.is_ascii() {
        push_ascii_short_slug(out, from, text, max);
    } else {
        out.push_str(&general_short_slug(text, max));
    }
}

/// XXH3 of the parts, each part's hash the seed of the next (so that moving text from one part
/// to the next changes the hash): a published algorithm, stable across releases and platforms,
/// and cheap next to the rest of a step's analysis.
pub fn id_hash<'a>(parts: impl Iterator<Item = &'a str>) -> u64 {
    parts.fold(0, |seed, part| xxh3_64_with_seed(part.as_bytes(), seed))
}

/// Appends `n` in decimal without the formatting machinery (it runs once per duplicate id).
pub(crate) fn push_decimal(out: &mut String, n: usize) {
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

    #[test]
    fn id_hash_is_the_published_xxh3_chain() {
        // Fixed values: ids must not change between releases or platforms.
        assert_eq!(id_hash(std::iter::empty()), 0);
        assert_eq!(id_hash(["a"].into_iter()), xxh3_64_with_seed(b"a", 0));
        let chained = xxh3_64_with_seed(b"b", xxh3_64_with_seed(b"a", 0));
        assert_eq!(id_hash(["a", "b"].into_iter()), chained);
        assert_ne!(
            id_hash(["ab", ""].into_iter()),
            id_hash(["a", "b"].into_iter())
        );
        // The same chain computed by another implementation (Python's `xxhash` package):
        // `h = xxh3_64_intdigest(part, seed=h)` over the parts, low 24 bits in hex.
        assert_eq!(
            step_id(
                None,
                &["Deploy".into()],
                "Check pods",
                Some("kubectl get pods")
            ),
            "check-pods-424e77"
        );
    }

    #[test]
    fn ids_pushed_after_other_text_are_the_same() {
        let section = ["Deploy".to_string()];
        for (name, title) in [
            (None, "Check pods"),
            (None, "- Ünïcode -"),
            (None, "!!"),
            (Some("Deploy App"), "x"),
            (Some("???"), "Fallback title"),
            (Some("Ünïcode"), "x"),
        ] {
            let mut out = String::from("code before-");
            push_step_id(
                &mut out,
                name,
                title,
                step_hash(&section, title, Some("ls")),
            );
            let want = step_id(name, &section, title, Some("ls"));
            assert_eq!(out, format!("code before-{want}"), "{name:?} {title:?}");
        }
        let bare = step_id(Some("???"), &[], "!!", None);
        assert!(bare.starts_with("step-") && bare.len() == 11, "{bare}");
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
    }
}
