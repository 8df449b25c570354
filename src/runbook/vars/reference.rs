//! Test-only copy of the discovery code as it was before contexts were run-length encoded and
//! names borrowed: it reads one context per byte, as the original did. The equivalence tests
//! hold the optimised code to it.
#![allow(clippy::unwrap_used)]

use crate::runbook::shell::lex::{self, Ctx, Kind, TokenKind};

/// A scan with one context per byte, as the original [`lex::Scan`] had.
pub struct Scan {
    pub src: String,
    pub ctx: Vec<Ctx>,
    pub tokens: Vec<lex::Token>,
    pub heredocs: Vec<lex::Heredoc>,
}

pub fn scan(script: &str) -> Scan {
    let s = lex::scan(script);
    Scan {
        ctx: s.ctx_bytes(),
        src: s.src,
        tokens: s.tokens,
        heredocs: s.heredocs,
    }
}

/// Variables the shell sets itself: never asked of the operator.
const SHELL_VARS: &[&str] = &[
    "HOME",
    "PATH",
    "PWD",
    "OLDPWD",
    "RANDOM",
    "USER",
    "SHELL",
    "HOSTNAME",
    "UID",
    "EUID",
    "PPID",
    "LINENO",
    "SECONDS",
    "IFS",
    "REPLY",
    "OPTARG",
    "OPTIND",
    "PIPESTATUS",
    "BASH_SOURCE",
    "BASH_REMATCH",
    "BASH_VERSION",
    "BASHPID",
    "FUNCNAME",
];

/// HTML tag names that look like placeholders in markdown but are not.
const HTML_TAGS: &[&str] = &[
    "a", "abbr", "b", "br", "code", "details", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "tt", "u", "ul",
];

/// One `$NAME` / `${NAME…}` reference.
struct Ref {
    name: String,
    /// Offset just after the name (inside `${…}`: where the operator starts).
    after: usize,
    braced: bool,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn name_len(b: &[u8]) -> usize {
    if !b.first().copied().is_some_and(is_name_start) {
        return 0;
    }
    b.iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count()
}

/// Whether a `$` at this context expands (single quotes, comments, quoted heredocs do not).
fn expands(c: &Ctx) -> bool {
    !c.escaped
        && matches!(
            c.kind,
            Kind::Code | Kind::Double | Kind::Param { .. } | Kind::Arith | Kind::HereUnquoted
        )
}

/// Every expanding `$NAME` / `${NAME…}` reference, in order.
fn references(scan: &Scan) -> Vec<Ref> {
    let b = scan.src.as_bytes();
    let mut out = Vec::new();
    for (p, _) in b.iter().enumerate().filter(|(_, c)| **c == b'$') {
        if !scan.ctx.get(p).is_some_and(expands) {
            continue;
        }
        if b.get(p + 1) == Some(&b'{') {
            let mut q = p + 2;
            if matches!(b.get(q), Some(b'#' | b'!'))
                && b.get(q + 1).copied().is_some_and(is_name_start)
            {
                q += 1;
            }
            let n = name_len(&b[q.min(b.len())..]);
            let next = b.get(q + n).copied().unwrap_or(0);
            if n > 0 && b"}:-=?+#%/^,[@".contains(&next) {
                out.push(Ref {
                    name: scan.src[q..q + n].to_string(),
                    after: q + n,
                    braced: true,
                });
            }
        } else {
            let n = name_len(&b[p + 1..]);
            if n > 0 {
                out.push(Ref {
                    name: scan.src[p + 1..p + 1 + n].to_string(),
                    after: p + 1 + n,
                    braced: false,
                });
            }
        }
    }
    out
}

/// The words following the command word at `k` in the same simple command (same depth).
fn arguments<'a>(scan: &'a Scan, k: usize) -> impl Iterator<Item = &'a str> + 'a {
    let depth = scan.tokens[k].depth;
    scan.tokens[k + 1..]
        .iter()
        .filter(move |t| t.depth <= depth)
        .take_while(move |t| t.depth == depth && t.kind == TokenKind::Word { command: false })
        .map(|t| scan.src.get(t.start..t.end).unwrap_or(""))
}

