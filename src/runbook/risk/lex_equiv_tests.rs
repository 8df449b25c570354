//! Equivalence of the byte lexer ([`super::lex`]) with the original character lexer kept in
//! [`super::lex_ref`]: the same tokens, words, raw text and substitutions on any input.

use proptest::prelude::*;

use super::{lex, lex_ref};

/// Shell-ish fragments, so that random inputs hit every lexer state often.
const PIECES: &[&str] = &[
    "if", "then", "fi", "for", "while", "do", "done", "case", "esac", "in", ";;", ";;&", ";&", "{",
    "}", "(", ")", "((", "))", "$(", "${", "$((", "`", "\\`", "'", "\"", "$'", "$\"", "<<", "<<-",
    "<<<", "EOF", "'EOF'", "\\", "\\\n", "\\é", "|", "|&", "&&", "||", ";", "&", "&>", "&>>", ">>",
    ">|", ">&", "<&", "<>", ">", "<", "<(", ">(", "2>&1", "3<", "#", " ", "\n", "\n", "\t",
    "\tEOF", "\r", "<pod>", "<a.b-c>", "$X", "${Y:-d}", "\\n", "\\t", "a", "echo", "é", "日本",
    "=", "a=", "arr=(", "x#y", "a=b", "kubectl", "-f", "--", "sh -c",
];

fn shellish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![4 => shellish(), 1 => any::<String>()]
}

/// The new lexer's tokens in the reference lexer's form.
fn to_ref(tok: lex::Tok<'_>) -> lex_ref::Tok {
    let word = |w: lex::Word<'_>| lex_ref::Word {
        text: w.text.into_owned(),
        raw: w.raw.to_string(),
        subs: w.subs.into_iter().map(|s| s.into_owned()).collect(),
    };
    match tok {
        lex::Tok::Word(w) => lex_ref::Tok::Word(word(w)),
        lex::Tok::Op(op) => lex_ref::Tok::Op(op_to_ref(op)),
        lex::Tok::HereDoc(body) => lex_ref::Tok::HereDoc(body.into_owned()),
        lex::Tok::HereStr(w) => lex_ref::Tok::HereStr(word(w)),
        lex::Tok::StdinFile => lex_ref::Tok::StdinFile,
        lex::Tok::Redirect => lex_ref::Tok::Redirect,
    }
}

fn op_to_ref(op: lex::Op) -> lex_ref::Op {
    use lex::Op as N;
    use lex_ref::Op as R;
    match op {
        N::Pipe => R::Pipe,
        N::And => R::And,
        N::Or => R::Or,
        N::Semi => R::Semi,
        N::Amp => R::Amp,
        N::Newline => R::Newline,
        N::CaseEnd => R::CaseEnd,
        N::LParen => R::LParen,
        N::RParen => R::RParen,
    }
}

fn new_tokens(text: &str) -> Vec<lex_ref::Tok> {
    lex::lex(text).into_iter().map(to_ref).collect()
}

#[test]
fn multibyte_escapes_and_quotes() {
    for text in [
        "echo \\é '日本' \"a\\é\" $'\\é' `a\\é` x",
        "cat <<EOF\né\n  EOF\necho $(é) <(日本)",
        "\\",
        "echo \"unterminated é",
        "a=(é b) c",
    ] {
        assert_eq!(new_tokens(text), lex_ref::lex(text), "{text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn lexer_matches_reference(text in any_text()) {
        prop_assert_eq!(new_tokens(&text), lex_ref::lex(&text));
    }
}
