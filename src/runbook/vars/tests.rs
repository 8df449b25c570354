//! Unit tests of variable and placeholder discovery and of safe substitution (run through bash).
#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn variable_reference_forms() {
    let s = "echo $NS ${POD} ${TAG:-latest} ${#LIST} ${!REF} ${X%.*} ${Y/a/b} \"$Q\" $NS";
    assert_eq!(
        variables(s),
        ["NS", "POD", "TAG", "LIST", "REF", "X", "Y", "Q"]
    );
}

#[test]
fn assigned_names_are_not_variables() {
    let s = "A=1 B+=2 C[0]=x\nexport D E=1\ndeclare -r F=2\nlocal G\nreadonly -a H\nread -r -p 'v: ' I J\nread -a ARR\nfor K in 1 2; do echo $K; done\necho $A $B $C $D $E $F $G $H $I $J $ARR $L";
    assert_eq!(variables(s), ["L"]);
}

#[test]
fn assignment_anywhere_in_the_script_counts() {
    assert_eq!(
        variables("echo $TOKEN\nTOKEN=$(get-token)"),
        Vec::<String>::new()
    );
    assert_eq!(
        variables("while IFS= read -r line; do echo $line; done < $FILE"),
        ["FILE"]
    );
}

#[test]
fn name_after_command_word_is_not_an_assignment() {
    // `echo X=1` does not assign X.
    assert_eq!(variables("echo X=1 $X"), ["X"]);
}

#[test]
fn shell_own_variables_and_specials_are_excluded() {
    let s =
        "echo $HOME $PATH $PWD $RANDOM $USER $1 $9 $? $$ $! $# $@ $* $0 $- ${HOSTNAME} $IFS $MINE";
    assert_eq!(variables(s), ["MINE"]);
}

#[test]
fn single_quotes_comments_and_quoted_heredocs_do_not_count() {
    let s = "echo '$A' \\$B # $C\n# $D\ncat <<'EOF'\n$E\nEOF\ncat <<\"X\"\n$F\nX\ncat <<\\Y\n$G\nY\necho $'$H' $OK";
    assert_eq!(variables(s), ["OK"]);
}

#[test]
fn unquoted_heredocs_and_double_quotes_count() {
    let s = "cat <<EOF\nname: $APP\nvalue: '${VAL}' \\$NOT\nEOF\necho \"x=$DQ\"";
    assert_eq!(variables(s), ["APP", "VAL", "DQ"]);
}

#[test]
fn substitutions_are_not_variables_but_their_contents_are() {
    let s = "echo $(kubectl get pod $POD) $((N + 1)) $(( $M * 2 )) `echo $BT`";
    assert_eq!(variables(s), ["POD", "M", "BT"]);
}

#[test]
fn defaults() {
    let s = "echo ${NS:-default} ${TAG-v1} ${Q:-\"my ns\"} ${R:=x} ${N:-${M:-z}} $NONE";
    assert_eq!(default_of(s, "NS").as_deref(), Some("default"));
    assert_eq!(default_of(s, "TAG").as_deref(), Some("v1"));
    assert_eq!(default_of(s, "Q").as_deref(), Some("my ns"));
    assert_eq!(default_of(s, "R").as_deref(), Some("x"));
    assert_eq!(default_of(s, "N").as_deref(), Some("${M:-z}"));
    assert_eq!(default_of(s, "NONE"), None);
    assert_eq!(default_of("echo '${A:-x}'", "A"), None);
}

#[test]
fn placeholder_forms() {
    let s = "kubectl logs <pod-name> -n <ns>\necho \"pod=<pod-name>\" '{\"image\":\"<tag>\"}' <AKS-SP-ID> <v1.2_x>";
    assert_eq!(
        placeholders(s),
        ["pod-name", "ns", "tag", "AKS-SP-ID", "v1.2_x"]
    );
}

#[test]
fn placeholder_exclusions() {
    let s = "# set <commented>\necho x # trailing <also>\n<div><br><DETAILS><h3>\ncat <<EOF\n<in-body>\nEOF\ngrep <<<hello>\ndocker ps --format '{{ <notme> }}'\nch <- val <-arrow>\necho <real>";
    assert_eq!(placeholders(s), ["in-body", "real"]);
}

/// Runs `script` with bash in a fresh directory; returns stdout and whether any file appeared.
fn run_bash(script: &str) -> (String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let created = std::fs::read_dir(dir.path()).unwrap().next().is_some();
    (String::from_utf8_lossy(&out.stdout).into_owned(), created)
}

const PAYLOADS: &[&str] = &[
    "$(touch pwned)",
    "; touch pwned; rm -rf ~",
    "`touch pwned`",
    "a'b\"c",
    "it's \"quoted\" \\ back\\slash \\\\",
    "line1\nline2\n; touch pwned",
    "${HOME} $PATH $((1+1)) !! ~ * ?",
    "'\\''",
    "x\nEOF\ntouch pwned",
    "{a{b} } }}{{ )(",
    "",
];

