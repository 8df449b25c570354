//! Runs that overlap: each finished run's *changes* — variables it set or unset, its functions,
//! a `cd` — are applied to the carried state as it is when it finishes, so that two steps run
//! side by side both leave what they exported. Where both changed the same name, the one that
//! finished last wins.

use super::carry::{Carried, VarRecord, is_identifier, is_special};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a run started from: the carried state then, and the directory it started in.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    pub carried: Carried,
    pub cwd: std::path::PathBuf,
}

impl Carried {
    /// The carried state once a run that started from `base` finished with `theirs`, `self`
    /// being the carried state now. `inherited` is the app's own environment: before any state
    /// was captured a run started from it, so a variable still holding its value there was not
    /// changed by the run.
    pub(crate) fn merged(
        &self,
        base: &Base,
        theirs: Carried,
        inherited: &BTreeMap<String, String>,
    ) -> Carried {
        // Nothing finished meanwhile: the run's state is the whole truth, as in one terminal.
        if *self == base.carried {
            return theirs;
        }
        let (Some(current), Some(their_vars)) = (&self.vars, &theirs.vars) else {
            return theirs;
        };
        let unchanged = |rec: &VarRecord| match &base.carried.vars {
            Some(vars) => vars
                .iter()
                .any(|b| b.name == rec.name && b.text == rec.text),
            None => {
                let value = super::unquote::value_of(&rec.text);
                value.is_some() && value.as_ref() == inherited.get(&rec.name)
            }
        };
        let kept: BTreeSet<&str> = their_vars.iter().map(|r| r.name.as_str()).collect();
        let before: Vec<&str> = match &base.carried.vars {
            Some(vars) => vars.iter().map(|r| r.name.as_str()).collect(),
            None => inherited
                .keys()
                .map(String::as_str)
                .filter(|n| is_identifier(n) && !is_special(n))
                .collect(),
        };
        let removed: BTreeSet<&str> = before.into_iter().filter(|n| !kept.contains(n)).collect();
        let mut vars: Vec<VarRecord> = current
            .iter()
            .filter(|r| !removed.contains(r.name.as_str()))
            .cloned()
            .collect();
        for rec in their_vars.iter().filter(|r| !unchanged(r)) {
            match vars.iter_mut().find(|r| r.name == rec.name) {
                Some(slot) => *slot = rec.clone(),
                None => vars.push(rec.clone()),
            }
        }
        let funcs = if theirs.funcs != base.carried.funcs {
            theirs.funcs
        } else {
            self.funcs.clone()
        };
        let cwd = match &theirs.cwd {
            Some(dir) if dir.as_path() != Path::new(&base.cwd) => theirs.cwd.clone(),
            _ => self.cwd.clone(),
        };
        Carried {
            vars: Some(vars),
            funcs,
            cwd,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn var(name: &str, value: &str) -> VarRecord {
        VarRecord {
            name: name.into(),
            flags: "-".into(),
            text: format!("declare -- {name}=\"{value}\""),
        }
    }

    fn state(vars: &[(&str, &str)], cwd: &str) -> Carried {
        Carried {
            vars: Some(vars.iter().map(|(n, v)| var(n, v)).collect()),
            funcs: String::new(),
            cwd: Some(PathBuf::from(cwd)),
        }
    }

    fn value(c: &Carried, name: &str) -> Option<String> {
        c.named_values().get(name).cloned()
    }

    #[test]
    fn a_run_alone_carries_its_state_whole() {
        let base = Base {
            carried: state(&[("A", "1")], "/w"),
            cwd: "/w".into(),
        };
        let theirs = state(&[("B", "2")], "/tmp");
        let merged = base.carried.merged(&base, theirs.clone(), &BTreeMap::new());
        assert_eq!(merged, theirs);
    }

    #[test]
    fn overlapping_runs_keep_each_others_changes() {
        // A and B both started from `base`; A finished first (setting OTHER, cd /a), then B
        // (setting MINE, unsetting GONE, changing SHARED).
        let base = Base {
            carried: state(&[("SHARED", "0"), ("GONE", "x"), ("KEEP", "k")], "/w"),
            cwd: "/w".into(),
        };
        let after_a = state(
            &[
                ("SHARED", "0"),
                ("GONE", "x"),
                ("KEEP", "k"),
                ("OTHER", "a"),
            ],
            "/a",
        );
        let b = state(&[("SHARED", "b"), ("KEEP", "k"), ("MINE", "m")], "/w");
        let merged = after_a.merged(&base, b, &BTreeMap::new());
        assert_eq!(value(&merged, "OTHER").as_deref(), Some("a"));
        assert_eq!(value(&merged, "MINE").as_deref(), Some("m"));
        assert_eq!(value(&merged, "SHARED").as_deref(), Some("b"));
        assert_eq!(value(&merged, "KEEP").as_deref(), Some("k"));
        assert_eq!(value(&merged, "GONE"), None);
        // B did not cd: A's directory stays.
        assert_eq!(merged.cwd.as_deref(), Some(Path::new("/a")));
    }

    #[test]
    fn before_any_capture_the_environment_is_the_base() {
        let inherited: BTreeMap<String, String> =
            [("HOME".to_string(), "/root".to_string())].into();
        let base = Base {
            carried: Carried::default(),
            cwd: "/w".into(),
        };
        let after_a = state(&[("HOME", "/root"), ("OTHER", "a")], "/w");
        // B still sees HOME as inherited, so it does not undo A's OTHER nor count HOME changed.
        let b = state(&[("HOME", "/root"), ("MINE", "m")], "/b");
        let merged = after_a.merged(&base, b, &inherited);
        assert_eq!(value(&merged, "OTHER").as_deref(), Some("a"));
        assert_eq!(value(&merged, "MINE").as_deref(), Some("m"));
        assert_eq!(merged.cwd.as_deref(), Some(Path::new("/b")));
    }
}
