//! Property tests: the shell layer never panics, and splitting covers every command line once.

use proptest::prelude::*;

use super::{split_commands, split_session};
use crate::runbook::vars::{placeholders, substitute_placeholders, variables};

/// Shell-ish fragments, so that random inputs hit quotes, heredocs and keywords often.
const PIECES: &[&str] = &[
    "if", "then", "fi", "for", "while", "do", "done", "case", "esac", "in", ";;", "{", "}", "(",
    ")", "$(", "${", "$((", "))", "`", "'", "\"", "$'", "<<", "<<-", "<<<", "EOF", "'EOF'", "\\",
    "|", "&&", "||", ";", "&", "#", " ", " ", "\n", "\n", "\t", "<pod>", "<div>", "$X", "${Y:-d}",
    "a", "echo", "f()", "function", "\r", "é", "{{", "}}", "=", "read", "export",
];

fn shellish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![shellish(), any::<String>()]
}

fn is_command_line(l: &str) -> bool {
    let t = l.trim();
    !t.is_empty() && !t.starts_with('#')
}

proptest! {
    #[test]
    fn every_command_line_belongs_to_exactly_one_command(code in any_text(), first in 1usize..50) {
        let cmds = split_commands(&code, first);
        for (idx, line) in code.lines().enumerate() {
            let n = first + idx;
            let owners = cmds.iter().filter(|c| c.line <= n && n < c.line + c.text.lines().count()).count();
            if is_command_line(line) {
                prop_assert_eq!(owners, 1, "line {} {:?} in {:?}", n, line, cmds);
            } else {
                prop_assert!(owners <= 1);
            }
        }
        for c in &cmds {
            prop_assert!(!c.text.is_empty());
            prop_assert!(c.label.is_none_or(|l| !l.is_empty()));
        }
    }

    #[test]
    fn session_split_never_panics(code in any_text()) {
        let (cmds, expect) = split_session(&code, 1);
        prop_assert!(cmds.iter().all(|c| !c.text.trim().is_empty()));
        prop_assert!(expect.iter().all(|e| !e.trim().is_empty()));
    }

    #[test]
    fn discovery_and_substitution_never_panic(code in any_text(), value in any::<String>()) {
        let _ = variables(&code);
        let _ = crate::runbook::vars::default_of(&code, "Y");
        let found = placeholders(&code);
        prop_assert_eq!(substitute_placeholders(&code, &|_| None), code.clone());
        let replaced = substitute_placeholders(&code, &|_| Some(value.clone()));
        if found.is_empty() {
            prop_assert_eq!(replaced, code);
        }
    }
}
