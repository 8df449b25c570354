//! The splitter against its original form (lines joined with `\n`), and the single-pass
//! split-and-scan against a split followed by a separate scan of the script.

use proptest::prelude::*;

use super::lex::{self, Scanner};
use super::{RawCommand, clean_label, is_blank_or_comment, split_and_scan, split_commands};

/// The original test for separator lines, by Unicode trimming.
fn blank_or_comment_ref(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

const PIECES: &[&str] = &[
    "if",
    "then",
    "fi",
    "for",
    "do",
    "done",
    "case",
    "esac",
    "in",
    ";;",
    "{",
    "}",
    "(",
    ")",
    "$(",
    "${",
    "`",
    "'",
    "\"",
    "<<",
    "<<-",
    "EOF",
    "\\",
    "|",
    "&&",
    ";",
    "#",
    "# 1. step",
    "# Step 2: x",
    " ",
    "  ",
    "\n",
    "\n",
    "\n\n",
    "\t",
    "<pod>",
    "$X",
    "a",
    "echo",
    "\r",
    "\r\n",
    "é",
    "=",
    "\u{a0}",
    "\u{3000}",
    "\u{85}",
    "\x0b",
    "\x1c",
    "kubectl get pods -n shop",
    "echo $((1 + 2))",
];

fn any_text() -> impl Strategy<Value = String> {
    let shellish =
        prop::collection::vec(prop::sample::select(PIECES), 0..50).prop_map(|v| v.concat());
    prop_oneof![4 => shellish, 1 => any::<String>()]
}

/// The splitter as it was first written: every command's text is its lines joined.
fn split_ref(code: &str, first_line: usize) -> Vec<RawCommand<'_>> {
    let mut scanner = Scanner::without_ctx();
    split_lines_ref(code, first_line, |line| scanner.scan_line(line))
}

/// The first splitter's rule, over any scanner's answer to "is the command still open after
/// this line": a command ends at the first line after which nothing is open; its label is the
/// comment line right above.
pub(super) fn split_lines_ref(
    code: &str,
    first_line: usize,
    mut scan_line: impl FnMut(&str) -> bool,
) -> Vec<RawCommand<'_>> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut free_from = 0;
    let command = |s: usize, e: usize, free_from: usize| RawCommand {
        text: lines[s..=e].join("\n").trim_end().to_string().into(),
        line: first_line + s,
        label: s
            .checked_sub(1)
            .filter(|above| *above >= free_from)
            .and_then(|above| clean_label(lines[above])),
    };
    for (idx, line) in lines.iter().enumerate() {
        let open = scan_line(line);
        if start.is_none() {
            if blank_or_comment_ref(line) {
                continue;
            }
            start = Some(idx);
        }
        if !open && let Some(s) = start.take() {
            out.push(command(s, idx, free_from));
            free_from = idx + 1;
        }
    }
    if let Some(s) = start {
        out.push(command(s, lines.len().saturating_sub(1), free_from));
    }
    out
}

#[test]
fn edge_cases_match() {
    for code in [
        "",
        "\n",
        "a\n",
        "a\n\n",
        "echo 'x\n",
        "a \\\n b\n\n",
        "cat <<EOF\n$X\nEOF",
    ] {
        assert_eq!(split_commands(code, 3), split_ref(code, 3), "{code:?}");
        let (cmds, scan) = split_and_scan(code, 3).unwrap_or_else(|| panic!("{code:?}"));
        let whole = lex::scan(&format!("{code}\n"));
        assert_eq!(cmds, split_ref(code, 3));
        assert_eq!(format!("{scan:?}"), format!("{whole:?}"), "{code:?}");
    }
    assert!(split_and_scan("a\r\nb", 1).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn blank_or_comment_matches_trimming(line in any_text()) {
        for l in line.split('\n') {
            prop_assert_eq!(is_blank_or_comment(l), blank_or_comment_ref(l), "{:?}", l);
        }
    }

    #[test]
    fn split_matches_reference(code in any_text(), first in 1usize..50) {
        prop_assert_eq!(split_commands(&code, first), split_ref(&code, first));
    }

    #[test]
    fn split_and_scan_matches_separate_passes(code in any_text()) {
        if let Some((cmds, scan)) = split_and_scan(&code, 1) {
            prop_assert!(!code.contains('\r'));
            prop_assert_eq!(cmds, split_ref(&code, 1));
            let whole = lex::scan(&format!("{code}\n"));
            prop_assert_eq!(format!("{scan:?}"), format!("{whole:?}"));
        } else {
            prop_assert!(code.contains('\r'));
        }
    }
}
