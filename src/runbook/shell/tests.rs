//! Unit tests of the command splitter and the session splitter.

use super::*;

/// The texts of the commands of `code`.
fn texts(code: &str) -> Vec<String> {
    split_commands(code, 1)
        .into_iter()
        .map(|c| c.text.into_owned())
        .collect()
}

fn lines_of(code: &str, first: usize) -> Vec<usize> {
    split_commands(code, first)
        .into_iter()
        .map(|c| c.line)
        .collect()
}

#[test]
fn one_command_per_line_and_semicolons_do_not_split() {
    assert_eq!(
        texts("kubectl get pods\necho a; echo b\n"),
        ["kubectl get pods", "echo a; echo b"]
    );
}

#[test]
fn blank_and_comment_lines_between_commands_are_skipped() {
    assert_eq!(texts("\n# c1\n\na\n   # c2\nb\n\n"), ["a", "b"]);
}

#[test]
fn backslash_continuation() {
    let code = "kubectl run x \\\n  --image=nginx \\\n  --restart=Never\necho next";
    assert_eq!(
        texts(code),
        [
            "kubectl run x \\\n  --image=nginx \\\n  --restart=Never",
            "echo next"
        ]
    );
}

#[test]
fn escaped_backslash_at_end_does_not_continue() {
    assert_eq!(texts("echo a\\\\\necho b"), ["echo a\\\\", "echo b"]);
}

#[test]
fn pipes_and_logical_operators_at_line_end_continue() {
    let code = "kubectl get pods |\n  grep web\na &&\n  b ||\n  c\nd |&\n e\nf | # why\n g\nh";
    assert_eq!(
        texts(code),
        [
            "kubectl get pods |\n  grep web",
            "a &&\n  b ||\n  c",
            "d |&\n e",
            "f | # why\n g",
            "h"
        ]
    );
}

#[test]
fn trailing_ampersand_does_not_continue() {
    assert_eq!(texts("sleep 10 &\necho b"), ["sleep 10 &", "echo b"]);
}

#[test]
fn quotes_spanning_lines() {
    let code = "echo 'a\nb'\necho \"c\n$(date)\nd\"\necho $'e\\'\nf'\necho `date\n`\nx=$(echo\n  hi)\nlast";
    assert_eq!(
        texts(code),
        [
            "echo 'a\nb'",
            "echo \"c\n$(date)\nd\"",
            "echo $'e\\'\nf'",
            "echo `date\n`",
            "x=$(echo\n  hi)",
            "last"
        ]
    );
}

#[test]
fn parenthesis_inside_quotes_in_substitution() {
    assert_eq!(
        texts("echo \"$(echo \")\")\"\nnext"),
        ["echo \"$(echo \")\")\"", "next"]
    );
}

#[test]
fn heredoc_forms() {
    for op in ["<<EOF", "<< EOF", "<<'EOF'", "<<\"EOF\"", "<<\\EOF"] {
        let code = format!("cat {op}\nline 1\n$(not a subst\nEOF\necho after");
        let got = texts(&code);
        assert_eq!(got.len(), 2, "{op}: {got:?}");
        assert_eq!(got[0], format!("cat {op}\nline 1\n$(not a subst\nEOF"));
        assert_eq!(got[1], "echo after");
    }
}

#[test]
fn heredoc_with_dash_strips_tabs_of_terminator() {
    let code = "cat <<-END\n\tbody\n\tEND\necho after";
    assert_eq!(texts(code), ["cat <<-END\n\tbody\n\tEND", "echo after"]);
    // Without `-`, a tab-indented terminator does not end the heredoc.
    assert_eq!(
        texts("cat <<END\n\tEND\necho x"),
        ["cat <<END\n\tEND\necho x"]
    );
}

#[test]
fn heredoc_body_with_lookalike_lines() {
    let code = "cat <<EOF\nEOF2\n 'unbalanced \"quote\n$(\nif true\nEOF\nnext";
    assert_eq!(
        texts(code),
        [
            "cat <<EOF\nEOF2\n 'unbalanced \"quote\n$(\nif true\nEOF",
            "next"
        ]
    );
}

#[test]
fn two_heredocs_on_one_line() {
    let code = "paste <<A <<'B'\na1\nA\nb1\nB\nnext";
    assert_eq!(texts(code), ["paste <<A <<'B'\na1\nA\nb1\nB", "next"]);
}

#[test]
fn heredoc_piped_and_heredoc_after_args() {
    let code = "cat <<EOF | kubectl apply -f -\napiVersion: v1\nEOF\nkubectl apply -f - <<EOF\nkind: Pod\nEOF\necho done";
    assert_eq!(
        texts(code),
        [
            "cat <<EOF | kubectl apply -f -\napiVersion: v1\nEOF",
            "kubectl apply -f - <<EOF\nkind: Pod\nEOF",
            "echo done"
        ]
    );
}

