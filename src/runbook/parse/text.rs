//! Text helpers of the walker: line numbers, paragraph whitespace, `Expected:` lines, prose
//! between steps and fence closing.

/// Maps byte offsets to 1-based line numbers.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(super) fn new(text: &str) -> Lines {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        push_line_starts(text.as_bytes(), &mut starts);
        Lines { starts }
    }
    pub(super) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where 1-based `line` starts.
    pub(super) fn start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.saturating_sub(1)).copied()
    }
}

/// Appends the offset after every `\n`. Lines are short, so a `memchr` call per line costs
/// more than it saves; eight bytes are tested at once instead (little-endian, so lower bits
/// are earlier bytes).
fn push_line_starts(bytes: &[u8], out: &mut Vec<usize>) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'\n'));
        // The high bit of each byte of `x` that is zero (a `\n`), and no other bit: adding
        // 0x7f to the low seven bits carries into the high bit unless they are all zero.
        let mut hits = !(((x & !HIGH).wrapping_add(!HIGH)) | x | !HIGH);
        while hits != 0 {
            out.push(base + (hits.trailing_zeros() / 8) as usize + 1);
            hits &= hits - 1;
        }
        base += 8;
    }
    for (k, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\n' {
            out.push(base + k + 1);
        }
    }
}

/// Whether collapsing whitespace runs and trimming would leave `text` as it is: single ASCII
/// spaces between words only (any other byte that may be whitespace takes the slow path).
pub(super) fn is_collapsed(text: &str) -> bool {
    let b = text.as_bytes();
    let plain = |c: u8| !(c.is_ascii_whitespace() || c == 0x0b || c >= 0x80);
    b.first().is_none_or(|&c| plain(c))
        && b.last().is_none_or(|&c| plain(c))
        && b.windows(2)
            .all(|w| plain(w[1]) || (w[1] == b' ' && plain(w[0])))
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

/// The markdown between two offsets with code fences left out, trimmed (for the step view).
pub(super) fn prose(src: &str, from: usize, to: usize) -> String {
    let Some(slice) = src.get(from.min(to)..to) else {
        return String::new();
    };
    slice.trim().to_string()
}

/// A fenced block's source ends with a closing fence of the same character, at least as long.
pub(super) fn fence_is_closed(block_src: &str) -> bool {
    let mut lines = block_src.lines();
    let Some(first) = lines.next() else {
        return false;
    };
    let opening = first.trim_start_matches([' ', '>']);
    let opening = opening.trim_start_matches(|c: char| {
        c == '-'
            || c == '*'
            || c == '+'
            || c.is_ascii_digit()
            || c == '.'
            || c == ')'
            || c == ' '
            || c == '>'
    });
    let fence_char = match opening.chars().next() {
        Some(c @ ('`' | '~')) => c,
        _ => return true,
    };
    let len = opening.chars().take_while(|&c| c == fence_char).count();
    let Some(last) = last_line_after_first(block_src) else {
        return false;
    };
    let last = last.trim().trim_start_matches(['>', ' ']);
    let closing = last.chars().take_while(|&c| c == fence_char).count();
    closing >= len && last[closing * fence_char.len_utf8()..].trim().is_empty()
}

/// `text.lines().skip(1).last()`, found from the end instead of by walking every line.
fn last_line_after_first(text: &str) -> Option<&str> {
    // A final `\n` ends the last line rather than starting an empty one.
    let body = text.strip_suffix('\n').unwrap_or(text);
    let start = body.rfind('\n')? + 1;
    let piece = text.get(start..)?;
    Some(match piece.strip_suffix('\n') {
        // `lines()` drops a `\r` only as part of a `\r\n` ending.
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => piece,
    })
}

#[cfg(test)]
mod tests {
    use super::{Lines, expected_text, is_collapsed};

    proptest::proptest! {
        #[test]
        fn last_line_matches_lines(text in "(\n|a|\r| |`){0,30}") {
            proptest::prop_assert_eq!(
                super::last_line_after_first(&text),
                text.lines().skip(1).last()
            );
        }

        #[test]
        fn line_starts_match_match_indices(text in "(\n|a|é|\u{28a}|\r){0,80}") {
            let want: Vec<usize> =
                std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
            proptest::prop_assert_eq!(Lines::new(&text).starts, want);
        }
    }

    /// The whitespace collapsing the walker falls back to.
    fn collapse(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
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
