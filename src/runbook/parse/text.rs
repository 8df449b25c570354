//! Text helpers of the walker: line numbers, paragraph whitespace, `Expected:` lines, prose
//! between steps and fence closing.

/// 1-based line numbers of byte offsets, for offsets that mostly move forward: the walker asks
/// in document order (and a little backwards, for the start of a heading it just ended), so
/// counting the newlines between the last offset and the next one touches each byte about once,
/// without a table of every line of the file.
pub(crate) struct LineCursor<'a> {
    src: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCursor<'a> {
    /// A cursor that starts at byte `offset` of `src`, which is on line `line`.
    pub(super) fn at(src: &'a str, offset: usize, line: usize) -> LineCursor<'a> {
        LineCursor {
            src: src.as_bytes(),
            offset: offset.min(src.len()),
            line,
        }
    }

    /// The line of byte `offset` (offsets past the end count as the end).
    pub(super) fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.src.len());
        if offset >= self.offset {
            self.line += newlines(&self.src[self.offset..offset]);
        } else {
            self.line -= newlines(&self.src[offset..self.offset]);
        }
        self.offset = offset;
        self.line
    }
}

/// How many `\n` bytes `bytes` holds.
fn newlines(bytes: &[u8]) -> usize {
    bytecount::count(bytes, b'\n')
}

/// Byte offset where the line holding `offset` starts.
pub(super) fn line_start(src: &str, offset: usize) -> usize {
    let offset = offset.min(src.len());
    src.as_bytes()[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1)
}

/// Writes `text` into `out` (cleared first) with whitespace runs collapsed to one space and
/// the ends trimmed.
pub(super) fn collapse_into(text: &str, out: &mut String) {
    out.clear();
    if is_collapsed(text) {
        // Already in its final form (the common case): one copy.
        out.push_str(text);
        return;
    }
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Whether collapsing whitespace runs and trimming would leave `text` as it is: single ASCII
/// spaces between words only (any byte that may be other whitespace, non-ASCII included, takes
/// the slow path). Written as whole-slice passes the compiler vectorises: every paragraph of
/// the file goes through here.
fn is_collapsed(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return true;
    };
    // `\t`, `\n`, vertical tab, form feed, `\r`, and every non-ASCII byte.
    let other_space = |c: u8| (9..=13).contains(&c) | (c >= 0x80);
    // Branch-free over byte pairs: no other space after the first byte, no two spaces in a row.
    let odd = b.iter().zip(&b[1..]).fold(false, |seen, (&x, &y)| {
        seen | other_space(y) | ((x == b' ') & (y == b' '))
    });
    first != b' ' && last != b' ' && !other_space(first) && !odd
}

/// `Expected: x` / `Expected output: x` → `x`.
pub(super) fn expected_text(text: &str) -> Option<&str> {
    // Compared in place, without case: every paragraph goes through here.
    ["expected output:", "expected:", "expect:"]
        .iter()
        .find(|p| {
            text.as_bytes()
                .get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p.as_bytes()))
        })
        .and_then(|p| text.get(p.len()..))
        .map(str::trim)
}

/// The markdown between two offsets, trimmed (for the step view).
pub(super) fn prose(src: &str, from: usize, to: usize) -> &str {
    src.get(from.min(to)..to).map_or("", str::trim)
}

/// A fenced block's source ends with a closing fence of the same character, at least as long.
/// Every byte the opening line is checked for is ASCII, so it is read as bytes.
pub(super) fn fence_is_closed(block_src: &str) -> bool {
    let b = block_src.as_bytes();
    if b.is_empty() {
        return false;
    }
    let first = &b[..b.iter().position(|&c| c == b'\n').unwrap_or(b.len())];
    // Quote markers, list markers and indentation before the fence.
    let lead = first
        .iter()
        .position(|c| {
            !matches!(
                c,
                b' ' | b'>' | b'-' | b'*' | b'+' | b'.' | b')' | b'0'..=b'9'
            )
        })
        .unwrap_or(first.len());
    let fence = match first.get(lead) {
        Some(&c @ (b'`' | b'~')) => c,
        _ => return true,
    };
    let len = first[lead..].iter().take_while(|&&c| c == fence).count();
    let Some(last) = last_line_after_first(block_src) else {
        return false;
    };
    let last = last.trim().trim_start_matches(['>', ' ']);
    let closing = last.bytes().take_while(|&c| c == fence).count();
    closing >= len && last[closing..].trim().is_empty()
}

/// `text.lines().skip(1).last()`, found from the end instead of by walking every line.
fn last_line_after_first(text: &str) -> Option<&str> {
    // A final `\n` ends the last line rather than starting an empty one.
    let body = text.strip_suffix('\n').unwrap_or(text);
    let start = body.as_bytes().iter().rposition(|&c| c == b'\n')? + 1;
    let piece = text.get(start..)?;
    Some(match piece.strip_suffix('\n') {
        // `lines()` drops a `\r` only as part of a `\r\n` ending.
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => piece,
    })
}

