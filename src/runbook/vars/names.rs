//! `$NAME` / `${NAME…}` references and the names a script assigns itself, read from a
//! [`Scan`]. Names are borrowed from the scanned text: callers allocate only what they keep.

use crate::runbook::shell::find::positions;
use crate::runbook::shell::lex::{self, Ctx, Kind, Scan, TokenKind};

/// One `$NAME` / `${NAME…}` reference.
pub(super) struct Ref<'a> {
    pub name: &'a str,
    /// Offset just after the name (inside `${…}`: where the operator starts).
    pub after: usize,
    pub braced: bool,
}

/// Variables the shell sets itself: never asked of the operator.
pub(super) fn is_shell_var(name: &str) -> bool {
    // Byte patterns: a test of the length, then of the bytes (no string comparison calls).
    matches!(
        name.as_bytes(),
        b"HOME"
            | b"PATH"
            | b"PWD"
            | b"OLDPWD"
            | b"RANDOM"
            | b"USER"
            | b"SHELL"
            | b"HOSTNAME"
            | b"UID"
            | b"EUID"
            | b"PPID"
            | b"LINENO"
            | b"SECONDS"
            | b"IFS"
            | b"REPLY"
            | b"OPTARG"
            | b"OPTIND"
            | b"PIPESTATUS"
            | b"BASH_SOURCE"
            | b"BASH_REMATCH"
            | b"BASH_VERSION"
            | b"BASHPID"
            | b"FUNCNAME"
    )
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
pub(super) fn references(scan: &Scan) -> impl Iterator<Item = Ref<'_>> {
    positions(scan.src.as_bytes(), b'$').filter_map(|p| reference_at(scan, p))
}

/// The reference made by the `$` at `p`, if it expands and a name follows.
fn reference_at(scan: &Scan, p: usize) -> Option<Ref<'_>> {
    let b = scan.src.as_bytes();
    // The text decides first: the context lookup costs more than these byte tests.
    let r = if b.get(p + 1) == Some(&b'{') {
        let mut q = p + 2;
        if matches!(b.get(q), Some(b'#' | b'!')) && b.get(q + 1).copied().is_some_and(is_name_start)
        {
            q += 1;
        }
        let n = name_len(b.get(q..).unwrap_or_default());
        let next = b.get(q + n).copied().unwrap_or(0);
        if n == 0 || !b"}:-=?+#%/^,[@".contains(&next) {
            return None;
        }
        Ref {
            name: scan.src.get(q..q + n)?,
            after: q + n,
            braced: true,
        }
    } else {
        let n = name_len(b.get(p + 1..).unwrap_or_default());
        if n == 0 {
            return None;
        }
        Ref {
            name: scan.src.get(p + 1..p + 1 + n)?,
            after: p + 1 + n,
            braced: false,
        }
    };
    scan.ctx_at(p).is_some_and(|c| expands(&c)).then_some(r)
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
fn read_names<'a>(args: impl Iterator<Item = &'a str>, names: &mut Vec<&'a str>) {
    let mut takes_arg: Option<u8> = None;
    for a in args {
        if let Some(opt) = takes_arg.take() {
            if opt == b'a' {
                names.extend(declared_name(a));
            }
            continue;
        }
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            if let Some(pos) = flags.find(|c| "adinNptu".contains(c)) {
                let rest = &flags[pos + 1..];
                match (flags.as_bytes()[pos], rest.is_empty()) {
                    (opt, true) => takes_arg = Some(opt),
                    (b'a', false) => names.extend(declared_name(rest)),
                    _ => {}
                }
            }
            continue;
        }
        names.extend(declared_name(a).filter(|n| n.len() == a.len()));
    }
}

/// Every name the script assigns itself, anywhere, in order.
pub(super) fn assigned(scan: &Scan) -> Vec<&str> {
    let mut names = Vec::new();
    for (k, t) in scan.tokens.iter().enumerate() {
        if t.kind != (TokenKind::Word { command: true }) {
            continue;
        }
        let w = scan.src.get(t.start..t.end).unwrap_or("");
        if lex::is_assignment(w) {
            names.extend(declared_name(w));
        }
        // Byte patterns: a test of the length, then of the bytes (no string comparison calls).
        match w.as_bytes() {
            b"export" | b"declare" | b"local" | b"readonly" | b"typeset" => {
                let args = arguments(scan, k).filter(|a| !a.starts_with(['-', '+']));
                names.extend(args.filter_map(declared_name));
            }
            b"read" => read_names(arguments(scan, k), &mut names),
            b"for" | b"select" => {
                names.extend(arguments(scan, k).next().and_then(declared_name));
            }
            _ => {}
        }
    }
    names
}
