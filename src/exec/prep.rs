//! Preparing a run before anything starts: the shell, the working directory, the private files and
//! the command line. Failures here are the clear, early errors of [`super::Engine::spawn`].

use std::collections::BTreeSet;
use std::fs::{DirBuilder, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use nix::sys::signal::Signal;
use nix::sys::wait::waitpid;
use nix::unistd::Pid;
use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

use super::carry::{Carried, RunFiles};
use super::procs;
use super::types::{ExecError, RunRequest};

/// The command line and environment of a run: the shell on the wrapper, in the run's cwd.
pub(crate) fn command(
    shell: &Path,
    cwd: &Path,
    files: &RunFiles,
    req: &RunRequest,
    carried: &Carried,
) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(shell);
    cmd.arg(&files.wrapper);
    cmd.cwd(cwd);
    // The pane is an xterm-like emulator whatever terminal the app itself runs in.
    cmd.env("TERM", "xterm-256color");
    cmd.env("PWD", cwd);
    // Stale sizes would override the PTY's own for `tput` and friends.
    cmd.env_remove("COLUMNS");
    cmd.env_remove("LINES");
    for name in carried.unset_names(std::env::vars_os().filter_map(|(k, _)| k.into_string().ok())) {
        cmd.env_remove(name);
    }
    for (name, value) in &req.env {
        cmd.env(name, value);
    }
    cmd
}

/// Writes the script, the state to restore and the wrapper, each readable by us only.
pub(crate) fn write_run_files(
    files: &RunFiles,
    req: &RunRequest,
    carried: &Carried,
) -> Result<(), ExecError> {
    let overridden: BTreeSet<&str> = req.env.iter().map(|(k, _)| k.as_str()).collect();
    write_private(&files.script, &req.script)?;
    write_private(&files.vars_in, &carried.vars_script(&overridden))?;
    write_private(&files.funcs_in, &carried.funcs)?;
    write_private(&files.wrapper, &files.wrapper_script(&req.script))
}

pub(crate) fn write_private(path: &Path, text: &str) -> Result<(), ExecError> {
    let what = || format!("cannot write {}", path.display());
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| ExecError::io(what(), e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| ExecError::io(what(), e))
}

pub(crate) fn remove_files(files: &RunFiles) {
    for path in files.all() {
        let _ = std::fs::remove_file(path);
    }
}

/// Creates a fresh 0700 directory under the system temp dir.
pub(crate) fn private_dir() -> Result<PathBuf, ExecError> {
    let base = std::env::temp_dir();
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut last_err = None;
    for attempt in 0..16u32 {
        let dir = base.join(format!(
            "runbook-exec-{}-{stamp}-{attempt}",
            std::process::id()
        ));
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => last_err = Some(e),
        }
    }
    let err = last_err.unwrap_or_else(|| std::io::Error::other("no attempt made"));
    Err(ExecError::io(
        format!("cannot create a private directory in {}", base.display()),
        err,
    ))
}

/// `bash` → `/usr/bin/bash` via `PATH`; a path is checked as given.
pub(crate) fn resolve_shell(shell: &Path) -> Result<PathBuf, ExecError> {
    let is_exec = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if shell.components().count() > 1 || shell.is_absolute() {
        return if is_exec(shell) {
            Ok(shell.to_path_buf())
        } else {
            Err(ExecError::ShellNotFound(shell.to_path_buf()))
        };
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(shell))
        .find(|candidate| is_exec(candidate))
        .ok_or_else(|| ExecError::ShellNotFound(shell.to_path_buf()))
}

/// The run's cwd: the request's (relative to the carried one, like `cd`), else the carried one,
/// else the app's own. It must exist: portable-pty would silently fall back to `$HOME`.
pub(crate) fn resolve_cwd(
    requested: Option<&Path>,
    carried: Option<&Path>,
) -> Result<PathBuf, ExecError> {
    let base = match carried {
        // A step removed the directory the shell was in: go on in what is left of its path, as
        // `cd ..` would, rather than refuse every later step (the run says so: see
        // [`cwd_notice`]).
        Some(dir) => existing_ancestor(dir),
        None => std::env::current_dir().map_err(|e| ExecError::io("no current directory", e))?,
    };
    let cwd = match requested {
        Some(dir) => base.join(dir),
        None => base,
    };
    if cwd.is_dir() {
        Ok(cwd)
    } else {
        Err(ExecError::CwdMissing(cwd))
    }
}