#[cfg(test)]
mod tests {
    use super::{LineCursor, collapse_into, expected_text, is_collapsed, line_start};

    proptest::proptest! {
        #[test]
        fn last_line_matches_lines(text in "(\n|a|\r| |`){0,30}") {
            proptest::prop_assert_eq!(
                super::last_line_after_first(&text),
                text.lines().skip(1).last()
            );
        }

        #[test]
        fn line_cursor_matches_counting_from_the_start(
            text in "(\n|a|é|\r){0,80}",
            offsets in proptest::collection::vec(0usize..100, 0..20),
        ) {
            let mut cursor = LineCursor::at(&text, 0, 1);
            for offset in offsets {
                let at = offset.min(text.len());
                let want = 1 + text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
                proptest::prop_assert_eq!(cursor.line(offset), want);
                let start = line_start(&text, offset);
                proptest::prop_assert!(start <= at && !text.as_bytes()[start..at].contains(&b'\n'));
                proptest::prop_assert!(start == 0 || text.as_bytes()[start - 1] == b'\n');
            }
        }
    }

    /// The fence check as first written (line iterators, `char` predicates): the oracle.
    fn fence_is_closed_ref(block_src: &str) -> bool {
        let mut lines = block_src.lines();
        let Some(first) = lines.next() else {
            return false;
        };
        let opening = first.trim_start_matches([' ', '>']);
        let opening = opening.trim_start_matches(|c: char| {
            matches!(c, '-' | '*' | '+' | '.' | ')' | ' ' | '>') || c.is_ascii_digit()
        });
        let fence_char = match opening.chars().next() {
            Some(c @ ('`' | '~')) => c,
            _ => return true,
        };
        let len = opening.chars().take_while(|&c| c == fence_char).count();
        let Some(last) = block_src.lines().skip(1).last() else {
            return false;
        };
        let last = last.trim().trim_start_matches(['>', ' ']);
        let closing = last.chars().take_while(|&c| c == fence_char).count();
        closing >= len && last[closing * fence_char.len_utf8()..].trim().is_empty()
    }

    proptest::proptest! {
        #[test]
        fn fence_check_matches_the_oracle(text in "(`|~|>| |-|1|\\.|\\)|\n|\r|a|\u{a0}|é){0,24}") {
            proptest::prop_assert_eq!(super::fence_is_closed(&text), fence_is_closed_ref(&text));
        }
    }

    /// The first, byte-pair version of [`is_collapsed`]: the oracle.
    fn is_collapsed_ref(text: &str) -> bool {
        let b = text.as_bytes();
        let plain = |c: u8| !(c.is_ascii_whitespace() || c == 0x0b || c >= 0x80);
        b.first().is_none_or(|&c| plain(c))
            && b.last().is_none_or(|&c| plain(c))
            && b.windows(2)
                .all(|w| plain(w[1]) || (w[1] == b' ' && plain(w[0])))
    }

    proptest::proptest! {
        #[test]
        fn collapsed_check_matches_the_oracle(text in "( |a|\t|\n|\r|\u{b}|\u{c}|\u{1}|é|\u{a0}){0,12}") {
            proptest::prop_assert_eq!(is_collapsed(&text), is_collapsed_ref(&text));
        }
    }

    /// The whitespace collapsing the walker falls back to.
    fn collapse(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn collapse_into_reuses_the_buffer() {
        let mut out = String::from("old text");
        collapse_into("  Check \n the\tpods ", &mut out);
        assert_eq!(out, "Check the pods");
        collapse_into("Plain", &mut out);
        assert_eq!(out, "Plain");
    }

    #[test]
    fn collapsed_text_is_recognised_exactly() {
        for text in [
            "", "a", "a b", "a  b", " a", "a ", "a\nb", "a\tb", "a\u{a0}b", "é b", "a\u{b}b",
            "x y z",
        ] {
            if is_collapsed(text) {
                assert_eq!(collapse(text), text, "{text:?}");
            }
        }
        assert!(is_collapsed("Check the pods"));
        assert!(!is_collapsed("Check  the pods"));
    }

    #[test]
    fn expected_lines() {
        assert_eq!(expected_text("Expected: ok"), Some("ok"));
        assert_eq!(expected_text("EXPECTED OUTPUT:  3 pods "), Some("3 pods"));
        assert_eq!(expected_text("expect:x"), Some("x"));
        assert_eq!(expected_text("Expectations: none"), None);
        assert_eq!(expected_text("Exp"), None);
        assert_eq!(expected_text("Expécted: x"), None);
    }
}
