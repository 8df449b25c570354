//! Where a large document may be cut into chunks that are parsed on their own (see
//! [`super::chunks`]): at the start of an ATX heading line (`#` to `######` at column 0) that
//! follows a blank line, outside fenced code, front matter and the HTML blocks that run over
//! blank lines (comments, `<pre>`, `<script>`, `<style>`, `<textarea>`, `<?…?>`, `<!…>`,
//! CDATA).
//!
//! A heading line at column 0 closes every list, quote and paragraph before it, so the parse
//! of what follows does not depend on what came before. This scan is a fast guess that looks
//! at the few lines that matter (a fence inside a list item whose content is not indented can
//! fool it): the walk of each chunk checks that the cut really is a heading at the top level,
//! and the whole document is parsed in one piece when one is not.

use memchr::memmem::Finder;

/// A place to cut: the byte offset of a heading line and its 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cut {
    pub offset: usize,
    pub line: usize,
}

/// Cuts at most every `every` bytes (the first cut at `every` or later), in order.
#[cfg(test)]
pub(super) fn cuts(text: &str, every: usize) -> Vec<Cut> {
    let mut scan = CutScan::new(text);
    let mut out = Vec::new();
    let mut from = every;
    while let Some(cut) = scan.next_cut(from) {
        out.push(cut);
        from = cut.offset + every.max(1);
    }
    out
}

/// The scan, resumable: each call to [`CutScan::next_cut`] reads on from where the last one
/// stopped, so that chunks can be walked while the rest of the document is still scanned.
///
/// Lines are read one by one only at the top level; the inside of a fence or an HTML block
/// is skipped by searching for what can end it.
pub(super) struct CutScan<'a> {
    bytes: &'a [u8],
    /// The start of the next line to read.
    at: usize,
    state: State,
    /// The last `\n#` found and where the search for it started: reused while the scan has
    /// not passed it.
    hash_line: Option<(usize, Option<usize>)>,
    /// The line of `line_at`, counted lazily (only cuts need line numbers).
    line: usize,
    line_at: usize,
    /// Searchers for ``` and ~~~, made once.
    backticks: Finder<'static>,
    tildes: Finder<'static>,
    hashes: Finder<'static>,
}

impl<'a> CutScan<'a> {
    pub(super) fn new(text: &'a str) -> CutScan<'a> {
        let bytes = text.as_bytes();
        let first = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())];
        let state = if starts_front_matter(first) {
            State::FrontMatter(first[0])
        } else {
            State::Top
        };
        let at = if state == State::Top {
            0
        } else {
            next_line(bytes, 0)
        };
        CutScan {
            bytes,
            at,
            state,
            hash_line: None,
            line: 1,
            line_at: 0,
            backticks: Finder::new(b"```").into_owned(),
            tildes: Finder::new(b"~~~").into_owned(),
            hashes: Finder::new(b"\n#").into_owned(),
        }
    }

    /// The next cut at `from` or later.
    pub(super) fn next_cut(&mut self, from: usize) -> Option<Cut> {
        let bytes = self.bytes;
        while self.at < bytes.len() {
            let start = self.at;
            match self.state {
                State::Top => {
                    // Only two kinds of line matter here: one that may open a fence or an
                    // HTML block, and a heading after a blank line.
                    let opening = structural_line(bytes, start);
                    let limit = opening.unwrap_or(bytes.len());
                    if let Some(cut) = self.heading(start.max(from), limit) {
                        self.at = next_line(bytes, cut);
                        return Some(Cut {
                            offset: cut,
                            line: self.line_of(cut),
                        });
                    }
                    self.at = opening.map_or(bytes.len(), |line_start| {
                        let end = line_end(bytes, line_start);
                        self.state = opens(&bytes[line_start..end]);
                        end + 1
                    });
                }
                State::Fence { ch, len } => {
                    let finder = if ch == b'`' {
                        &self.backticks
                    } else {
                        &self.tildes
                    };
                    self.at =
                        closing_fence(bytes, start, finder, ch, len).map_or(bytes.len(), |end| {
                            self.state = State::Top;
                            next_line(bytes, end)
                        });
                }
                State::Html(marker) => {
                    self.at = find_ignore_case(&bytes[start..], marker).map_or(bytes.len(), |p| {
                        self.state = State::Top;
                        next_line(bytes, start + p)
                    });
                }
                State::FrontMatter(ch) => {
                    let end = line_end(bytes, start);
                    if is_front_matter_end(&bytes[start..end], ch) {
                        self.state = State::Top;
                    }
                    self.at = end + 1;
                }
            }
        }
        None
    }

    /// The first heading after a blank line that starts in `from..limit`.
    fn heading(&mut self, from: usize, limit: usize) -> Option<usize> {
        let bytes = self.bytes;
        let mut search = from.saturating_sub(1);
        loop {
            if search >= limit {
                return None;
            }
            let hit = match self.hash_line {
                Some((since, hit)) if since <= search && hit.is_none_or(|h| h >= search) => hit,
                _ => {
                    let hit = self.hashes.find(&bytes[search..]).map(|p| search + p);
                    self.hash_line = Some((search, hit));
                    hit
                }
            }?;
            let line = hit + 1;
            if line >= limit {
                return None;
            }
            // The line before it is empty (`\n` or `\r\n`), or the text starts there.
            let blank_before = matches!(
                bytes[..hit],
                [] | [.., b'\n'] | [b'\r'] | [.., b'\n', b'\r']
            );
            if line >= from && blank_before && is_atx_heading(&bytes[line..line_end(bytes, line)]) {
                return Some(line);
            }
            search = line;
        }
    }

    fn line_of(&mut self, offset: usize) -> usize {
        self.line += bytecount::count(&self.bytes[self.line_at..offset], b'\n');
        self.line_at = offset;
        self.line
    }
}

