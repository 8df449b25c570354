//! Getopt-style reading of a command's arguments: which flags are present (short clusters
//! expanded, `--name=value` split) and which words are positional.

use super::flags::ValueFlags;
use super::small::Small;
use super::{Arg, AsStr, Text};

/// Flags in order, with their value when they take one.
type Flags<'a> = Small<(Text<'a>, Option<&'a str>), 4>;

/// The arguments of one command (the program word excluded).
#[derive(Debug, Default)]
pub(crate) struct Args<'a> {
    /// Flags in order, with their value when they take one (`-n ns`, `--replicas=0`, `-XPOST`).
    pub flags: Flags<'a>,
    /// Words that are neither flags nor flag values, before any `--`.
    pub pos: Small<&'a str, 4>,
    /// Words after the first `--`, if there is one.
    pub rest: Option<&'a [Arg<'a>]>,
}

/// Reads `words` (arguments only). `value_flags` lists the flags that take a value, short
/// (`-n`) and long (`--namespace`). When `stop_at_pos` is set, reading stops at the first
/// positional, which is kept with everything after it in `pos` (for wrappers such as `sudo`).
pub(crate) fn parse<'a>(
    words: &'a [Arg<'a>],
    value_flags: &(impl ValueFlags + ?Sized),
    stop_at_pos: bool,
) -> Args<'a> {
    let mut a = Args::default();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        i += 1;
        if w == "--" {
            a.rest = words.get(i..);
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, v)) => {
                    // `--name` is the start of the word itself.
                    let flag = w.as_str().get(..name.len() + 2).unwrap_or_default();
                    a.flags.push((Text::Borrowed(flag), Some(v)));
                }
                None if value_flags.takes_value(w) => {
                    a.flags
                        .push((Text::Borrowed(w.0), words.get(i).map(AsStr::as_str)));
                    i += 1;
                }
                None => a.flags.push((Text::Borrowed(w.0), None)),
            }
        } else if w.len() > 1 && w.starts_with('-') && !w.starts_with("-=") {
            i += short_cluster(
                w,
                words.get(i).map(AsStr::as_str),
                value_flags,
                |name, value| a.flags.push((name, value)),
            );
        } else if stop_at_pos {
            a.pos.extend(words[i - 1..].iter().map(AsStr::as_str));
            break;
        } else {
            a.pos.push(w.0);
        }
    }
    a
}

/// `-c` for a flag letter, without allocating for ASCII letters (the usual case).
fn dashed(c: char) -> Text<'static> {
    const ALNUM: &str = "-0-1-2-3-4-5-6-7-8-9-A-B-C-D-E-F-G-H-I-J-K-L-M-N-O-P-Q-R-S-T-U-V-W-X-Y-Z\
                         -a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z";
    let at = match c {
        '0'..='9' => Some(c as usize - '0' as usize),
        'A'..='Z' => Some(10 + c as usize - 'A' as usize),
        'a'..='z' => Some(36 + c as usize - 'a' as usize),
        _ => None,
    };
    match at.and_then(|k| ALNUM.get(2 * k..2 * k + 2)) {
        Some(flag) => Text::Borrowed(flag),
        None => Text::Owned(format!("-{c}")),
    }
}

/// Expands `-abc` / `-nvalue` / `-n=value`; returns how many following words were consumed.
fn short_cluster<'a>(
    w: &'a str,
    next: Option<&'a str>,
    value_flags: &(impl ValueFlags + ?Sized),
    mut out: impl FnMut(Text<'a>, Option<&'a str>),
) -> usize {
    if value_flags.takes_value(w) {
        out(Text::Borrowed(w), next);
        return 1;
    }
    for (k, c) in w.char_indices().skip(1) {
        let name = dashed(c);
        if value_flags.takes_value(&name) {
            let tail = &w[k + c.len_utf8()..];
            let tail = tail.strip_prefix('=').unwrap_or(tail);
            if tail.is_empty() {
                out(name, next);
                return 1;
            }
            out(name, Some(tail));
            return 0;
        }
        if c == '=' {
            // `-i=true` style (pflag): the value belongs to the previous flag.
            return 0;
        }
        out(name, None);
    }
    0
}

impl<'a> Args<'a> {
    /// True when any of `names` is present.
    pub fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(n, _)| names.contains(&n.as_str()))
    }

    /// The value of the last of `names` present.
    pub fn value(&self, names: &[&str]) -> Option<&'a str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| names.contains(&n.as_str()))
            .and_then(|(_, v)| *v)
    }

    /// Values of every occurrence of `names`.
    pub fn values(&self, names: &[&str]) -> Vec<&'a str> {
        self.flags
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .filter_map(|(_, v)| *v)
            .collect()
    }

    /// The `k`-th positional, lower-cased for verb matching (borrowed when it already is).
    pub fn verb(&self, k: usize) -> Text<'a> {
        match self.pos.get(k) {
            Some(s) if s.bytes().any(|b| b.is_ascii_uppercase()) => {
                Text::Owned(s.to_ascii_lowercase())
            }
            Some(s) => Text::Borrowed(s),
            None => Text::Borrowed(""),
        }
    }
}

/// The program name a word invokes: its last path component (`/usr/bin/kubectl` → `kubectl`).
pub(crate) fn base(word: &str) -> &str {
    // After the last `/` (an ASCII byte, so the cut is a character boundary).
    match word.bytes().rposition(|b| b == b'/') {
        Some(slash) => word.get(slash + 1..).unwrap_or_default(),
        None => word,
    }
}

/// Index in `words` of the first positional word (the payload of a wrapper such as `sudo`),
/// skipping flags and their values; a `--` is skipped too. `words.len()` when there is none.
pub(crate) fn payload_start(words: &[Arg<'_>], value_flags: &(impl ValueFlags + ?Sized)) -> usize {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        if w == "--" {
            return i + 1;
        }
        if w.starts_with("--") {
            i += if !w.contains('=') && value_flags.takes_value(w) {
                2
            } else {
                1
            };
        } else if w.len() > 1 && w.starts_with('-') {
            i += 1 + short_cluster(
                w,
                words.get(i + 1).map(AsStr::as_str),
                value_flags,
                |_, _| {},
            );
        } else {
            return i;
        }
    }
    words.len()
}
