//! GitHub-style heading anchors, for `runbook FILE#heading-anchor`.
//!
//! Like github-slugger: lower-case, drop everything but letters, digits, spaces, `-` and `_`,
//! spaces become `-`; a repeated slug gets `-1`, `-2`… in document order.

use crate::runbook::Runbook;
use std::collections::BTreeMap;

/// The slug of one heading text (without de-duplication).
pub fn slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of every section, in order, de-duplicated as GitHub does.
pub fn anchors(rb: &Runbook) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    rb.sections
        .iter()
        .map(|s| {
            let base = slug(&s.title);
            let n = seen.entry(base.clone()).or_insert(0);
            let anchor = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            anchor
        })
        .collect()
}

/// The section whose anchor is `anchor` (a leading `#` is ignored, case-insensitive).
pub fn find_section(rb: &Runbook, anchor: &str) -> Option<usize> {
    let want = anchor.trim().trim_start_matches('#').to_lowercase();
    if want.is_empty() {
        return None;
    }
    let all = anchors(rb);
    all.iter()
        .position(|a| *a == want)
        .or_else(|| all.iter().position(|a| *a == slug(&want)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::Section;

    fn rb(titles: &[&str]) -> Runbook {
        Runbook {
            sections: titles
                .iter()
                .enumerate()
                .map(|(i, t)| Section {
                    level: 2,
                    title: (*t).to_string(),
                    line: i + 1,
                })
                .collect(),
            ..Runbook::default()
        }
    }

    #[test]
    fn github_slugs() {
        assert_eq!(
            slug("1.1 Azure Key Vault: Configuration"),
            "11-azure-key-vault-configuration"
        );
        assert_eq!(slug("Roll back (if needed)!"), "roll-back-if-needed");
        assert_eq!(slug("Étape 2 — Vérifier"), "étape-2--vérifier");
        assert_eq!(slug("snake_case and `code`"), "snake_case-and-code");
    }

    #[test]
    fn duplicates_are_numbered() {
        let r = rb(&["Verify", "Deploy", "Verify", "Verify"]);
        assert_eq!(anchors(&r), ["verify", "deploy", "verify-1", "verify-2"]);
        assert_eq!(find_section(&r, "#verify-1"), Some(2));
        assert_eq!(find_section(&r, "Deploy"), Some(1));
        assert_eq!(find_section(&r, "nope"), None);
        assert_eq!(find_section(&r, "#"), None);
    }
}
