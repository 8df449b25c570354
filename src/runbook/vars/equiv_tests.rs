//! Equivalence of discovery and substitution with the original code kept in
//! [`super::reference`], on generated scripts that sit on the boundaries of the shortcuts:
//! `$` and `<` in every quoting context, names next to operators, comments, heredocs,
//! here-strings, Go templates and HTML tag names.

use proptest::prelude::*;

use super::reference;

/// Fragments chosen so that random scripts hit every branch of discovery often.
const PIECES: &[&str] = &[
    "$",
    "${",
    "}",
    "$X",
    "${X}",
    "${Y:-d}",
    "${Y-'q'}",
    "${#L}",
    "${!R}",
    "${X%.*}",
    "$1",
    "$?",
    "$HOME",
    "$IFS",
    "$(",
    ")",
    "$((",
    "))",
    "`",
    "'",
    "\"",
    "$'",
    "\\",
    "<",
    ">",
    "<<",
    "<<<",
    "<<-",
    "EOF",
    "'EOF'",
    "<pod>",
    "<pod-name>",
    "<div>",
    "<DETAILS>",
    "<v1.2_x>",
    "<a",
    "{{",
    "}}",
    "#",
    "# ",
    " ",
    "\n",
    "\n",
    "\t",
    "\r",
    "X=1",
    "export",
    "declare -r",
    "read",
    "-r",
    "-a",
    "for",
    "in",
    "do",
    "done",
    ";",
    "|",
    "&&",
    "echo",
    "é",
    "A",
    "_b",
    "=",
    "[0]",
];

fn script() -> impl Strategy<Value = String> {
    let shellish =
        prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat());
    prop_oneof![4 => shellish, 1 => any::<String>()]
}

fn value(name: &str) -> Option<String> {
    (!name.starts_with('p')).then(|| format!("v'{name}\"$`\\\n}}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn discovery_matches_reference(s in script()) {
        prop_assert_eq!(super::discover(&s), reference::discover(&s));
        prop_assert_eq!(super::variables(&s), reference::variables(&s));
        prop_assert_eq!(super::placeholders(&s), reference::placeholders(&s));
        prop_assert_eq!(super::assigned_names(&s), reference::assigned_names(&s));
        for name in ["X", "Y", "L", "R", "HOME"] {
            prop_assert_eq!(super::default_of(&s, name), reference::default_of(&s, name));
        }
    }

    #[test]
    fn substitution_matches_reference(s in script()) {
        prop_assert_eq!(
            super::substitute_placeholders(&s, &value),
            reference::substitute_placeholders(&s, &value)
        );
    }
}
