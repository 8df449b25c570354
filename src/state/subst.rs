//! Quote-aware `<placeholder>` substitution, so that an operator's value is never re-parsed as
//! shell code: bare → one shell word; inside `"…"` → `\`, `$`, `` ` ``, `"` escaped; inside `'…'`
//! → each `'` written `'\''`.
//!
//! The brief names `runbook::runbook::vars::substitute_placeholders` and `vars::shell_quote` for
//! this; they are not in the tree yet, so the state uses these with the same contract. The
//! integrator can point [`substitute_placeholders`] at `vars` once it lands.

/// Quotes `value` as one shell word; plain words stay as they are.
pub fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// Replaces each `<name>` for which `value(name)` is `Some`, quoted for where it stands.
pub fn substitute_placeholders(script: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(script.len());
    let mut quote = Quote::None;
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some((name, len)) = placeholder_at(rest)
            && let Some(v) = value(name)
        {
            out.push_str(&quoted(&v, quote));
            rest = &rest[len..];
            continue;
        }
        match (c, quote) {
            ('\\', Quote::None | Quote::Double) => {
                // Keep the escaped character as it is; it cannot open or close a quote.
                let mut it = rest.char_indices().skip(1);
                let end = it.next().map_or(rest.len(), |(i, ch)| i + ch.len_utf8());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            ('\'', Quote::None) => quote = Quote::Single,
            ('\'', Quote::Single) => quote = Quote::None,
            ('"', Quote::None) => quote = Quote::Double,
            ('"', Quote::Double) => quote = Quote::None,
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn quoted(value: &str, quote: Quote) -> String {
    match quote {
        Quote::None => shell_quote(value),
        Quote::Single => value.replace('\'', "'\\''"),
        Quote::Double => {
            let mut s = String::with_capacity(value.len());
            for c in value.chars() {
                if matches!(c, '\\' | '$' | '`' | '"') {
                    s.push('\\');
                }
                s.push(c);
            }
            s
        }
    }
}

/// `<name>` at the start of `text`: the name and the length of the whole token.
fn placeholder_at(text: &str) -> Option<(&str, usize)> {
    let body = text.strip_prefix('<')?;
    let end = body.find('>')?;
    let name = &body[..end];
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    (first_ok && rest_ok).then_some((name, end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(script: &str, v: &str) -> String {
        let value = v.to_string();
        substitute_placeholders(script, &move |n: &str| (n == "x").then(|| value.clone()))
    }

    #[test]
    fn bare_values_become_one_word() {
        assert_eq!(
            sub("kubectl delete pod <x> -n prod", "web-1"),
            "kubectl delete pod web-1 -n prod"
        );
        assert_eq!(sub("echo <x>", "a b; rm -rf /"), "echo 'a b; rm -rf /'");
        assert_eq!(sub("echo <x>", "it's"), "echo 'it'\\''s'");
        assert_eq!(sub("echo <x>", ""), "echo ''");
    }

    #[test]
    fn double_quoted_values_are_escaped() {
        assert_eq!(
            sub("echo \"pod=<x>\"", "$(id) \"q\""),
            "echo \"pod=\\$(id) \\\"q\\\"\""
        );
    }

    #[test]
    fn single_quoted_values_close_and_reopen() {
        assert_eq!(
            sub("kubectl patch -p '{\"image\":\"<x>\"}'", "a'b"),
            "kubectl patch -p '{\"image\":\"a'\\''b\"}'"
        );
    }

    #[test]
    fn unknown_names_and_escapes_are_left_alone() {
        assert_eq!(sub("echo <y> \\\" <x>", "v"), "echo <y> \\\" v");
        assert_eq!(sub("cat <<EOF", "v"), "cat <<EOF");
        assert_eq!(shell_quote("web-1"), "web-1");
    }
}
