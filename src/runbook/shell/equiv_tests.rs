//! Equivalence of the optimised scanner ([`super::lex`]) with the original one kept in
//! [`super::lex_ref`]: same contexts, tokens, heredocs and open/closed answers on any input.

use proptest::prelude::*;

use super::{lex, lex_ref};

/// Shell-ish fragments, so that random inputs hit every scanner state often.
const PIECES: &[&str] = &[
    "if", "then", "fi", "for", "while", "do", "done", "case", "esac", "in", ";;", "{", "}", "(",
    ")", "$(", "${", "$((", "))", "`", "'", "\"", "$'", "$\"", "<<", "<<-", "<<<", "EOF", "'EOF'",
    "\\", "|", "&&", "||", ";", "&", "#", " ", "  ", "\n", "\n", "\t", "<pod>", "$X", "${Y:-d}",
    "a", "echo", "f()", "function", "\r", "é", "=", "x#y", "a=b", ">", "&>", "2>&1", "select",
    "((", "\\\n", "\tEOF",
];

fn shellish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![4 => shellish(), 1 => any::<String>()]
}

/// Everything a scan reports, in comparable form.
fn scan_new(s: &str) -> (Vec<bool>, String) {
    let mut sc = lex::Scanner::new();
    let open: Vec<bool> = s.split('\n').map(|l| sc.scan_line(l)).collect();
    let r = sc.finish();
    (
        open,
        format!(
            "{:?}|{:?}|{:?}|{:?}",
            r.src,
            r.ctx_bytes(),
            r.tokens,
            r.heredocs
        ),
    )
}

fn scan_ref(s: &str) -> (Vec<bool>, String) {
    let mut sc = lex_ref::Scanner::new();
    let open: Vec<bool> = s.split('\n').map(|l| sc.scan_line(l)).collect();
    let r = sc.finish();
    (
        open,
        format!("{:?}|{:?}|{:?}|{:?}", r.src, r.ctx, r.tokens, r.heredocs),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn scanner_matches_reference(code in any_text()) {
        prop_assert_eq!(scan_new(&code), scan_ref(&code));
    }

    #[test]
    fn scanner_without_ctx_answers_the_same(code in any_text()) {
        let mut full = lex_ref::Scanner::new();
        let mut lite = lex::Scanner::without_ctx();
        for l in code.split('\n') {
            prop_assert_eq!(lite.scan_line(l), full.scan_line(l));
        }
    }
}
