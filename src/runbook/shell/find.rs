//! Byte search a machine word at a time, for the short texts of code blocks: `memchr` (behind
//! `str::find` and `str::lines`) pays a setup on every call that costs more than the search
//! itself on lines of a few dozen bytes.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The offset of the first `x` in `hay`.
pub fn find_byte(hay: &[u8], x: u8) -> Option<usize> {
    let pattern = LO * u64::from(x);
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().ok()?) ^ pattern;
        // Bytes equal to `x` are zero in `word`; the lowest flagged byte is always a true one
        // (a borrow can only flag bytes above a zero byte).
        let zero = word.wrapping_sub(LO) & !word & HI;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|c| *c == x)
        .map(|p| at + p)
}

/// Offsets of every `x` in `hay`, in order.
pub fn positions(hay: &[u8], x: u8) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let p = from + find_byte(hay.get(from..)?, x)?;
        from = p + 1;
        Some(p)
    })
}

/// The `\n`-separated pieces of `text`, as `text.split('\n')` gives them.
pub fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match find_byte(r.as_bytes(), b'\n') {
            Some(p) => {
                rest = r.get(p + 1..);
                r.get(..p)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Texts dense in the searched bytes, around the 8-byte word boundaries.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[ab\\n$<\\r{é]{0,40}",
            1 => any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn searches_match_std(s in text()) {
            for x in [b'\n', b'$', b'<', b'a', b'{', 0xA9] {
                prop_assert_eq!(super::find_byte(s.as_bytes(), x), s.bytes().position(|c| c == x));
                let all: Vec<usize> = s.bytes().enumerate().filter(|(_, c)| *c == x).map(|(p, _)| p).collect();
                prop_assert_eq!(super::positions(s.as_bytes(), x).collect::<Vec<_>>(), all);
            }
            prop_assert_eq!(super::pieces(&s).collect::<Vec<_>>(), s.split('\n').collect::<Vec<_>>());
        }
    }
}
