//! Stable step ids: a readable slug plus a short hash of what identifies the step, so that an id
//! survives edits elsewhere in the file and the journal can resume by id.

/// GitHub-style slug: lower-case, alphanumerics and `-`, other characters dropped, spaces → `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A file-name-safe slug of at most `max` bytes (ASCII only, so it is safe in every file system).
pub fn short_slug(text: &str, max: usize) -> String {
    let ascii: String = slug(text).chars().filter(|c| c.is_ascii()).collect();
    let mut cut = ascii.chars().take(max).collect::<String>();
    while cut.ends_with('-') {
        cut.pop();
    }
    cut
}

/// FNV-1a, 64 bit: stable across releases and platforms (unlike `DefaultHasher`) and cheap.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The id of a step: `name` attribute when given, else `slug-hash`.
pub fn step_id(name: Option<&str>, section: &[String], title: &str, code: Option<&str>) -> String {
    if let Some(name) = name {
        let s = short_slug(name, 64);
        if !s.is_empty() {
            return s;
        }
    }
    let mut parts: Vec<&str> = section.iter().map(String::as_str).collect();
    parts.push(title);
    parts.push(code.unwrap_or(""));
    let hash = fnv1a(&parts);
    let base = short_slug(title, 40);
    let base = if base.is_empty() {
        "step".to_string()
    } else {
        base
    };
    format!("{base}-{:06x}", hash & 0xff_ffff)
}

/// Makes ids unique in document order by appending `-2`, `-3`…
pub fn dedupe(ids: &mut [String]) {
    let mut seen = std::collections::HashSet::<String>::new();
    // Next suffix to try per base id, so that many copies of one step stay linear.
    let mut next = std::collections::HashMap::<String, usize>::new();
    for id in ids.iter_mut() {
        if seen.insert(id.clone()) {
            continue;
        }
        let n = next.entry(id.clone()).or_insert(2);
        let mut candidate = format!("{id}-{n}");
        while seen.contains(&candidate) {
            *n += 1;
            candidate = format!("{id}-{n}");
        }
        *n += 1;
        seen.insert(candidate.clone());
        *id = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("1.1 Azure Key Vault — Config!"),
            "11-azure-key-vault-config"
        );
        assert_eq!(slug("Roll back"), "roll-back");
        assert_eq!(short_slug("Ünïcode stays out", 10), "ncode-stay");
    }

    #[test]
    fn ids_are_stable_and_unique() {
        let a = step_id(None, &["A".into()], "Check pods", Some("kubectl get pods"));
        let b = step_id(None, &["A".into()], "Check pods", Some("kubectl get pods"));
        assert_eq!(a, b);
        assert!(a.starts_with("check-pods-"));
        let c = step_id(None, &["B".into()], "Check pods", Some("kubectl get pods"));
        assert_ne!(a, c);
        assert_eq!(step_id(Some("Deploy App"), &[], "x", None), "deploy-app");
        let mut ids = vec!["x".to_string(), "x".into(), "x-2".into(), "x".into()];
        dedupe(&mut ids);
        assert_eq!(ids, ["x", "x-2", "x-2-2", "x-3"]);
    }
}
