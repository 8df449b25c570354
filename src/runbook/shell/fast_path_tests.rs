//! Equivalence tests aimed at the boundaries of the scanner's and the splitter's shortcuts,
//! against the original scanner ([`super::lex_ref`]):
//! - plain lines read from rest (`lex/plain.rs`) and the splitter that makes no scanner for
//!   them ([`super::split_commands`]): keywords and assignments at command position, comments
//!   and labels, a special byte anywhere (`\r`, trailing `\`, quotes, `$`, `<`, heredocs, `<<<`);
//! - argument words read in bulk (`Scanner::arguments`): words glued to quotes and expansions,
//!   `#` inside and at the start of words, redirections and `|` continuations around them;
//! - heredoc delimiters taken as a slice of the line when plain.

use proptest::prelude::*;

use super::lex_ref;
use super::split_tests::split_lines_ref;
use super::{RawCommand, lex, split_and_scan, split_commands};

/// Words, most of them plain, some of them keywords or assignments.
const WORDS: &[&str] = &[
    "kubectl",
    "get",
    "pods",
    "-n",
    "shop",
    "echo",
    "a",
    "A=1",
    "B+=x",
    "X=",
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "in",
    "do",
    "done",
    "while",
    "until",
    "select",
    "case",
    "esac",
    "{",
    "}",
    "!",
    "time",
    "function",
    "f",
    "x#y",
    "é",
    "--since=1m",
    "./run.sh",
    "-o=wide",
];

/// What may sit between words: blanks most often, and now and then something that is not plain.
const GLUE: &[&str] = &[
    " ",
    " ",
    " ",
    " ",
    "  ",
    "\t",
    " # note ",
    " # uses $NS 'q' | x\\",
    "#",
    " #",
    "\r",
    " \\",
    "\"",
    "'",
    "$",
    "$X",
    "${Y}",
    "$(",
    ")",
    "<",
    "<pod>",
    "<<EOF",
    "<<-'E'",
    "<< E;",
    "<<\"E\"OF",
    "<<\\E",
    "<<E'x'",
    "<<é",
    "<<-\tEOF|",
    "<<",
    "<<<",
    "|",
    " |",
    "&&",
    ";",
    "&",
    ">",
    "2>&1",
    "`",
    "(",
    "\\",
];

/// A line of words and glue; `plain` lines use only blanks and comments.
fn line(plain: bool) -> impl Strategy<Value = String> {
    let glue = if plain { &GLUE[..8] } else { GLUE };
    prop::collection::vec(
        (prop::sample::select(WORDS), prop::sample::select(glue)),
        0..8,
    )
    .prop_map(|v| v.into_iter().flat_map(|(w, g)| [w, g]).collect())
}

/// Blocks of such lines, with comment lines (labels), blank lines, heredoc bodies and ends.
fn block() -> impl Strategy<Value = String> {
    let one = prop_oneof![
        6 => line(true),
        3 => line(false),
        1 => Just("# 1. Step one".to_string()),
        1 => Just(String::new()),
        1 => Just("EOF".to_string()),
        1 => Just("\tE".to_string()),
        1 => Just("E ".to_string()),
        1 => Just("é".to_string()),
    ];
    prop::collection::vec(one, 0..10).prop_map(|v| v.join("\n"))
}

/// The scanner's answers and record for `text`, read line by line.
fn scan_new(text: &str) -> (Vec<bool>, String) {
    let mut sc = lex::Scanner::new();
    let open = text.split('\n').map(|l| sc.scan_line(l)).collect();
    let r = sc.finish();
    let rec = format!(
        "{:?}|{:?}|{:?}|{:?}",
        r.src,
        r.ctx_bytes(),
        r.tokens,
        r.heredocs
    );
    (open, rec)
}

/// The original scanner's.
fn scan_ref(text: &str) -> (Vec<bool>, String) {
    let mut sc = lex_ref::Scanner::new();
    let open = text.split('\n').map(|l| sc.scan_line(l)).collect();
    let r = sc.finish();
    let rec = format!("{:?}|{:?}|{:?}|{:?}", r.src, r.ctx, r.tokens, r.heredocs);
    (open, rec)
}

/// The splitter as first written, on the original scanner.
fn split_ref(code: &str, first_line: usize) -> Vec<RawCommand<'_>> {
    let mut scanner = lex_ref::Scanner::new();
    split_lines_ref(code, first_line, |line| scanner.scan_line(line))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn lines_scan_as_the_original_scanner_reads_them(text in block()) {
        prop_assert_eq!(scan_new(&text), scan_ref(&text));
    }

    #[test]
    fn blocks_split_as_the_original_splitter_splits_them(code in block(), first in 1usize..9) {
        prop_assert_eq!(split_commands(&code, first), split_ref(&code, first));
        if let Some((cmds, scan)) = split_and_scan(&code, first) {
            prop_assert_eq!(cmds, split_ref(&code, first));
            let (_, whole) = scan_ref(&format!("{code}\n"));
            let rec = format!("{:?}|{:?}|{:?}|{:?}", scan.src, scan.ctx_bytes(), scan.tokens, scan.heredocs);
            prop_assert_eq!(rec, whole);
        }
    }

    #[test]
    fn plain_lines_leave_a_fresh_scanner_closed(text in line(true)) {
        if lex::is_plain(&text) {
            let mut original = lex_ref::Scanner::new();
            prop_assert!(!original.scan_line(&text));
            // The next line reads as on a fresh scanner: nothing was left open.
            for next in ["if x", "a |", "case y in", "f()", "cat <<E", "b"] {
                let mut after = lex_ref::Scanner::new();
                after.scan_line(&text);
                let mut fresh = lex_ref::Scanner::new();
                prop_assert_eq!(after.scan_line(next), fresh.scan_line(next));
            }
        }
    }
}