/// The start of the first line at or after the line start `from` whose first byte after up
/// to three spaces is `` ` ``, `~` or `<`: the lines that may open a block that runs over
/// blank lines.
fn structural_line(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let hit = at + memchr::memchr3(b'`', b'~', b'<', &bytes[at..])?;
        // `from` starts a line, so a line found from `hit` starts at or after it.
        if let Some(line_start) = indented_line_start(bytes, hit) {
            return Some(line_start);
        }
        at = hit + 1;
    }
}

/// The start of the line holding `at` when no more than three spaces stand before `at` on it:
/// where a fence or an HTML block may open or close.
fn indented_line_start(bytes: &[u8], at: usize) -> Option<usize> {
    let indent = bytes[..at]
        .iter()
        .rev()
        .take(4)
        .take_while(|&&b| b == b' ')
        .count();
    let line_start = at - indent;
    let starts_line = line_start == 0 || bytes[line_start - 1] == b'\n';
    (indent <= 3 && starts_line).then_some(line_start)
}

/// The offset of the `\n` ending the line that holds `at` (or the end of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |p| at + p)
}

/// The start of the line after the one holding `at`.
fn next_line(bytes: &[u8], at: usize) -> usize {
    line_end(bytes, at) + 1
}

/// The offset of a line at or after the line start `from` that closes a fence of `len` times
/// `ch`: found by searching for the fence characters, then checking the line around them.
fn closing_fence(
    bytes: &[u8],
    from: usize,
    finder: &Finder<'_>,
    ch: u8,
    len: usize,
) -> Option<usize> {
    let mut at = from;
    loop {
        let hit = at + finder.find(&bytes[at..])?;
        if let Some(line_start) = indented_line_start(bytes, hit).filter(|&s| s >= from) {
            let end = line_end(bytes, line_start);
            if closes_fence(&bytes[line_start..end], ch, len) {
                return Some(line_start);
            }
        }
        at = hit + 3;
    }
}

/// What the line scan is inside of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Top,
    /// A fenced code block opened with `len` times `ch`.
    Fence {
        ch: u8,
        len: usize,
    },
    /// An HTML block that ends at the line holding this marker.
    Html(&'static [u8]),
    /// Front matter opened with `---` or `+++`.
    FrontMatter(u8),
}

/// Up to three spaces of indentation, as CommonMark allows before a block's marker.
fn unindent(line: &[u8]) -> &[u8] {
    let spaces = line.iter().take(4).take_while(|&&b| b == b' ').count();
    if spaces > 3 { &[] } else { &line[spaces..] }
}

fn is_atx_heading(line: &[u8]) -> bool {
    let hashes = line.iter().take_while(|&&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.get(hashes), None | Some(b' ' | b'\t' | b'\r'))
}

