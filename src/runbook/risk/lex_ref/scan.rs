//! Bracket and placeholder scanning over a character slice, bounds-checked everywhere so that
//! unbalanced input simply runs to its end.

/// End (exclusive) of a `<placeholder>` starting at `i`, per the model's placeholder pattern.
pub(crate) fn placeholder_end(s: &[char], i: usize) -> Option<usize> {
    if s.get(i) != Some(&'<') || !s.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut k = i + 2;
    while let Some(&c) = s.get(k) {
        if c == '>' {
            return Some(k + 1);
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            return None;
        }
        k += 1;
    }
    None
}

/// Given `s[open] == '('`, returns the text inside the matching `)` and the index after it.
/// Quotes and escapes are respected; an unbalanced group runs to the end.
pub(crate) fn scan_balanced(s: &[char], open: usize) -> (String, usize) {
    let mut depth = 0usize;
    let mut k = open;
    let mut quote: Option<char> = None;
    while let Some(&c) = s.get(k) {
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"') | None, '\\') => k += 1,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let inner = s
                        .get(open + 1..k)
                        .map(|x| x.iter().collect())
                        .unwrap_or_default();
                    return (inner, k + 1);
                }
            }
            _ => {}
        }
        k += 1;
    }
    let inner = s
        .get(open + 1..)
        .map(|x| x.iter().collect())
        .unwrap_or_default();
    (inner, s.len())
}

/// Given `s[open] == '{'`, the index after the matching `}` (or the end).
pub(crate) fn scan_braces(s: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    let mut k = open;
    while let Some(&c) = s.get(k) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k + 1;
                }
            }
            '\\' => k += 1,
            _ => {}
        }
        k += 1;
    }
    s.len()
}
