//! Durability: a child process (this test binary, re-executed) writes and acknowledges events in
//! a loop; the parent SIGKILLs it at random moments and checks that every acknowledged event is on
//! disk and that the journal still parses. `RUNBOOK_DURABILITY_ITERATIONS` raises the number of
//! kills (see `scripts/bench-journal`); `RUNBOOK_DURABILITY_SEED` replays a failing run.
#![allow(clippy::unwrap_used)]

use runbook::journal::{Event, JOURNAL_FILE, Journal, Mode, read_journal};
use runbook::runbook::Runbook;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "RUNBOOK_DURABILITY_CHILD_DIR";
const TEST_NAME: &str = "acknowledged_events_survive_sigkill";

#[test]
fn acknowledged_events_survive_sigkill() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        child(Path::new(&dir));
    }
    let iterations: usize = env_number("RUNBOOK_DURABILITY_ITERATIONS").unwrap_or(100);
    let seed = env_number("RUNBOOK_DURABILITY_SEED").unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        nanos.as_nanos() as u64 | 1
    });
    eprintln!("durability: seed {seed} (RUNBOOK_DURABILITY_SEED), {iterations} iterations");
    let mut rng = XorShift(seed);
    let (mut acked_total, mut writing) = (0u64, Duration::ZERO);
    for i in 0..iterations {
        let wait_acks = rng.next() % 30;
        let extra_us = rng.next() % 3000;
        let (acked, elapsed) = one_kill(wait_acks, extra_us)
            .unwrap_or_else(|e| panic!("iteration {i} (seed {seed}): {e}"));
        acked_total += acked;
        writing += elapsed;
    }
    let rate = acked_total as f64 / writing.as_secs_f64().max(1e-9);
    eprintln!(
        "durability: {acked_total} acknowledged events in {writing:.2?} of writing: {rate:.0} acked events/s"
    );
}

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// xorshift64: enough randomness to vary kill moments without a crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Kills the child when the parent gives up early (a failed assertion), so none is left behind.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One child life: waits for `wait_acks` acknowledgements plus `extra_us`, SIGKILLs, then checks
/// the journal. Returns the number of acknowledged events and the time spent writing.
fn one_kill(wait_acks: u64, extra_us: u64) -> Result<(u64, Duration), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .args([
            TEST_NAME,
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--quiet",
        ])
        .env(CHILD_ENV, tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut session: Option<PathBuf> = None;
    let mut acked: Vec<u64> = Vec::new();
    let mut started = Instant::now();
    for line in lines.by_ref() {
        let line = line.map_err(|e| e.to_string())?;
        if let Some(dir) = line.strip_prefix("DIR ") {
            session = Some(PathBuf::from(dir));
            started = Instant::now();
        } else if let Some(n) = line.strip_prefix("ACK ") {
            acked.push(n.parse().map_err(|_| format!("bad ack line {line:?}"))?);
        }
        if session.is_some() && acked.len() as u64 >= wait_acks {
            break;
        }
    }
    std::thread::sleep(Duration::from_micros(extra_us));
    child.0.kill().map_err(|e| e.to_string())?; // SIGKILL
    let elapsed = started.elapsed();
    // Acknowledgements printed before the kill count too.
    for line in lines {
        let Ok(line) = line else { break };
        if let Some(n) = line.strip_prefix("ACK ") {
            acked.push(n.parse().map_err(|_| format!("bad ack line {line:?}"))?);
        }
    }
    let session = session.ok_or("the child never reported its session")?;
    check_journal(&session.join(JOURNAL_FILE), &acked)?;
    Ok((acked.len() as u64, elapsed))
}

/// Every acknowledged sequence number is on disk, in order, and nothing but a torn last line is
/// unreadable.
fn check_journal(path: &Path, acked: &[u64]) -> Result<(), String> {
    let (records, warnings) = read_journal(path).map_err(|e| e.to_string())?;
    if warnings.len() > 1 || warnings.iter().any(|w| !w.contains("torn last line")) {
        return Err(format!("unexpected warnings: {warnings:?}"));
    }
    if records.first().map(|r| r.event.name()) != Some("session_started") {
        return Err("the journal does not start with session_started".into());
    }
    let on_disk: Vec<u64> = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::NoteAdded { text, .. } => text.strip_prefix("seq ").and_then(|n| n.parse().ok()),
            _ => None,
        })
        .collect();
    // Events are written in order: what is on disk is 0, 1, 2, … without gaps.
    if on_disk.iter().enumerate().any(|(i, n)| *n != i as u64) {
        return Err(format!("gap or disorder on disk: {on_disk:?}"));
    }
    if let Some(missing) = acked.iter().find(|n| !on_disk.contains(n)) {
        return Err(format!(
            "acknowledged event {missing} is not on disk ({} on disk)",
            on_disk.len()
        ));
    }
    Ok(())
}

/// The child: writes events until killed, printing each acknowledged sequence number.
fn child(data: &Path) -> ! {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let rb_path = data.join("durable.md");
        std::fs::write(&rb_path, "# Durable\n").unwrap();
        let rb = Runbook {
            title: "Durable".into(),
            ..Runbook::default()
        };
        let j = Journal::create(data, &rb, &rb_path, "00", Mode::Rehearsal, None).unwrap();
        let mut out = std::io::stdout().lock();
        writeln!(out, "DIR {}", j.dir().display()).unwrap();
        out.flush().unwrap();
        for seq in 0..1_000_000u64 {
            // Fire-and-forget traffic between acknowledged events, as the UI produces it.
            let value = "x".repeat((seq % 200) as usize);
            j.send(Event::VariableSet {
                name: format!("V{seq}"),
                value,
                secret: false,
            })
            .unwrap();
            j.append(Event::NoteAdded {
                id: None,
                text: format!("seq {seq}"),
            })
            .await
            .unwrap();
            // A closed pipe means the parent is gone: stop.
            if writeln!(out, "ACK {seq}")
                .and_then(|()| out.flush())
                .is_err()
            {
                break;
            }
        }
    });
    std::process::exit(0)
}
