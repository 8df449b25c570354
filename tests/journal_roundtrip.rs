//! Round trip: a session written through the API, read back, and exported as markdown (insta
//! snapshot, times filtered) and JSON; secrets never appear in clear anywhere.
#![allow(clippy::unwrap_used)]

mod common;

use common::{SECRET, assert_no_file_contains, record_session, write_runbook_file};
use runbook::journal::export::{export_json, export_markdown};
use runbook::journal::{Event, JOURNAL_FILE, StepStatus, read_journal, replay};
use runbook::secrets::MASK;

#[tokio::test]
async fn written_events_read_back_and_replay() {
    let tmp = tempfile::tempdir().unwrap();
    let rb = write_runbook_file(tmp.path());
    let dir = record_session(tmp.path(), &rb, true).await;
    let (records, warnings) = read_journal(&dir.join(JOURNAL_FILE)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<&str> = records.iter().map(|r| r.event.name()).collect();
    assert_eq!(names.first(), Some(&"session_started"));
    assert_eq!(names.last(), Some(&"session_ended"));
    assert!(
        names.contains(&"pod_seen"),
        "unknown events are kept: {names:?}"
    );
    assert!(records.windows(2).all(|w| w[0].ts <= w[1].ts));
    let state = replay(&records);
    assert_eq!(state.step("pods").status, StepStatus::Done);
    assert_eq!(state.step("verify-db").runs, 2);
    assert_eq!(state.step("scale-down").status, StepStatus::Skipped);
    assert_eq!(state.step("fence").status, StepStatus::Stopped);
    assert_eq!(state.variables["DB_PASSWORD"], MASK);
    let p = state.progress();
    assert_eq!(
        (p.done, p.skipped, p.stopped, p.open, p.total),
        (3, 1, 1, 2, 7)
    );
    assert_no_file_contains(tmp.path().join("sessions").as_path(), SECRET);
}

#[tokio::test]
async fn markdown_export_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let rb = write_runbook_file(tmp.path());
    let dir = record_session(tmp.path(), &rb, true).await;
    let (records, _) = read_journal(&dir.join(JOURNAL_FILE)).unwrap();
    let md = export_markdown(&records, Some(&dir));
    assert!(!md.contains(SECRET));
    let Event::SessionStarted(start) = &records[0].event else {
        panic!()
    };
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex::escape(&start.runbook), "[RUNBOOK]");
    settings.add_filter(
        &format!(r"\| {} \|", regex::escape(&start.operator)),
        "| [OPERATOR] |",
    );
    settings.add_filter(
        &format!(r"\b{}@", regex::escape(&start.operator)),
        "[OPERATOR]@",
    );
    settings.add_filter(&format!(r"\b{}\b", regex::escape(&start.host)), "[HOST]");
    settings.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "[TIME]");
    settings.add_filter(r"\| Duration \| [^|]+ \|", "| Duration | [DURATION] |");
    settings.add_filter(
        r"\| runbook version \| [^|]+ \|",
        "| runbook version | [VERSION] |",
    );
    settings.bind(|| insta::assert_snapshot!("fixture_session_markdown", md));
}

#[tokio::test]
async fn markdown_shows_progress_of_an_unfinished_session() {
    let tmp = tempfile::tempdir().unwrap();
    let rb = write_runbook_file(tmp.path());
    let dir = record_session(tmp.path(), &rb, false).await;
    let (records, _) = read_journal(&dir.join(JOURNAL_FILE)).unwrap();
    let md = export_markdown(&records, Some(&dir));
    assert!(md.contains("| Ended | not ended (last event "), "{md}");
    // Without the session directory the report still renders, without output blocks.
    let bare = export_markdown(&records, None);
    assert!(!bare.contains("<details>"));
    assert!(bare.contains("- [x] ✅ **3. Check cluster pods** · exit 0"));
}

