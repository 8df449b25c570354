//! Process groups and sessions of runs: finding them in `/proc`, signalling them, and the
//! process-global registry that [`kill_all_groups`] empties on the app's way out.
//!
//! A run's shell is a session leader (portable-pty calls `setsid`), so its pid is both its session id
//! and its process-group id. Nested interactive shells may create further process groups inside that
//! session, so signals go to every group of the session, found by scanning `/proc/*/stat`.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::types::StopTimings;

/// Session ids of runs whose processes may still be alive, across all engines of this process.
static LIVE_SESSIONS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// How often escalation re-checks whether a session is empty.
const POLL: Duration = Duration::from_millis(20);

pub(crate) fn register(sid: i32) {
    LIVE_SESSIONS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(sid);
}

pub(crate) fn unregister(sid: i32) {
    LIVE_SESSIONS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&sid);
}

/// True while session `sid` may still hold processes of a run. Only registered ids are ever
/// signalled by the engine's drop, so a long-finished run's pid that the kernel has since reused
/// is never touched.
pub(crate) fn is_registered(sid: i32) -> bool {
    LIVE_SESSIONS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .contains(&sid)
}

/// SIGKILLs every process of every live run session of this process; returns how many sessions
/// were signalled. Meant for the app's SIGTERM/SIGHUP handler and panic hook: it never panics and
/// never blocks on anything but the registry lock.
pub fn kill_all_groups() -> usize {
    let sessions: Vec<i32> = LIVE_SESSIONS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .copied()
        .collect();
    for &sid in &sessions {
        kill_session(sid, Signal::SIGKILL);
    }
    sessions.len()
}

/// The distinct process groups of the live (non-zombie) processes in session `sid`.
pub(crate) fn session_groups(sid: i32) -> BTreeSet<i32> {
    let mut groups = BTreeSet::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return groups;
    };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        if let Some(stat) = read_stat(pid)
            && stat.session == sid
            && stat.state != 'Z'
            && stat.state != 'X'
        {
            groups.insert(stat.pgrp);
        }
    }
    groups
}

/// True when no live process is left in session `sid`.
pub(crate) fn session_is_empty(sid: i32) -> bool {
    session_groups(sid).is_empty()
}

/// Sends `sig` to every process group of session `sid` and to the group `sid` itself (which may hold
/// processes even when `/proc` was read a moment too early). Repeats a few times for SIGKILL so a
/// process forked during the scan is caught too.
pub(crate) fn kill_session(sid: i32, sig: Signal) {
    let rounds = if sig == Signal::SIGKILL { 3 } else { 1 };
    for _ in 0..rounds {
        let mut groups = session_groups(sid);
        groups.insert(sid);
        for pgrp in groups {
            // ESRCH (already gone) is the expected, harmless outcome for many of these.
            let _ = killpg(Pid::from_raw(pgrp), sig);
        }
        if sig == Signal::SIGKILL && session_is_empty(sid) {
            break;
        }
    }
}

/// One line of `/proc/<pid>/stat`, the fields we need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stat {
    pub state: char,
    pub pgrp: i32,
    pub session: i32,
}

pub(crate) fn read_stat(pid: i32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&text)
}

/// Parses `pid (comm) state ppid pgrp session …`; `comm` may hold spaces and parentheses, so the
/// fields are read after the last `)`.
pub(crate) fn parse_stat(text: &str) -> Option<Stat> {
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let _ppid = fields.next()?;
    let pgrp = fields.next()?.parse().ok()?;
    let session = fields.next()?.parse().ok()?;
    Some(Stat {
        state,
        pgrp,
        session,
    })
}

/// Signals a run's session: `first` to the given groups at once, SIGTERM to the whole session after
/// `term_after`, SIGKILL after `kill_after`, stopping early once the session is empty. Runs on its
/// own thread; `cancel` ends it early (the engine was dropped and already killed everything).
pub(crate) fn escalate_in_background(
    sid: i32,
    first: Signal,
    first_groups: Vec<i32>,
    timings: StopTimings,
    cancel: Arc<AtomicBool>,
) {
    let spawned = thread::Builder::new()
        .name(format!("exec-stop-{sid}"))
        .spawn(move || escalate(sid, first, &first_groups, timings, &cancel));
    if spawned.is_err() {
        // No thread to wait with: fall back to the last resort at once.
        kill_session(sid, Signal::SIGKILL);
    }
}

fn escalate(sid: i32, first: Signal, groups: &[i32], timings: StopTimings, cancel: &AtomicBool) {
    let start = Instant::now();
    for &pgrp in groups {
        let _ = killpg(Pid::from_raw(pgrp), first);
    }
    let steps = [
        (timings.term_after, Signal::SIGTERM),
        (timings.kill_after.max(timings.term_after), Signal::SIGKILL),
    ];
    for (at, sig) in steps {
        while start.elapsed() < at {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            if session_is_empty(sid) {
                // Forget the id now, before the kernel may hand it to an unrelated process.
                unregister(sid);
                return;
            }
            thread::sleep(POLL);
        }
        kill_session(sid, sig);
    }
    // After SIGKILL (repeated until the scan came back empty) nothing of the session can be left.
    unregister(sid);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stat_with_odd_command_name() {
        let line = "4242 (a) b (c)) S 1 4240 4239 34816 4240 4194304 0 0";
        assert_eq!(
            parse_stat(line),
            Some(Stat {
                state: 'S',
                pgrp: 4240,
                session: 4239
            })
        );
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn own_process_is_found_in_its_session() {
        let me = read_stat(std::process::id() as i32).unwrap();
        assert!(session_groups(me.session).contains(&me.pgrp));
    }

    #[test]
    fn registry_round_trip() {
        // A session id no process can have: kill_all_groups signals it harmlessly.
        register(i32::MAX - 7);
        assert!(kill_all_groups() >= 1);
        unregister(i32::MAX - 7);
        assert!(!LIVE_SESSIONS.lock().unwrap().contains(&(i32::MAX - 7)));
    }
}
