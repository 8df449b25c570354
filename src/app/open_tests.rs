//! The resume offer read back from a real journal.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::journal::{Event, Journal};

/// Regression: resuming restored statuses and values only; edited commands, notes and skip
/// reasons were lost, and Enter then ran the original command.
#[tokio::test]
async fn the_offer_carries_edits_notes_and_skip_reasons() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("book.md");
    let text =
        "# B\n\n```bash\nexit 3\n```\n\n```bash\necho two\n```\n\n```bash\necho three\n```\n";
    std::fs::write(&path, text).unwrap();
    let book = crate::runbook::parse(text);
    let ids: Vec<String> = book.steps.iter().map(|s| s.id.to_string()).collect();
    let journal =
        Journal::create(data.path(), &book, &path, "00", JournalMode::Live, None).unwrap();
    let events = [
        Event::CommandEdited {
            id: ids[0].clone(),
            text: "exit 0".into(),
        },
        Event::NoteAdded {
            id: Some(ids[0].clone()),
            text: "edited after the incident call".into(),
        },
        Event::StepSkipped {
            id: ids[1].clone(),
            reason: "later".into(),
        },
        Event::CommandEdited {
            id: ids[2].clone(),
            text: format!("echo {MASK}"),
        },
    ];
    for event in events {
        journal.append(event).await.unwrap();
    }
    drop(journal);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let offer = loop {
        if let Some(offer) = resume_offer(data.path(), &path) {
            break offer;
        }
        assert!(std::time::Instant::now() < deadline, "no offer");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let detail = |id: &str| {
        offer
            .details
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, d)| d.clone())
            .unwrap_or_default()
    };
    assert!(offer.started_ms.is_some(), "the session clock can go on");
    assert_eq!(detail(&ids[0]).edited.as_deref(), Some("exit 0"));
    assert_eq!(detail(&ids[0]).notes, ["edited after the incident call"]);
    assert_eq!(detail(&ids[1]).skip_reason.as_deref(), Some("later"));
    assert_eq!(
        detail(&ids[2]),
        ResumedStep::default(),
        "a masked edit is not restored"
    );
}