/// The name a word assigns (`NAME=…`, `NAME+=…`, `NAME[i]=…`) or declares (`NAME` alone).
fn declared_name(w: &str) -> Option<&str> {
    let n = name_len(w.as_bytes());
    let rest = &w[n..];
    (n > 0 && (rest.is_empty() || rest.starts_with(['=', '[']) || rest.starts_with("+=")))
        .then(|| &w[..n])
}

/// Names `read` assigns: its non-option words, and the array of `-a`.
fn read_names<'a>(args: impl Iterator<Item = &'a str>, names: &mut Vec<String>) {
    let mut takes_arg: Option<u8> = None;
    for a in args {
        if let Some(opt) = takes_arg.take() {
            if opt == b'a' {
                names.extend(declared_name(a).map(str::to_string));
            }
            continue;
        }
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            if let Some(pos) = flags.find(|c| "adinNptu".contains(c)) {
                let rest = &flags[pos + 1..];
                match (flags.as_bytes()[pos], rest.is_empty()) {
                    (opt, true) => takes_arg = Some(opt),
                    (b'a', false) => names.extend(declared_name(rest).map(str::to_string)),
                    _ => {}
                }
            }
            continue;
        }
        names.extend(
            declared_name(a)
                .filter(|n| n.len() == a.len())
                .map(str::to_string),
        );
    }
}

/// Every name the script assigns itself, anywhere.
fn assigned(scan: &Scan) -> Vec<String> {
    let mut names = Vec::new();
    for (k, t) in scan.tokens.iter().enumerate() {
        if t.kind != (TokenKind::Word { command: true }) {
            continue;
        }
        let w = scan.src.get(t.start..t.end).unwrap_or("");
        if lex::is_assignment(w) {
            names.extend(declared_name(w).map(str::to_string));
        }
        match w {
            "export" | "declare" | "local" | "readonly" | "typeset" => {
                let args = arguments(scan, k).filter(|a| !a.starts_with(['-', '+']));
                names.extend(args.filter_map(declared_name).map(str::to_string));
            }
            "read" => read_names(arguments(scan, k), &mut names),
            "for" | "select" => {
                let first = arguments(scan, k).next().and_then(declared_name);
                names.extend(first.map(str::to_string));
            }
            _ => {}
        }
    }
    names
}

/// Names the script assigns itself (`X=`, `export X`, `read X`, `for X in`), in order; the same
/// rule [`variables`] uses to leave them out.
pub fn assigned_names(script: &str) -> Vec<String> {
    assigned(&scan(script))
}

/// Variables referenced and not assigned by the script, in order of first appearance.
pub fn variables(script: &str) -> Vec<String> {
    if !script.contains('$') {
        return Vec::new();
    }
    variables_in(&scan(script))
}

/// [`variables`] and [`placeholders`] of one script from a single scan; text without `$` (or
/// without `<`) cannot hold any, and text with neither is not scanned at all.
pub fn discover(script: &str) -> (Vec<String>, Vec<String>) {
    if !script.contains('$') && !script.contains('<') {
        return (Vec::new(), Vec::new());
    }
    discover_in(&scan(script))
}

/// [`discover`] from a scan already made of the script.
pub fn discover_in(scan: &Scan) -> (Vec<String>, Vec<String>) {
    let dollar = scan.src.contains('$');
    let angle = scan.src.contains('<');
    let vars = if dollar {
        variables_in(scan)
    } else {
        Vec::new()
    };
    let places = if angle {
        placeholders_in(scan)
    } else {
        Vec::new()
    };
    (vars, places)
}

fn variables_in(scan: &Scan) -> Vec<String> {
    let own = assigned(scan);
    let mut out: Vec<String> = Vec::new();
    for r in references(scan) {
        if !own.contains(&r.name)
            && !SHELL_VARS.contains(&r.name.as_str())
            && !out.contains(&r.name)
        {
            out.push(r.name);
        }
    }
    out
}

/// The default of the first `${NAME:-default}` / `${NAME-default}` (or `:=` / `=`) in the script,
/// with one pair of surrounding quotes removed.
pub fn default_of(script: &str, name: &str) -> Option<String> {
    let scan = scan(script);
    let b = scan.src.as_bytes();
    references(&scan)
        .into_iter()
        .filter(|r| r.braced && r.name == name)
        .find_map(|r| {
            let op = [":-", ":=", "-", "="]
                .into_iter()
                .find(|op| scan.src[r.after..].starts_with(op))?;
            let start = r.after + op.len();
            let end = param_end(b, start);
            Some(unquote(&scan.src[start..end]).to_string())
        })
}

