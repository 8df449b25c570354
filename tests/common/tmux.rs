//! A detached tmux session on a private server, driven with `send-keys` and read with
//! `capture-pane`, for end-to-end tests of the real binary in a real terminal.

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `cmd` in a detached 120×40 session on a private server; `None` without tmux.
    pub fn start(name: &str, cmd: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            println!("note: tmux not found; skipping (scripts/test installs it)");
            return None;
        }
        let tmux = Tmux {
            socket: format!("rb-e2e-{name}-{}", std::process::id()),
        };
        let ok = tmux
            .cmd(&["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", cmd])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
        Some(tmux)
    }

    pub fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.cmd(&["send-keys", "-t", "t", key]);
            std::thread::sleep(Duration::from_millis(80));
        }
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-t", "t", "-p"]).stdout).into_owned()
    }

    /// Waits until the screen contains `needle`; panics with the screen after 15 s.
    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {needle:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}
