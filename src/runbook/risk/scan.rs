//! Bracket and placeholder scanning over the bytes of a `&str`, bounds-checked everywhere so
//! that unbalanced input simply runs to its end. Every position returned is either the end of
//! the text or just after an ASCII byte, so it is always a character boundary.

/// Bytes of a placeholder's name after its first letter.
const NAME: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-');
        b += 1;
    }
    t
};

/// End (exclusive) of a `<placeholder>` starting at `i`, per the model's placeholder pattern.
pub(crate) fn placeholder_end(s: &[u8], i: usize) -> Option<usize> {
    if s.get(i) != Some(&b'<') || !s.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    // The name runs to the first other byte, which must close it.
    let rest = s.get(i + 2..)?;
    let len = rest.iter().position(|&c| !NAME[usize::from(c)])?;
    (rest.get(len) == Some(&b'>')).then_some(i + 2 + len + 1)
}

/// Given `s[open] == '('`, returns the text inside the matching `)` and the index after it.
/// Quotes and escapes are respected; an unbalanced group runs to the end.
pub(crate) fn scan_balanced(s: &str, open: usize) -> (&str, usize) {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut k = open;
    let mut quote: Option<u8> = None;
    // A backslash may skip the first byte of a multi-byte character: its continuation bytes
    // never equal an ASCII byte, so matching is unaffected.
    while let Some(&c) = b.get(k) {
        match (quote, c) {
            (Some(b'\''), b'\'') | (Some(b'"'), b'"') => quote = None,
            (Some(b'"') | None, b'\\') => k += 1,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(c),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (s.get(open + 1..k).unwrap_or_default(), k + 1);
                }
            }
            _ => {}
        }
        k += 1;
    }
    (s.get(open + 1..).unwrap_or_default(), s.len())
}

/// Given `s[open] == '{'`, the index after the matching `}` (or the end).
pub(crate) fn scan_braces(s: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut k = open;
    while let Some(&c) = s.get(k) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k + 1;
                }
            }
            b'\\' => k += 1,
            _ => {}
        }
        k += 1;
    }
    s.len()
}