/// The offset of the `}` closing a `${…}` whose word starts at `start` (or the end of the text).
fn param_end(b: &[u8], start: usize) -> usize {
    let mut depth = 0u32;
    let mut k = start;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            q @ (b'\'' | b'"') => {
                k += b[k + 1..]
                    .iter()
                    .position(|c| *c == q)
                    .map_or(b.len(), |p| p + 1);
            }
            b'{' => depth += 1,
            b'}' if depth == 0 => return k,
            b'}' => depth -= 1,
            _ => {}
        }
        k += 1;
    }
    b.len()
}

fn unquote(s: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q))
            && !inner.contains(q)
        {
            return inner;
        }
    }
    s
}

/// A `<name>` placeholder occurrence: byte range of the whole token and the name.
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// Byte ranges of Go templates `{{ … }}`, where `<x>` is template syntax, not a placeholder.
fn template_ranges(src: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = src[from..].find("{{").map(|p| from + p) {
        let close = src[open + 2..]
            .find("}}")
            .map_or(src.len(), |p| open + 2 + p + 2);
        out.push((open, close));
        from = close;
    }
    out
}

/// Placeholder occurrences that count: not in comments, not HTML tags, not heredoc markers or
/// here-strings (a `<` right before), not inside Go templates.
pub fn placeholder_spans(scan: &Scan) -> Vec<Span> {
    let b = scan.src.as_bytes();
    let templates = template_ranges(&scan.src);
    let mut out = Vec::new();
    for (p, _) in b.iter().enumerate().filter(|(_, c)| **c == b'<') {
        if !b.get(p + 1).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let len = b[p + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
            .count();
        let end = p + 1 + len;
        if b.get(end) != Some(&b'>') || (p > 0 && b[p - 1] == b'<') {
            continue;
        }
        let name = &scan.src[p + 1..end];
        let html = HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name));
        let comment = scan.ctx.get(p).is_some_and(|c| c.kind == Kind::Comment);
        let templated = templates.iter().any(|(s, e)| *s <= p && p < *e);
        if !html && !comment && !templated {
            out.push(Span {
                start: p,
                end: end + 1,
                name: name.to_string(),
            });
        }
    }
    out
}

/// Placeholders (`<pod-name>`) in the script, in order of first appearance.
pub fn placeholders(script: &str) -> Vec<String> {
    if !script.contains('<') {
        return Vec::new();
    }
    placeholders_in(&scan(script))
}

fn placeholders_in(scan: &Scan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in placeholder_spans(scan) {
        if !out.contains(&s.name) {
            out.push(s.name);
        }
    }
    out
}

/// The original `span_ctx`: every byte of the span looked at.
fn span_ctx(scan: &Scan, sp: &Span) -> Option<Ctx> {
    let first = *scan.ctx.get(sp.start)?;
    let uniform = scan
        .ctx
        .get(sp.start..sp.end)?
        .iter()
        .all(|c| c.kind == first.kind && c.backticks == first.backticks && !c.escaped);
    let dollar_before = sp.start > 0 && scan.src.as_bytes()[sp.start - 1] == b'$';
    (uniform && !dollar_before).then_some(first)
}

/// The original `substitute_placeholders` (the encoding itself is shared).
pub fn substitute_placeholders(script: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let scan = scan(script);
    let mut out = String::with_capacity(script.len());
    let mut last = 0;
    for sp in placeholder_spans(&scan) {
        if sp.end > script.len() {
            continue;
        }
        let Some(ctx) = span_ctx(&scan, &sp) else {
            continue;
        };
        let Some(v) = value(&sp.name) else { continue };
        let Some(enc) = super::subst::encode(&v, ctx, &scan.heredocs) else {
            continue;
        };
        out.push_str(&script[last..sp.start]);
        out.push_str(&enc);
        last = sp.end;
    }
    out.push_str(&script[last..]);
    out
}