#[test]
fn heredoc_then_pipe_on_next_line() {
    assert_eq!(
        texts("cat <<EOF |\nx\nEOF\n  grep x\nnext"),
        ["cat <<EOF |\nx\nEOF\n  grep x", "next"]
    );
}

#[test]
fn here_string_is_not_a_heredoc() {
    assert_eq!(
        texts("psql <<< \"SELECT 1\"\necho b\nread x <<<$y\necho c"),
        ["psql <<< \"SELECT 1\"", "echo b", "read x <<<$y", "echo c"]
    );
}

#[test]
fn placeholders_and_arithmetic_shifts_are_not_heredocs() {
    let code = "kubectl logs <pod-name> -n <ns>\necho $((1<<4))\n((x <<= 1))\nnext";
    assert_eq!(
        texts(code),
        [
            "kubectl logs <pod-name> -n <ns>",
            "echo $((1<<4))",
            "((x <<= 1))",
            "next"
        ]
    );
}

#[test]
fn compound_commands_stay_whole() {
    let code = "if true; then\n  echo done\n  # inside\nfi\nfor i in 1 2\ndo\n  echo $i\ndone\nwhile false; do :; done\nuntil true\ndo :\ndone\nafter";
    assert_eq!(
        texts(code),
        [
            "if true; then\n  echo done\n  # inside\nfi",
            "for i in 1 2\ndo\n  echo $i\ndone",
            "while false; do :; done",
            "until true\ndo :\ndone",
            "after"
        ]
    );
}

#[test]
fn nested_compound_commands() {
    let code = "for f in *; do\n  if [ -f $f ]; then\n    while read l; do echo $l; done < $f\n  fi\ndone\nx";
    assert_eq!(texts(code).len(), 2);
}

#[test]
fn keywords_only_at_command_position() {
    assert_eq!(
        texts("echo done\ngrep if file\necho fi esac\nx"),
        ["echo done", "grep if file", "echo fi esac", "x"]
    );
}

#[test]
fn case_esac_with_patterns() {
    let code = "case \"$1\" in\n  start|stop) echo a ;;\n  (restart) echo b ;;\n  *) echo c ;;\nesac\nnext";
    assert_eq!(texts(code), [code.trim_end_matches("\nnext"), "next"]);
}

#[test]
fn braces_subshells_and_functions() {
    let code = "{\n  echo a\n}\n(\n  cd /tmp\n)\nf() {\n  echo f\n}\ng()\n{\n  :\n}\nfunction h {\n  :\n}\narr=(a\n b)\nx";
    assert_eq!(
        texts(code),
        [
            "{\n  echo a\n}",
            "(\n  cd /tmp\n)",
            "f() {\n  echo f\n}",
            "g()\n{\n  :\n}",
            "function h {\n  :\n}",
            "arr=(a\n b)",
            "x"
        ]
    );
}

#[test]
fn hash_only_starts_comments_at_word_start() {
    let code = "echo a#b ${#x} $# \"#\" '#' \\#\necho c # comment (\necho d";
    assert_eq!(
        texts(code),
        [
            "echo a#b ${#x} $# \"#\" '#' \\#",
            "echo c # comment (",
            "echo d"
        ]
    );
}

#[test]
fn labels_from_comment_line_directly_above() {
    let code = "# 1. Verify current cluster status\nkubectl get nodes\n# Step 3: Drain\nkubectl drain n\n# 2) Restart\na\n# 1.2 Check\nb\n# Plain label\nc\n\n# separated\n\nd\ne\n#\nf\n#!/bin/bash\ng";
    let got: Vec<Option<&str>> = split_commands(code, 1)
        .into_iter()
        .map(|c| c.label)
        .collect();
    let want = [
        Some("Verify current cluster status"),
        Some("Drain"),
        Some("Restart"),
        Some("Check"),
        Some("Plain label"),
        None,
        None,
        None,
        None,
    ];
    assert_eq!(got, want);
}

#[test]
fn label_cleaning_keeps_numbers_that_are_not_numbering() {
    assert_eq!(clean_label("# 1.5GB free"), Some("1.5GB free"));
    assert_eq!(clean_label("## Stepping stone"), Some("Stepping stone"));
    assert_eq!(clean_label("# step 2 - scale"), Some("scale"));
    assert_eq!(clean_label("# 3."), None);
    assert_eq!(clean_label("echo"), None);
}

#[test]
fn label_is_not_taken_from_previous_command() {
    // The comment line is the continuation of `a \`, so it is not `b`'s label.
    let got = split_commands("a \\\n# part of a\nb", 1);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].label, None);
}