/// The nearest directory of `dir`'s path that still exists (`/` at worst).
fn existing_ancestor(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.is_dir())
        .unwrap_or_else(|| Path::new("/"))
        .to_path_buf()
}

/// The line a run prints first when the carried directory is gone, so the operator sees where
/// the step really runs.
pub(crate) fn cwd_notice(carried: Option<&Path>, cwd: &Path) -> Option<String> {
    let gone = carried.filter(|d| !d.is_dir())?;
    Some(format!(
        "runbook: {} no longer exists; running in {}",
        gone.display(),
        cwd.display()
    ))
}

/// A shell running in a fresh PTY, with the engine's ends of the terminal.
pub(crate) struct Launched {
    pub master: Box<dyn MasterPty + Send>,
    pub reader: Box<dyn Read + Send>,
    pub writer: Box<dyn Write + Send>,
    /// Session, process-group and process id of the shell; already registered.
    pub pid: i32,
}

/// Opens a `rows`×`cols` PTY and starts `cmd` in it as a session leader.
pub(crate) fn launch(cmd: CommandBuilder, rows: u16, cols: u16) -> Result<Launched, ExecError> {
    let size = PtySize {
        rows: rows.max(1),
        cols: cols.max(1),
        pixel_width: 0,
        pixel_height: 0,
    };
    let pair = native_pty_system()
        .openpty(size)
        .map_err(|e| ExecError::PtyUnavailable(e.to_string()))?;
    let mut child = pair
        .slave
        .spawn_command(cmd)
        .map_err(|e| ExecError::Spawn(e.to_string()))?;
    // Our copy of the terminal's other end must go, or the reader never sees EOF.
    drop(pair.slave);
    let Some(pid) = child.process_id().and_then(|p| i32::try_from(p).ok()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(ExecError::Spawn("the shell has no process id".into()));
    };
    procs::register(pid);
    let ends = pair
        .master
        .try_clone_reader()
        .and_then(|r| pair.master.take_writer().map(|w| (r, w)));
    match ends {
        Ok((reader, writer)) => Ok(Launched {
            master: pair.master,
            reader,
            writer,
            pid,
        }),
        Err(e) => {
            abandon(pid);
            Err(ExecError::PtyUnavailable(e.to_string()))
        }
    }
}

/// Kills and reaps a launched shell that will never get a waiter thread.
pub(crate) fn abandon(pid: i32) {
    procs::kill_session(pid, Signal::SIGKILL);
    // SIGKILL cannot be ignored, so this returns at once; it keeps a zombie from lingering.
    let _ = waitpid(Pid::from_raw(pid), None);
    procs::unregister(pid);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shell_lookup() {
        assert!(resolve_shell(Path::new("bash")).unwrap().is_absolute());
        assert!(matches!(
            resolve_shell(Path::new("no-such-shell-xyz")),
            Err(ExecError::ShellNotFound(_))
        ));
        assert!(matches!(
            resolve_shell(Path::new("/etc/passwd")),
            Err(ExecError::ShellNotFound(_))
        ));
    }

    #[test]
    fn cwd_resolution() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let got = resolve_cwd(Some(Path::new("sub")), Some(dir.path())).unwrap();
        assert_eq!(got, dir.path().join("sub"));
        assert_eq!(resolve_cwd(None, Some(dir.path())).unwrap(), dir.path());
        assert!(matches!(
            resolve_cwd(Some(Path::new("missing")), Some(dir.path())),
            Err(ExecError::CwdMissing(_))
        ));
        let gone = dir.path().join("sub/removed/deeper");
        assert_eq!(
            resolve_cwd(None, Some(&gone)).unwrap(),
            dir.path().join("sub")
        );
        let notice = cwd_notice(Some(&gone), &dir.path().join("sub")).unwrap();
        assert!(notice.contains("no longer exists; running in"), "{notice}");
        assert_eq!(cwd_notice(Some(dir.path()), dir.path()), None);
    }

    #[test]
    fn private_dir_is_owner_only() {
        let dir = private_dir().unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        std::fs::remove_dir(&dir).unwrap();
        assert_eq!(mode & 0o777, 0o700);
    }
}
