//! The wrapper and state capture for shells that are not bash (`sh`, `dash`, `ash`, busybox):
//! only POSIX words, since such a shell has no `builtin`, `declare` or `source`.
//!
//! The trap writes `set` (every variable, quoted for re-input), then `export -p` and
//! `readonly -p`, each after a marker line, into the vars file. Variables and the working
//! directory carry over; functions do not (POSIX has no way to print them). Exported variables
//! are restored with their `export` line, so they stay exported; readonly ones are dropped, as
//! in the bash wrapper. `set`, `export`, `readonly`, `trap` and `.` are special built-ins, which
//! a user function cannot replace; `pwd` is reached through `command`.

use super::carry::{RunFiles, VarRecord, is_identifier, sh_quote, split_records};
use std::collections::BTreeMap;
use std::path::Path;

const EXPORTS: &str = "#runbook-exports";
const READONLY: &str = "#runbook-readonly";

/// The POSIX wrapper: restore, trap the capture on `EXIT`, then source the user's script.
pub(crate) fn wrapper_script(files: &RunFiles) -> String {
    let q = |p: &Path| sh_quote(&p.to_string_lossy());
    let vars = q(&files.vars_out);
    let trap = format!(
        "set +evxu; {{ set; echo '{EXPORTS}'; export -p; echo '{READONLY}'; readonly -p; }} >| {vars} \
         2>/dev/null; command pwd >| {} 2>/dev/null",
        q(&files.cwd_out)
    );
    format!(
        ". {}\ntrap {} EXIT\n. {}\n",
        q(&files.vars_in),
        sh_quote(&trap),
        q(&files.script)
    )
}

/// Which part of the dump a record belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Set,
    Exports,
    Readonly,
}

/// Parses the trap's dump into records whose text re-creates each variable: `NAME='v'`, or the
/// `export NAME='v'` line for exported ones (flags `x`); readonly ones get flags `r`.
pub(crate) fn parse_dump(dump: &str) -> Vec<VarRecord> {
    let mut set: Vec<(String, String)> = Vec::new();
    let mut exported: BTreeMap<String, String> = BTreeMap::new();
    let mut readonly: Vec<String> = Vec::new();
    let mut part = Part::Set;
    for record in split_records(dump) {
        match record.trim_end() {
            EXPORTS => part = Part::Exports,
            READONLY => part = Part::Readonly,
            line => {
                let (words, prefix) = match part {
                    Part::Set => (line, ""),
                    Part::Exports => (line.strip_prefix("export ").unwrap_or(""), "export "),
                    Part::Readonly => (line.strip_prefix("readonly ").unwrap_or(""), ""),
                };
                let name = words.split('=').next().unwrap_or("");
                if !is_identifier(name) {
                    continue;
                }
                match part {
                    Part::Set => set.push((name.to_string(), line.to_string())),
                    Part::Exports => {
                        exported.insert(name.to_string(), format!("{prefix}{words}"));
                    }
                    Part::Readonly => readonly.push(name.to_string()),
                }
            }
        }
    }
    let mut triples: Vec<(String, &str, String)> = set
        .into_iter()
        .map(|(name, text)| match exported.remove(&name) {
            Some(export) => (name, "x", export),
            None => (name, "", text),
        })
        .collect();
    triples.extend(exported.into_iter().map(|(name, text)| (name, "x", text)));
    let mut records: Vec<VarRecord> = triples
        .into_iter()
        .map(|(name, flags, text)| VarRecord {
            name,
            flags: flags.to_string(),
            text,
        })
        .collect();
    for rec in &mut records {
        if readonly.contains(&rec.name) {
            rec.flags.push('r');
        }
    }
    records
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dump_parts_make_records() {
        let dump = "A='1'\nB='two\nlines'\nR='x'\nQ='it'\"'\"'s'\n#runbook-exports\n\
                    export A='1'\nexport ONLY\n#runbook-readonly\nreadonly R='x'\n";
        let recs = parse_dump(dump);
        let got: Vec<(&str, &str, &str)> = recs
            .iter()
            .map(|r| (r.name.as_str(), r.flags.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("A", "x", "export A='1'"),
                ("B", "", "B='two\nlines'"),
                ("R", "r", "R='x'"),
                ("Q", "", "Q='it'\"'\"'s'"),
                ("ONLY", "x", "export ONLY"),
            ]
        );
    }
}
