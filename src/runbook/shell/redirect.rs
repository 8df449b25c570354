//! PURE. Whether a script writes a file through an output redirection (`> f`, `>> f`, `>| f`,
//! `&> f`, `2> f`). The model's `risk` leaves redirections out (`kubectl get … > backup.yaml` is
//! a read); the app's safety modes and confirmations look at this too, because a read-only or
//! rehearsal run must not truncate a file (`cat x > x`, `: > f`).

use super::lex::{self, Kind};

/// Targets that are not files on disk.
const HARMLESS: &[&str] = &["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"];

/// True when some unquoted output redirection of `script` names a file.
pub fn writes_files(script: &str) -> bool {
    if !script.contains('>') {
        return false;
    }
    let scan = lex::scan(script);
    let b = scan.src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let code = b[i] == b'>' && scan.ctx_at(i).is_some_and(|c| c.kind == Kind::Code);
        if !code {
            i += 1;
            continue;
        }
        // `>>`, `>|`, then `&N` / `&-` (a descriptor, not a file).
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'>' | b'|')) {
            j += 1;
        }
        if b.get(j) == Some(&b'&') {
            i = j + 1;
            continue;
        }
        if b.get(j) == Some(&b'(') {
            // `>(…)`: process substitution.
            i = j + 1;
            continue;
        }
        while matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let end = (j..b.len())
            .find(|&k| matches!(b[k], b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')'))
            .unwrap_or(b.len());
        let target = scan.src[j..end].trim_matches(|c| c == '"' || c == '\'');
        if !target.is_empty() && !HARMLESS.contains(&target) {
            return true;
        }
        i = end.max(i + 1);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::writes_files;

    #[test]
    fn file_redirections_are_writes() {
        for script in [
            "cat conf.txt > conf.txt",
            ": > /var/log/app.log",
            "echo hi >> notes.txt",
            "kubectl get secret x -o yaml > backup.yaml",
            "ls &> out.log",
            "make 2> errors.txt",
            "echo x >| \"$OUT\"",
        ] {
            assert!(writes_files(script), "{script}");
        }
    }

    #[test]
    fn descriptors_null_quotes_and_comparisons_are_not() {
        for script in [
            "ls 2>/dev/null",
            "ls > /dev/null 2>&1",
            "echo 'a > b'",
            "echo \"x > y\"",
            "echo $((3 > 2))",
            "# echo > f",
            "cat <<EOF\n> not a redirection\nEOF",
            "tee >(wc -l)",
            "kubectl get pods",
        ] {
            assert!(!writes_files(script), "{script}");
        }
    }
}