/// The block a top-level line opens that may run over blank lines, if any.
fn opens(line: &[u8]) -> State {
    let rest = unindent(line);
    match rest.first() {
        Some(&ch @ (b'`' | b'~')) => {
            let len = rest.iter().take_while(|&&b| b == ch).count();
            // A backtick fence's info string holds no backtick.
            let info_ok = ch == b'~' || !rest[len..].contains(&b'`');
            if len >= 3 && info_ok {
                State::Fence { ch, len }
            } else {
                State::Top
            }
        }
        Some(b'<') => match html_end(rest) {
            // The block may end on the line it starts.
            Some(end) if !contains_ignore_case(&rest[1..], end) => State::Html(end),
            _ => State::Top,
        },
        _ => State::Top,
    }
}

/// The end marker of an HTML block that starts with `rest` and runs over blank lines.
fn html_end(rest: &[u8]) -> Option<&'static [u8]> {
    const RAW: [(&[u8], &[u8]); 4] = [
        (b"<script", b"</script>"),
        (b"<pre", b"</pre>"),
        (b"<style", b"</style>"),
        (b"<textarea", b"</textarea>"),
    ];
    if rest.starts_with(b"<!--") {
        return Some(b"-->");
    }
    if rest.starts_with(b"<![CDATA[") {
        return Some(b"]]>");
    }
    if rest.starts_with(b"<?") {
        return Some(b"?>");
    }
    if rest.len() > 2 && rest[1] == b'!' && rest[2].is_ascii_alphabetic() {
        return Some(b">");
    }
    RAW.iter().find_map(|&(open, end)| {
        let head = rest.get(..open.len())?;
        let after = rest.get(open.len()).copied();
        (head.eq_ignore_ascii_case(open)
            && matches!(after, None | Some(b' ' | b'\t' | b'>' | b'\r')))
        .then_some(end)
    })
}

fn closes_fence(line: &[u8], ch: u8, len: usize) -> bool {
    let rest = unindent(line);
    let run = rest.iter().take_while(|&&b| b == ch).count();
    run >= len
        && rest[run..]
            .iter()
            .all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
}

fn starts_front_matter(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line == b"---" || line == b"+++"
}

fn is_front_matter_end(line: &[u8], ch: u8) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line == [ch; 3] || (ch == b'-' && line == b"...")
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    find_ignore_case(hay, needle).is_some()
}

/// Where `needle` (ASCII, lower case where it has letters) is in `hay`, ignoring case.
fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = 0;
    loop {
        // The first byte of every marker is not a letter: it is searched as it is.
        let hit = at + memchr::memchr(first, &hay[at..])?;
        if hay
            .get(hit + 1..hit + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
        {
            return Some(hit);
        }
        at = hit + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{Cut, cuts};

    fn at(text: &str, what: &str) -> usize {
        text.find(what).expect("in the text")
    }

    fn offsets(text: &str) -> Vec<usize> {
        cuts(text, 1).iter().map(|c| c.offset).collect()
    }

    #[test]
    fn headings_after_blank_lines_are_cuts() {
        let text =
            "# One\n\ntext\n\n## Two\nmore\n### Not after a blank\n\n#nospace\n\n###### Six\n";
        assert_eq!(offsets(text), [at(text, "## Two"), at(text, "###### Six")]);
        let six = cuts(text, 1)[1];
        assert_eq!(
            six,
            Cut {
                offset: at(text, "###### Six"),
                line: 11
            }
        );
    }

    #[test]
    fn nothing_is_cut_inside_fences_html_or_front_matter() {
        let text = "---\ntitle: x\n\n# yaml comment\n---\n\n```bash\n\n# comment\n````\n\n~~~~\n```\n\n# still code\n~~~~\n\n<!-- a\n\n# hidden\n-->\n\n<pre>\n\n# pre\n</pre>\n\n# Real\n";
        assert_eq!(offsets(text), [at(text, "# Real")]);
    }

    #[test]
    fn html_that_ends_on_its_own_line_leaves_the_scan_at_the_top() {
        let text = "<!-- note -->\n\n# After\n\n<div>\n\n# Div blocks end at a blank line\n";
        assert_eq!(offsets(text).len(), 2);
    }

    #[test]
    fn cuts_are_spaced() {
        let text = "\n# a\n\n# b\n\n# c\n\n# d\n";
        assert_eq!(cuts(text, 6).len(), 2);
        assert!(cuts("", 1).is_empty());
        assert!(cuts("no headings\n", 1).is_empty());
    }
}
