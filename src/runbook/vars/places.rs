//! `<placeholder>` occurrences in a [`Scan`]: the raw text decides, the byte contexts only
//! rule out comments.

use crate::runbook::shell::find::positions;
use crate::runbook::shell::lex::{Kind, Scan};

/// HTML tag names that look like placeholders in markdown but are not.
const HTML_TAGS: &[&str] = &[
    "a", "abbr", "b", "br", "code", "details", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "tt", "u", "ul",
];

/// The longest name in [`HTML_TAGS`]: longer names need no look-up.
const HTML_TAG_MAX: usize = 7;

fn is_html_tag(name: &str) -> bool {
    name.len() <= HTML_TAG_MAX && HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// True when `text` is exactly one `<name>` placeholder token (markdown reads it as an inline
/// HTML tag; a title must keep it).
pub(crate) fn is_placeholder_token(text: &str) -> bool {
    let b = text.as_bytes();
    token_at(b, 0).is_some_and(|(_, end)| end + 1 == b.len())
        && !is_html_tag(&text[1..text.len() - 1])
}

/// A `<name>` placeholder occurrence: byte range of the whole token and the name.
pub(crate) struct Span<'a> {
    pub start: usize,
    pub end: usize,
    pub name: &'a str,
}

/// The offset of the first `cc` (an ASCII character doubled) at or after `from`.
fn find_pair(b: &[u8], from: usize, c: u8) -> Option<usize> {
    positions(b.get(from..)?, c)
        .map(|p| from + p)
        .find(|p| b.get(p + 1) == Some(&c))
}

/// Byte ranges of Go templates `{{ … }}`, where `<x>` is template syntax, not a placeholder.
fn template_ranges(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = find_pair(b, from, b'{') {
        let close = find_pair(b, open + 2, b'}').map_or(b.len(), |p| p + 2);
        out.push((open, close));
        from = close;
    }
    out
}

/// The `<name>` token starting at the `<` at `p`, by its text alone: a name, a closing `>`,
/// and no `<` right before (heredoc markers, here-strings).
fn token_at(b: &[u8], p: usize) -> Option<(usize, usize)> {
    if !b.get(p + 1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let len = b[p + 1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        .count();
    let end = p + 1 + len;
    if b.get(end) != Some(&b'>') || (p > 0 && b[p - 1] == b'<') {
        return None;
    }
    Some((p + 1, end))
}

/// Placeholder occurrences that count, in order: not in comments, not HTML tags, not heredoc
/// markers or here-strings (a `<` right before), not inside Go templates.
pub(crate) fn placeholder_spans(scan: &Scan) -> impl Iterator<Item = Span<'_>> {
    let b = scan.src.as_bytes();
    // Found on the first candidate that needs them: most scripts have no candidate.
    let mut templates: Option<Vec<(usize, usize)>> = None;
    positions(b, b'<').filter_map(move |p| {
        let (from, to) = token_at(b, p)?;
        let name = scan.src.get(from..to)?;
        if is_html_tag(name) || scan.ctx_at(p).is_some_and(|c| c.kind == Kind::Comment) {
            return None;
        }
        let templates = templates.get_or_insert_with(|| template_ranges(b));
        if templates.iter().any(|(s, e)| *s <= p && p < *e) {
            return None;
        }
        Some(Span {
            start: p,
            end: to + 1,
            name,
        })
    })
}
