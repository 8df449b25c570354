//! Reading a variable's value back out of the line that re-creates it (`declare -x T="a\"b"`,
//! `T=$'a\nb'`, POSIX `T='it'"'"'s'`), so that a secret a step left in the shell can be masked
//! in later output. Only the quoting bash and POSIX shells print is understood; anything else
//! (arrays, unknown escapes) gives `None` rather than a wrong value.

/// The value of the scalar in a `declare -p`, `set` or `export -p` line.
pub(crate) fn value_of(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("declare -")
        .and_then(|r| r.split_once(' ').map(|(_, r)| r))
        .or_else(|| line.strip_prefix("export "))
        .unwrap_or(line);
    let (_, word) = rest.split_once('=')?;
    word_value(word)
}

/// Removes the quotes of one shell word made of quoted and plain pieces. Octal and `\x` escapes
/// are bytes (bash writes a non-UTF-8 locale's characters so), so the value is built as bytes.
fn word_value(word: &str) -> Option<String> {
    let mut out = Bytes::default();
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => out.push(c),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => match chars.next()? {
                        c @ ('"' | '\\' | '$' | '`') => out.push(c),
                        '\n' => {}
                        c => {
                            out.push('\\');
                            out.push(c);
                        }
                    },
                    c => out.push(c),
                }
            },
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                ansi_c(&mut chars, &mut out)?;
            }
            '\\' => out.push(chars.next()?),
            '(' if out.is_empty() => return None,
            c => out.push(c),
        }
    }
    String::from_utf8(out.0).ok()
}

/// The value being read, as bytes.
#[derive(Default)]
struct Bytes(Vec<u8>);

impl Bytes {
    fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.0.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The body of `$'…'` after its opening quote, up to and including the closing one.
fn ansi_c(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut Bytes) -> Option<()> {
    loop {
        match chars.next()? {
            '\'' => return Some(()),
            '\\' => {
                let c = match chars.next()? {
                    'a' => '\x07',
                    'b' => '\x08',
                    'e' | 'E' => '\x1b',
                    'f' => '\x0c',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\x0b',
                    c @ ('\\' | '\'' | '"' | '?') => c,
                    d @ '0'..='7' => {
                        let mut n = d.to_digit(8)?;
                        for _ in 0..2 {
                            match chars.peek().and_then(|c| c.to_digit(8)) {
                                Some(x) => {
                                    n = n * 8 + x;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        out.0.push(u8::try_from(n & 0xff).ok()?);
                        continue;
                    }
                    'x' => {
                        let n = hex(chars, 2)?;
                        out.0.push(u8::try_from(n).ok()?);
                        continue;
                    }
                    'u' => char::from_u32(hex(chars, 4)?)?,
                    'U' => char::from_u32(hex(chars, 8)?)?,
                    _ => return None,
                };
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// The number in up to `max` hex digits.
fn hex(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, max: usize) -> Option<u32> {
    let mut n = 0u32;
    let mut digits = 0;
    while digits < max {
        match chars.peek().and_then(|c| c.to_digit(16)) {
            Some(x) => {
                n = n * 16 + x;
                chars.next();
                digits += 1;
            }
            None => break,
        }
    }
    (digits > 0).then_some(n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// What bash itself prints for each value, read back.
    #[test]
    fn values_printed_by_bash_read_back_exactly() {
        let values = [
            "plain",
            "with space",
            "q\"uo$te`s\\",
            "it's",
            "two\nlines",
            "tab\there\x1b[0m",
            "ünï©ødé",
            "",
        ];
        for (i, value) in values.iter().enumerate() {
            for shell in ["bash", "dash"] {
                let script = if shell == "bash" {
                    "declare -p V; export V; declare -p V"
                } else {
                    "set; export V; export -p"
                };
                let Ok(out) = std::process::Command::new(shell)
                    .arg("-c")
                    .arg(script)
                    .env("V", value)
                    .output()
                else {
                    continue;
                };
                let text = String::from_utf8(out.stdout).unwrap();
                let lines: Vec<String> = crate::exec::carry::split_records(&text)
                    .into_iter()
                    .filter(|l| l.starts_with("V=") || l.contains(" V="))
                    .collect();
                assert!(!lines.is_empty(), "{shell} printed nothing for {i}");
                for line in lines {
                    assert_eq!(value_of(&line).as_deref(), Some(*value), "{shell}: {line}");
                }
            }
        }
    }

    #[test]
    fn arrays_and_broken_quotes_give_none() {
        assert_eq!(value_of("declare -a arr=([0]=\"1\")"), None);
        assert_eq!(value_of("declare -- x=\"open"), None);
        assert_eq!(value_of("declare -- x=$'\\q'"), None);
        assert_eq!(value_of("declare -- x"), None);
        assert_eq!(value_of("X=$'\\101\\x42\\u00e9'").as_deref(), Some("ABé"));
        // Bytes of a UTF-8 character written one by one, as bash does in the C locale.
        assert_eq!(value_of("X=$'\\303\\274\\xc3\\xa9'").as_deref(), Some("üé"));
    }
}
