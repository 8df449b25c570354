//! `${VAR}` / `$VAR` / `<placeholder>` discovery, and safe substitution. (Skeleton.)

/// Variables referenced and not assigned by the script, in order of first appearance.
pub fn variables(script: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)").expect("static regex");
    let mut out: Vec<String> = Vec::new();
    for c in re.captures_iter(script) {
        let n = c[1].to_string();
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Placeholders (`<pod-name>`) in the script, in order of first appearance.
pub fn placeholders(script: &str) -> Vec<String> {
    let re = regex::Regex::new(r"<([A-Za-z][A-Za-z0-9_.-]*)>").expect("static regex");
    let mut out: Vec<String> = Vec::new();
    for c in re.captures_iter(script) {
        let n = c[1].to_string();
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}
