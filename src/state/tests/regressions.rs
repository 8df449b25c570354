//! Pure `update` tests of bugs found by hand in the TUI; each failed before its fix.
#![allow(clippy::unwrap_used)]

use super::super::testkit::*;
use super::super::*;
use crossterm::event::KeyCode;

fn state_of(markdown: &str) -> State {
    let mut s = State::new(
        crate::runbook::parse(markdown),
        crate::config::Config::default(),
        Mode::Live,
    );
    update(
        &mut s,
        Msg::Resize {
            cols: 120,
            rows: 40,
        },
    );
    s
}

#[test]
fn keys_on_a_runbook_without_steps_do_not_panic() {
    for markdown in ["just prose, no steps\n", "# Only a heading\n\nprose\n"] {
        let mut s = state_of(markdown);
        assert!(key(&mut s, KeyCode::Enter).is_empty());
        assert!(ch(&mut s, ' ').is_empty());
        assert!(ch(&mut s, 'r').is_empty());
    }
}