#[tokio::test]
async fn json_export_has_session_steps_and_every_event() {
    let tmp = tempfile::tempdir().unwrap();
    let rb = write_runbook_file(tmp.path());
    let dir = record_session(tmp.path(), &rb, true).await;
    let (records, _) = read_journal(&dir.join(JOURNAL_FILE)).unwrap();
    let v = export_json(&records, Some(&dir));
    assert!(!v.to_string().contains(SECRET));
    let session = &v["session"];
    assert_eq!(
        session["id"],
        dir.file_name().unwrap().to_string_lossy().as_ref()
    );
    assert_eq!(session["sha256"], "0123abcd");
    assert_eq!(session["mode"], "live");
    assert_eq!(session["kube_context"], "kind-payments");
    assert_eq!(session["summary"]["done"], 3);
    assert_eq!(session["summary"]["total"], 7);
    assert_eq!(session["variables"]["DB_PASSWORD"], MASK);
    assert_eq!(session["notes"][0], "Failover rehearsed with `jane`");
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 8);
    let pods = &steps[2];
    assert_eq!(pods["status"], "done");
    assert_eq!(pods["exit_code"], 0);
    let tail = pods["output_tail"].as_array().unwrap();
    assert_eq!(tail.len(), 20);
    assert_eq!(tail[19], "payments-25   1/1   Running");
    assert_eq!(
        steps[4]["command"],
        format!("psql \"postgresql://app:{MASK}@db/payments\" -c 'select 1'")
    );
    assert_eq!(steps[5]["skip_reason"], "Primary already down");
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), records.len());
    assert_eq!(events[0]["event"], "session_started");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "pod_seen" && e["pod"] == "payments-1")
    );
    assert!(events.iter().all(|e| e["ts"].is_string()));
}

/// Reads the markdown back with a GFM parser: the structure a renderer sees must be the one meant.
#[tokio::test]
async fn markdown_export_parses_as_intended() {
    use pulldown_cmark::{CodeBlockKind, Event as Md, Options, Parser, Tag, TagEnd};
    let tmp = tempfile::tempdir().unwrap();
    let rb = write_runbook_file(tmp.path());
    let dir = record_session(tmp.path(), &rb, true).await;
    let (records, _) = read_journal(&dir.join(JOURNAL_FILE)).unwrap();
    let md = export_markdown(&records, Some(&dir));
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let (mut tasks, mut tables, mut headings, mut rows) = (0, 0, 0, 0);
    let mut cells_per_row = Vec::new();
    let mut code_blocks: Vec<(String, String)> = Vec::new();
    let mut in_code = None;
    for event in Parser::new_ext(&md, options) {
        match event {
            Md::TaskListMarker(_) => tasks += 1,
            Md::Start(Tag::Table(_)) => tables += 1,
            Md::Start(Tag::Heading { .. }) => headings += 1,
            Md::Start(Tag::TableRow) => {
                rows += 1;
                cells_per_row.push(0);
            }
            Md::Start(Tag::TableHead) => cells_per_row.push(0),
            Md::Start(Tag::TableCell) => *cells_per_row.last_mut().unwrap_or(&mut 0) += 1,
            Md::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                in_code = Some((lang.to_string(), String::new()));
            }
            Md::Text(t) => {
                if let Some((_, body)) = in_code.as_mut() {
                    body.push_str(&t);
                }
            }
            Md::End(TagEnd::CodeBlock) => code_blocks.extend(in_code.take()),
            _ => {}
        }
    }
    // Checks and commands not skipped are GFM tasks; `[~]` (skipped) is not a GFM marker.
    assert_eq!(tasks, 6);
    assert_eq!(tables, 3);
    assert_eq!(
        headings, 8,
        "title, Values, Procedure, 3 sections, Notes, Timeline"
    );
    // Body rows only (header rows are TableHead): header table rows + values + one per event.
    assert_eq!(rows, 12 + 2 + records.len());
    assert!(
        cells_per_row.iter().all(|&c| c == 2 || c == 4),
        "{cells_per_row:?}"
    );
    let langs: Vec<&str> = code_blocks.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(langs, ["sh", "text", "sh", "text", "sh"]);
    assert_eq!(code_blocks[4].1, "echo '````' && sleep 5\n");
    assert!(code_blocks[3].1.contains("password ••••••"));
}