/// Substitutes every `<val>` in `template` with `payload` and runs the result.
fn run_with(template: &str, payload: &str) -> (String, bool) {
    let script = substitute_placeholders(template, &|n| (n == "val").then(|| payload.to_string()));
    assert!(!script.contains("<val>"), "not substituted: {script}");
    run_bash(&script)
}

/// The expected output for a payload.
type Expect = fn(&str) -> String;

#[test]
fn substitution_is_data_in_every_position() {
    let cases: &[(&str, Expect)] = &[
        ("printf %s <val>", |p| p.to_string()),
        ("printf %s \"<val>\"", |p| p.to_string()),
        ("printf %s \"x<val>y\"", |p| format!("x{p}y")),
        ("printf %s '<val>'", |p| p.to_string()),
        ("printf %s 'a<val>b'", |p| format!("a{p}b")),
        ("printf %s pre<val>post", |p| format!("pre{p}post")),
        ("printf %s $'<val>'", |p| p.to_string()),
        ("printf %s ${UNSET_X:-<val>}", |p| p.to_string()),
        ("printf %s \"${UNSET_X:-<val>}\"", |p| p.to_string()),
        ("V=<val>; printf %s \"$V\"", |p| p.to_string()),
    ];
    for (template, want) in cases {
        for payload in PAYLOADS {
            if template.contains("\"${") && payload.contains('\'') {
                continue; // see substitution_refuses_single_quote_in_quoted_parameter_word
            }
            let (out, created) = run_with(template, payload);
            assert_eq!(
                out,
                want(payload),
                "template {template:?} payload {payload:?}"
            );
            assert!(
                !created,
                "template {template:?} payload {payload:?} created a file"
            );
        }
    }
}

#[test]
fn substitution_refuses_single_quote_in_quoted_parameter_word() {
    let s = "printf %s \"${UNSET_X:-<val>}\"";
    assert_eq!(substitute_placeholders(s, &|_| Some("a'b".to_string())), s);
}

#[test]
fn substitution_inside_command_substitutions() {
    for payload in PAYLOADS.iter().filter(|p| !p.ends_with('\n')) {
        // Command substitution strips trailing newlines; none of these payloads end with one.
        for template in [
            "printf %s \"$(printf %s <val>)\"",
            "printf %s \"`printf %s <val>`\"",
            "printf %s \"`printf %s \"<val>\"`\"",
            "printf %s \"`printf %s '<val>'`\"",
        ] {
            let (out, created) = run_with(template, payload);
            assert_eq!(&out, payload, "template {template:?}");
            assert!(!created, "template {template:?} created a file");
        }
    }
}

#[test]
fn substitution_in_heredoc_bodies() {
    for payload in PAYLOADS {
        for template in ["cat <<EOF\n<val>\nEOF", "cat <<'EOF'\n<val>\nEOF"] {
            let script = substitute_placeholders(template, &|_| Some(payload.to_string()));
            let (out, created) = run_bash(&script);
            assert!(
                !created,
                "template {template:?} payload {payload:?} created a file"
            );
            if script.contains("<val>") {
                // Left alone only when the value would end the heredoc.
                assert!(payload.lines().any(|l| l == "EOF"), "{payload:?}");
            } else {
                assert_eq!(out, format!("{payload}\n"), "template {template:?}");
            }
        }
    }
}

#[test]
fn substitution_leaves_comments_html_missing_and_arithmetic_words() {
    let s = "echo <val> # <val>\n# <val>\necho <div> <p> <q> $((<val> + 1))";
    let got = substitute_placeholders(s, &|n| (n != "q").then(|| "v w".to_string()));
    assert_eq!(
        got,
        "echo 'v w' # <val>\n# <val>\necho <div> <p> <q> $((<val> + 1))"
    );
    let num = substitute_placeholders("echo $((<val> + 1))", &|_| Some("41".to_string()));
    assert_eq!(run_bash(&num).0, "42\n");
}

#[test]
fn substitution_does_not_glue_onto_dollar_or_backslash() {
    let s = "echo $<val> \\<val>";
    assert_eq!(substitute_placeholders(s, &|_| Some("x".to_string())), s);
}

#[test]
fn shell_quote_round_trips() {
    for payload in PAYLOADS {
        let (out, _) = run_bash(&format!("printf %s {}", shell_quote(payload)));
        assert_eq!(&out, payload);
    }
    assert_eq!(shell_quote("it's"), r"'it'\''s'");
}

#[test]
fn assigned_names_are_what_variables_leaves_out() {
    let script = "export NS=prod\nTOKEN=$(get)\nread -r POD\nfor n in a b; do echo $n; done\ncd /x && X=1 make";
    assert_eq!(assigned_names(script), ["NS", "TOKEN", "POD", "n", "X"]);
    assert!(assigned_names("echo $NS --set=a 'Y=1'").is_empty());
    assert!(variables(&format!("{script}\necho $NS $TOKEN $POD $X")).is_empty());
}