#[test]
fn line_numbers_with_offset() {
    assert_eq!(lines_of("\n# c\na\nb \\\n c\n\nd", 10), [12, 13, 16]);
    assert_eq!(lines_of("x", 1), [1]);
}

#[test]
fn trailing_whitespace_of_last_line_trimmed_only() {
    assert_eq!(texts("echo 'a  \nb'   \n"), ["echo 'a  \nb'"]);
    assert_eq!(texts("a \\\n\nb"), ["a \\", "b"]);
}

#[test]
fn crlf_lines() {
    assert_eq!(texts("a \\\r\n b\r\nc\r\n"), ["a \\\n b", "c"]);
}

#[test]
fn unterminated_quote_or_heredoc_swallows_rest() {
    assert_eq!(texts("a\necho 'oops\nb\nc"), ["a", "echo 'oops\nb\nc"]);
    assert_eq!(texts("cat <<EOF\nb\n\nc\n"), ["cat <<EOF\nb\n\nc"]);
    assert_eq!(texts("if x; then\n y"), ["if x; then\n y"]);
}

#[test]
fn exec_shell_lines_are_separate_commands() {
    assert_eq!(
        texts("kubectl exec -it p -- /bin/sh\nls /data\nexit"),
        ["kubectl exec -it p -- /bin/sh", "ls /data", "exit"]
    );
}

#[test]
fn session_commands_and_output() {
    let code =
        "$ kubectl get pods\nNAME   READY   \nweb-1  1/1\n\n% echo hi\nhi\n$\n$ # just a note\n";
    let (cmds, expect) = split_session(code, 5);
    let got: Vec<(&str, usize)> = cmds.iter().map(|c| (&*c.text, c.line)).collect();
    assert_eq!(got, [("kubectl get pods", 5), ("echo hi", 9)]);
    assert_eq!(expect, ["NAME   READY", "web-1  1/1", "hi"]);
    assert!(cmds.iter().all(|c| c.label.is_none()));
}

#[test]
fn session_continuations_quotes_and_heredocs() {
    let code = "$ kubectl run x \\\n  --image=y\npod/x created\n$ echo 'a\nb'\na\n$ cat <<EOF\n$ not a prompt\nEOF\n$ not a prompt\n";
    let (cmds, expect) = split_session(code, 1);
    let got: Vec<&str> = cmds.iter().map(|c| &*c.text).collect();
    assert_eq!(
        got,
        [
            "kubectl run x \\\n  --image=y",
            "echo 'a\nb'",
            "cat <<EOF\n$ not a prompt\nEOF",
            "not a prompt"
        ]
    );
    assert_eq!(expect, ["pod/x created", "a"]);
}

/// Regression: the `> ` continuation prompt stayed in the command, where it is a redirection.
#[test]
fn session_continuation_prompts_are_stripped() {
    let code = "$ kubectl get pods \\\n>   -n prod\nNAME\n$ cat <<EOF\n> line one\n>\nEOF\n";
    let (cmds, expect) = split_session(code, 1);
    let got: Vec<&str> = cmds.iter().map(|c| &*c.text).collect();
    assert_eq!(
        got,
        [
            "kubectl get pods \\\n  -n prod",
            "cat <<EOF\nline one\n\nEOF"
        ]
    );
    assert_eq!(expect, ["NAME"]);
    let risk = crate::runbook::risk::analyze(&cmds[0].text).risk;
    assert_eq!(risk, crate::runbook::Risk::Read);
}

#[test]
fn session_detection() {
    assert!(looks_like_session("# comment\n\n$ kubectl get pods\nout"));
    assert!(!looks_like_session("kubectl get pods\n$ x"));
    assert!(!looks_like_session("$HOME/bin/x"));
    assert!(!looks_like_session(""));
}

#[test]
fn arithmetic_loops_and_nested_substitutions() {
    let code = "for ((i=0; i<3; i++)); do\n  echo $i\ndone\nx=$(( $(date +%s) - start ))\ny=$(case $1 in a) echo A;; esac)\nz=$(cat <<EOF\nbody )\nEOF\n)\nnext";
    assert_eq!(
        texts(code),
        [
            "for ((i=0; i<3; i++)); do\n  echo $i\ndone",
            "x=$(( $(date +%s) - start ))",
            "y=$(case $1 in a) echo A;; esac)",
            "z=$(cat <<EOF\nbody )\nEOF\n)",
            "next"
        ]
    );
}

#[test]
fn jsonpath_and_go_templates_are_plain_words() {
    let code = "kubectl get pods -o jsonpath='{.items[*].metadata.name}'\ndocker ps --format \"{{.Names}}\"\nnext";
    assert_eq!(texts(code).len(), 3);
}
