//! The files of one run and the wrapper script around the step's own script: under bash it
//! restores the carried state and dumps it again on exit (see `carry.rs`); other shells get
//! their own wrapper (`posix.rs`) or none.

use std::path::{Path, PathBuf};

/// The files of one run inside the engine's private directory.
#[derive(Debug, Clone)]
pub(crate) struct RunFiles {
    pub script: PathBuf,
    pub wrapper: PathBuf,
    pub vars_in: PathBuf,
    pub funcs_in: PathBuf,
    pub vars_out: PathBuf,
    pub funcs_out: PathBuf,
    pub cwd_out: PathBuf,
    pub kind: ShellKind,
}

/// What the wrapper may rely on, by the shell's file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShellKind {
    /// `bash`, `bash5`, …: variables, functions and the cwd carry over.
    Bash,
    /// `sh`, `dash`, `ash`, `busybox`, `ksh`, `mksh`, `posh`, `yash`: POSIX words only;
    /// variables and the cwd carry over.
    Posix,
    /// Anything else (`zsh`, `fish`, …): their state dumps are not POSIX, so the script runs
    /// as it is and nothing carries over.
    Other,
}

impl ShellKind {
    pub(crate) fn of(shell: &Path) -> ShellKind {
        let name = shell.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if name.starts_with("bash") {
            ShellKind::Bash
        } else if [
            "sh", "dash", "ash", "busybox", "ksh", "mksh", "posh", "yash",
        ]
        .iter()
        .any(|p| name == *p || name.starts_with(&format!("{p}-")))
        {
            ShellKind::Posix
        } else {
            ShellKind::Other
        }
    }
}

impl RunFiles {
    pub(crate) fn new(dir: &Path, n: u64, kind: ShellKind) -> Self {
        let f = |suffix: &str| dir.join(format!("{n}-{suffix}"));
        Self {
            script: f("script.sh"),
            wrapper: f("wrapper.sh"),
            vars_in: f("vars.in"),
            funcs_in: f("funcs.in"),
            vars_out: f("vars.out"),
            funcs_out: f("funcs.out"),
            cwd_out: f("cwd.out"),
            kind,
        }
    }

    pub(crate) fn all(&self) -> [&Path; 7] {
        [
            &self.script,
            &self.wrapper,
            &self.vars_in,
            &self.funcs_in,
            &self.vars_out,
            &self.funcs_out,
            &self.cwd_out,
        ]
    }

    /// The wrapper script (see the module doc; [`super::posix`] for other shells).
    pub(crate) fn wrapper_script(&self, script: &str) -> String {
        match self.kind {
            ShellKind::Posix => return super::posix::wrapper_script(self),
            // The wrapper is the script itself: no capture file is written, nothing carries.
            ShellKind::Other => return script.to_string(),
            ShellKind::Bash => {}
        }
        let q = |p: &Path| sh_quote(&p.to_string_lossy());
        let trap = format!(
            "builtin set +evxu; builtin declare -p >| {} 2>/dev/null; \
             builtin declare -f >| {} 2>/dev/null; builtin pwd >| {} 2>/dev/null",
            q(&self.vars_out),
            q(&self.funcs_out),
            q(&self.cwd_out)
        );
        format!(
            "builtin source {}\nbuiltin source {}\nbuiltin trap {} EXIT\nbuiltin source {}\n",
            q(&self.funcs_in),
            q(&self.vars_in),
            sh_quote(&trap),
            q(&self.script)
        )
    }
}

/// One single-quoted shell word.
pub(crate) fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_bash() {
        let word = sh_quote("a'b $(x) \"c\"");
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf %s {word}"))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "a'b $(x) \"c\"");
    }

    #[test]
    fn shell_kinds_by_name() {
        let kind = |p: &str| ShellKind::of(Path::new(p));
        assert_eq!(kind("/bin/bash"), ShellKind::Bash);
        assert_eq!(kind("bash5.2"), ShellKind::Bash);
        for posix in ["sh", "/usr/bin/dash", "busybox", "mksh", "ksh"] {
            assert_eq!(kind(posix), ShellKind::Posix, "{posix}");
        }
        for other in ["zsh", "/usr/bin/fish", "shellcheck", "nu"] {
            assert_eq!(kind(other), ShellKind::Other, "{other}");
        }
    }
}
