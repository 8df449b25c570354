//! Safe placeholder substitution: the operator's value is written so that the shell reads it back
//! as data, whatever quoting context the placeholder stands in. It is never re-parsed as code.

use super::{Span, placeholder_spans};
use crate::runbook::shell::lex::{self, Ctx, Heredoc, Kind, Scan};

/// `s` as one single-quoted shell word (`'it'\''s'`).
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Backslash-escapes each of `special` in `s`.
fn escape(s: &str, special: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if special.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A multi-line value with a line equal to a heredoc delimiter would end the heredoc early and
/// turn the rest of the value into commands.
fn ends_heredoc(v: &str, docs: &[Heredoc]) -> bool {
    v.contains('\n')
        && v.lines().any(|l| {
            let l = l.trim_start_matches('\t').trim_end();
            docs.iter().any(|d| d.delim == l)
        })
}

/// The text that stands for `v` in context `ctx`; `None` to leave the placeholder as it is.
pub(super) fn encode(v: &str, ctx: Ctx, docs: &[Heredoc]) -> Option<String> {
    let s = match ctx.kind {
        Kind::Code | Kind::Param { in_dq: false } => shell_quote(v),
        Kind::Double => escape(v, "\\$`\""),
        // Bash pairs `'` while parsing `"${x:-…}"` (yet keeps them literally): a `'` in the value
        // would change how the rest of the script parses, so such values are not substituted.
        Kind::Param { in_dq: true } if v.contains('\'') => return None,
        Kind::Param { in_dq: true } => escape(v, "\\$`\"}"),
        Kind::Single => v.replace('\'', r"'\''"),
        Kind::AnsiC => escape(v, "\\'"),
        // Arithmetic evaluates names and subscripts recursively: only plain integers are data.
        Kind::Arith => {
            let digits = v.strip_prefix('-').unwrap_or(v);
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| v.to_string())?
        }
        Kind::HereUnquoted if !ends_heredoc(v, docs) => escape(v, "\\$`"),
        Kind::HereQuoted if !ends_heredoc(v, docs) => v.to_string(),
        Kind::HereUnquoted | Kind::HereQuoted | Kind::Comment => return None,
    };
    // Inside backticks the shell first removes one level of `\\`, `\``, `\$` escapes.
    Some((0..ctx.backticks).fold(s, |s, _| escape(&s, "\\`$")))
}

/// Every way [`substitute_placeholders`] may write `v` into a script: the raw value and its
/// encoding in each quoting context, once and a second time inside backticks. Whoever masks a
/// secret in a substituted script must look for all of them, not only for the raw value
/// (`Pa$$w0rd` becomes `Pa\$\$w0rd` inside double quotes).
pub fn written_forms(v: &str) -> Vec<String> {
    let once = [
        v.to_string(),
        shell_quote(v),
        escape(v, "\\$`\""),
        escape(v, "\\$`\"}"),
        v.replace('\'', r"'\''"),
        escape(v, "\\'"),
        escape(v, "\\$`"),
    ];
    let mut forms: Vec<String> = once
        .iter()
        .flat_map(|s| [s.clone(), escape(s, "\\`$")])
        .collect();
    forms.sort();
    forms.dedup();
    forms
}

/// The single context of the whole span, if it has one and nothing glues onto it: an escaped `<`
/// or a `$` right before (`$'…'`, `$(…` would be formed) leaves the placeholder alone.
fn span_ctx(scan: &Scan, sp: &Span<'_>) -> Option<Ctx> {
    let first = scan.ctx_at(sp.start)?;
    let uniform = scan
        .ctx_runs(sp.start, sp.end)?
        .all(|c| c.kind == first.kind && c.backticks == first.backticks && !c.escaped);
    let dollar_before = sp.start > 0 && scan.src.as_bytes()[sp.start - 1] == b'$';
    (uniform && !dollar_before).then_some(first)
}

/// Replaces each placeholder occurrence that has a value, quoted for where it stands: bare →
/// one single-quoted word; inside `"…"` → `\`, `$`, `` ` ``, `"` escaped; inside `'…'` → `'`
/// written as `'\''`; inside `$'…'` → `\` and `'` escaped; in heredoc bodies → as text (escaped
/// when the heredoc expands); in arithmetic → only integers. Placeholders without a value, in
/// comments, or HTML tag names are left as they are.
pub fn substitute_placeholders(script: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let scan = lex::scan(script);
    let mut out = String::with_capacity(script.len());
    let mut last = 0;
    for sp in placeholder_spans(&scan) {
        if sp.end > script.len() {
            continue;
        }
        let Some(ctx) = span_ctx(&scan, &sp) else {
            continue;
        };
        let Some(v) = value(sp.name) else { continue };
        let Some(enc) = encode(&v, ctx, &scan.heredocs) else {
            continue;
        };
        out.push_str(&script[last..sp.start]);
        out.push_str(&enc);
        last = sp.end;
    }
    out.push_str(&script[last..]);
    out
}
